// The JSON that describes loaded policies: the GET /v1/policies list entries,
// and GET /v1/policies/{policy_id} with a JSON Schema of the facts, the
// outputs and the rules, all built from the compiled Program.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "rulebook/program.hpp"

namespace rulebook::server {

using PathShown = std::function<std::string(const std::string&)>;

// {id, title, version, in_force_from, in_force_to, hash, files, source}
nlohmann::ordered_json policy_summary(const Program& p, const PathShown& shown);

// The summary plus facts_schema, outputs and rules.
nlohmann::ordered_json policy_detail(const Program& p, const PathShown& shown);

// A JSON Schema (draft 2020-12) of the request's "facts" object: nested
// objects with properties, required and additionalProperties false, enums
// for "one of" types, "format": "date" for dates; optional facts allow null.
nlohmann::ordered_json facts_schema(const Program& p);

}  // namespace rulebook::server
