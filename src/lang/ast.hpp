// The syntax tree of one .rules file, as the parser produces it: names are
// still text and nothing is typed yet. The checker turns it into a Program.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/value.hpp"

namespace rulebook::ast {

enum class ExprKind {
  boolean, integer, decimal, text, date, duration,  // literals
  name,                                             // fact, define, output or enum member
  negate, not_,                                     // unary
  binary,                                           // arithmetic and comparison, see BinOp
  and_, or_,                                        // n-ary, left to right
  is_given, is_missing,
  if_,    // children: condition, then, else
  list,   // children: list_item
  list_item,  // children: value [, guard]
  call,   // text: function (or record type) name; children: arguments
  named_arg,  // `field: value` in a record built with its type's name; text: the field, children: value
  // count/sum/min/max/every/some/list (text) over children[0], a list, with
  // `variable` naming each item; the other parts by index into children, -1 when absent.
  aggregate,
  parameter,  // a dated parameter's value on as_of; text: its name (issue 14, law-values)
  // ---- sub-decisions (issue 14) ----
  // `decision of P with f = e, ...`, only as a define's whole value. text: the
  // policy id P; children: named_arg, one per binding (text: P's fact path).
  decision_of,
};

enum class BinOp { add, sub, mul, div, pow, mod, eq, ne, lt, le, gt, ge, in, not_in, contains, starts_with };

const char* binop_symbol(BinOp op);

struct Expr {
  ExprKind kind = ExprKind::boolean;
  BinOp op = BinOp::add;
  SourcePos pos;
  std::string source;   // the expression's text, whitespace folded: for explanations
  std::string text;     // name, function name or text literal
  Value literal;        // for literals other than text
  std::vector<std::unique_ptr<Expr>> children;
  // aggregate only:
  std::string variable;     // `c` in `count of c in ...`
  SourcePos variable_pos;
  int8_t value_at = -1;     // the value summed, compared or collected
  int8_t where_at = -1;     // the `where` or `satisfies` condition
  int8_t else_at = -1;      // the `else` value
};
using ExprPtr = std::unique_ptr<Expr>;

struct FieldDecl;

struct TypeSpec {
  enum class Kind { yes_no, number, decimal, text, date, duration, one_of, list, named, record };
  Kind kind = Kind::yes_no;
  SourcePos pos;
  std::vector<std::string> members;  // one_of
  bool ordered = false;              // one_of written with '<'
  std::string name;                  // named
  std::unique_ptr<TypeSpec> element; // list
  std::vector<FieldDecl> fields;     // record, in order
  std::string description;           // record: `type child = record "description"`
};

struct FieldDecl {  // a fact or an output
  std::string name;
  SourcePos pos;
  TypeSpec type;
  bool optional = false;
  ExprPtr default_value;
  std::string description;
  // ---- collect outputs (issue 14) ----
  std::string collect;  // "sum", "min", "max" or "list" (`..., sum of rules`); empty otherwise
  SourcePos collect_pos;
  bool internal = false;  // declared in an `internal` block: set by rules, not returned (issue 14, law-values)
};

struct TypeDecl {
  std::string name;
  SourcePos pos;
  TypeSpec type;
  std::string description;
};

struct Param {  // a function's parameter: `p: period`
  std::string name;
  SourcePos pos;
  TypeSpec type;
};

struct Define {
  std::string name;
  SourcePos pos;
  ExprPtr value;
  bool is_function = false;   // written with parameters: `define f(p: T) = ...` (even `f()`)
  std::vector<Param> params;  // a function's parameters, in order
};

struct Assignment {
  std::string target;
  SourcePos pos;
  ExprPtr value;
};

struct NameRef {
  std::string name;
  SourcePos pos;
};

struct Rule {
  std::string name;
  std::string title;
  SourcePos pos;
  std::string cite;
  std::vector<NameRef> exception_to;
  std::vector<ExprPtr> conditions;  // the top-level `and` parts of `when`, in order
  std::vector<Assignment> assignments;
  // ---- labels (issue 14) ----
  std::vector<NameRef> labels;  // `label NAME`: groups an `exception to` may name
  // ---- tables (issue 14) ----
  int table = -1;  // a table's row: the index of its table in File::tables
  uint32_t row = 0;
  // ---- per-rule in force (issue 14, law-values) ----
  std::optional<Date> in_force_from;   // `in force from DATE [until DATE]`: the rule applies only then
  std::optional<Date> in_force_until;  // inclusive
  SourcePos in_force_pos;
};

// ---- tables (issue 14) ----
struct TableCell {  // a test against its column
  enum class Kind { any, eq, lt, le, gt, ge, range, one_of, not_ };
  Kind kind = Kind::any;
  SourcePos pos;
  ExprPtr a, b;  // the value or bound; range: a to b; one_of: the list
};

struct TableRow {
  SourcePos pos;
  std::vector<TableCell> inputs;
  std::vector<ExprPtr> outputs;
};

struct Table {
  std::string name;
  std::string title;
  SourcePos pos;
  std::string cite;
  std::string hit = "unique";  // unique, first, priority, sum, min, max, list
  SourcePos hit_pos;
  std::vector<ExprPtr> given;  // the columns
  std::vector<NameRef> then;   // the outputs
  std::vector<TableRow> rows;
};

// ---- dated parameters (issue 14, law-values) ----
struct ParameterEntry {  // `from 2016-12-01: 4 weeks`
  Date from;
  SourcePos pos;  // of the date
  ExprPtr value;
};

struct Parameter {
  std::string name;
  std::string title;
  std::string cite;
  SourcePos pos;
  std::vector<ParameterEntry> entries;  // as written
  // The checker treats a parameter as a define whose value is `as_define.value`,
  // an expression of kind `parameter` naming it: read by name anywhere a define is.
  Define as_define;
};

// ---- require (issue 14, law-require) ----
struct Require {  // `require CONDITION "message"`
  ExprPtr condition;
  std::string message;
  SourcePos pos;  // of `require`
};

struct Header {
  bool is_module = false;
  std::string id;
  std::string title;
  SourcePos pos;
  std::optional<std::string> version;
  SourcePos version_pos;
  std::optional<Date> in_force_from;
  std::optional<Date> in_force_until;
  SourcePos in_force_pos;
  std::string source;
};

struct File {
  std::string path;
  std::string text;  // the whole source, kept for caret lines
  std::optional<Header> header;
  std::vector<NameRef> uses;
  std::vector<TypeDecl> types;
  std::vector<FieldDecl> facts;
  std::vector<FieldDecl> outputs;
  std::vector<Define> defines;
  std::vector<Rule> rules;
  // ---- tables (issue 14) ----
  std::vector<Table> tables;  // as written; their rows are in `rules` too, as TABLE.N
  std::vector<Parameter> parameters;  // ---- dated parameters (issue 14, law-values) ----
  std::vector<Require> requirements;  // ---- require (issue 14, law-require) ('requires' is a C++20 keyword) ----
};

}  // namespace rulebook::ast
