#include "generate.hpp"

namespace bench {

std::string generate_policy(int rules, const std::string& id, int padding) {
  std::string s = "policy " + id + " \"Generated\"\n  version 1\n  in force from 2020-01-01\n\nfacts\n";
  for (int f = 0; f < 16; ++f) {
    s += "  f.e" + std::to_string(f) + " : one of v0, v1, v2, v3, v4, v5, v6, v7, default v0\n";
    s += "  f.b" + std::to_string(f) + " : yes/no, default no\n";
  }
  const int outputs = (rules + 9) / 10;
  s += "\noutputs\n";
  for (int o = 0; o < outputs; ++o) s += "  o" + std::to_string(o) + " : number, default 0\n";
  for (int r = 0; r < rules; ++r) {
    const int o = r / 10, j = r % 10;
    if (padding > 0) s += "# " + std::string(static_cast<std::size_t>(padding), 'x') + "\n";
    s += "\nrule r" + std::to_string(r) + " \"Rule " + std::to_string(r) + "\"\n  cite \"Generated s" +
         std::to_string(r) + "\"\n";
    if (j > 0) s += "  exception to r" + std::to_string(r - 1) + "\n";
    s += "  when f.e" + std::to_string((o + j) % 16) + " is v" + std::to_string(j % 8) + "\n   and not f.b" +
         std::to_string((o * 7 + j) % 16) + "\n";
    s += "  then o" + std::to_string(o) + " = " + std::to_string(j + 1) + "\n";
  }
  return s;
}

}  // namespace bench
