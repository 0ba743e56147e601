// The workbench's files (src/server/ui/), compiled into the binary by
// src/server/ui/embed.cmake so `rulebook serve` needs nothing on disk to serve them.
#pragma once

#include <span>
#include <string_view>

namespace rulebook::server {

struct UiAsset {
  std::string_view name;          // "index.html", "app.js", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
};

std::span<const UiAsset> ui_assets();

}  // namespace rulebook::server
