// A checked, compiled policy version: the checker's output and the
// evaluator's input. Every name is resolved to a slot and every expression is
// typed, so evaluation does no string lookups. A Program is immutable once
// built and is shared between threads through std::shared_ptr<const Program>.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/value.hpp"

namespace rulebook {

using TypeId = uint32_t;
using NodeId = uint32_t;
using SlotId = uint32_t;
inline constexpr uint32_t kNone = 0xFFFFFFFFu;
inline constexpr uint32_t kMaxParams = 16;  // parameters of one function

enum class TypeKind : uint8_t { boolean, integer, decimal, text, date, duration, enumeration, list, record };

struct FieldInfo;
struct Program;

struct TypeInfo {
  TypeKind kind = TypeKind::boolean;
  std::string name;                  // "yes/no", "classification", "list of party", ...
  std::vector<std::string> members;  // enumeration
  bool ordered = false;              // enumeration declared with '<'
  TypeId element = kNone;            // list
  std::vector<FieldInfo> fields;     // record: its fields in order (slot unused)
  uint32_t depth = 0;                // lists and records nested in it (a record of a list of records: 3)
  int field_index(std::string_view field) const;  // -1 when the record has no such field
};

// Built-in types have fixed ids.
namespace types {
inline constexpr TypeId boolean = 0, integer = 1, decimal = 2, text = 3, date = 4, duration = 5;
}

enum class Op : uint8_t {
  constant, load,  // load: slot in `aux`
  // Specialised forms the checker substitutes for common shapes (see specialize.cpp):
  load_fact,            // a fact's slot, which is always set
  fact_is, fact_is_not,  // a yes/no or enumeration fact against a constant
  not_fact,             // not <yes/no fact>
  slot_is, slot_is_not,  // a yes/no or enumeration define or output (computed on first read) against a constant
  not_, and_, or_, if_,
  neg_int, neg_dec, neg_dur, to_dec,
  add_int, sub_int, mul_int, add_dec, sub_dec, mul_dec, div_dec,
  pow_dec, mod_int, mod_dec,  // pow_dec: decimal ** whole number
  fn_round,  // aux: the Rounding mode; kids: value [, places]
  as_of,     // the decision's date
  date_plus, date_minus, date_diff, dur_add, dur_sub, dur_scale,  // dur_scale: integer * duration
  eq, ne, lt, le, gt, ge, in, not_in,
  is_given, is_missing,
  list,  // kids: value, guard (kNone when unguarded), value, guard, ...
  fn_count, fn_min, fn_max, fn_abs, fn_days_between,
  // Text: the results of lower/upper live in Decision::texts; trim points into its argument.
  fn_lower, fn_upper, fn_trim, fn_length, text_contains, text_starts_with,
  // Functions (`define f(p: T) = ...`): call's aux is its index in Program::call_sites,
  // kids the arguments; local reads a parameter (or an aggregate's variable) at
  // `aux` places from the top of Decision::locals.
  call, local,
  field,  // aux: the field's index; kid: a record value
  // Aggregates: aux is the index in Program::aggregate_sites; kids: the list,
  // then the value, the condition and the `else` value (each kNone when absent).
  // The item is pushed on Decision::locals while the value and condition are evaluated.
  agg_count, agg_sum_int, agg_sum_dec, agg_min, agg_max, agg_every, agg_some, agg_list,
  record,  // a record built with its type's name: kids are its field values, one per field in order
  // ---- dated parameters (issue 14, law-values) ----
  parameter,  // aux: index into Program::parameters; kids: its entries' values, in date order
  // ---- sub-decisions (issue 14) ----
  sub_decision,  // `decision of P with ...`: aux is its index in Program::sub_decisions; kids the bound values
};

struct Node {
  Op op = Op::constant;
  TypeId type = types::boolean;
  uint32_t aux = 0;         // slot for load
  uint32_t kids = 0;        // offset into Program::kids
  uint32_t kid_count = 0;
  Value constant;
};

enum class SlotKind : uint8_t { fact, define, output };

struct FieldInfo {  // a fact or an output
  std::string name;     // dotted path for facts: "employee.classification"
  TypeId type = 0;
  bool optional = false;  // may be missing (declared optional, no default)
  std::optional<Value> default_value;
  std::string description;
  SourcePos pos;
  SlotId slot = 0;
  std::vector<uint32_t> rules;      // outputs: rules that assign it, in declaration order
  std::vector<NodeId> rule_values;  // outputs: the value each of those rules assigns
  // ---- per-output exceptions, collect outputs (issue 14) ----
  std::vector<uint32_t> rule_assignments;  // outputs: for each of those rules, the index of its assignment
  enum class Collect : uint8_t { none, sum, min, max, list };
  Collect collect = Collect::none;  // outputs declared `..., sum of rules` and so on: every rule contributes
  bool internal = false;  // an internal value: set like an output, shown in the explanation, not returned (issue 14)
};

struct DefineInfo {
  std::string name;
  NodeId node = 0;
  std::string source;  // the expression's text
  std::vector<SlotId> reads;
  SourcePos pos;
  SlotId slot = 0;
  uint32_t parameter = kNone;  // a dated parameter's define: index into Program::parameters (issue 14)
};

// A function: compiled once, its body reading its parameters with Op::local.
struct FunctionInfo {
  std::string name;
  std::vector<std::string> params;
  std::vector<TypeId> param_types;
  TypeId result = kNone;
  NodeId body = kNone;
  std::string source;         // the body's text
  std::vector<SlotId> reads;  // facts, defines and outputs it reads, through other functions too
  SourcePos pos;
};

struct CallSite {  // one place a function is called
  uint32_t function = 0;  // index into Program::functions
  std::string source;     // the call as written: days_used(p, as_of - 5 years, as_of)
};

struct AggregateSite {  // one aggregate as written, for the explanation and errors
  std::string source;       // count of c in household.children where c.in_care
  std::string list_source;  // household.children
  TypeId type = 0;          // its value's
  TypeId item_type = 0;     // the list's items'
  std::string variable;     // c
  // every/some: the fields of the item its condition reads, in order (empty: the
  // item as a whole), to show the item that settled it in the explanation.
  std::vector<uint32_t> item_fields;
};

struct Condition {
  NodeId node = 0;
  std::string source;
  std::vector<SlotId> reads;  // names it reads, in order of appearance
  SourcePos pos;
};

struct AssignmentInfo {
  uint32_t output = 0;  // index into Program::outputs
  NodeId node = 0;
  std::string source;
  std::vector<SlotId> reads;
  // ---- per-output exceptions (issue 14) ----
  // The rule's overriders that set this output too, sorted: an exception displaces
  // its base only for the outputs it sets (Catala's rule).
  std::vector<uint32_t> displaced_by;
};

struct RuleInfo {
  std::string name;
  std::string title;
  std::string cite;
  SourcePos pos;
  std::vector<Condition> conditions;
  std::vector<AssignmentInfo> assignments;
  std::vector<uint32_t> exception_to;  // direct, as written
  std::vector<uint32_t> overriders;    // every rule that is, directly or through others, an exception to this one
  // ---- labels (issue 14) ----
  std::vector<std::string> labels;     // `label NAME`, as written
  // ---- per-rule in force (issue 14, law-values) ----
  std::optional<Date> in_force_from;   // the rule applies only from this date...
  std::optional<Date> in_force_until;  // ...until this one, inclusive
  bool in_force_on(Date d) const {
    return (!in_force_from || d >= *in_force_from) && (!in_force_until || d <= *in_force_until);
  }
};

// ---- dated parameters (issue 14, law-values) ----
struct ParameterEntry {  // `from 2016-12-01: 4 weeks`
  Date from;
  NodeId value = kNone;
  std::string source;  // the value as written
  SourcePos pos;
};

struct ParameterInfo {
  std::string name;
  std::string title;
  std::string cite;
  TypeId type = kNone;
  std::vector<ParameterEntry> entries;  // in date order
  SourcePos pos;
  uint32_t define = 0;  // the define that reads it by name: index into Program::defines
  // The entry in force on `d` (the last one from on or before it), or kNone before the first.
  uint32_t entry_on(Date d) const {
    uint32_t found = kNone;
    for (uint32_t k = 0; k < entries.size() && entries[k].from.days <= d.days; ++k) found = k;
    return found;
  }
};

// ---- per-output exceptions (issue 14) ----
// Whether rule `over` displaces rule `base` for `output`: it is an exception to it,
// directly or through others, and sets that output too. False when `base` does not set it.
bool displaces(const Program& p, uint32_t over, uint32_t base, uint32_t output);
// The assignment of `output` in rule `rule`, or null when the rule does not set it.
const AssignmentInfo* assignment_of(const Program& p, uint32_t rule, uint32_t output);
// ---- require (issue 14, law-require) ----
// `require CONDITION "message"`: facts for which the condition is false are
// invalid (422 invalid_facts, CLI exit 2); no output is computed for them.
struct RequireInfo {
  NodeId condition = kNone;      // yes/no
  std::string message;           // as written, without quotes
  std::string source;            // the condition as written
  SourcePos pos;                 // of `require`
  std::vector<SlotId> facts;     // every fact the condition reads, through defines too, in slot order
};

struct PolicyHeader {
  std::string id;
  std::string title;
  std::string version;
  Date in_force_from;
  std::optional<Date> in_force_until;  // inclusive
  std::string source;
  SourcePos pos;
};

// Where a fact's JSON path leads: a tree of object keys down to fact slots.
struct FactTreeNode {
  std::string key;
  SlotId fact = kNone;               // a leaf: index into Program::facts
  std::vector<uint32_t> children;    // indexes into Program::fact_tree
};

// ---- sub-decisions (issue 14) ----
struct Program;
// One loaded version of the policy a `decision of` names, as the caller binds it.
struct SubDecisionVersion {
  std::shared_ptr<const Program> program;  // shared, immutable: the caller holds its callee
  std::vector<SlotId> binding_facts;       // per binding: the callee fact it sets
  std::vector<uint32_t> field_outputs;     // per field of the define's record: the callee output, kNone when absent
};

// A `decision of P with f = e, ...`: the define's value is a record of P's outputs.
struct SubDecisionSite {
  std::string policy_id;
  uint32_t define = kNone;                   // index into Program::defines
  std::vector<std::string> binding_names;    // P's fact paths, as written
  std::vector<TypeId> binding_types;         // the bound values' types, in the caller
  std::vector<SubDecisionVersion> versions;  // every loaded version of P, by start date
  TypeId type = kNone;                       // the record of P's outputs, in the caller
  SourcePos pos;
};
// ---- end of sub-decisions ----

struct Program {
  PolicyHeader header;
  std::vector<std::string> files;  // the policy's file, then each module it uses
  std::string hash;                // "sha256:<hex>" of those files' contents

