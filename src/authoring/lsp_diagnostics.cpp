// Diagnostics for `rulebook lsp`: the loader's own compile of the policy
// folder (parser, checker, conflict proofs, version ranges), with the open
// buffers standing in for their files, turned into LSP ranges.
#include <cctype>

#include "authoring/lsp_workspace.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook::lsp {

namespace {

bool token_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; }

json to_lsp(const Diagnostic& d, const std::string& text) {
  const LineMap lines(text);
  std::size_t begin = 0, end = 0;
  if (d.pos.line > 0) {
    // From the line and column the message names, to the end of the word
    // there (or one character, when it is not at a word).
    begin = lines.byte_at(d.pos.line, d.pos.column);
    end = begin;
    while (end < text.size() && token_char(text[end])) ++end;
    if (end == begin && end < text.size() && text[end] != '\n' && text[end] != '\r') {
      ++end;
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
  }
  return json{{"range", lines.range(begin, end)},
              {"severity", d.severity == Severity::error ? 1 : 2},
              {"code", d.code},
              {"source", "rulebook"},
              {"message", d.message}};
}

}  // namespace

std::map<std::string, json> compile_diagnostics(const Workspace& ws) {
  std::vector<Diagnostic> all;
  auto load = [&](const std::string& path, std::map<std::string, std::string> overlay) {
    LoadOptions options;
    options.module_search_dir = ws.folder;
    options.overlay = std::move(overlay);
    LoadResult r = load_policies({path}, options);
    all.insert(all.end(), std::make_move_iterator(r.diagnostics.begin()), std::make_move_iterator(r.diagnostics.end()));
  };
  std::map<std::string, std::string> in_folder;
  std::vector<std::pair<std::string, std::string>> outside;
  for (const auto& [uri, doc] : ws.documents.all()) {
    if (doc.path.empty() || doc.path.size() < 6 || doc.path.compare(doc.path.size() - 6, 6, ".rules") != 0) continue;
    if (ws.in_folder(doc.path)) in_folder[doc.path] = doc.text;
    else outside.emplace_back(doc.path, doc.text);
  }
  if (!ws.folder.empty()) load(ws.folder, std::move(in_folder));
  for (auto& [path, text] : outside) load(path, {{path, text}});

  std::map<std::string, json> by_file;
  std::map<std::string, std::string> texts;
  for (const auto& d : all) {
    const std::string& path = d.pos.file;
    auto t = texts.find(path);
    if (t == texts.end()) t = texts.emplace(path, ws.text_of(path)).first;
    auto& list = by_file[path];
    if (list.is_null()) list = json::array();
    list.push_back(to_lsp(d, t->second));
  }
  return by_file;
}

}  // namespace rulebook::lsp
