// gen_policy N [ID]: prints a generated policy of N rules (see generate.hpp).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "generate.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_policy RULES [ID]\n");
    return 2;
  }
  const std::string text = bench::generate_policy(std::atoi(argv[1]), argc > 2 ? argv[2] : "gen");
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}
