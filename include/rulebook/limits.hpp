// Every bound Rulebook puts on its input, in one place. Each one has a test
// that reaches it and checks the error it gives (tests/limits_test.cpp).
#pragma once

#include <cstddef>

namespace rulebook {

struct Limits {
  // Rule files
  std::size_t max_rule_file_bytes = 1 << 20;   // 1 MiB per .rules file
  std::size_t max_expression_depth = 64;       // nested parentheses, nots, ifs, lists
  std::size_t max_rules_per_policy = 100000;
  std::size_t max_use_depth = 16;              // a uses b uses c ...
  std::size_t max_define_chain = 1000;         // a define reading a define reading ...
  std::size_t max_files = 10000;               // files under a policies folder
  // Requests
  std::size_t max_body_bytes = 1 << 20;        // HTTP body (--max-body)
  std::size_t max_json_depth = 64;             // nesting of objects and arrays in a request
  std::size_t max_facts = 10000;               // leaf values in one request's facts
  std::size_t max_list_length = 10000;         // elements in one list fact
  std::size_t max_string_bytes = 64 * 1024;    // one text fact
  std::size_t max_batch_cases = 10000;         // cases in one batch request
};

}  // namespace rulebook
