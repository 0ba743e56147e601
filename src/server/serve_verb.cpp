// `rulebook serve`: placeholder until the decision service lands (issue 5).
#include <ostream>

#include "cli/cli.hpp"

namespace rulebook::cli {
int serve(const Args&, std::ostream&, std::ostream& err) {
  err << "rulebook serve: not available yet\n";
  return kFailed;
}
}  // namespace rulebook::cli
