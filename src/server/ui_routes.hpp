// The workbench's pages: GET (and HEAD) "/" answers index.html and "/ui/NAME"
// each compiled-in asset. Kept apart from the API's route table: these are
// not JSON routes and are not in docs/openapi.json. `serve --no-ui` turns
// them off, and "/" then answers 404 like any unknown path.
#pragma once

#include <httplib.h>

namespace rulebook::server {

// Answers `req` when it asks for a workbench page; false when it does not.
bool serve_workbench_page(const httplib::Request& req, httplib::Response& res);

}  // namespace rulebook::server
