// Generates synthetic policies of any size for the compile and scaling
// benchmarks (and, through gen_policy, as files for reload tests).
//
// Shape: 16 enumeration facts of 8 values and 16 yes/no facts; one output per
// 10 rules; each output's 10 rules test an enumeration fact and a yes/no fact
// and form a chain of exceptions, so the policy is conflict-free by design.
#pragma once

#include <string>

namespace bench {

std::string generate_policy(int rules, const std::string& id = "gen", int padding_comment_bytes = 0);

}  // namespace bench
