// textDocument/formatting for `rulebook lsp`: the formatter of `rulebook fmt`
// (format.hpp) applied to the open buffer, sent back as one edit replacing the
// whole text. A buffer that does not parse is left alone: the answer is no
// edits (the protocol's "nothing to change"), and its errors are already shown
// as diagnostics.
#include "authoring/format.hpp"
#include "authoring/lsp_workspace.hpp"

namespace rulebook::lsp {

json formatting(Workspace& ws, const json& params) {
  const Document& doc = ws.document(params);
  const auto kind = authoring::file_kind(doc.path.empty() ? doc.uri : doc.path);
  if (!kind) return json::array();
  const authoring::FormatResult r = authoring::format_text(*kind, doc.text, doc.path);
  if (!r.ok() || !r.changed) return json::array();
  const LineMap lines(doc.text);
  return json::array({{{"range", lines.range(0, doc.text.size())}, {"newText", r.text}}});
}

}  // namespace rulebook::lsp
