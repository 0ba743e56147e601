// The two read-only routes the workbench (src/server/ui/) needs beyond the
// decision API, as text out so they can be tested without a socket:
//   GET /v1/policies/{policy_id}/source[?version=]  the policy text of a version
//   GET /v1/policies/{policy_id}/suites             its shipped suites, run
// See docs/http-api.md ("The workbench's routes").
#pragma once

#include <optional>
#include <string>

#include "rulebook/api.hpp"
#include "rulebook/policy_set.hpp"
#include "server/schema.hpp"

namespace rulebook::server {

// The files of one version of a policy (its own file, then each module it uses)
// with their text as it is on disk now, and whether each rule still starts
// where it did when loaded. `version` empty: the version in force on `today`,
// or the newest when none is.
ApiResponse policy_source(const PolicySet& set, const std::string& policy_id, const std::optional<std::string>& version,
                          Date today, const PathShown& shown);

// Every suite (*.scenarios, *.scenarios.json) under `policies_dir` with a
// scenario for `policy_id`, each scenario as JSON with its result, the counts,
// and the policy's rule coverage over those suites.
ApiResponse policy_suites(const PolicySet& set, const std::string& policy_id, const std::string& policies_dir,
                          Date today, const Limits& limits, const PathShown& shown);

}  // namespace rulebook::server
