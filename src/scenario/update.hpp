// `rulebook test --update`: writes the actual outputs into the `expect` blocks
// of failing scenarios, after showing each change as a diff: an `OUTPUT = VALUE`
// whose value was wrong gets the actual value, and an output left out of an
// `expect all` gets a line of its own. Asks before writing each file unless
// `yes`; a file is replaced whole (written beside it, then renamed). Only
// readable suites (.scenarios) are updated, and only expectations of outputs:
// a failed `fired`/`not fired` or error expectation is left for a person.
#pragma once

#include <iosfwd>
#include <vector>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

// The number of files written, or -1 when one could not be.
int update_suites(const std::vector<SuiteResult>& results, bool yes, std::istream& in, std::ostream& out,
                  std::ostream& err);

}  // namespace rulebook::scenario
