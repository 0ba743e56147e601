// The checker's one class, shared by the files that implement it by concern:
//   checker.cpp      the facade: diagnostics, the header, module shape, entry points
//   names_types.cpp  types, declarations, the fact tree, name resolution
//   expressions.cpp  typing and compiling expressions
//   guards.cpp       presence guards: where they are made and how they flow
//   rules.cpp        defines, rules, assignments and exceptions
//   cycles.cpp       what each value reads; circles and chains between values
// Internal to src/check: only check/checker.hpp is the stage's interface.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "check/checker.hpp"

namespace rulebook::checking {

using Guards = std::vector<SlotId>;  // slots known to be present here

struct Checked {
  NodeId node = kNone;
  TypeId type = kNone;
  Guards when_true, when_false;  // presence known when the expression is true / false
  bool ok() const { return node != kNone; }
};

class Checker {
 public:
  explicit Checker(const Limits& limits);
  CheckResult run_policy(const ast::File& policy, const std::vector<const ast::File*>& modules);
  std::vector<Diagnostic> run_module(const ast::File& module, const std::vector<const ast::File*>& modules);

 private:
  // ---- diagnostics (checker.cpp) ----
  void report(Severity sev, const char* code, const SourcePos& pos, std::string message);
  void error(const char* code, const SourcePos& pos, std::string message);
  void warning(const char* code, const SourcePos& pos, std::string message);
  std::string suggestion(const std::string& name, const std::vector<std::string>& candidates) const;
  bool quiet() const { return diags_.size() >= limits_.max_diagnostics; }

  // ---- header and file shape (checker.cpp) ----
  void header(const ast::File& f);
  void module_rules(const ast::File& m);

  // ---- types and names (names_types.cpp) ----
  TypeId intern_enum(std::vector<std::string> members, bool ordered, const std::string& name);
  TypeId intern_list(TypeId element);
  TypeId resolve_type(const ast::TypeSpec& t, const std::string& name_for_enum = "");
  bool is_finite(TypeId t) const;
  void declare_name(const std::string& name, const SourcePos& pos, SlotId slot);
  const SourcePos& slot_pos(SlotId s) const;
  void declare(const std::vector<const ast::File*>& files);
  FieldInfo field(const ast::FieldDecl& d, bool is_output);
  // ---- collect outputs, tables (issue 14) ----
  void collect_option(const ast::FieldDecl& d, FieldInfo& info, bool is_output);  // collect.cpp
  void check_tables();                                                            // tables.cpp
  void table_priority(const ast::Table& t, const std::vector<uint32_t>& rows);
  std::vector<const ast::Table*> rule_tables_;  // per rule: the table it is a row of, or null
  void build_fact_tree();
  void build_output_tree();
  bool unresolved_word(const ast::Expr& e) const;
  std::vector<std::string> all_names() const;
  Checked check_name(const ast::Expr& e, TypeId expected, const Guards& g, bool presence_test);
  TypeId slot_type(SlotId s) const;
  const std::string& tname(TypeId t) const {
    static const std::string unknown = "unknown";
    return t == kNone ? unknown : p_->types[t].name;
  }

  // ---- expressions (expressions.cpp) ----
  NodeId add(Node n, std::initializer_list<NodeId> kids = {});
  NodeId add_n(Node n, const std::vector<NodeId>& kids);
  Checked constant(Value v, TypeId type);
  // Converts a whole number to a decimal where a decimal is wanted; otherwise
  // the types must match exactly.
  Checked coerce(Checked c, TypeId want, const ast::Expr& e);
  std::string article(TypeId t) const;
  Checked check(const ast::Expr& e, TypeId expected, const Guards& g);
  Checked check_bool(const ast::Expr& e, const Guards& g);
  TypeId unify(Checked& a, Checked& b, const ast::Expr& ea, const ast::Expr& eb);
  Checked check_binary(const ast::Expr& e, const Guards& g);
  Checked check_list(const ast::Expr& e, TypeId expected, const Guards& g);
  Checked check_call(const ast::Expr& e, const Guards& g);
  Checked unknown_function(const ast::Expr& e);
  Checked check_text_test(const ast::Expr& e, const Guards& g);
  Checked check_quoted_member(const ast::Expr& e, TypeId expected);

  // ---- presence guards (guards.cpp) ----
  static Guards merged(Guards a, const Guards& b);
  bool guarded(const Guards& g, SlotId s) const;
  bool slot_optional(SlotId s) const;
  Checked check_presence_test(const ast::Expr& e, const Guards& g);
  Checked check_not(const ast::Expr& e, const Guards& g);
  Checked check_logic(const ast::Expr& e, const Guards& g);
  Checked check_if(const ast::Expr& e, TypeId expected, const Guards& g);

