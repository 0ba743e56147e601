#include "server/ui_routes.hpp"

#include <string_view>

#include "server/ui_assets.hpp"

namespace rulebook::server {

namespace {

constexpr std::string_view kAssetPrefix = "/ui/";

const UiAsset* find_asset(std::string_view name) {
  for (const UiAsset& a : ui_assets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace

bool serve_workbench_page(const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  const UiAsset* asset = nullptr;
  if (req.path == "/") {
    asset = find_asset("index.html");
  } else if (std::string_view(req.path).starts_with(kAssetPrefix)) {
    asset = find_asset(std::string_view(req.path).substr(kAssetPrefix.size()));
  }
  if (!asset) return false;
  res.status = 200;
  res.set_content(asset->body.data(), asset->body.size(), std::string(asset->content_type).c_str());
  // Everything the page loads comes from this server; it talks to nothing else.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");  // the assets change with the binary
  return true;
}

}  // namespace rulebook::server
