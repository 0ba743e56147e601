// The grammar of readable scenario suites (docs/scenarios.md), as PEGTL rules.
// It reuses the rule language's lexical rules (comments, names, text, dates,
// numbers, durations, yes/no), so values read exactly as they do in a policy.
//
// Layout: whitespace and comments are insignificant. A list of facts or of
// expectations needs no separators because every item starts with a name and
// '=' or with a keyword, and values never contain a bare '='.
// Values nest (lists of records of lists...): the parser bounds the depth (depth_guard).
#pragma once

#include "lang/errors.hpp"
#include "lang/grammar.hpp"

namespace rulebook::scenario_grammar {

using namespace tao::pegtl;
namespace g = rulebook::grammar;
using g::sp;

// clang-format off
struct kw_suite : g::key<TAO_PEGTL_STRING("suite")> {};
struct kw_scenario : g::key<TAO_PEGTL_STRING("scenario")> {};
struct kw_for : g::key<TAO_PEGTL_STRING("for")> {};
struct kw_as : g::key<TAO_PEGTL_STRING("as")> {};
struct kw_expect : g::key<TAO_PEGTL_STRING("expect")> {};
struct kw_fired : g::key<TAO_PEGTL_STRING("fired")> {};
struct kw_all : g::key<TAO_PEGTL_STRING("all")> {};
struct kw_error : g::key<TAO_PEGTL_STRING("error")> {};
struct kw_at : g::key<TAO_PEGTL_STRING("at")> {};
struct kw_between : g::key<TAO_PEGTL_STRING("between")> {};
struct kw_null : g::key<TAO_PEGTL_STRING("null")> {};
struct kw_table : g::key<TAO_PEGTL_STRING("table")> {};
struct kw_hash : g::key<TAO_PEGTL_STRING("hash")> {};
// clang-format on

// ---- values --------------------------------------------------------------------

struct v_null : sor<kw_null, g::kw_missing> {};
struct v_true : g::true_lit {};
struct v_false : g::false_lit {};
struct v_date : g::date_lit {};
struct v_duration : g::duration_lit {};
struct v_decimal : seq<opt<one<'-'>>, g::decimal_lit> {};
struct v_int : seq<opt<one<'-'>>, g::int_lit> {};
struct v_text : g::text_lit {};
struct v_word : g::word {};
struct scalar : sor<v_null, v_date, v_duration, v_decimal, v_int, v_text, v_true, v_false, v_word> {};

// Records and lists nest: `[child(birth_date: 2010-01-01), child(birth_date: 2015-06-30, in_care: no)]`.
// A record is written as the rule language builds it, with its type's name and
// named fields; in the request it is a JSON object. `nested` is the recursive
// rule, bounded by the parser (depth_guard).
struct nested;
struct list_item_expected : seq<nested> {};
struct list_close : one<']'> {};
struct v_list : seq<one<'['>, sp, opt<nested, sp, star<one<','>, sp, must<list_item_expected>, sp>>, must<list_close>> {};
struct v_record_type : g::word {};
struct v_field_name : g::word {};
struct field_value_expected : seq<nested> {};
struct v_field : seq<v_field_name, sp, one<':'>, sp, must<field_value_expected>> {};
struct v_field_expected : v_field {};
struct record_close : one<')'> {};
struct v_record : seq<v_record_type, one<'('>, sp, opt<v_field, sp, star<one<','>, sp, must<v_field_expected>, sp>>,
                      must<record_close>> {};
struct nested : sor<v_list, v_record, scalar> {};
struct value : sor<v_list, v_record, scalar> {};
struct value_expected : value {};

// ---- names ---------------------------------------------------------------------

// Words that start the next part of a suite, so never a fact's first name.
struct part_keyword : sor<kw_suite, kw_scenario, kw_expect, kw_as, kw_for, kw_table> {};
struct policy_ref : seq<g::policy_id> {};
// A table's row is a rule TABLE.N (issue 14).
struct rule_ref : seq<g::rule_name, opt<one<'.'>, plus<ranges<'0', '9'>>>> {};
struct fact_path : seq<g::word, star<sor<seq<one<'.'>, g::word>, seq<one<'['>, g::digits, one<']'>>>>> {};
struct fact_path_expected : fact_path {};

// ---- facts -------------------------------------------------------------------

struct fact_name : seq<not_at<part_keyword>, g::name> {};
struct equals_expected : one<'='> {};
struct fact_assign : seq<fact_name, sp, must<equals_expected>, sp, must<value_expected>> {};
// `define NAME = VALUE`: fixes a define's value, whatever the facts (docs/scenarios.md).
struct define_name : g::word {};
struct define_assign : seq<g::kw_define, sp, must<define_name>, sp, must<equals_expected>, sp, must<value_expected>> {};
struct given_item : sor<define_assign, fact_assign> {};
struct fact_expected : given_item {};
struct given_block : seq<g::kw_given, sp, must<fact_expected>, star<sp, given_item>> {};

struct of_expected : g::kw_of {};
struct as_of_date : g::date_lit {};
struct as_of : seq<kw_as, sp, must<of_expected>, sp, must<as_of_date>> {};

// ---- expectations --------------------------------------------------------------

struct rule_list : seq<must<rule_ref>, star<sp, one<','>, sp, must<rule_ref>>> {};
struct path_list : seq<must<fact_path_expected>, star<sp, one<','>, sp, must<fact_path_expected>>> {};

struct output_name : g::name {};
struct e_output : seq<at<g::name, sp, one<'='>>, output_name, sp, one<'='>, sp, must<value_expected>> {};
struct fired_expected : kw_fired {};
struct e_not_fired : seq<g::kw_not, sp, must<fired_expected>, sp, rule_list> {};
struct e_fired : seq<kw_fired, sp, rule_list> {};
struct e_all : kw_all {};
struct error_code : g::word {};
struct e_error_at : seq<kw_at, sp, path_list> {};
struct e_error_between : seq<kw_between, sp, rule_list> {};
struct e_error : seq<kw_error, sp, must<error_code>, opt<sp, sor<e_error_at, e_error_between>>> {};
// `version 2016`, `hash sha256:...`: which version of the policy must answer.
struct version_text : plus<not_one<' ', '\t', '\r', '\n', '#'>> {};
struct e_version : seq<g::kw_version, sp, must<version_text>> {};
struct e_hash : seq<kw_hash, sp, must<version_text>> {};
struct expect_item : sor<e_output, e_not_fired, e_fired, e_all, e_error, e_version, e_hash> {};
struct expect_item_expected : expect_item {};

// ---- suite and scenarios ---------------------------------------------------------

struct suite_title : g::text_lit {};
struct for_expected : kw_for {};
struct header_part : sor<as_of, given_block> {};
struct header_end : sor<at<kw_scenario>, eof> {};
struct suite_header : seq<kw_suite, sp, must<suite_title>, sp, must<for_expected>, sp, must<policy_ref>,
                          star<sp, header_part>, sp, must<header_end>> {};

struct scenario_name : g::text_lit {};
struct scenario_policy : seq<kw_for, sp, must<policy_ref>> {};
struct scenario_part : sor<as_of, given_block> {};
struct scenario_end : sor<at<kw_scenario>, eof> {};
// A table: a header row of fact names and `expect OUTPUT` columns, then one
// row of values per case. Rows are written between pipes, one to a line.
struct tbl_blank : star<one<' ', '\t'>> {};
struct tbl_bar : one<'|'> {};
struct row_end : one<'|'> {};  // the bar that must close a row (the one with the error message)
struct column_output : output_name {};
struct column_fact : fact_name {};
struct column : sor<seq<kw_expect, tbl_blank, must<column_output>>, column_fact> {};
struct column_expected : column {};
struct table_header : seq<tbl_bar, tbl_blank, must<column_expected>, star<tbl_blank, tbl_bar, tbl_blank, column>, tbl_blank, must<row_end>> {};
struct cell : value {};
struct cell_expected : cell {};
struct table_row : seq<tbl_bar, tbl_blank, must<cell_expected>, star<tbl_blank, tbl_bar, tbl_blank, cell>, tbl_blank, must<row_end>> {};
struct table_header_expected : table_header {};
struct table_block : seq<kw_table, sp, must<table_header_expected>, star<sp, table_row>> {};
struct expect_block : seq<kw_expect, sp, must<expect_item_expected>, star<sp, expect_item>> {};
struct expect_expected : expect_block {};
struct scenario_body : sor<seq<table_block, opt<sp, expect_block>>, must<expect_expected>> {};
struct scenario : seq<kw_scenario, sp, must<scenario_name>, opt<sp, scenario_policy>, star<sp, scenario_part>, sp,
                      scenario_body, sp, must<scenario_end>> {};

// A file is parsed in chunks, each starting at `suite` or `scenario` in column
// 1, so one broken scenario does not hide the errors in the next.
struct chunk_end : eof {};
struct chunk : seq<sp, opt<suite_header, sp>, star<scenario, sp>, must<chunk_end>> {};

// ---- error messages --------------------------------------------------------------

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<list_item_expected> = "expected a value after ','";
template <> inline constexpr const char* error_message<field_value_expected> = "expected the field's value after ':', as in birth_date: 2010-01-01";
template <> inline constexpr const char* error_message<v_field_expected> = "expected a field after ',', as in in_care: no";
template <> inline constexpr const char* error_message<record_close> = "expected ')' to close the record, or ',' before the next field";
template <> inline constexpr const char* error_message<list_close> = "expected ']' to close the list, or ',' before the next item";
template <> inline constexpr const char* error_message<value_expected> = "expected a value: yes/no, a number, a date like 2026-03-02, \"text\", a word like APS6, a list like [a, b], a record like child(birth_date: 2010-01-01), or missing";
template <> inline constexpr const char* error_message<policy_ref> = "expected a policy id, like aps.s26";
template <> inline constexpr const char* error_message<rule_ref> = "expected a rule name, like ongoing-move-agreed";
template <> inline constexpr const char* error_message<fact_path_expected> = "expected a fact path, like dates.notice_given_on";
template <> inline constexpr const char* error_message<equals_expected> = "expected '=' and a value after the fact's name, like employee.classification = APS6";
template <> inline constexpr const char* error_message<fact_expected> = "expected a fact after 'given', like employee.classification = APS6 (or define NAME = VALUE)";
template <> inline constexpr const char* error_message<of_expected> = "expected 'of' after 'as', as in 'as of 2026-03-02'";
template <> inline constexpr const char* error_message<as_of_date> = "expected a date like 2026-03-02 after 'as of'";
template <> inline constexpr const char* error_message<fired_expected> = "expected 'fired' after 'not', as in 'not fired misconduct-defers'";
template <> inline constexpr const char* error_message<error_code> = "expected an error code after 'error', like invalid_facts, not_in_force or conflict";
template <> inline constexpr const char* error_message<expect_item_expected> = "expected what the decision should be after 'expect': OUTPUT = VALUE, fired RULE, not fired RULE, all, error CODE, version V or hash H";
template <> inline constexpr const char* error_message<suite_title> = "expected the suite's title in quotes after 'suite', as in suite \"Section 26 moves\" for aps.s26";
template <> inline constexpr const char* error_message<for_expected> = "expected 'for' and the policy id after the suite's title, as in suite \"Section 26 moves\" for aps.s26";
template <> inline constexpr const char* error_message<header_end> = "expected 'as of DATE', 'given' and facts, or the first 'scenario \"NAME\"'";
template <> inline constexpr const char* error_message<scenario_name> = "expected the scenario's name in quotes after 'scenario'";
template <> inline constexpr const char* error_message<expect_expected> = "expected 'expect' and what the decision should be, or a 'table' (a scenario has 'for', 'as of' and 'given' before it)";
template <> inline constexpr const char* error_message<version_text> = "expected the version (or hash) the policy must answer with, like 2016";
template <> inline constexpr const char* error_message<define_name> = "expected the name of a define after 'define', like by_agreement";
template <> inline constexpr const char* error_message<column_output> = "expected an output's name after 'expect' in the table's header, like | expect outcome |";
template <> inline constexpr const char* error_message<column_expected> = "expected a column: a fact's name or 'expect' and an output's name";
template <> inline constexpr const char* error_message<row_end> = "expected '|' to end the row (a table's rows are written | a | b |, one to a line)";
template <> inline constexpr const char* error_message<cell_expected> = "expected a value in this cell";
template <> inline constexpr const char* error_message<table_header_expected> = "expected the table's header row after 'table', like | move.kind | expect outcome |";
template <> inline constexpr const char* error_message<scenario_end> = "expected an expectation (OUTPUT = VALUE, fired RULE, not fired RULE, all, error CODE) or the next 'scenario'";
template <> inline constexpr const char* error_message<chunk_end> = "expected 'suite \"TITLE\" for POLICY' or 'scenario \"NAME\"'";
// clang-format on

// The messages above, then the rule language's own (for the rules reused from it).
struct errors {
  template <typename Rule>
  static constexpr const char* message =
      error_message<Rule> != nullptr ? error_message<Rule> : g::error_message<Rule>;
};

}  // namespace rulebook::scenario_grammar
