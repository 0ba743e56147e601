// What `rulebook lsp` knows about a policy folder for navigation: every
// declaration (facts, outputs, defines, rules, types, enum words, modules) and
// every use of a name, resolved the way the checker resolves it: a file sees
// its own declarations and those of the modules it uses, directly or not.
// Built from the parser's syntax trees of the files on disk with the open
// buffers in their place; a file with syntax errors contributes what parsed.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lang/ast.hpp"

namespace rulebook::lsp {

enum class SymbolKind { fact, output, define, rule, type, member, module, policy };
const char* kind_name(SymbolKind k);

struct Symbol {
  SymbolKind kind = SymbolKind::fact;
  std::string name;
  const ast::File* file = nullptr;
  std::size_t byte = 0;    // where the name is written in its declaration
  std::size_t length = 0;  // bytes
  const ast::FieldDecl* field = nullptr;  // fact, output
  const ast::Define* define = nullptr;
  const ast::Rule* rule = nullptr;
  const ast::TypeDecl* type = nullptr;
  const ast::TypeSpec* member_of = nullptr;  // member: its `one of`
  std::string member_type;                   // member: the type's or the field's name
  const ast::Header* header = nullptr;       // module, policy
  const ast::Parameter* parameter = nullptr;  // a dated parameter, indexed as a define (issue 14)
};

// One written name: a declaration's own name or a use of it.
struct Occurrence {
  const ast::File* file = nullptr;
  std::size_t byte = 0;
  std::size_t length = 0;
  std::vector<const Symbol*> targets;  // more than one only for an enum word several types share
  bool declaration = false;
};

class Index {
 public:
  // Parses `texts` (path -> text) and indexes them.
  explicit Index(const std::map<std::string, std::string>& texts);
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  const ast::File* file(const std::string& path) const;
  // The name written at `byte` of `path` (its last character included), or null.
  const Occurrence* at(const std::string& path, std::size_t byte) const;
  // Every occurrence (declaration included) that resolves to `s`.
  std::vector<const Occurrence*> occurrences_of(const Symbol* s) const;
  // The declarations `path` can use: its own and its modules'.
  std::vector<const Symbol*> visible(const std::string& path) const;
  // `path` and the modules it uses, a module after the modules it uses, `path` last.
  std::vector<const ast::File*> scope(const ast::File* f) const;
  // The enum words a value of this field's type may be (through a named type
  // or a list), or empty.
  std::vector<const Symbol*> members_of(const Symbol* field) const;
  // The fields of the record a fact or output holds (`type child = record`,
  // through `list of`), after following `steps` through nested record fields;
  // empty when that is not a record.
  std::vector<const ast::FieldDecl*> record_fields(const Symbol* field, const std::vector<std::string>& steps) const;
  const std::vector<std::unique_ptr<Symbol>>& symbols() const { return symbols_; }

 private:
  std::vector<std::unique_ptr<ast::File>> files_;
  std::map<std::string, const ast::File*> by_path_;
  std::map<std::string, const ast::File*> modules_;  // by module id
  std::vector<std::unique_ptr<Symbol>> symbols_;
  std::map<const ast::File*, std::vector<Occurrence>> occurrences_;  // sorted by byte

  void declare(const ast::File& f);
  void resolve(const ast::File& f);
  const Symbol* type_in_scope(const ast::File* f, const std::string& name) const;
};

}  // namespace rulebook::lsp