  // ---- records (records.cpp) ----
  TypeId resolve_record(const ast::TypeSpec& t, const std::string& name);
  // `c.birth_date`, `employee.current.start`: a declared name or a variable, then fields.
  Checked check_field_access(const ast::Expr& e, const Guards& g, bool presence_test, bool* handled);
  // `child(birth_date: 2010-01-01, in_care: no)`: a record built with its type's name.
  Checked check_record_value(const ast::Expr& e, TypeId type, const Guards& g);
  TypeId record_type_named(const std::string& name) const;  // kNone when no record type has the name
  SlotId path_key(const std::string& path);  // a guard for an optional field, as if it were a slot
  bool is_path_key(SlotId s) const { return s >= kPathKeyBase; }
  static constexpr SlotId kPathKeyBase = 0x40000000u;

  // ---- aggregates (aggregates.cpp) ----
  Checked check_aggregate(const ast::Expr& e, TypeId expected, const Guards& g);
  void item_fields_read(NodeId id, uint32_t depth, std::vector<uint32_t>& out) const;

  // ---- functions (functions.cpp) ----
  struct Pending {  // a define or function whose body is being checked
    bool function = false;
    uint32_t index = 0;
  };
  static const std::vector<std::string>& builtin_functions();
  static bool is_builtin_function(const std::string& name);
  void declare_functions(const std::vector<const ast::File*>& files);
  bool local_name_free(const std::string& name, const SourcePos& pos, const char* what);
  std::string circle_text(Pending again, uint32_t* first_function) const;
  bool report_if_recursive(Pending again);
  void check_function(uint32_t k);
  Checked check_function_call(const ast::Expr& e, uint32_t k, const Guards& g);
  Checked check_local(const ast::Expr& e);

  // ---- defines, rules and exceptions (rules.cpp) ----
  void check_define(uint32_t k);
  void compile(const std::vector<const ast::File*>& files);
  RuleInfo compile_rule(const ast::Rule& r, uint32_t index);
  void order_exceptions();

  // ---- reads and cycles (cycles.cpp) ----
  void collect_reads(NodeId id, std::vector<SlotId>& out) const;
  std::vector<SlotId> reads_of(NodeId id) const;
  // Defines and outputs may read each other, but not in a circle; and the
  // longest chain is bounded so lazy evaluation cannot exhaust the stack.
  void check_cycles();

  // ---- dated parameters (issue 14, law-values) (parameters.cpp) ----
  void declare_parameters(const std::vector<const ast::File*>& files);
  Checked check_parameter(const ast::Expr& e);  // the define a parameter is read through
  std::unordered_map<std::string, const ast::Parameter*> parameter_asts_;
  // ---- per-rule in force (issue 14, law-values) (parameters.cpp) ----
  void rule_in_force(const ast::Rule& r, RuleInfo& info);

  // ---- require (issue 14, law-require) (requires.cpp) ----
  void check_requirements(const std::vector<const ast::File*>& files);

  const Limits& limits_;
  std::unique_ptr<Program> p_;
  std::vector<Diagnostic> diags_;
  std::unordered_map<std::string, const std::string*> texts_;
  std::map<std::pair<std::vector<std::string>, bool>, TypeId> enum_ids_;
  std::map<TypeId, TypeId> list_ids_;
  std::map<std::string, TypeId> named_types_;
  std::unordered_map<std::string, SlotId> names_;
  std::unordered_map<std::string, uint32_t> rule_ids_;
  std::vector<const ast::Rule*> rule_asts_;
  std::vector<const ast::Define*> define_asts_;
  std::vector<uint8_t> define_state_;
  std::size_t define_nesting_ = 0;  // check_define calls in progress
  std::size_t dropped_ = 0;         // diagnostics past max_diagnostics
  std::vector<TypeId> define_types_;
  // Per define: the values known present when it is yes / no, so that
  // `define known = x is given` guards x wherever `known` is tested.
  std::vector<std::pair<Guards, Guards>> define_guards_;
  bool define_failed_ = false;
  // Functions, by index into Program::functions.
  std::unordered_map<std::string, uint32_t> function_ids_;
  std::vector<const ast::Define*> function_asts_;
  std::vector<uint8_t> function_state_;  // 0 unchecked, 1 being checked, 2 done, 3 failed
  std::vector<Pending> checking_;        // the defines and functions being checked, outermost first
  // Names in scope inside a function body or an aggregate: parameters first, innermost last.
  std::vector<std::pair<std::string, TypeId>> scope_;
  std::unordered_map<std::string, SlotId> path_keys_;  // optional fields tested with `is given`
  std::string policy_path_;

  // ---- sub-decisions (issue 14): subdecision.cpp ----
 public:
  void set_callees(const CalleeVersions* callees) { callees_ = callees; }

 private:
  Checked check_sub_decision(const ast::Expr& e, const Guards& g);
  TypeId import_type(const Program& from, TypeId t);  // a callee's type, as the same shape in this program
  bool binding_fits(TypeId mine, const Program& callee, TypeId theirs, std::string& why) const;
  TypeId outputs_record(const ast::Expr& e, SubDecisionSite& site);
  const CalleeVersions* callees_ = nullptr;
  std::map<std::pair<const Program*, TypeId>, TypeId> imported_types_;
};

}  // namespace rulebook::checking
