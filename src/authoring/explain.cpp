// Entries of docs/diagnostics.md by code (see explain.hpp).
#include "authoring/explain.hpp"

namespace rulebook::authoring {

namespace {
constexpr std::string_view kHeading = "\n## `";
}

std::optional<std::string> explain_entry(std::string_view doc, std::string_view code) {
  const std::string heading = std::string(kHeading) + std::string(code) + "`";
  std::size_t at = 0;
  while ((at = doc.find(heading, at)) != std::string_view::npos) {
    const std::size_t end_of_heading = at + heading.size();
    if (end_of_heading == doc.size() || doc[end_of_heading] == '\n' || doc[end_of_heading] == ' ') break;
    at = end_of_heading;  // a longer code that starts with this one
  }
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t begin = at + 1;
  std::size_t end = doc.find("\n## ", begin);
  if (end == std::string_view::npos) end = doc.size();
  std::string entry(doc.substr(begin, end - begin));
  while (!entry.empty() && entry.back() == '\n') entry.pop_back();
  return entry + "\n";
}

std::vector<std::string> documented_codes(std::string_view doc) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = doc.find(kHeading, at)) != std::string_view::npos) {
    const std::size_t begin = at + kHeading.size();
    const std::size_t end = doc.find('`', begin);
    if (end == std::string_view::npos) break;
    out.emplace_back(doc.substr(begin, end - begin));
    at = end;
  }
  return out;
}

}  // namespace rulebook::authoring
