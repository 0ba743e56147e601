// Completion for `rulebook lsp`: what may be written where the cursor is.
//  - after `exception to`: the file's rules;
//  - after `name.`: the next part of the declared names that start so (the
//    fields of a record such as `employee.`);
//  - after `x is`, `x is not`, `x is one of [`, `x in [` or `out =`, where x
//    has a `one of` type: that type's words only;
//  - otherwise: the facts, defines and outputs the file sees, and keywords.
#include <algorithm>
#include <regex>
#include <set>

#include "authoring/lsp_workspace.hpp"

namespace rulebook::lsp {

// The keywords offered anywhere (tests/authoring checks each is one of the grammar's).
const std::vector<std::string>& completion_keywords() {
  static const std::vector<std::string> words = {
      "and",  "cite",   "default", "define", "else",   "exception", "facts", "given",   "if",     "in",
      "is",   "list",   "missing", "module", "no",     "not",       "of",    "one",     "optional", "or",
      "outputs", "policy", "rule", "source", "then",   "to",        "type",  "until",   "use",    "version",
      "when", "yes"};
  return words;
}

namespace {

// LSP CompletionItemKind.
int item_kind(SymbolKind k) {
  switch (k) {
    case SymbolKind::fact: return 5;     // Field
    case SymbolKind::output: return 10;  // Property
    case SymbolKind::define: return 21;  // Constant
    case SymbolKind::rule: return 3;     // Function
    case SymbolKind::type: return 7;     // Class
    case SymbolKind::member: return 20;  // EnumMember
    default: return 9;                   // Module
  }
}

std::string detail_of(const Symbol& s) {
  if (s.field) return std::string(kind_name(s.kind)) + ": " + type_text(s.field->type);
  if (s.define) return "define = " + (s.define->value ? s.define->value->source : std::string());
  if (s.rule) return "rule: " + s.rule->title;
  if (s.member_of) return "enum word of " + s.member_type;
  return kind_name(s.kind);
}

json item(const Symbol& s, const std::string& label) {
  return json{{"label", label}, {"kind", item_kind(s.kind)}, {"detail", detail_of(s)}};
}

}  // namespace

json completion(Workspace& ws, const json& params) {
  const Document& doc = ws.document(params);
  const std::size_t cursor = Workspace::offset(doc, params);
  std::size_t line_start = cursor;
  while (line_start > 0 && doc.text[line_start - 1] != '\n') --line_start;
  // The line before the cursor; only its last 256 bytes matter, and std::regex
  // recurses per character, so a hostile megabyte-long line must not reach it.
  line_start = std::max(line_start, cursor > 256 ? cursor - 256 : std::size_t{0});
  const std::string before = doc.text.substr(line_start, cursor - line_start);
  const Index& index = ws.index();
  const auto visible = index.visible(doc.path);
  json items = json::array();
  std::set<std::string> labels;
  auto add = [&](json it) {
    if (labels.insert(it["label"].get<std::string>()).second) items.push_back(std::move(it));
  };

  static const std::regex exception_list(R"((^|\s)exception\s+to\s+([A-Za-z0-9_-]+\s*,\s*)*[A-Za-z0-9_-]*$)");
  static const std::regex dotted(R"(([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$)");
  static const std::regex enum_place(
      R"(([A-Za-z_][A-Za-z0-9_.]*)\s+(is(\s+not)?(\s+one\s+of\s*\[[^\]]*)?|in\s*\[[^\]]*|not\s+in\s*\[[^\]]*|=)\s*([A-Za-z0-9_]*)$)");
  std::smatch m;
  if (std::regex_search(before, m, exception_list)) {
    for (const Symbol* s : visible) {
      if (s->kind == SymbolKind::rule) add(item(*s, s->name));
    }
    return items;
  }
  if (std::regex_search(before, m, dotted)) {
    const std::string prefix = m[1].str() + ".";
    for (const Symbol* s : visible) {
      if ((s->kind != SymbolKind::fact && s->kind != SymbolKind::output && s->kind != SymbolKind::define) ||
          s->name.compare(0, prefix.size(), prefix) != 0) {
        continue;
      }
      const std::string rest = s->name.substr(prefix.size());
      const auto dot = rest.find('.');
      if (dot == std::string::npos) add(item(*s, rest));
      else add(json{{"label", rest.substr(0, dot)}, {"kind", 5}, {"detail", "record"}});
    }
    // A fact or output of a record type (`employee : person`, `children : list
    // of child`), maybe followed by fields of nested records: that record's fields.
    const std::string path = m[1].str();
    for (std::size_t end = path.size(); end != std::string::npos && end > 0;
         end = end == 0 ? std::string::npos : path.rfind('.', end - 1)) {
      const std::string name = path.substr(0, end);
      std::vector<std::string> steps;
      for (std::size_t at = end; at < path.size();) {
        const std::size_t next = path.find('.', at + 1);
        steps.push_back(path.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
        at = next == std::string::npos ? path.size() : next;
      }
      const auto holder = std::find_if(visible.begin(), visible.end(),
                                       [&](const Symbol* s) { return s->field && s->name == name; });
      if (holder == visible.end()) continue;
      for (const ast::FieldDecl* f : index.record_fields(*holder, steps)) {
        add(json{{"label", f->name}, {"kind", 5}, {"detail", "field: " + type_text(f->type)}});
      }
      break;
    }
    return items;
  }
  if (std::regex_search(before, m, enum_place)) {
    const std::string name = m[1].str();
    for (const Symbol* s : visible) {
      if (s->name != name || !s->field) continue;
      const auto members = index.members_of(s);
      if (members.empty()) break;
      for (const Symbol* member : members) add(item(*member, member->name));
      return items;
    }
  }
  for (const Symbol* s : visible) {
    if (s->kind == SymbolKind::fact || s->kind == SymbolKind::output || s->kind == SymbolKind::define) {
      add(item(*s, s->name));
    }
  }
  for (const auto& k : completion_keywords()) add(json{{"label", k}, {"kind", 14}});
  return items;
}

}  // namespace rulebook::lsp
