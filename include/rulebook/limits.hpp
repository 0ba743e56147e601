// Every bound Rulebook puts on its input, in one place. Each one has a test
// that reaches it and checks the error it gives (tests/robustness/limits_test.cpp);
// docs/security.md lists them, where each is enforced and how to change it.
#pragma once

#include <cstddef>

namespace rulebook {

struct Limits {
  // Rule files
  std::size_t max_rule_file_bytes = 1 << 20;   // 1 MiB per .rules file (and per .scenarios file)
  std::size_t max_expression_depth = 64;       // nesting of one expression: parentheses, nots, ifs, lists,
                                               // and one level per operator of a chain like a + b + c
  std::size_t max_rules_per_policy = 10000;
  std::size_t max_use_depth = 16;              // a uses b uses c ...
  std::size_t max_define_chain = 64;           // a define reading a define reading ... (evaluation recurses
                                               // through it: with max_expression_depth it bounds the stack)
  std::size_t max_files = 10000;               // files under a policies folder
  std::size_t max_diagnostics = 100;           // errors and warnings listed per file or policy; then one
                                               // more says how many were left out
  // Requests
  std::size_t max_body_bytes = 1 << 20;        // HTTP body (--max-body)
  std::size_t max_json_depth = 64;             // nesting of objects and arrays in a request
  std::size_t max_facts = 10000;               // leaf values in one request's facts
  std::size_t max_list_length = 10000;         // elements in one list fact (or list in a record)
  std::size_t max_items = 100000;              // list items and records in one request's facts, all together
  std::size_t max_type_depth = 8;              // lists and records nested in one type (`list of child`: 2)
  std::size_t max_string_bytes = 64 * 1024;    // one text fact
  std::size_t max_batch_cases = 10000;         // cases in one batch request
};

}  // namespace rulebook
