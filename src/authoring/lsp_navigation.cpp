// Hover, go to definition, find references, rename and document symbols for
// `rulebook lsp`, answered from the navigation index (lsp_index.hpp).
#include <algorithm>
#include <regex>
#include <set>

#include "authoring/lsp_protocol.hpp"
#include "authoring/lsp_workspace.hpp"
#include "check/checker.hpp"
#include "lang/grammar.hpp"

namespace rulebook::lsp {

namespace {

json location(const ast::File& f, std::size_t byte, std::size_t length) {
  return json{{"uri", path_to_uri(f.path)}, {"range", LineMap(f.text).range(byte, byte + length)}};
}

const Occurrence* occurrence_at(Workspace& ws, const json& params) {
  const Document& doc = ws.document(params);
  const std::size_t byte = Workspace::offset(doc, params);
  return ws.index().at(doc.path, byte);
}

std::string declared_at(const Workspace& ws, const Symbol& s) {
  const std::size_t line = LineMap(s.file->text).position(s.byte)["line"].get<std::size_t>() + 1;
  return "Declared in " + ws.relative(s.file->path) + " line " + std::to_string(line) + ".";
}

// A define's type, from the checker: the first policy that sees the define
// and checks clean compiles it. "" when none does.
std::string define_type(const Index& index, const Symbol& s) {
  for (const auto& candidate : index.symbols()) {
    if (candidate->kind != SymbolKind::policy) continue;
    auto files = index.scope(candidate->file);
    if (std::find(files.begin(), files.end(), s.file) == files.end()) continue;
    files.pop_back();  // the policy itself; the rest are its modules in order
    const CheckResult r = check_policy(*candidate->file, files);
    if (!r.program) continue;
    for (const auto& d : r.program->defines) {
      if (d.name == s.name) return r.program->types[r.program->nodes[d.node].type].name;
    }
  }
  return "";
}

std::string hover_text(Workspace& ws, const Symbol& s) {
  std::string out = std::string("**") + kind_name(s.kind) + "** `" + s.name + "`";
  auto paragraph = [&](const std::string& text) {
    if (!text.empty()) out += "\n\n" + text;
  };
  switch (s.kind) {
    case SymbolKind::fact:
    case SymbolKind::output: {
      out += ": " + type_text(s.field->type);
      if (s.field->optional) out += ", optional";
      if (s.field->default_value) out += ", default " + s.field->default_value->source;
      if (s.field->internal) out += " (internal: shown in the explanation, not returned)";  // issue 14
      paragraph(s.field->description);
      break;
    }
    case SymbolKind::define: {
      const std::string type = define_type(ws.index(), s);
      if (!type.empty()) out += ": " + type;
      if (s.parameter) {  // a dated parameter (issue 14): its title, citation and entries
        out = "**parameter** `" + s.name + "`" + (type.empty() ? "" : ": " + type);
        if (!s.parameter->title.empty()) out += " \"" + s.parameter->title + "\"";
        if (!s.parameter->cite.empty()) paragraph("Cite: " + s.parameter->cite);
        std::string entries;
        for (const auto& e : s.parameter->entries) {
          entries += (entries.empty() ? "" : "\n") + std::string("- from ") + format_iso_date(e.from) + ": `" +
                     (e.value ? e.value->source : std::string()) + "`";
        }
        paragraph(entries);
        break;
      }
      paragraph("= `" + (s.define->value ? s.define->value->source : std::string()) + "`");
      break;
    }
    case SymbolKind::rule:
      if (!s.rule->title.empty()) out += " \"" + s.rule->title + "\"";
      if (!s.rule->cite.empty()) paragraph("Cite: " + s.rule->cite);
      if (!s.rule->exception_to.empty()) {
        std::string list;
        for (const auto& e : s.rule->exception_to) list += (list.empty() ? "" : ", ") + e.name;
        paragraph("Exception to: " + list);
      }
      break;
    case SymbolKind::type:
      out += " = " + type_text(s.type->type);
      paragraph(s.type->description);
      break;
    case SymbolKind::member:
      out += " of `" + s.member_type + "`: " + type_text(*s.member_of);
      break;
    case SymbolKind::module:
    case SymbolKind::policy:
      if (!s.header->title.empty()) out += " \"" + s.header->title + "\"";
      break;
  }
  paragraph(declared_at(ws, s));
  return out;
}

bool renameable(SymbolKind k) {
  return k == SymbolKind::define || k == SymbolKind::rule || k == SymbolKind::fact || k == SymbolKind::output;
}

bool reserved(const std::string& word) {
  namespace pegtl = tao::pegtl;
  pegtl::memory_input<> in(word, "");
  return pegtl::parse<pegtl::seq<grammar::keyword, pegtl::eof>>(in);
}

// Why `name` cannot name a symbol of kind `k`, or "".
std::string invalid_name(SymbolKind k, const std::string& name) {
  static const std::regex rule_name("[A-Za-z][A-Za-z0-9_-]*");
  static const std::regex word("[A-Za-z_][A-Za-z0-9_]*");
  static const std::regex dotted("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  if (name.size() > 256) return "names are at most 256 characters";  // and std::regex recurses per character
  if (k == SymbolKind::rule) {
    return std::regex_match(name, rule_name) ? "" : "a rule name is letters, digits, '-' and '_', starting with a letter";
  }
  const bool ok = std::regex_match(name, k == SymbolKind::define ? word : dotted);
  if (!ok) {
    return k == SymbolKind::define ? "a define's name is one word of letters, digits and '_'"
                                   : "a name is words of letters, digits and '_' joined by '.'";
  }
  const std::string first = name.substr(0, name.find('.'));
  if (reserved(first)) return "'" + first + "' is a keyword";
  return "";
}

}  // namespace

json hover(Workspace& ws, const json& params) {
  const Occurrence* o = occurrence_at(ws, params);
  if (!o) return nullptr;
  std::string text;
  for (const Symbol* s : o->targets) text += (text.empty() ? "" : "\n\n---\n\n") + hover_text(ws, *s);
  return json{{"contents", {{"kind", "markdown"}, {"value", text}}},
              {"range", LineMap(o->file->text).range(o->byte, o->byte + o->length)}};
}

json definition(Workspace& ws, const json& params) {
  const Occurrence* o = occurrence_at(ws, params);
  json out = json::array();
  if (!o) return out;
  for (const Symbol* s : o->targets) out.push_back(location(*s->file, s->byte, s->length));
  return out;
}

json references(Workspace& ws, const json& params) {
  const Occurrence* o = occurrence_at(ws, params);
  json out = json::array();
  if (!o) return out;
  const bool declarations = params.contains("context") && params["context"].is_object() &&
                            params["context"].value("includeDeclaration", false);
  std::set<const Occurrence*> seen;
  for (const Symbol* s : o->targets) {
    for (const Occurrence* r : ws.index().occurrences_of(s)) {
      if ((r->declaration && !declarations) || !seen.insert(r).second) continue;
      out.push_back(location(*r->file, r->byte, r->length));
    }
  }
  return out;
}

json rename(Workspace& ws, const json& params) {
  if (!params.contains("newName") || !params["newName"].is_string()) {
    throw RequestError{error::invalid_params, "params.newName is missing"};
  }
  const std::string new_name = params["newName"];
  const Occurrence* o = occurrence_at(ws, params);
  if (!o || o->targets.size() != 1 || !renameable(o->targets[0]->kind)) {
    throw RequestError{error::request_failed, "only a define, a rule, a fact or an output can be renamed here"};
  }
  const Symbol* s = o->targets[0];
  if (const std::string why = invalid_name(s->kind, new_name); !why.empty()) {
    throw RequestError{error::request_failed, "cannot rename to '" + new_name + "': " + why};
  }
  // A name already declared where any of the renamed uses can see it would
  // change what they mean.
  const auto uses = ws.index().occurrences_of(s);
  for (const Occurrence* use : uses) {
    for (const Symbol* other : ws.index().visible(use->file->path)) {
      const bool same_space = (other->kind == SymbolKind::rule) == (s->kind == SymbolKind::rule) &&
                              other->kind != SymbolKind::type && other->kind != SymbolKind::member;
      if (other != s && same_space && other->name == new_name) {
        throw RequestError{error::request_failed, "cannot rename to '" + new_name + "': " + kind_name(other->kind) +
                                                      " '" + new_name + "' is already declared in " +
                                                      ws.relative(other->file->path)};
      }
    }
  }
  json changes = json::object();
  for (const Occurrence* use : uses) {
    auto& edits = changes[path_to_uri(use->file->path)];
    if (edits.is_null()) edits = json::array();
    edits.push_back({{"range", LineMap(use->file->text).range(use->byte, use->byte + use->length)}, {"newText", new_name}});
  }
  return json{{"changes", changes}};
}

json document_symbols(Workspace& ws, const json& params) {
  const Document& doc = ws.document(params);
  json out = json::array();
  const ast::File* f = ws.index().file(doc.path);
  if (!f) return out;
  const LineMap lines(f->text);
  std::vector<const Symbol*> mine;
  for (const auto& s : ws.index().symbols()) {
    if (s->file == f && (s->kind == SymbolKind::rule || s->kind == SymbolKind::define ||
                         s->kind == SymbolKind::output || s->kind == SymbolKind::fact)) {
      mine.push_back(s.get());
    }
  }
  std::sort(mine.begin(), mine.end(), [](const Symbol* a, const Symbol* b) { return a->byte < b->byte; });
  for (const Symbol* s : mine) {
    // LSP SymbolKind: Function 12 for rules, Constant 14 for defines, Field 8 for outputs, Property 7 for facts.
    int kind = 7;
    std::string detail;
    std::size_t begin = s->byte;
    switch (s->kind) {
      case SymbolKind::rule:
        kind = 12;
        detail = s->rule->title;
        begin = s->rule->pos.byte;
        break;
      case SymbolKind::define:
        kind = 14;
        detail = s->define->value ? s->define->value->source : "";
        begin = s->define->pos.byte;
        break;
      case SymbolKind::output:
        kind = 8;
        detail = "output: " + type_text(s->field->type);
        break;
      default:
        detail = "fact: " + type_text(s->field->type);
        break;
    }
    out.push_back({{"name", s->name},
                   {"detail", detail},
                   {"kind", kind},
                   {"range", lines.range(std::min(begin, s->byte), s->byte + s->length)},
                   {"selectionRange", lines.range(s->byte, s->byte + s->length)}});
  }
  return out;
}

}  // namespace rulebook::lsp