  std::vector<TypeInfo> types;
  std::vector<Node> nodes;
  std::vector<NodeId> kids;

  // Slots: facts first, then defines, then outputs.
  std::vector<FieldInfo> facts;
  std::vector<DefineInfo> defines;
  std::vector<FieldInfo> outputs;
  std::vector<RuleInfo> rules;
  std::vector<FactTreeNode> fact_tree;  // [0] is the root
  // The decision JSON's nesting of dotted outputs (`approval.status`), as fact_tree
  // (a leaf's `fact` is an index into outputs); empty when no output name has a dot.
  std::vector<FactTreeNode> output_tree;
  std::vector<FunctionInfo> functions;
  std::vector<CallSite> call_sites;
  std::vector<AggregateSite> aggregate_sites;
  std::vector<ParameterInfo> parameters;  // dated parameters (issue 14, law-values)
  std::vector<RequireInfo> requirements;  // require (issue 14, law-require); 'requires' is a C++20 keyword

  // Storage for text constants; nodes point into it.
  std::vector<std::unique_ptr<std::string>> text_constants;
  // ---- sub-decisions (issue 14) ----
  std::vector<SubDecisionSite> sub_decisions;

  uint32_t slot_count() const { return static_cast<uint32_t>(facts.size() + defines.size() + outputs.size()); }
  SlotKind slot_kind(SlotId s) const {
    return s < facts.size() ? SlotKind::fact : s < facts.size() + defines.size() ? SlotKind::define : SlotKind::output;
  }
  SlotId define_slot(uint32_t define_index) const { return static_cast<SlotId>(facts.size() + define_index); }
  SlotId output_slot(uint32_t output_index) const {
    return static_cast<SlotId>(facts.size() + defines.size() + output_index);
  }
  const std::string& slot_name(SlotId s) const;
  TypeId slot_type(SlotId s) const;
  bool in_force_on(Date d) const {
    return d >= header.in_force_from && (!header.in_force_until || d <= *header.in_force_until);
  }
};

// A `one of` member as the rule language writes it: a word as is, anything else quoted ("VERY LOW").
std::string display_member(const std::string& member);

// How a value of `type` reads in the rule language and in JSON text: yes/no, 12.5, 2026-03-30, APS6.
std::string display_value(const Program& p, TypeId type, const Value& v, const std::vector<Value>* arena);

}  // namespace rulebook
