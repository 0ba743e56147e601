// The rule language's grammar, as PEGTL rules. grammar/rulebook.peg is the same
// grammar in readable PEG notation; tests/grammar_test.cpp keeps the two in step.
//
// Layout: whitespace and comments are insignificant, so a rule may be laid out
// over as many lines as reads best. Expressions never contain a bare '=', which
// is what lets `then a = x  b = y` hold several assignments without separators.
#pragma once

#include <tao/pegtl.hpp>

namespace rulebook::grammar {

using namespace tao::pegtl;

// ---- lexical ---------------------------------------------------------------

struct comment : seq<one<'#'>, until<eolf>> {};
struct sp : star<sor<space, comment>> {};

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct word : seq<ident_first, star<ident_other>> {};

template <typename Str>
struct key : seq<Str, not_at<ident_other>> {};

// clang-format off
struct kw_and : key<TAO_PEGTL_STRING("and")> {};
struct kw_cite : key<TAO_PEGTL_STRING("cite")> {};
struct kw_default : key<TAO_PEGTL_STRING("default")> {};
struct kw_define : key<TAO_PEGTL_STRING("define")> {};
struct kw_else : key<TAO_PEGTL_STRING("else")> {};
struct kw_exception : key<TAO_PEGTL_STRING("exception")> {};
struct kw_facts : key<TAO_PEGTL_STRING("facts")> {};
struct kw_false : key<TAO_PEGTL_STRING("false")> {};
struct kw_force : key<TAO_PEGTL_STRING("force")> {};
struct kw_from : key<TAO_PEGTL_STRING("from")> {};
struct kw_given : key<TAO_PEGTL_STRING("given")> {};
struct kw_if : key<TAO_PEGTL_STRING("if")> {};
struct kw_in : key<TAO_PEGTL_STRING("in")> {};
struct kw_is : key<TAO_PEGTL_STRING("is")> {};
struct kw_list : key<TAO_PEGTL_STRING("list")> {};
struct kw_missing : key<TAO_PEGTL_STRING("missing")> {};
struct kw_module : key<TAO_PEGTL_STRING("module")> {};
struct kw_no : key<TAO_PEGTL_STRING("no")> {};
struct kw_not : key<TAO_PEGTL_STRING("not")> {};
struct kw_of : key<TAO_PEGTL_STRING("of")> {};
struct kw_one : key<TAO_PEGTL_STRING("one")> {};
struct kw_optional : key<TAO_PEGTL_STRING("optional")> {};
struct kw_or : key<TAO_PEGTL_STRING("or")> {};
struct kw_outputs : key<TAO_PEGTL_STRING("outputs")> {};
struct kw_policy : key<TAO_PEGTL_STRING("policy")> {};
struct kw_rule : key<TAO_PEGTL_STRING("rule")> {};
struct kw_source : key<TAO_PEGTL_STRING("source")> {};
struct kw_then : key<TAO_PEGTL_STRING("then")> {};
struct kw_to : key<TAO_PEGTL_STRING("to")> {};
struct kw_true : key<TAO_PEGTL_STRING("true")> {};
struct kw_type : key<TAO_PEGTL_STRING("type")> {};
struct kw_until : key<TAO_PEGTL_STRING("until")> {};
struct kw_use : key<TAO_PEGTL_STRING("use")> {};
struct kw_version : key<TAO_PEGTL_STRING("version")> {};
struct kw_when : key<TAO_PEGTL_STRING("when")> {};
struct kw_yes : key<TAO_PEGTL_STRING("yes")> {};

struct keyword : sor<kw_and, kw_cite, kw_default, kw_define, kw_else, kw_exception, kw_facts,
                     kw_false, kw_force, kw_from, kw_given, kw_if, kw_in, kw_is, kw_list,
                     kw_missing, kw_module, kw_no, kw_not, kw_of, kw_one, kw_optional, kw_or,
                     kw_outputs, kw_policy, kw_rule, kw_source, kw_then, kw_to, kw_true, kw_type,
                     kw_until, kw_use, kw_version, kw_when, kw_yes> {};
// clang-format on

// Names: `outcome`, `employee.classification`. Only the first part is checked
// against the keywords, so `move.from_agency` and `employee.type` are fine.
struct ident : seq<not_at<keyword>, word> {};
struct name : seq<ident, star<one<'.'>, word>> {};
// Rule names may use hyphens: `non-ongoing-refused`.
struct rule_name : seq<ranges<'a', 'z', 'A', 'Z'>, star<sor<ranges<'a', 'z', 'A', 'Z', '0', '9'>, one<'_', '-'>>>> {};

struct escaped : seq<one<'\\'>, one<'"', '\\', 'n', 't'>> {};
struct text_char : sor<escaped, seq<not_one<'"', '\\', '\n', '\r'>>> {};
struct text_open : one<'"'> {};
struct text_close : one<'"'> {};
struct text_lit : seq<text_open, star<text_char>, must<text_close>> {};

struct digits : plus<digit> {};
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<ident_other>> {};
struct decimal_lit : seq<digits, one<'.'>, digits, not_at<ident_other>> {};
struct int_lit : seq<digits, not_at<ident_other>> {};
struct duration_unit : sor<key<TAO_PEGTL_STRING("days")>, key<TAO_PEGTL_STRING("day")>,
                           key<TAO_PEGTL_STRING("weeks")>, key<TAO_PEGTL_STRING("week")>,
                           key<TAO_PEGTL_STRING("months")>, key<TAO_PEGTL_STRING("month")>,
                           key<TAO_PEGTL_STRING("years")>, key<TAO_PEGTL_STRING("year")>> {};
struct duration_lit : seq<digits, plus<blank>, duration_unit> {};
struct true_lit : sor<kw_yes, kw_true> {};
struct false_lit : sor<kw_no, kw_false> {};

// ---- expressions -------------------------------------------------------------

struct expr;
struct paren_close : one<')'> {};
struct paren_expr : seq<expr> {};
struct paren : seq<one<'('>, sp, must<paren_expr>, sp, must<paren_close>> {};

// Aggregates over a list (none of these words is reserved; each form is told
// apart by the words that follow: `count of`, `sum of`, `every c in`):
//   count of c in L [where C]
//   sum|min|max of E for each c in L [where C] [else D]
//   every|some c in L satisfies C
//   [E for each c in L [where C]]
struct add_expr;
struct kw_for : key<TAO_PEGTL_STRING("for")> {};
struct kw_each : key<TAO_PEGTL_STRING("each")> {};
struct kw_where : key<TAO_PEGTL_STRING("where")> {};
struct kw_satisfies : key<TAO_PEGTL_STRING("satisfies")> {};
struct agg_var : ident {};
struct agg_var_expected : agg_var {};
struct agg_in_expected : kw_in {};
struct agg_list : seq<add_expr> {};
struct agg_list_expected : agg_list {};
struct agg_cond : seq<expr> {};
struct agg_where : seq<kw_where, sp, must<agg_cond>> {};
struct agg_default : seq<expr> {};
struct agg_else : seq<kw_else, sp, must<agg_default>> {};
struct each_expected : kw_each {};
struct for_each_expected : kw_for {};
struct satisfies_expected : kw_satisfies {};
struct agg_source : seq<must<agg_var_expected>, sp, must<agg_in_expected>, sp, must<agg_list_expected>> {};
struct agg_value : seq<expr> {};
struct agg_op : sor<key<TAO_PEGTL_STRING("sum")>, key<TAO_PEGTL_STRING("min")>, key<TAO_PEGTL_STRING("max")>> {};
struct count_of : seq<key<TAO_PEGTL_STRING("count")>, sp, kw_of, sp, agg_source, opt<sp, agg_where>> {};
struct fold_of : seq<agg_op, sp, kw_of, sp, must<agg_value>, sp, must<for_each_expected>, sp, must<each_expected>, sp,
                     agg_source, opt<sp, agg_where>, opt<sp, agg_else>> {};
struct quantifier_op : sor<key<TAO_PEGTL_STRING("every")>, key<TAO_PEGTL_STRING("some")>> {};
struct quantifier : seq<quantifier_op, sp, agg_var, sp, kw_in, sp, must<agg_list_expected>, sp,
                        must<satisfies_expected>, sp, must<agg_cond>> {};
struct aggregate : sor<count_of, fold_of, quantifier> {};

struct list_guard : seq<kw_if, sp, expr> {};
struct list_item : seq<expr, opt<sp, list_guard>> {};
struct list_close : one<']'> {};
// `[E for each c in L where C]`: told from a list by `for` after the first item,
// so nothing is parsed twice.
struct comprehension : seq<kw_for, sp, must<each_expected>, sp, agg_source, opt<sp, agg_where>> {};
struct list_lit : seq<one<'['>, sp,
                      opt<list_item, sp, sor<seq<comprehension, sp>, star<one<','>, sp, list_item, sp>>>,
                      must<list_close>> {};

struct call_close : one<')'> {};
struct call_name : ident {};
// A record is built with its type's name and named fields: `child(birth_date: 2010-01-01, in_care: no)`.
// A field's name may be any word, keywords included (`use: used`), since a ':' follows it.
struct arg_name : word {};
struct named_value : seq<expr> {};
struct named_arg : seq<at<word, sp, one<':'>>, arg_name, sp, one<':'>, sp, must<named_value>> {};
struct call_arg : sor<named_arg, expr> {};
struct call : seq<call_name, one<'('>, sp, opt<call_arg, sp, star<one<','>, sp, call_arg, sp>>, must<call_close>> {};

struct primary : sor<paren, aggregate, list_lit, date_lit, duration_lit, decimal_lit, int_lit, text_lit,
                     true_lit, false_lit, call, name> {};

struct operand_expected : primary {};
struct negate;
struct pow_expr;
struct unary : sor<negate, pow_expr> {};
struct unary_operand : unary {};
struct negate : seq<one<'-'>, sp, must<unary_operand>> {};

// `**` binds tighter than `*` and `-x`: `-x ** 2` is -(x ** 2); its right side
// may be negated (`x ** -n`).
struct op_pow : seq<one<'*'>, one<'*'>> {};
struct pow_operand : unary {};
struct pow_expr : seq<primary, opt<sp, op_pow, sp, must<pow_operand>>> {};

struct op_mul : seq<one<'*'>, not_at<one<'*'>>> {};
struct op_div : one<'/'> {};
// `mod` binds like `*`. It is not reserved: `mod` followed by '=' is the next assignment of a `then`.
struct op_mod : seq<key<TAO_PEGTL_STRING("mod")>, not_at<sp, one<'='>>> {};
struct mul_operand : unary {};
struct mul_expr : seq<unary, star<sp, sor<op_mul, op_div, op_mod>, sp, must<mul_operand>>> {};

struct op_add : one<'+'> {};
struct op_sub : seq<one<'-'>, not_at<one<'-'>>> {};
struct add_operand : seq<mul_expr> {};
struct add_expr : seq<mul_expr, star<sp, sor<op_add, op_sub>, sp, must<add_operand>>> {};

struct cmp_operand : seq<add_expr> {};
struct one_of_list : list_lit {};
struct t_is_given : seq<kw_is, sp, kw_given> {};
struct t_is_missing : seq<kw_is, sp, kw_missing> {};
struct t_not_one_of : seq<kw_is, sp, kw_not, sp, kw_one, sp, kw_of, sp, must<one_of_list>> {};
struct t_one_of : seq<kw_is, sp, kw_one, sp, kw_of, sp, must<one_of_list>> {};
struct t_is_not : seq<kw_is, sp, kw_not, sp, must<cmp_operand>> {};
struct t_is : seq<kw_is, sp, must<cmp_operand>> {};
struct t_not_in : seq<kw_not, sp, kw_in, sp, must<cmp_operand>> {};
struct t_in : seq<kw_in, not_at<sp, kw_force>, sp, must<cmp_operand>> {};  // `in force` is a rule part
struct t_le : seq<string<'<', '='>, sp, must<cmp_operand>> {};
struct t_ge : seq<string<'>', '='>, sp, must<cmp_operand>> {};
struct t_lt : seq<one<'<'>, sp, must<cmp_operand>> {};
struct t_gt : seq<one<'>'>, sp, must<cmp_operand>> {};
// '=' or '==' where a comparison belongs: a common slip, reported with the fix.
struct use_is_instead : failure {};
// (Not '=>', which ends a table row's cells: issue 14.)
struct t_equals_slip : seq<at<one<'='>, not_at<one<'>'>>>, must<use_is_instead>> {};
// Text tests. `contains`, `starts` and `with` are not reserved words (a fact
// may still be called `starts`); `contains` followed by '=' is the next
// assignment of a `then`, not a test.
struct kw_contains : key<TAO_PEGTL_STRING("contains")> {};
struct kw_starts : key<TAO_PEGTL_STRING("starts")> {};
struct kw_with : key<TAO_PEGTL_STRING("with")> {};
struct t_contains : seq<kw_contains, sp, not_at<one<'='>>, must<cmp_operand>> {};
struct t_starts_with : seq<kw_starts, sp, kw_with, sp, must<cmp_operand>> {};
struct cmp_tail : sor<t_is_given, t_is_missing, t_not_one_of, t_one_of, t_is_not, t_is, t_not_in,
                      t_in, t_le, t_ge, t_lt, t_gt, t_contains, t_starts_with, t_equals_slip> {};
struct cmp_expr : seq<add_expr, opt<sp, cmp_tail>> {};

struct not_operand;
struct negation : seq<kw_not, sp, must<not_operand>> {};
struct not_expr : sor<negation, cmp_expr> {};
struct not_operand : not_expr {};

struct and_operand : not_expr {};
struct and_expr : seq<not_expr, star<sp, kw_and, sp, must<and_operand>>> {};
struct or_operand : seq<and_expr> {};
struct or_expr : seq<and_expr, star<sp, kw_or, sp, must<or_operand>>> {};

struct if_then_kw : kw_then {};
struct if_else_kw : kw_else {};
struct if_cond : seq<expr> {};
struct if_then_value : seq<expr> {};
struct if_else_value : seq<expr> {};
struct if_expr : seq<kw_if, sp, must<if_cond>, sp, must<if_then_kw>, sp, must<if_then_value>, sp,
                     must<if_else_kw>, sp, must<if_else_value>> {};
struct expr : sor<if_expr, or_expr> {};

// ---- types -------------------------------------------------------------------

struct type_spec;
struct t_yes_no : seq<TAO_PEGTL_STRING("yes/no"), not_at<ident_other>> {};
struct t_number : key<TAO_PEGTL_STRING("number")> {};
struct t_decimal : sor<key<TAO_PEGTL_STRING("decimal")>, key<TAO_PEGTL_STRING("money")>> {};
struct t_text : key<TAO_PEGTL_STRING("text")> {};
struct t_date : key<TAO_PEGTL_STRING("date")> {};
struct t_duration : key<TAO_PEGTL_STRING("duration")> {};
// A member is a word, or quoted text when it is not a single word: "VERY LOW".
struct member : sor<ident, text_lit> {};
struct member_expected : member {};
struct ordered_members : seq<member, plus<sp, one<'<'>, sp, must<member_expected>>> {};
struct plain_members : seq<member, star<sp, one<','>, sp, member>> {};
struct of_expected : kw_of {};
struct members_expected : sor<ordered_members, plain_members> {};
struct t_one_of_spec : seq<kw_one, sp, must<of_expected>, sp, must<members_expected>> {};
struct list_elem_type : seq<type_spec> {};
struct t_list : seq<kw_list, sp, must<of_expected>, sp, must<list_elem_type>> {};
struct t_named : ident {};
struct type_spec : sor<t_yes_no, t_number, t_decimal, t_text, t_date, t_duration, t_one_of_spec,
                       t_list, t_named> {};

struct opt_optional : kw_optional {};
struct default_value : seq<expr> {};
struct opt_default : seq<kw_default, sp, must<default_value>> {};
// ---- collect outputs (issue 14) ----
// `sum of rules`, `min of rules`, `max of rules`, `list of rules`: every rule that
// applies contributes. `sum`, `min`, `max` and `rules` are not reserved.
struct collect_op : sor<key<TAO_PEGTL_STRING("sum")>, key<TAO_PEGTL_STRING("min")>, key<TAO_PEGTL_STRING("max")>,
                        key<TAO_PEGTL_STRING("list")>> {};
struct collect_rules_expected : seq<key<TAO_PEGTL_STRING("of")>, sp, key<TAO_PEGTL_STRING("rules")>> {};
struct opt_collect : seq<collect_op, sp, must<collect_rules_expected>> {};
struct field_option : sor<opt_optional, opt_default, opt_collect> {};
struct description : text_lit {};
struct type_expected : seq<type_spec> {};
struct colon : one<':'> {};
struct field_decl : seq<name, sp, must<colon>, sp, must<type_expected>,
                        star<sp, one<','>, sp, must<field_option>>, opt<sp, description>> {};

// ---- items -------------------------------------------------------------------

// Policy and module ids: dotted words that may hold hyphens, like aps.temporary-end.
struct id_part : seq<ident_first, star<sor<ident_other, one<'-'>>>> {};
struct policy_id : seq<id_part, star<one<'.'>, id_part>> {};
struct policy_id_expected : policy_id {};
struct title : text_lit {};
struct version_text : plus<sor<ranges<'a', 'z', 'A', 'Z', '0', '9'>, one<'.', '_', '-'>>> {};
struct h_version : seq<kw_version, sp, must<version_text>> {};
struct from_date : date_lit {};
struct until_date : date_lit {};
struct force_expected : kw_force {};
struct from_expected : kw_from {};
struct h_in_force : seq<kw_in, sp, must<force_expected>, sp, must<from_expected>, sp, must<from_date>,
                        opt<sp, kw_until, sp, must<until_date>>> {};
struct source_text : text_lit {};
struct h_source : seq<kw_source, sp, must<source_text>> {};
struct policy_head : seq<kw_policy, sp, must<policy_id_expected>, opt<sp, title>,
                         star<sp, sor<h_version, h_in_force, h_source>>> {};
struct module_head : seq<kw_module, sp, must<policy_id_expected>, opt<sp, title>> {};
struct use_decl : seq<kw_use, sp, must<policy_id_expected>> {};

struct type_name : ident {};
struct equals : one<'='> {};
struct equals_expected : equals {};
// A record: `type child = record "description"` and one field per line, each
// declared like a fact. `record` is not reserved; a field's name may be any
// word, keywords included (`use : one of owned, used`), since a ':' follows it.
struct kw_record_type : key<TAO_PEGTL_STRING("record")> {};
struct record_field_name : word {};
struct record_description : text_lit {};
struct record_field : seq<at<word, sp, one<':'>>, record_field_name, sp, must<colon>, sp, must<type_expected>,
                          star<sp, one<','>, sp, must<field_option>>, opt<sp, description>> {};
struct t_record : seq<kw_record_type, opt<sp, record_description>, star<sp, record_field>> {};
struct type_decl : seq<kw_type, sp, must<type_name>, sp, must<equals_expected>, sp,
                       sor<t_record, must<type_expected>>, opt<sp, description>> {};

struct facts_block : seq<kw_facts, star<sp, field_decl>> {};
struct outputs_block : seq<kw_outputs, star<sp, field_decl>> {};

struct define_name : ident {};
// ---- sub-decisions (issue 14) ----
// `decision of fr.smic with region = household.region, children = household.children`:
// another loaded policy decided with the given facts. Only a define's whole value;
// `decision` is not reserved (it is told apart by `of` and a policy id after it).
struct kw_decision : key<TAO_PEGTL_STRING("decision")> {};
struct sub_policy_expected : policy_id {};
struct sub_with_expected : kw_with {};
struct sub_binding_value : seq<expr> {};
struct sub_binding : seq<name, sp, one<'='>, sp, must<sub_binding_value>> {};
struct sub_binding_expected : sub_binding {};
struct sub_decision : seq<kw_decision, sp, kw_of, sp, must<sub_policy_expected>, sp, must<sub_with_expected>, sp,
                          must<sub_binding_expected>, star<sp, one<','>, sp, must<sub_binding_expected>>> {};
// ---- end of sub-decisions ----
struct define_value : sor<sub_decision, expr> {};
// A function: `define days_used(p: period, window_start: date) = ...`.
struct param_name : ident {};
struct param : seq<param_name, sp, must<colon>, sp, must<type_expected>> {};
// A rule with an error message fails loudly (errors.hpp), so the first
// parameter, which may be absent (`f()`), is a plain `param`.
struct param_expected : seq<param> {};
struct params_close : one<')'> {};
struct define_params : seq<one<'('>, sp, opt<param, sp, star<one<','>, sp, must<param_expected>, sp>>,
                           must<params_close>> {};
struct define_decl : seq<kw_define, sp, must<define_name>, opt<sp, define_params>, sp, must<equals_expected>, sp,
                         must<define_value>> {};

struct rule_name_expected : rule_name {};
struct rule_title : text_lit {};
struct cite_text : text_lit {};
struct r_cite : seq<kw_cite, sp, must<cite_text>> {};
struct exception_target : rule_name {};
struct to_expected : kw_to {};
struct r_exception : seq<kw_exception, sp, must<to_expected>, sp, must<exception_target>,
                         star<sp, one<','>, sp, must<exception_target>>> {};
struct condition : seq<expr> {};
struct r_when : seq<kw_when, sp, must<condition>> {};
struct assign_value : seq<expr> {};
struct assignment : seq<name, sp, equals, sp, must<assign_value>> {};
struct assignment_expected : assignment {};
struct r_then : seq<kw_then, sp, must<assignment_expected>, star<sp, opt<one<','>, sp>, assignment>> {};
// An assignment where a part belongs: the `then` before it is missing. Reported
// as such rather than as "expected 'rule', ..." at the next item.
struct then_missing : failure {};
struct r_then_slip : seq<at<name, sp, one<'='>, not_at<one<'='>>>, must<then_missing>> {};
// ---- labels (issue 14) ----
// `label NAME`: not a reserved word (a policy may have a fact called `label`);
// recognised only as a rule part.
struct kw_label : key<TAO_PEGTL_STRING("label")> {};
struct label_name : rule_name {};
struct r_label : seq<kw_label, sp, must<label_name>> {};
// ---- per-rule in force (issue 14, law-values): `in force from DATE [until DATE]`, spelt as the header's ----
struct r_in_force : seq<kw_in, sp, must<force_expected>, sp, must<from_expected>, sp, must<from_date>,
                        opt<sp, kw_until, sp, must<until_date>>> {};
struct rule_part : sor<r_cite, r_exception, r_when, r_then, r_then_slip, r_label, r_in_force> {};
struct rule_decl : seq<kw_rule, sp, must<rule_name_expected>, opt<sp, rule_title>, star<sp, rule_part>> {};

// ---- tables (issue 14) ----
// A decision table: each row becomes a rule `NAME.N` (src/lang/tables.cpp).
// `table`, `hit`, `row`, `any` and the hit policies are not reserved words.
struct kw_table : key<TAO_PEGTL_STRING("table")> {};
struct table_name : rule_name {};
struct table_title : text_lit {};
struct hit_policy : sor<key<TAO_PEGTL_STRING("unique")>, key<TAO_PEGTL_STRING("first")>,
                        key<TAO_PEGTL_STRING("priority")>, key<TAO_PEGTL_STRING("sum")>,
                        key<TAO_PEGTL_STRING("min")>, key<TAO_PEGTL_STRING("max")>, key<TAO_PEGTL_STRING("list")>> {};
struct t_hit : seq<key<TAO_PEGTL_STRING("hit")>, sp, must<hit_policy>> {};
struct given_column : seq<expr> {};
struct t_given : seq<kw_given, sp, must<given_column>, star<sp, one<','>, sp, must<given_column>>> {};
struct then_output : seq<name> {};
struct t_then : seq<kw_then, sp, must<then_output>, star<sp, one<','>, sp, must<then_output>>> {};
struct cell_bound : seq<expr> {};
struct cell_any : key<TAO_PEGTL_STRING("any")> {};
struct cell_le : seq<string<'<', '='>, sp, must<cell_bound>> {};
struct cell_ge : seq<string<'>', '='>, sp, must<cell_bound>> {};
struct cell_lt : seq<one<'<'>, sp, must<cell_bound>> {};
struct cell_gt : seq<one<'>'>, sp, must<cell_bound>> {};
struct cell_one_of : seq<kw_one, sp, must<of_expected>, sp, must<one_of_list>> {};
struct cell_not : seq<kw_not, sp, must<cell_bound>> {};
struct cell_range_hi : seq<expr> {};
struct cell_value : seq<expr, opt<sp, kw_to, sp, must<cell_range_hi>>> {};
struct cell : sor<cell_any, cell_le, cell_ge, cell_lt, cell_gt, cell_one_of, cell_not, cell_value> {};
struct cell_expected : seq<cell> {};
struct row_arrow : string<'=', '>'> {};
struct row_arrow_expected : row_arrow {};
struct out_cell : seq<expr> {};
struct t_row : seq<key<TAO_PEGTL_STRING("row")>, sp, must<cell_expected>, star<sp, one<'|'>, sp, must<cell_expected>>,
                   sp, must<row_arrow_expected>, sp, must<out_cell>, star<sp, one<'|'>, sp, must<out_cell>>> {};
struct table_part : sor<r_cite, t_hit, t_given, t_then, t_row> {};
struct table_decl : seq<kw_table, sp, must<table_name>, opt<sp, table_title>, star<sp, table_part>> {};

// ---- dated parameters (issue 14, law-values) ----
// parameter NAME "title"  then `cite "..."` and `from DATE: VALUE` lines, in any order.
// `parameter` is not reserved: it is recognised at the start of an item only.
struct kw_parameter : key<TAO_PEGTL_STRING("parameter")> {};
struct parameter_name : ident {};
struct parameter_name_expected : parameter_name {};
struct parameter_date : date_lit {};
struct parameter_date_expected : parameter_date {};
struct parameter_colon : one<':'> {};
struct parameter_value : seq<expr> {};
struct p_from : seq<kw_from, sp, must<parameter_date_expected>, sp, must<parameter_colon>, sp, must<parameter_value>> {};
struct parameter_decl : seq<kw_parameter, sp, must<parameter_name_expected>, opt<sp, title>,
                            star<sp, sor<r_cite, p_from>>> {};

// ---- internal values (issue 14, law-values): written like `outputs`, not returned ----
struct kw_internal : key<TAO_PEGTL_STRING("internal")> {};
struct internal_block : seq<kw_internal, star<sp, field_decl>> {};

// ---- require (issue 14, law-require): `require CONDITION "message"`, a check on the facts ----
// `require` is not reserved: it is recognised at the start of an item only.
struct kw_require : key<TAO_PEGTL_STRING("require")> {};
struct require_condition : seq<expr> {};
struct require_message : text_lit {};
struct require_decl : seq<kw_require, sp, must<require_condition>, sp, must<require_message>> {};

struct item : sor<policy_head, module_head, use_decl, type_decl, facts_block, outputs_block,
                  define_decl, rule_decl, table_decl, parameter_decl, internal_block, require_decl> {};
struct item_expected : eof {};
// A file is parsed in chunks, each starting at a top-level keyword in column 1,
// so one broken rule does not hide the errors in the next (see parser.cpp).
struct chunk : seq<sp, star<item, sp>, must<item_expected>> {};

}  // namespace rulebook::grammar
