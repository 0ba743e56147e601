// Record values built with the type's name (`child(birth_date: 2010-01-01)`),
// record and list outputs set by rules, and dotted output names: the checker's
// diagnostics by code and position, values one by one, the decision JSON.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// Line 4 is the first line after the test header.
const char* kTypes =
    "type period = record \"a period of service\"\n"  // 4
    "  start : date\n"                                 // 5
    "  end   : date, optional\n"                       // 6
    "  use   : one of owned, used, default owned\n"    // 7
    "type child = record\n"                            // 8
    "  birth_date : date\n"                            // 9
    "  in_care    : yes/no, default yes\n"             // 10
    "  income     : money, optional\n"                 // 11
    "facts\n"                                          // 12
    "  employee.start : date\n"                        // 13
    "  employee.service : list of period, default []\n";  // 14

// `then v = EXPR` on line 19, the value at column 12.
test::Compiled with_value(const std::string& type, const std::string& expr) {
  return compile(std::string(kTypes) + "outputs\n  v : " + type + "\nrule r \"t\"\n  cite \"c\"\n  then v = " + expr + "\n");
}

}  // namespace

TEST_CASE("record values: built with the type's name, fields by name, defaults and absent optional fields") {
  auto c = with_value("child", "child(birth_date: employee.start, income: 12.5)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"employee", {{"start", "2010-01-01"}}}});
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("v") == "child(birth_date: 2010-01-01, in_care: yes, income: 12.5)");
  CHECK(decision_object_json(*c.program, r.decision) ==
        R"({"v":{"birth_date":"2010-01-01","in_care":true,"income":12.5}})");

  // Fields in any order; a keyword as a field's name; an optional field left out is null in JSON.
  auto p = with_value("period", "period(use: used, start: 2024-01-01)");
  INFO(test::all_messages(p.diagnostics));
  REQUIRE(p.program);
  auto rp = test::run(*p.program, json{{"employee", {{"start", "2010-01-01"}}}});
  REQUIRE_FALSE(rp.decision.error);
  CHECK(rp.out("v") == "period(start: 2024-01-01, use: used)");
  CHECK(decision_object_json(*p.program, rp.decision) == R"({"v":{"start":"2024-01-01","end":null,"use":"used"}})");
}

TEST_CASE("record values: usable wherever a record is expected: function arguments, comparisons, lists") {
  auto ok = compile(std::string(kTypes) +
                    "outputs\n  days : number\n  same : yes/no\n  periods : list of period\n"
                    "define span(p: period) = days_between(p.start, if p.end is given then p.end else as_of)\n"
                    "rule r \"t\"\n  cite \"c\"\n"
                    "  then days = span(period(start: 2024-01-01, end: 2024-01-31))\n"
                    "       same = period(start: employee.start) is period(start: employee.start, use: owned)\n"
                    "       periods = [period(start: employee.start), period(start: 2025-02-01, use: used)]\n");
  INFO(test::all_messages(ok.diagnostics));
  REQUIRE(ok.program);
  auto r = test::run(*ok.program, json{{"employee", {{"start", "2010-01-01"}}}});
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("days") == "30");
  CHECK(r.out("same") == "yes");
  CHECK(r.out("periods") == "[period(start: 2010-01-01, use: owned), period(start: 2025-02-01, use: used)]");
  CHECK(decision_object_json(*ok.program, r.decision) ==
        R"({"days":30,"same":true,"periods":[{"start":"2010-01-01","end":null,"use":"owned"},)"
        R"({"start":"2025-02-01","end":null,"use":"used"}]})");
}

TEST_CASE("record values: the checker reports misuse at its line and column, with a did-you-mean") {
  test::expect_diagnostic(with_value("child", "child(in_care: no)"), "missing-field", 19, 12,
                          "this child leaves out 'birth_date', which has no default");
  test::expect_diagnostic(with_value("child", "child(birth_date: 2010-01-01, in_cair: no)"), "unknown-field", 19, 42,
                          "a child has no field 'in_cair'; did you mean 'in_care'?");
  test::expect_diagnostic(with_value("child", "child(birth_date: 2010-01-01, in_care: 3)"), "type-mismatch", 19, 51,
                          "the field 'in_care' of a child is a yes/no value, but '3' is a number");
  test::expect_diagnostic(with_value("child", "child(birth_date: 2010-01-01, birth_date: 2011-01-01)"),
                          "duplicate-field", 19, 42, "the field 'birth_date' is given twice");
  test::expect_diagnostic(with_value("child", "child(2010-01-01)"), "unnamed-field", 19, 18,
                          "a child is built with its fields named, as in child(birth_date: ...)");
  CHECK_FALSE(with_value("child", "child(2010-01-01)").has("missing-field"));  // the unnamed value is the problem
  test::expect_diagnostic(with_value("number", "max(a: 1, 2)"), "named-argument", 19, 16,
                          "'a: ...' names a field");
  test::expect_diagnostic(with_value("child", "chlid(birth_date: 2010-01-01)"), "unknown-function", 19, 12,
                          "did you mean 'child'?");
  test::expect_diagnostic(with_value("period", "child(birth_date: 2010-01-01)"), "type-mismatch", 19, 12,
                          "expected a period");
  // A missing value after ':' is a syntax error at its place.
  auto syntax = with_value("child", "child(birth_date: )");
  test::expect_diagnostic(syntax, "syntax", 19, 30, "expected the field's value after ':'");
}

