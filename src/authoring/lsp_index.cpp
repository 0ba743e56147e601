#include "authoring/lsp_index.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "lang/parser.hpp"

namespace rulebook::lsp {

const char* kind_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::fact: return "fact";
    case SymbolKind::output: return "output";
    case SymbolKind::define: return "define";
    case SymbolKind::rule: return "rule";
    case SymbolKind::type: return "type";
    case SymbolKind::member: return "enum word";
    case SymbolKind::module: return "module";
    case SymbolKind::policy: return "policy";
  }
  return "";
}

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The byte where the word after `keyword_at`'s keyword starts.
std::size_t after_keyword(const std::string& text, std::size_t keyword_at) {
  std::size_t k = keyword_at;
  while (k < text.size() && ident_char(text[k])) ++k;
  while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
  return k;
}

// Where `word` is next written as a whole word (or, quoted, as "word") at or after `from`.
std::size_t find_word(const std::string& text, const std::string& word, std::size_t from, std::size_t& length) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), ident_char);
  const std::string needle = plain ? word : "\"" + word + "\"";
  length = needle.size();
  for (std::size_t k = text.find(needle, from); k != std::string::npos; k = text.find(needle, k + 1)) {
    const bool starts = k == 0 || !ident_char(text[k - 1]);
    const bool ends = k + needle.size() >= text.size() || !ident_char(text[k + needle.size()]);
    if (!plain || (starts && ends)) return k;
  }
  return std::string::npos;
}

const ast::TypeSpec* innermost(const ast::TypeSpec* t) {
  while (t && t->kind == ast::TypeSpec::Kind::list) t = t->element.get();
  return t;
}

}  // namespace

Index::Index(const std::map<std::string, std::string>& texts) {
  for (const auto& [path, text] : texts) {
    auto parsed = parse_rules(path, text);
    files_.push_back(std::make_unique<ast::File>(std::move(parsed.file)));
    const ast::File* f = files_.back().get();
    by_path_[path] = f;
    if (f->header && f->header->is_module) modules_.emplace(f->header->id, f);
  }
  for (const auto& f : files_) declare(*f);
  for (const auto& f : files_) resolve(*f);
  for (auto& [_, list] : occurrences_) {
    std::sort(list.begin(), list.end(), [](const Occurrence& a, const Occurrence& b) { return a.byte < b.byte; });
  }
}

void Index::declare(const ast::File& f) {
  auto add = [&](SymbolKind kind, const std::string& name, std::size_t byte, std::size_t length) {
    auto s = std::make_unique<Symbol>();
    s->kind = kind;
    s->name = name;
    s->file = &f;
    s->byte = byte;
    s->length = length;
    symbols_.push_back(std::move(s));
    occurrences_[&f].push_back(Occurrence{&f, byte, length, {symbols_.back().get()}, true});
    return symbols_.back().get();
  };
  auto add_members = [&](const ast::TypeSpec& spec, const std::string& type_name) {
    const ast::TypeSpec* t = innermost(&spec);
    if (!t || t->kind != ast::TypeSpec::Kind::one_of) return;
    // `one of a, b`: the words follow "of", in order.
    std::size_t length = 0;
    std::size_t cursor = find_word(f.text, "of", t->pos.byte + 3, length);
    cursor = cursor == std::string::npos ? t->pos.byte : cursor + length;
    for (const auto& m : t->members) {
      const std::size_t at = find_word(f.text, m, cursor, length);
      if (at == std::string::npos) continue;
      Symbol* s = add(SymbolKind::member, m, at, length);
      s->member_of = t;
      s->member_type = type_name;
      cursor = at + length;
    }
  };
  if (f.header) {
    const std::size_t at = after_keyword(f.text, f.header->pos.byte);
    add(f.header->is_module ? SymbolKind::module : SymbolKind::policy, f.header->id, at, f.header->id.size())->header =
        &*f.header;
  }
  for (const auto& t : f.types) {
    add(SymbolKind::type, t.name, t.pos.byte, t.name.size())->type = &t;
    add_members(t.type, t.name);
  }
  for (const auto& fact : f.facts) {
    add(SymbolKind::fact, fact.name, fact.pos.byte, fact.name.size())->field = &fact;
    add_members(fact.type, fact.name);
  }
  for (const auto& out : f.outputs) {
    add(SymbolKind::output, out.name, out.pos.byte, out.name.size())->field = &out;
    add_members(out.type, out.name);
  }
  for (const auto& d : f.defines) add(SymbolKind::define, d.name, d.pos.byte, d.name.size())->define = &d;
  for (const auto& prm : f.parameters) {  // dated parameters (issue 14): read by name like defines
    Symbol* s = add(SymbolKind::define, prm.name, prm.pos.byte, prm.name.size());
    s->define = &prm.as_define;
    s->parameter = &prm;
  }
  for (const auto& r : f.rules) {
    add(SymbolKind::rule, r.name, after_keyword(f.text, r.pos.byte), r.name.size())->rule = &r;
  }
}

