// `rulebook test`: placeholder until the scenario runner lands (issue 4).
#include <ostream>

#include "cli/cli.hpp"

namespace rulebook::cli {
int test(const Args&, std::ostream&, std::ostream& err) {
  err << "rulebook test: not available yet\n";
  return kFailed;
}
}  // namespace rulebook::cli
