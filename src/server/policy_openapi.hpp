// GET /v1/policies/{policy_id}/openapi.json: an OpenAPI 3.1 document for one
// policy version, so generated clients get real types: its two decide routes
// with the policy's facts as the request's `facts` schema and its outputs as
// the response's `decision` schema. Everything else (errors, headers, the
// policy reference, fired rules, explanations) is taken from the service's
// own document (docs/openapi.json), so the two never disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "rulebook/program.hpp"

namespace rulebook::server {

// `service` is the service's document (openapi_json()); the result keeps only
// the components its paths reach.
nlohmann::ordered_json policy_openapi(const Program& p, std::string_view service);

// The JSON Schema of the `decision` object of p's answers: every output, in
// declaration order, each required (null where no rule gives it a value and it
// has no default).
nlohmann::ordered_json decision_schema(const Program& p);

}  // namespace rulebook::server