std::vector<const ast::File*> Index::scope(const ast::File* f) const {
  std::vector<const ast::File*> order;
  std::set<const ast::File*> seen{f};
  std::function<void(const ast::File*, std::size_t)> visit = [&](const ast::File* file, std::size_t depth) {
    if (depth > 64) return;  // a cycle of `use` is the loader's error; stop here
    for (const auto& use : file->uses) {
      auto it = modules_.find(use.name);
      if (it == modules_.end() || !seen.insert(it->second).second) continue;
      visit(it->second, depth + 1);
      order.push_back(it->second);
    }
  };
  visit(f, 0);
  order.push_back(f);
  return order;
}

const Symbol* Index::type_in_scope(const ast::File* f, const std::string& name) const {
  const auto files = scope(f);
  for (const auto& s : symbols_) {
    if (s->kind == SymbolKind::type && s->name == name &&
        std::find(files.begin(), files.end(), s->file) != files.end()) {
      return s.get();
    }
  }
  return nullptr;
}

void Index::resolve(const ast::File& f) {
  const auto files = scope(&f);
  auto in_scope = [&](const Symbol& s) { return std::find(files.begin(), files.end(), s.file) != files.end(); };
  std::map<std::string, const Symbol*> values;  // facts, outputs, defines
  std::map<std::string, const Symbol*> rules, types, modules;
  std::multimap<std::string, const Symbol*> members;
  for (const auto& s : symbols_) {
    if (s->kind == SymbolKind::module) modules.emplace(s->name, s.get());
    if (!in_scope(*s)) continue;
    switch (s->kind) {
      case SymbolKind::fact:
      case SymbolKind::output:
      case SymbolKind::define: values.emplace(s->name, s.get()); break;
      case SymbolKind::rule:
        if (s->file == &f) rules.emplace(s->name, s.get());
        break;
      case SymbolKind::type: types.emplace(s->name, s.get()); break;
      case SymbolKind::member: members.emplace(s->name, s.get()); break;
      default: break;
    }
  }
  auto& list = occurrences_[&f];
  auto refer = [&](std::size_t byte, std::size_t length, std::vector<const Symbol*> targets) {
    if (!targets.empty()) list.push_back(Occurrence{&f, byte, length, std::move(targets), false});
  };
  auto one = [](const std::map<std::string, const Symbol*>& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? std::vector<const Symbol*>{} : std::vector<const Symbol*>{it->second};
  };
  std::function<void(const ast::Expr&)> expr = [&](const ast::Expr& e) {
    if (e.kind == ast::ExprKind::name) {
      auto targets = one(values, e.text);
      if (targets.empty()) {
        auto [b, end] = members.equal_range(e.text);
        for (auto it = b; it != end; ++it) targets.push_back(it->second);
      }
      refer(e.pos.byte, e.text.size(), std::move(targets));
    }
    for (const auto& c : e.children) {
      if (c) expr(*c);
    }
  };
  std::function<void(const ast::TypeSpec&)> type = [&](const ast::TypeSpec& t) {
    if (t.kind == ast::TypeSpec::Kind::named) refer(t.pos.byte, t.name.size(), one(types, t.name));
    if (t.element) type(*t.element);
  };
  for (const auto& u : f.uses) refer(u.pos.byte, u.name.size(), one(modules, u.name));
  for (const auto& t : f.types) type(t.type);
  for (const auto* fields : {&f.facts, &f.outputs}) {
    for (const auto& field : *fields) {
      type(field.type);
      if (field.default_value) expr(*field.default_value);
    }
  }
  for (const auto& d : f.defines) {
    if (d.value) expr(*d.value);
  }
  for (const auto& prm : f.parameters) {
    for (const auto& entry : prm.entries) {
      if (entry.value) expr(*entry.value);
    }
  }
  for (const auto& r : f.rules) {
    for (const auto& e : r.exception_to) refer(e.pos.byte, e.name.size(), one(rules, e.name));
    for (const auto& c : r.conditions) {
      if (c) expr(*c);
    }
    for (const auto& a : r.assignments) {
      refer(a.pos.byte, a.target.size(), one(values, a.target));
      if (a.value) expr(*a.value);
    }
  }
}

