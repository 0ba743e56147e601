// The OpenAPI 3 document of the decision service: docs/openapi.json, compiled
// into the binary at build time (openapi_doc.cpp.in) and served at /openapi.json.
#pragma once

#include <string_view>

namespace rulebook::server {

std::string_view openapi_json();

}  // namespace rulebook::server
