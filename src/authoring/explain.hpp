// `rulebook explain CODE`: the entry of docs/diagnostics.md for a diagnostic
// code, from the copy compiled into the binary (src/authoring/embed_doc.cmake).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook::authoring {

// The whole of docs/diagnostics.md as it was at build time.
std::string_view diagnostics_doc();

// The entry for `code` in `doc`: from its "## `code`" heading to the next "## "
// heading; nullopt when there is none.
std::optional<std::string> explain_entry(std::string_view doc, std::string_view code);

// Every code with an entry in `doc`, in the order they appear.
std::vector<std::string> documented_codes(std::string_view doc);

}  // namespace rulebook::authoring