const ast::File* Index::file(const std::string& path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

const Occurrence* Index::at(const std::string& path, std::size_t byte) const {
  const ast::File* f = file(path);
  if (!f) return nullptr;
  auto it = occurrences_.find(f);
  if (it == occurrences_.end()) return nullptr;
  const Occurrence* found = nullptr;
  for (const auto& o : it->second) {
    if (o.byte > byte) break;
    if (byte < o.byte + o.length) return &o;
    if (byte == o.byte + o.length) found = &o;  // the cursor just after a name
  }
  return found;
}

std::vector<const Occurrence*> Index::occurrences_of(const Symbol* s) const {
  std::vector<const Occurrence*> out;
  for (const auto& f : files_) {
    auto it = occurrences_.find(f.get());
    if (it == occurrences_.end()) continue;
    for (const auto& o : it->second) {
      if (std::find(o.targets.begin(), o.targets.end(), s) != o.targets.end()) out.push_back(&o);
    }
  }
  return out;
}

std::vector<const Symbol*> Index::visible(const std::string& path) const {
  std::vector<const Symbol*> out;
  const ast::File* f = file(path);
  if (!f) return out;
  const auto files = scope(f);
  for (const auto& s : symbols_) {
    if (std::find(files.begin(), files.end(), s->file) == files.end()) continue;
    if (s->kind == SymbolKind::rule && s->file != f) continue;
    if (s->kind == SymbolKind::module || s->kind == SymbolKind::policy) continue;
    out.push_back(s.get());
  }
  return out;
}

std::vector<const Symbol*> Index::members_of(const Symbol* field) const {
  std::vector<const Symbol*> out;
  if (!field || !field->field) return out;
  const ast::TypeSpec* t = innermost(&field->field->type);
  if (t && t->kind == ast::TypeSpec::Kind::named) {
    const Symbol* named = type_in_scope(field->file, t->name);
    t = named ? innermost(&named->type->type) : nullptr;
  }
  if (!t || t->kind != ast::TypeSpec::Kind::one_of) return out;
  for (const auto& s : symbols_) {
    if (s->kind == SymbolKind::member && s->member_of == t) out.push_back(s.get());
  }
  return out;
}

std::vector<const ast::FieldDecl*> Index::record_fields(const Symbol* field,
                                                      const std::vector<std::string>& steps) const {
  std::vector<const ast::FieldDecl*> out;
  if (!field || !field->field) return out;
  // A type as written, through lists and type names, to what it holds.
  auto resolve = [&](const ast::TypeSpec* t) {
    for (int guard = 0; guard < 64 && t; ++guard) {  // type names may refer to each other
      t = innermost(t);
      if (!t || t->kind != ast::TypeSpec::Kind::named) return t;
      const Symbol* named = type_in_scope(field->file, t->name);
      t = named && named->type ? &named->type->type : nullptr;
    }
    return static_cast<const ast::TypeSpec*>(nullptr);
  };
  const ast::TypeSpec* t = resolve(&field->field->type);
  for (const auto& step : steps) {
    if (!t || t->kind != ast::TypeSpec::Kind::record) return out;
    const auto it = std::find_if(t->fields.begin(), t->fields.end(), [&](const ast::FieldDecl& f) { return f.name == step; });
    t = it == t->fields.end() ? nullptr : resolve(&it->type);
  }
  if (!t || t->kind != ast::TypeSpec::Kind::record) return out;
  for (const auto& f : t->fields) out.push_back(&f);
  return out;
}

}  // namespace rulebook::lsp
