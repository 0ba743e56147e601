// `rulebook test --format json`: the results as one JSON document (docs/scenarios.md).
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

std::string results_json(const std::vector<SuiteResult>& results, const std::vector<const Suite*>& unreadable,
                         const std::string& coverage_text);

}  // namespace rulebook::scenario