TEST_CASE("outputs: dotted names nest in the decision JSON; records and lists of records set by rules") {
  auto c = compile(std::string(kTypes) +
                   "outputs\n"
                   "  approval.status : one of approved, refused\n"
                   "  approval.rate   : decimal, optional\n"
                   "  approval.first  : period, optional\n"
                   "  count           : number\n"
                   "  periods         : list of period, default []\n"
                   "rule r \"t\"\n  cite \"c\"\n"
                   "  then approval.status = approved\n"
                   "       approval.rate = 0.25\n"
                   "       count = count of p in employee.service\n"
                   "       periods = [period(start: p.start, use: used) for each p in employee.service where p.use is owned]\n"
                   "rule s \"t\"\n  cite \"c\"\n  when approval.status is approved and approval.rate is given and approval.rate > 0.2\n"
                   "  then approval.first = period(start: employee.start)\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"employee",
                                       {{"start", "2010-01-01"},
                                        {"service", json::array({{{"start", "2020-01-01"}}, {{"start", "2021-01-01"}, {"use", "used"}}})}}}});
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("approval.status") == "approved");
  CHECK(r.out("approval.first") == "period(start: 2010-01-01, use: owned)");
  CHECK(r.out("periods") == "[period(start: 2020-01-01, use: used)]");
  CHECK(decision_object_json(*c.program, r.decision) ==
        R"({"approval":{"status":"approved","rate":0.25,"first":{"start":"2010-01-01","end":null,"use":"owned"}},)"
        R"("count":2,"periods":[{"start":"2020-01-01","end":null,"use":"used"}]})");
  // The explanation names each output by its dotted name, with its value.
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("approval.first = period(start: 2010-01-01, use: owned)"));
}

TEST_CASE("outputs: a name that is both a value and a group is an error at its line") {
  test::expect_diagnostic(compile("outputs\n  approval : yes/no, default no\n  approval.rate : number, default 0\n"),
                          "output-path-clash", 6, 3, "cannot be both a value and an object");
}

TEST_CASE("explanation: a rule over a list names the item that made its condition fail") {
  auto c = compile(std::string(kTypes) +
                   "facts\n  household.children : list of child, default []\n"
                   "outputs\n  ok : yes/no, default no\n  none_used : yes/no, default no\n"
                   "rule all-in-care \"t\"\n  cite \"c\"\n"
                   "  when every c in household.children satisfies c.in_care and c.birth_date > 2000-01-01\n"
                   "  then ok = yes\n"
                   "rule nothing-used \"t\"\n  cite \"c\"\n"
                   "  when not some p in employee.service satisfies p.use is used\n"
                   "  then none_used = yes\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program,
                     json{{"employee", {{"start", "2010-01-01"},
                                        {"service", json::array({{{"start", "2020-01-01"}}, {{"start", "2021-01-01"}, {"use", "used"}}})}}},
                          {"household", {{"children", json::array({{{"birth_date", "2010-01-01"}},
                                                                   {{"birth_date", "2012-01-01"}, {"in_care", false}},
                                                                   {{"birth_date", "2014-01-01"}, {"in_care", false}}})}}}});
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("ok") == "no");
  const std::string text = explanation_text(*c.program, r.decision);
  INFO(text);
  // The first item that failed `every`, with the fields its condition read.
  CHECK_THAT(text, Catch::Contains("; household.children[1] made it fail: c.in_care is no, c.birth_date is 2012-01-01\n"));
  // The item that met the `some` under `not`.
  CHECK_THAT(text, Catch::Contains("; employee.service[1] made it fail: p.use is used\n"));
  const json explanation = json::parse(explanation_json(*c.program, r.decision));
  REQUIRE(explanation[0]["rule"] == "all-in-care");
  CHECK(explanation[0]["failed_item"] ==
        json{{"aggregate", "every c in household.children satisfies c.in_care and c.birth_date > 2000-01-01"},
             {"list", "household.children"},
             {"index", 1},
             {"path", "household.children[1]"},
             {"values", {{"c.in_care", false}, {"c.birth_date", "2012-01-01"}}}});
  CHECK(explanation[1]["failed_item"]["path"] == "employee.service[1]");
  // A rule that applied, or a condition over no list, names no item.
  auto applied = test::run(*c.program, json{{"employee", {{"start", "2010-01-01"}}},
                                             {"household", {{"children", json::array({{{"birth_date", "2010-01-01"}}})}}}});
  REQUIRE_FALSE(applied.decision.error);
  CHECK(applied.out("ok") == "yes");
  CHECK(explanation_text(*c.program, applied.decision).find("made it fail") == std::string::npos);
}
