// The message for each place where the grammar says "this must follow".
// Written for a policy officer: what was expected, in the language's own words.
#pragma once

#include "lang/grammar.hpp"

namespace rulebook::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<text_close> = "this text has no closing '\"' before the end of the line";
template <> inline constexpr const char* error_message<star<text_char>> = "unreadable text";
template <> inline constexpr const char* error_message<paren_expr> = "expected an expression after '('";
template <> inline constexpr const char* error_message<paren_close> = "expected ')' to close the '(' opened earlier";
template <> inline constexpr const char* error_message<list_close> = "expected ']' to close the list, or ',' before the next item";
template <> inline constexpr const char* error_message<named_value> = "expected the field's value after ':', as in birth_date: 2010-01-01";
template <> inline constexpr const char* error_message<call_close> = "expected ')' to close the function's arguments, or ',' before the next one";
template <> inline constexpr const char* error_message<unary_operand> = "expected a value after '-'";
template <> inline constexpr const char* error_message<mul_operand> = "expected a value after '*', '/' or 'mod'";
template <> inline constexpr const char* error_message<pow_operand> = "expected a whole number after '**'";
template <> inline constexpr const char* error_message<add_operand> = "expected a value after '+' or '-'";
template <> inline constexpr const char* error_message<cmp_operand> = "expected a value to compare with";
template <> inline constexpr const char* error_message<one_of_list> = "expected a list like [a, b] after 'one of'";
template <> inline constexpr const char* error_message<not_operand> = "expected a condition after 'not'";
template <> inline constexpr const char* error_message<and_operand> = "expected a condition after 'and'";
template <> inline constexpr const char* error_message<or_operand> = "expected a condition after 'or'";
template <> inline constexpr const char* error_message<if_cond> = "expected a condition after 'if'";
template <> inline constexpr const char* error_message<if_then_kw> = "expected 'then' after the condition of 'if'";
template <> inline constexpr const char* error_message<if_then_value> = "expected a value after 'then'";
template <> inline constexpr const char* error_message<if_else_kw> = "expected 'else': an 'if' expression needs a value for both cases";
template <> inline constexpr const char* error_message<if_else_value> = "expected a value after 'else'";
template <> inline constexpr const char* error_message<of_expected> = "expected 'of', as in 'one of a, b' or 'list of party'";
template <> inline constexpr const char* error_message<members_expected> = "expected the allowed values, like 'one of ongoing, temporary' or 'one of APS1 < APS2'";
template <> inline constexpr const char* error_message<member_expected> = "expected a value name after '<'";
template <> inline constexpr const char* error_message<list_elem_type> = "expected the type of the list's items after 'list of'";
template <> inline constexpr const char* error_message<param_expected> = "expected a parameter and its type, like 'p: period' or 'start: date'";
template <> inline constexpr const char* error_message<params_close> = "expected ')' to close the parameters, or ',' before the next one";
template <> inline constexpr const char* error_message<agg_var_expected> = "expected a name for each item, as in 'for each c in household.children'";
template <> inline constexpr const char* error_message<agg_in_expected> = "expected 'in' and the list, as in 'c in household.children'";
template <> inline constexpr const char* error_message<agg_list_expected> = "expected the list to go through after 'in'";
template <> inline constexpr const char* error_message<agg_cond> = "expected a condition";
template <> inline constexpr const char* error_message<agg_default> = "expected the value to take when no item is read, after 'else'";
template <> inline constexpr const char* error_message<agg_value> = "expected the value to add up or compare, as in 'sum of p.days for each p in ...'";
template <> inline constexpr const char* error_message<each_expected> = "expected 'each', as in 'for each c in ...'";
template <> inline constexpr const char* error_message<for_each_expected> = "expected 'for each', as in 'sum of p.days for each p in employee.service'";
template <> inline constexpr const char* error_message<satisfies_expected> = "expected 'satisfies' and a condition, as in 'every c in L satisfies c.in_care'";
template <> inline constexpr const char* error_message<colon> = "expected ':' and a type after the name (or is this a misspelled keyword?)";
template <> inline constexpr const char* error_message<type_expected> = "expected a type: yes/no, number, decimal, money, text, date, duration, 'one of ...', 'list of ...' or a type name";
template <> inline constexpr const char* error_message<field_option> = "expected 'optional' or 'default <value>' after ','";
template <> inline constexpr const char* error_message<default_value> = "expected a value after 'default'";
template <> inline constexpr const char* error_message<policy_id_expected> = "expected a policy or module id, like aps.s26";
template <> inline constexpr const char* error_message<version_text> = "expected a version after 'version', like 2022";
template <> inline constexpr const char* error_message<force_expected> = "expected 'in force from <date>'";
template <> inline constexpr const char* error_message<from_expected> = "expected 'in force from <date>'";
template <> inline constexpr const char* error_message<from_date> = "expected a date in the form YYYY-MM-DD after 'from'";
template <> inline constexpr const char* error_message<until_date> = "expected a date in the form YYYY-MM-DD after 'until'";
template <> inline constexpr const char* error_message<source_text> = "expected the source in quotes after 'source'";
template <> inline constexpr const char* error_message<type_name> = "expected a name for the type after 'type'";
template <> inline constexpr const char* error_message<equals_expected> = "expected '='";
template <> inline constexpr const char* error_message<define_name> = "expected a name after 'define'";
template <> inline constexpr const char* error_message<define_value> = "expected an expression after '='";
template <> inline constexpr const char* error_message<cite_text> = "expected the citation in quotes after 'cite', like \"PS Act s26\"";
template <> inline constexpr const char* error_message<to_expected> = "expected 'to' after 'exception', as in 'exception to ongoing-move-agreed'";
template <> inline constexpr const char* error_message<exception_target> = "expected the name of the rule this one is an exception to";
template <> inline constexpr const char* error_message<condition> = "expected a condition after 'when'";
template <> inline constexpr const char* error_message<assign_value> = "expected a value after '='";
template <> inline constexpr const char* error_message<assignment_expected> = "expected an assignment like 'outcome = approved' after 'then'";
template <> inline constexpr const char* error_message<rule_name_expected> = "expected a rule name after 'rule', like ongoing-move-agreed";
template <> inline constexpr const char* error_message<item_expected> = "expected 'rule', 'define', 'facts', 'outputs', 'type', 'use', 'parameter', 'internal', 'table', 'require', 'policy' or 'module' here";
template <> inline constexpr const char* error_message<then_missing> = "expected 'then' before this assignment: a rule sets its outputs after 'then', as in 'then outcome = approved'";
template <> inline constexpr const char* error_message<use_is_instead> = "to compare, write 'is' (as in 'count(x) is 0', or 'is not'); '=' only sets an output after 'then'";
// ---- labels, collect outputs, tables (issue 14) ----
template <> inline constexpr const char* error_message<label_name> = "expected a label name after 'label', like rate-rules";
template <> inline constexpr const char* error_message<collect_rules_expected> = "expected 'of rules', as in 'sum of rules'";
template <> inline constexpr const char* error_message<table_name> = "expected a table name after 'table', like extra-vacation";
template <> inline constexpr const char* error_message<hit_policy> = "expected a hit policy after 'hit': unique, first, priority, sum, min, max or list";
template <> inline constexpr const char* error_message<given_column> = "expected a column after 'given', like employee.age";
template <> inline constexpr const char* error_message<then_output> = "expected an output after 'then', like extra_days";
template <> inline constexpr const char* error_message<cell_expected> = "expected a cell: any, a value, < x, <= x, > x, >= x, a to b, one of [a, b] or not x";
template <> inline constexpr const char* error_message<cell_bound> = "expected a value in this cell";
template <> inline constexpr const char* error_message<cell_range_hi> = "expected the upper bound after 'to', as in 18 to 59";
template <> inline constexpr const char* error_message<row_arrow_expected> = "expected '|' before the next cell, or '=>' before the output cells";
template <> inline constexpr const char* error_message<out_cell> = "expected an output value in this cell";
// ---- dated parameters (issue 14, law-values) ----
template <> inline constexpr const char* error_message<parameter_name_expected> = "expected a name after 'parameter', like notice_period";
template <> inline constexpr const char* error_message<parameter_date_expected> = "expected a date in the form YYYY-MM-DD after 'from', as in 'from 2016-12-01: 4 weeks'";
template <> inline constexpr const char* error_message<parameter_colon> = "expected ':' and the value after the date, as in 'from 2016-12-01: 4 weeks'";
template <> inline constexpr const char* error_message<parameter_value> = "expected the parameter's value after ':'";
// ---- sub-decisions (issue 14) ----
template <> inline constexpr const char* error_message<sub_policy_expected> = "expected a policy id after 'decision of', like fr.smic";
template <> inline constexpr const char* error_message<sub_with_expected> = "expected 'with' and the other policy's facts, as in 'decision of fr.smic with region = household.region'";
template <> inline constexpr const char* error_message<sub_binding_expected> = "expected a fact of the other policy and its value, as in 'region = household.region'";
template <> inline constexpr const char* error_message<sub_binding_value> = "expected a value after '='";
// ---- require (issue 14, law-require) ----
template <> inline constexpr const char* error_message<require_condition> = "expected a condition after 'require', as in 'require dates.end > dates.start \"the end must be after the start\"'";
template <> inline constexpr const char* error_message<require_message> = "expected the message in quotes after the condition, as in 'require dates.end > dates.start \"the end must be after the start\"'";
// clang-format on

struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
};

}  // namespace rulebook::grammar
