// The `rulebook` command's verbs. Each takes its arguments (after the verb)
// and the streams to write to, and returns the process exit code.
#pragma once

#include <iosfwd>

#include "scenario/suggest.hpp"
#include <string>
#include <vector>

namespace rulebook::cli {

using Args = std::vector<std::string>;

int check(const Args& args, std::ostream& out, std::ostream& err);
int decide(const Args& args, std::ostream& out, std::ostream& err);
int test(const Args& args, std::ostream& out, std::ostream& err);
// The same, reading answers (test --update) from `in`.
int test(const Args& args, std::ostream& out, std::ostream& err, std::istream& in);
// The same, with the solver `test --suggest` asks for facts (main.cpp passes analysis::suggest_facts).
int test(const Args& args, std::ostream& out, std::ostream& err, std::istream& in,
         const scenario::SuggestFacts& suggest);
int serve(const Args& args, std::ostream& out, std::ostream& err);
int lsp(const Args& args, std::ostream& out, std::ostream& err);  // src/cli/lsp.cpp
int fmt(const Args& args, std::ostream& out, std::ostream& err);
int explain(const Args& args, std::ostream& out, std::ostream& err);
int diff(const Args& args, std::ostream& out, std::ostream& err);

// Exit codes shared by the verbs.
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;      // policy errors, failed scenarios, server failure
inline constexpr int kBadInput = 2;    // invalid facts or request, bad command line

}  // namespace rulebook::cli
