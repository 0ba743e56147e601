// Parses .rules text with the PEGTL grammar into a parse tree, then converts
// the tree into the syntax tree of ast.hpp. Literal values (numbers, dates,
// durations, text escapes) are read and checked here, so a date like
// 2026-02-30 is reported at its own line and column.
#include "lang/parser.hpp"
#include "lang/tables.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/depth_guard.hpp"
#include "lang/errors.hpp"
#include "lang/grammar.hpp"
#include "lang/source_text.hpp"

namespace rulebook {

namespace pegtl = tao::pegtl;
namespace g = grammar;

namespace {

// Replace a node with its only child; otherwise keep it with its content.
// (PEGTL's fold_one drops the content, which the explanations need.)
struct fold_keep : pegtl::parse_tree::apply<fold_keep> {
  template <typename Node, typename... States>
  static void transform(std::unique_ptr<Node>& n, States&&...) {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

// clang-format off
template <typename Rule>
using selector = pegtl::parse_tree::selector<Rule,
  pegtl::parse_tree::store_content::on<
    g::name, g::text_lit, g::date_lit, g::decimal_lit, g::int_lit, g::duration_lit, g::true_lit,
    g::false_lit, g::list_lit, g::one_of_list, g::list_item, g::list_guard, g::call, g::call_name, g::named_arg, g::arg_name,
    g::negate, g::op_mul, g::op_div, g::op_mod, g::op_pow, g::op_add, g::op_sub, g::t_is_given, g::t_is_missing,
    g::t_not_one_of, g::t_one_of, g::t_is_not, g::t_is, g::t_not_in, g::t_in, g::t_le, g::t_ge,
    g::t_lt, g::t_gt, g::t_contains, g::t_starts_with, g::negation, g::if_expr,
    g::t_yes_no, g::t_number, g::t_decimal, g::t_text, g::t_date, g::t_duration, g::t_one_of_spec,
    g::ordered_members, g::plain_members, g::member, g::member_expected, g::t_list, g::t_named,
    g::field_decl, g::opt_optional, g::opt_default, g::description,
    g::policy_id, g::policy_id_expected, g::title, g::version_text, g::from_date, g::until_date,
    g::source_text, g::policy_head, g::module_head, g::use_decl, g::h_version, g::h_in_force,
    g::h_source, g::type_decl, g::type_name, g::facts_block, g::outputs_block, g::define_decl,
    g::count_of, g::fold_of, g::quantifier, g::agg_op, g::quantifier_op, g::agg_var, g::agg_var_expected, g::agg_where, g::agg_else,
    g::comprehension, g::t_record, g::record_field, g::record_field_name, g::record_description,
    g::define_name, g::define_params, g::param, g::param_name, g::rule_decl, g::rule_name_expected, g::rule_title, g::r_cite, g::cite_text,
    g::r_exception, g::exception_target, g::r_when, g::r_then, g::assignment,
    g::assignment_expected,
    g::r_label, g::label_name,  // labels (issue 14)
    g::opt_collect, g::collect_op,  // collect outputs (issue 14)
    g::table_decl, g::table_name, g::table_title, g::t_hit, g::hit_policy, g::t_given, g::t_then,  // tables (issue 14)
    g::t_row, g::cell_any, g::cell_le, g::cell_ge, g::cell_lt, g::cell_gt, g::cell_one_of, g::cell_not, g::cell_value,
    g::row_arrow_expected,
    // ---- dated parameters and per-rule in force (issue 14, law-values) ----
    g::parameter_decl, g::parameter_name_expected, g::parameter_date_expected, g::p_from, g::r_in_force,
    g::internal_block,
    g::sub_decision, g::sub_policy_expected, g::sub_binding_expected,  // sub-decisions (issue 14)
    // ---- require (issue 14, law-require) ----
    g::require_decl, g::require_message>,
  fold_keep::on<g::pow_expr, g::mul_expr, g::add_expr, g::cmp_expr, g::and_expr, g::or_expr>>;
// clang-format on

// Bounds the grammar's recursion so no input can overflow the stack: every
// nested expression, `not`, unary minus or `list of` counts one level.
struct depth_limit_exceeded {};

template <typename Rule>
struct depth_action : pegtl::nothing<Rule> {};

struct expression_too_deep {
  static std::string message(std::size_t max_depth) {
    return "this expression is nested more than " + std::to_string(max_depth) +
           " levels deep; split it into named 'define' values";
  }
};
using depth_guard = source::depth_guard_for<expression_too_deep>;
// The grammar's only cycles: expressions inside expressions, `not not ...`,
// `- - ...` and `list of list of ...`.
template <> struct depth_action<g::expr> : depth_guard {};
template <> struct depth_action<g::negation> : depth_guard {};
template <> struct depth_action<g::negate> : depth_guard {};
template <> struct depth_action<g::t_list> : depth_guard {};
template <> struct depth_action<g::pow_operand> : depth_guard {};

using source::is;
using source::Node;
using source::pos_of;

std::string folded(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Keeps at most `max` diagnostics (all errors here), then one more that counts
// the rest: a mangled file cannot flood the report, or memory with copies of
// its longest line.
struct DiagnosticSink {
  std::vector<Diagnostic>& ds;
  std::size_t max;
  std::size_t dropped = 0;

  bool full() const { return ds.size() >= max; }
  void add(Diagnostic d) {
    if (!full()) {
      ds.push_back(std::move(d));
      return;
    }
    if (dropped++ == 0) {
      Diagnostic more;
      more.code = "too-many-diagnostics";
      more.pos = SourcePos{d.pos.file, 0, 0, 0};
      ds.push_back(std::move(more));
    }
    ds.back().message = std::to_string(dropped) + " more problems are not listed; fix the ones above first";
  }
};

// An expression whose syntax tree is higher than the limit. A chain like
// `a + b + c` builds a tree one level higher per operator, which the grammar's
// depth guard does not see; every later stage (checker, evaluator, the tree's
// own destructor) walks the tree recursively, so its height is bounded here.
struct TooDeep {
  SourcePos pos;
};

// Converts parse-tree nodes to syntax-tree values, collecting literal errors.
class Converter {
 public:
  Converter(DiagnosticSink& diags, const std::string& text, const Limits& limits)
      : diags_(diags), text_(text), max_height_(limits.max_expression_depth) {}

  void error(const Node& n, std::string message, const char* code = "bad-literal") {
    Diagnostic d;
    d.code = code;
    d.pos = pos_of(n);
    d.message = std::move(message);
    if (!diags_.full()) d.source_line = line_at(text_, d.pos.byte);
    diags_.add(std::move(d));
  }

  std::string text_value(const Node& n) { return source::unquoted(n.string_view()); }

  std::optional<Date> date_value(const Node& n) {
    auto d = parse_iso_date(n.string_view());
    if (!d) error(n, source::not_a_date(n.string_view()));
    return d;
  }

  ast::ExprPtr expr(const Node& n) { return checked_height(convert_expr(n)); }

  // The parts of an aggregate, in the order the grammar gives them: an
  // operator word, a value, the variable, the list, `where`/`satisfies`, `else`.
  // The list goes first in `e.children`.
  void aggregate_parts(ast::Expr& e, const Node& n) {
    std::vector<ast::ExprPtr> parts;
    ast::ExprPtr list, value, condition, otherwise;
    bool seen_var = false;
    for (const auto& c : n.children) {
      if (is<g::agg_op>(*c) || is<g::quantifier_op>(*c)) continue;
      if (is<g::agg_var>(*c) || is<g::agg_var_expected>(*c)) {
        e.variable = c->string();
        e.variable_pos = pos_of(*c);
        seen_var = true;
      } else if (is<g::agg_where>(*c)) {
        condition = expr(*c->children[0]);
      } else if (is<g::agg_else>(*c)) {
        otherwise = expr(*c->children[0]);
      } else if (!seen_var) {
        value = expr(*c);
      } else if (!list) {
        list = expr(*c);
      } else {
        condition = expr(*c);  // `satisfies C`
      }
    }
    // A comprehension arrives with its value already in e.children.
    if (!e.children.empty()) {
      value = std::move(e.children[0]);
      e.children.clear();
    }
    e.children.push_back(std::move(list));
    if (value) {
      e.value_at = static_cast<int8_t>(e.children.size());
      e.children.push_back(std::move(value));
    }
    if (condition) {
      e.where_at = static_cast<int8_t>(e.children.size());
      e.children.push_back(std::move(condition));
    }
    if (otherwise) {
      e.else_at = static_cast<int8_t>(e.children.size());
      e.children.push_back(std::move(otherwise));
    }
  }

  // Records the height of `e` (its children are already recorded); throws TooDeep over the limit.
  ast::ExprPtr checked_height(ast::ExprPtr e) {
    std::size_t h = 0;
    for (const auto& c : e->children) h = std::max(h, height(*c));
    record_height(*e, h + 1);
    return e;
  }
  std::size_t height(const ast::Expr& e) const {
    auto it = heights_.find(&e);
    return it == heights_.end() ? 1 : it->second;
  }
  void record_height(const ast::Expr& e, std::size_t h) {
    if (h > max_height_) throw TooDeep{e.pos};
    heights_[&e] = h;
  }

  ast::ExprPtr convert_expr(const Node& n) {
    auto e = std::make_unique<ast::Expr>();
    e->pos = pos_of(n);
    e->source = folded(n.string_view());
    if (is<g::name>(n)) {
      e->kind = ast::ExprKind::name;
      e->text = n.string();
    } else if (is<g::true_lit>(n) || is<g::false_lit>(n)) {
      e->kind = ast::ExprKind::boolean;
      e->literal = Value::boolean(is<g::true_lit>(n));
    } else if (is<g::int_lit>(n)) {
      e->kind = ast::ExprKind::integer;
      int64_t v = 0;
      const auto s = n.string_view();
      if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc()) {
        error(n, "this number is too large (the largest whole number is 9223372036854775807)");
      }
      e->literal = Value::integer(v);
    } else if (is<g::decimal_lit>(n)) {
      e->kind = ast::ExprKind::decimal;
      auto d = parse_decimal(n.string_view());
      if (!d) error(n, "this decimal has more than 18 digits after the point, or is too large");
      e->literal = Value::decimal(d.value_or(Decimal{}));
    } else if (is<g::date_lit>(n)) {
      e->kind = ast::ExprKind::date;
      e->literal = Value::of_date(date_value(n).value_or(Date{}));
    } else if (is<g::duration_lit>(n)) {
      e->kind = ast::ExprKind::duration;
      const auto s = n.string_view();
      int64_t count = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
      const std::string unit = folded(std::string_view(end, s.data() + s.size() - end)).substr(0, 1);
      const int64_t factor = unit == "w" ? 7 : unit == "y" ? 12 : 1;
      if (ec != std::errc() || count * factor > 1'000'000) {
        error(n, "this duration is too long (at most 1000000 days or months)");
        count = 0;
      }
      Duration d;
      if (unit == "m" || unit == "y") {
        d.months = static_cast<int32_t>(count * factor);
      } else {
        d.days = static_cast<int32_t>(count * factor);
      }
      e->literal = Value::duration(d);
    } else if (is<g::text_lit>(n)) {
      e->kind = ast::ExprKind::text;
      e->text = text_value(n);
    } else if (is<g::count_of>(n) || is<g::fold_of>(n) || is<g::quantifier>(n)) {
      e->kind = ast::ExprKind::aggregate;
      e->text = is<g::count_of>(n) ? "count" : n.children[0]->string();
      aggregate_parts(*e, n);
    } else if ((is<g::list_lit>(n) || is<g::one_of_list>(n)) && n.children.size() == 2 &&
               is<g::comprehension>(*n.children[1])) {
      // [E for each c in L where C]
      e->kind = ast::ExprKind::aggregate;
      e->text = "list";
      const Node& item = *n.children[0];
      if (item.children.size() > 1) error(*item.children[1], "a list built with 'for each' takes its condition after 'where', not 'if'", "syntax");
      e->value_at = 0;
      e->children.push_back(expr(*item.children[0]));
      aggregate_parts(*e, *n.children[1]);
    } else if (is<g::list_lit>(n) || is<g::one_of_list>(n)) {
      e->kind = ast::ExprKind::list;
      for (const auto& item : n.children) {
        auto it = std::make_unique<ast::Expr>();
        it->kind = ast::ExprKind::list_item;
        it->pos = pos_of(*item);
        it->source = folded(item->string_view());
        it->children.push_back(expr(*item->children[0]));
        if (item->children.size() > 1) it->children.push_back(expr(*item->children[1]->children[0]));
        e->children.push_back(checked_height(std::move(it)));
      }
    } else if (is<g::call>(n)) {
      e->kind = ast::ExprKind::call;
      e->text = n.children[0]->string();
      for (std::size_t k = 1; k < n.children.size(); ++k) {
        const Node& arg = *n.children[k];
        if (!is<g::named_arg>(arg)) {
          e->children.push_back(expr(arg));
          continue;
        }
        // `field: value`: a named_arg node holding the value, named by the field.
        auto named = std::make_unique<ast::Expr>();
        named->kind = ast::ExprKind::named_arg;
        named->pos = pos_of(*arg.children[0]);
        named->source = folded(arg.string_view());
        named->text = arg.children[0]->string();
        named->children.push_back(expr(*arg.children[1]));
        e->children.push_back(checked_height(std::move(named)));
      }
    } else if (is<g::sub_decision>(n)) {  // ---- sub-decisions (issue 14) ----
      e->kind = ast::ExprKind::decision_of;
      e->text = n.children[0]->string();
      for (std::size_t k = 1; k < n.children.size(); ++k) {  // each `fact.path = value`, as a named_arg
        const Node& b = *n.children[k];
        auto bound = std::make_unique<ast::Expr>();
        bound->kind = ast::ExprKind::named_arg;
        bound->pos = pos_of(*b.children[0]);
        bound->source = folded(b.string_view());
        bound->text = b.children[0]->string();
        bound->children.push_back(expr(*b.children[1]));
        e->children.push_back(checked_height(std::move(bound)));
      }
    } else if (is<g::negate>(n)) {
      e->kind = ast::ExprKind::negate;
      e->children.push_back(expr(*n.children[0]));
    } else if (is<g::negation>(n)) {
      e->kind = ast::ExprKind::not_;
      e->children.push_back(expr(*n.children[0]));
    } else if (is<g::or_expr>(n) || is<g::and_expr>(n)) {
      e->kind = is<g::or_expr>(n) ? ast::ExprKind::or_ : ast::ExprKind::and_;
      for (const auto& c : n.children) e->children.push_back(expr(*c));
    } else if (is<g::if_expr>(n)) {
      e->kind = ast::ExprKind::if_;
      for (const auto& c : n.children) e->children.push_back(expr(*c));
    } else if (is<g::add_expr>(n) || is<g::mul_expr>(n) || is<g::pow_expr>(n)) {
      return arithmetic(n);
    } else if (is<g::cmp_expr>(n)) {
      return comparison(n);
    } else {
      error(n, "unexpected syntax node " + std::string(n.type), "internal");  // grammar and converter disagree
    }
    return e;
  }

 private:
  // a + b - c  is ((a + b) - c): children alternate operand, operator, operand.
  ast::ExprPtr arithmetic(const Node& n) {
    ast::ExprPtr left = expr(*n.children[0]);
    for (std::size_t k = 1; k + 1 < n.children.size(); k += 2) {
      const Node& op = *n.children[k];
      auto e = std::make_unique<ast::Expr>();
      e->kind = ast::ExprKind::binary;
      e->op = is<g::op_add>(op)   ? ast::BinOp::add
              : is<g::op_sub>(op) ? ast::BinOp::sub
              : is<g::op_mul>(op) ? ast::BinOp::mul
              : is<g::op_pow>(op) ? ast::BinOp::pow
              : is<g::op_mod>(op) ? ast::BinOp::mod
                                  : ast::BinOp::div;
      e->pos = pos_of(op);
      const Node& right = *n.children[k + 1];
      ast::ExprPtr rhs = expr(right);
      // Checked before the source text is copied: each step of a long chain
      // would copy the whole chain so far.
      record_height(*e, std::max(height(*left), height(*rhs)) + 1);
      e->source = folded(std::string_view(n.string_view().data(),
                                          right.string_view().data() + right.string_view().size() -
                                              n.string_view().data()));
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(rhs));
      left = std::move(e);
    }
    return left;
  }

  ast::ExprPtr comparison(const Node& n) {
    auto e = std::make_unique<ast::Expr>();
    e->pos = pos_of(n);
    e->source = folded(n.string_view());
    e->children.push_back(expr(*n.children[0]));
    const Node& tail = *n.children[1];
    if (is<g::t_is_given>(tail)) {
      e->kind = ast::ExprKind::is_given;
      return e;
    }
    if (is<g::t_is_missing>(tail)) {
      e->kind = ast::ExprKind::is_missing;
      return e;
    }
    e->kind = ast::ExprKind::binary;
    e->pos = pos_of(tail);
    e->op = (is<g::t_is>(tail))           ? ast::BinOp::eq
            : (is<g::t_is_not>(tail))     ? ast::BinOp::ne
            : (is<g::t_one_of>(tail))     ? ast::BinOp::in
            : (is<g::t_in>(tail))         ? ast::BinOp::in
            : (is<g::t_not_one_of>(tail)) ? ast::BinOp::not_in
            : (is<g::t_not_in>(tail))     ? ast::BinOp::not_in
            : (is<g::t_lt>(tail))         ? ast::BinOp::lt
            : (is<g::t_le>(tail))         ? ast::BinOp::le
            : (is<g::t_gt>(tail))         ? ast::BinOp::gt
            : (is<g::t_contains>(tail))   ? ast::BinOp::contains
            : (is<g::t_starts_with>(tail)) ? ast::BinOp::starts_with
                                          : ast::BinOp::ge;
    e->children.push_back(expr(*tail.children[0]));
    return e;
  }

 public:
  ast::TypeSpec type(const Node& n) {
    ast::TypeSpec t;
    t.pos = pos_of(n);
    using K = ast::TypeSpec::Kind;
    if (is<g::t_yes_no>(n)) t.kind = K::yes_no;
    else if (is<g::t_number>(n)) t.kind = K::number;
    else if (is<g::t_decimal>(n)) t.kind = K::decimal;
    else if (is<g::t_text>(n)) t.kind = K::text;
    else if (is<g::t_date>(n)) t.kind = K::date;
    else if (is<g::t_duration>(n)) t.kind = K::duration;
    else if (is<g::t_named>(n)) {
      t.kind = K::named;
      t.name = n.string();
    } else if (is<g::t_record>(n)) {
      t.kind = K::record;
      for (const auto& c : n.children) {
        if (is<g::record_description>(*c)) {
          t.description = text_value(*c);
        } else {
          t.fields.push_back(field(*c));
        }
      }
    } else if (is<g::t_list>(n)) {
      t.kind = K::list;
      t.element = std::make_unique<ast::TypeSpec>(type(*n.children[0]));
    } else if (is<g::t_one_of_spec>(n)) {
      t.kind = K::one_of;
      const Node& members = *n.children[0];
      t.ordered = is<g::ordered_members>(members);
      // A quoted member ("VERY LOW") is its text without the quotes.
      for (const auto& m : members.children) {
        const std::string written = m->string();
        t.members.push_back(!written.empty() && written[0] == '"' ? source::unquoted(written) : written);
      }
    }
    return t;
  }

  ast::FieldDecl field(const Node& n) {
    ast::FieldDecl f;
    f.name = n.children[0]->string();
    f.pos = pos_of(*n.children[0]);
    f.type = type(*n.children[1]);
    for (std::size_t k = 2; k < n.children.size(); ++k) {
      const Node& c = *n.children[k];
      if (is<g::opt_optional>(c)) f.optional = true;
      else if (is<g::opt_default>(c)) f.default_value = expr(*c.children[0]);
      else if (is<g::description>(c)) f.description = text_value(c);
      else if (is<g::opt_collect>(c)) {  // collect outputs (issue 14)
        f.collect = c.children[0]->string();
        f.collect_pos = pos_of(c);
      }
    }
    return f;
  }

  void item(const Node& n, ast::File& file) {
    if (is<g::policy_head>(n) || is<g::module_head>(n)) {
      ast::Header h;
      h.is_module = is<g::module_head>(n);
      h.pos = pos_of(n);
      for (const auto& c : n.children) {
        if (is<g::policy_id_expected>(*c)) h.id = c->string();
        else if (is<g::title>(*c)) h.title = text_value(*c);
        else if (is<g::h_version>(*c)) {
          h.version = c->children[0]->string();
          h.version_pos = pos_of(*c);
        } else if (is<g::h_in_force>(*c)) {
          h.in_force_pos = pos_of(*c);
          h.in_force_from = date_value(*c->children[0]);
          if (c->children.size() > 1) h.in_force_until = date_value(*c->children[1]);
        } else if (is<g::h_source>(*c)) {
          h.source = text_value(*c->children[0]);
        }
      }
      if (file.header) {
        error(n, "a file holds one 'policy' or 'module' header; this is a second one", "second-header");
      } else {
        file.header = std::move(h);
      }
    } else if (is<g::use_decl>(n)) {
      file.uses.push_back({n.children[0]->string(), pos_of(*n.children[0])});
    } else if (is<g::type_decl>(n)) {
      ast::TypeDecl t;
      t.name = n.children[0]->string();
      t.pos = pos_of(*n.children[0]);
      t.type = type(*n.children[1]);
      if (n.children.size() > 2) t.description = text_value(*n.children[2]);
      file.types.push_back(std::move(t));
    } else if (is<g::facts_block>(n) || is<g::outputs_block>(n)) {
      auto& into = is<g::facts_block>(n) ? file.facts : file.outputs;
      for (const auto& c : n.children) into.push_back(field(*c));
    } else if (is<g::define_decl>(n)) {
      ast::Define d;
      d.name = n.children[0]->string();
      d.pos = pos_of(*n.children[0]);
      std::size_t next = 1;
      if (is<g::define_params>(*n.children[1])) {
        d.is_function = true;
        for (const auto& pn : n.children[1]->children) {
          ast::Param prm;
          prm.name = pn->children[0]->string();
          prm.pos = pos_of(*pn->children[0]);
          prm.type = type(*pn->children[1]);
          d.params.push_back(std::move(prm));
        }
        next = 2;
      }
      d.value = expr(*n.children[next]);
      file.defines.push_back(std::move(d));
    } else if (is<g::rule_decl>(n)) {
      file.rules.push_back(rule(n));
    } else if (is<g::table_decl>(n)) {  // tables (issue 14): its rows become rules here, in place
      file.tables.push_back(table(n));
      for (auto& d : desugar_table(file, file.tables.size() - 1)) {
        if (!diags_.full()) d.source_line = line_at(text_, d.pos.byte);
        diags_.add(std::move(d));
      }
    } else if (is<g::parameter_decl>(n)) {
      file.parameters.push_back(parameter(n));
    } else if (is<g::internal_block>(n)) {  // internal values (issue 14): outputs that are not returned
      for (const auto& c : n.children) {
        file.outputs.push_back(field(*c));
        file.outputs.back().internal = true;
      }
    } else if (is<g::require_decl>(n)) {  // ---- require (issue 14, law-require) ----
      ast::Require req;
      req.pos = pos_of(n);
      for (const auto& c : n.children) {  // the condition's expression, then the message
        if (is<g::require_message>(*c)) req.message = text_value(*c);
        else if (!req.condition) req.condition = expr(*c);
      }
      if (req.condition) file.requirements.push_back(std::move(req));
    }
  }

  // ---- tables (issue 14) ----
  ast::Table table(const Node& n) {
    ast::Table t;
    t.pos = pos_of(n);
    for (const auto& c : n.children) {
      if (is<g::table_name>(*c)) t.name = c->string();
      else if (is<g::table_title>(*c)) t.title = text_value(*c);
      else if (is<g::r_cite>(*c)) {
        if (!t.cite.empty()) t.cite += "; ";
        t.cite += text_value(*c->children[0]);
      } else if (is<g::t_hit>(*c)) {
        t.hit = c->children[0]->string();
        t.hit_pos = pos_of(*c->children[0]);
      } else if (is<g::t_given>(*c)) {
        for (const auto& col : c->children) t.given.push_back(expr(*col));
      } else if (is<g::t_then>(*c)) {
        for (const auto& o : c->children) t.then.push_back({o->string(), pos_of(*o)});
      } else if (is<g::t_row>(*c)) {
        ast::TableRow row;
        row.pos = pos_of(*c);
        bool outputs = false;
        for (const auto& cell : c->children) {
          if (is<g::row_arrow_expected>(*cell)) {
            outputs = true;
          } else if (outputs) {
            row.outputs.push_back(expr(*cell));
          } else {
            row.inputs.push_back(table_cell(*cell));
          }
        }
        t.rows.push_back(std::move(row));
      }
    }
    return t;
  }

  ast::TableCell table_cell(const Node& n) {
    using K = ast::TableCell::Kind;
    ast::TableCell cell;
    cell.pos = pos_of(n);
    cell.kind = is<g::cell_any>(n) ? K::any : is<g::cell_le>(n) ? K::le : is<g::cell_ge>(n) ? K::ge
              : is<g::cell_lt>(n) ? K::lt : is<g::cell_gt>(n) ? K::gt : is<g::cell_one_of>(n) ? K::one_of
              : is<g::cell_not>(n) ? K::not_ : n.children.size() == 2 ? K::range : K::eq;
    if (cell.kind == K::any) return cell;
    cell.a = expr(*n.children[0]);
    if (cell.kind == K::range) cell.b = expr(*n.children[1]);
    return cell;
  }

  // ---- dated parameters (issue 14, law-values) ----
  ast::Parameter parameter(const Node& n) {
    ast::Parameter prm;
    for (const auto& c : n.children) {
      if (is<g::parameter_name_expected>(*c)) {
        prm.name = c->string();
        prm.pos = pos_of(*c);
      } else if (is<g::title>(*c)) {
        prm.title = text_value(*c);
      } else if (is<g::r_cite>(*c)) {
        if (!prm.cite.empty()) prm.cite += "; ";
        prm.cite += text_value(*c->children[0]);
      } else if (is<g::p_from>(*c)) {
        ast::ParameterEntry entry;
        entry.pos = pos_of(*c->children[0]);
        entry.from = date_value(*c->children[0]).value_or(Date{});
        entry.value = expr(*c->children[1]);
        prm.entries.push_back(std::move(entry));
      }
    }
    prm.as_define.name = prm.name;
    prm.as_define.pos = prm.pos;
    prm.as_define.value = std::make_unique<ast::Expr>();
    prm.as_define.value->kind = ast::ExprKind::parameter;
    prm.as_define.value->pos = prm.pos;
    prm.as_define.value->text = prm.name;
    prm.as_define.value->source = "parameter " + prm.name;
    return prm;
  }

  ast::Rule rule(const Node& n) {
    ast::Rule r;
    r.pos = pos_of(n);
    for (const auto& c : n.children) {
      if (is<g::rule_name_expected>(*c)) r.name = c->string();
      else if (is<g::rule_title>(*c)) r.title = text_value(*c);
      else if (is<g::r_cite>(*c)) {
        if (!r.cite.empty()) r.cite += "; ";
        r.cite += text_value(*c->children[0]);
      } else if (is<g::r_exception>(*c)) {
        for (const auto& t : c->children) r.exception_to.push_back({t->string(), pos_of(*t)});
      } else if (is<g::r_when>(*c)) {
        // Split the top-level `and` into conditions, so the explanation can
        // name the first one that failed.
        const Node& cond = *c->children[0];
        if (is<g::and_expr>(cond)) {
          for (const auto& part : cond.children) r.conditions.push_back(expr(*part));
        } else {
          r.conditions.push_back(expr(cond));
        }
      } else if (is<g::r_label>(*c)) {  // labels (issue 14)
        r.labels.push_back({c->children[0]->string(), pos_of(*c->children[0])});
      } else if (is<g::r_in_force>(*c)) {  // ---- per-rule in force (issue 14, law-values) ----
        r.in_force_pos = pos_of(*c);
        r.in_force_from = date_value(*c->children[0]);
        if (c->children.size() > 1) r.in_force_until = date_value(*c->children[1]);
      } else if (is<g::r_then>(*c)) {
        for (const auto& a : c->children) {
          ast::Assignment as;
          as.target = a->children[0]->string();
          as.pos = pos_of(*a->children[0]);
          as.value = expr(*a->children[1]);
          r.assignments.push_back(std::move(as));
        }
      }
    }
    return r;
  }

 private:
  DiagnosticSink& diags_;
  const std::string& text_;
  std::size_t max_height_;
  std::unordered_map<const ast::Expr*, std::size_t> heights_;
};

}  // namespace

ParseResult parse_rules(std::string path, std::string text, const Limits& limits) {
  ParseResult result;
  result.file.path = path;
  if (text.size() > limits.max_rule_file_bytes) {
    Diagnostic d;
    d.code = "too-large";
    d.pos = SourcePos{path, 1, 1, 0};
    d.message = "this file is " + std::to_string(text.size()) + " bytes; rule files are limited to " +
                std::to_string(limits.max_rule_file_bytes) + " bytes";
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  result.file.text = std::move(text);
  const std::string& src = result.file.text;

  const auto chunks =
      source::chunks(src, 0, {"policy", "module", "use", "type", "facts", "outputs", "define", "rule", "table",
                                  "parameter", "internal", "require"});

  DiagnosticSink sink{result.diagnostics, limits.max_diagnostics};
  Converter convert(sink, src, limits);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const std::size_t begin = chunks[c].begin;
    const std::size_t end = c + 1 < chunks.size() ? chunks[c + 1].begin : src.size();
    pegtl::memory_input<> in(src.data() + begin, src.data() + end, path, begin, chunks[c].line, 1);
    try {
      std::size_t depth = 0;
      auto root = pegtl::parse_tree::parse<g::chunk, Node, selector, depth_action,
                                           pegtl::must_if<g::errors>::control>(in, depth,
                                                                              limits.max_expression_depth);
      if (root) {
        for (const auto& item : root->children) {
          try {
            convert.item(*item, result.file);
          } catch (const TooDeep& t) {  // the item is dropped, as after a syntax error
            Diagnostic d;
            d.code = "syntax";
            d.pos = t.pos;
            d.message = "this expression is nested more than " + std::to_string(limits.max_expression_depth) +
                        " levels deep (a chain like 'a + b + c' counts a level per operator); split it into "
                        "named 'define' values";
            if (!sink.full()) d.source_line = line_at(src, t.pos.byte);
            sink.add(std::move(d));
          }
        }
      }
    } catch (const pegtl::parse_error& e) {
      Diagnostic d = source::syntax_error(e, path);
      if (!sink.full()) d.source_line = line_at(src, d.pos.byte);
      sink.add(std::move(d));
    }
  }
  return result;
}

const char* ast::binop_symbol(BinOp op) {
  switch (op) {
    case BinOp::add: return "+";
    case BinOp::sub: return "-";
    case BinOp::mul: return "*";
    case BinOp::div: return "/";
    case BinOp::pow: return "**";
    case BinOp::mod: return "mod";
    case BinOp::eq: return "is";
    case BinOp::ne: return "is not";
    case BinOp::lt: return "<";
    case BinOp::le: return "<=";
    case BinOp::gt: return ">";
    case BinOp::ge: return ">=";
    case BinOp::in: return "in";
    case BinOp::not_in: return "not in";
    case BinOp::contains: return "contains";
    case BinOp::starts_with: return "starts with";
  }
  return "?";
}

}  // namespace rulebook
