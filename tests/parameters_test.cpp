// Dated parameters and per-rule dates in force (issue 14): parsing, every
// diagnostic by code and position, values on several dates, the explanation.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// The test header takes lines 1-3: the text given to compile() starts at line 4.
const std::string kNotice =
    "facts\n"                                                        // 4
    "  move.notice_given_on : date\n"                                // 5
    "outputs\n"                                                      // 6
    "  takes_effect : date\n"                                        // 7
    "parameter notice_period \"Notice before an ongoing move takes effect\"\n"  // 8
    "  cite \"Directions 2022 s46(2)\"\n"                            // 9
    "  from 2016-12-01: 4 weeks\n"                                   // 10
    "  from 2030-07-01: 6 weeks\n"                                   // 11
    "rule effect \"t\"\n  cite \"c\"\n  then takes_effect = move.notice_given_on + notice_period\n";

test::Run run_on(const Program& p, const json& facts, const char* as_of) {
  test::Run r;
  r.program = &p;
  r.problems = read_facts(p, facts, Limits{}, r.facts);
  r.facts.as_of = *parse_iso_date(as_of);
  if (r.problems.empty()) r.decision = evaluate(p, r.facts);
  return r;
}

}  // namespace

TEST_CASE("parameter: parsed with its title, citation and entries") {
  ParseResult parsed = parse_rules("t.rules", std::string(test::kHeader) + kNotice);
  INFO(test::all_messages(parsed.diagnostics));
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.file.parameters.size() == 1);
  const ast::Parameter& prm = parsed.file.parameters[0];
  CHECK(prm.name == "notice_period");
  CHECK(prm.title == "Notice before an ongoing move takes effect");
  CHECK(prm.cite == "Directions 2022 s46(2)");
  CHECK(prm.pos.line == 8);
  CHECK(prm.pos.column == 11);
  REQUIRE(prm.entries.size() == 2);
  CHECK(format_iso_date(prm.entries[0].from) == "2016-12-01");
  CHECK(prm.entries[0].value->source == "4 weeks");
  CHECK(prm.entries[1].pos.line == 11);
  CHECK(prm.entries[1].pos.column == 8);
  CHECK(prm.entries[1].value->source == "6 weeks");
}

TEST_CASE("parameter: the value in force on as_of, date by date") {
  auto c = compile(kNotice);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  const json facts = {{"move", {{"notice_given_on", "2026-03-02"}}}};
  CHECK(run_on(*c.program, facts, "2016-12-01").out("takes_effect") == "2026-03-30");
  CHECK(run_on(*c.program, facts, "2026-03-02").out("takes_effect") == "2026-03-30");
  CHECK(run_on(*c.program, facts, "2030-06-30").out("takes_effect") == "2026-03-30");
  CHECK(run_on(*c.program, facts, "2030-07-01").out("takes_effect") == "2026-04-13");
  CHECK(run_on(*c.program, facts, "2031-01-01").out("takes_effect") == "2026-04-13");
}

TEST_CASE("parameter: before its first date it has no value, and a decision that needs it says so") {
  auto c = compile(kNotice);
  REQUIRE(c.program);
  auto r = run_on(*c.program, json{{"move", {{"notice_given_on", "2016-01-04"}}}}, "2016-11-30");
  REQUIRE(r.decision.error);
  CHECK(r.decision.error->code == "undecided");
  CHECK(r.decision.error->message ==
        "parameter 'notice_period' has no value on 2016-11-30: its first value is from 2016-12-01");
}

TEST_CASE("parameter: numbers, decimals, dates and text; whole numbers widen beside decimals") {
  auto c = compile(
      "outputs\n  rate : decimal\n  start : date\n  label : text\n  days : number\n"
      "parameter rate_p \"r\"\n  from 2020-01-01: 0\n  from 2024-01-01: 0.20\n"
      "parameter start_p \"s\"\n  from 2020-01-01: 2019-07-01\n"
      "parameter label_p \"l\"\n  from 2020-01-01: \"old\"\n  from 2025-01-01: \"new\"\n"
      "parameter days_p \"d\"\n  from 2020-01-01: 10\n  from 2022-01-01: 10 + 2\n"
      "rule r \"t\"\n  cite \"c\"\n  then rate = rate_p  start = start_p  label = label_p  days = days_p\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto early = run_on(*c.program, json::object(), "2021-06-01");
  REQUIRE_FALSE(early.decision.error);
  CHECK(early.out("rate") == "0");
  CHECK(early.out("start") == "2019-07-01");
  CHECK(early.out("label") == "\"old\"");
  CHECK(early.out("days") == "10");
  auto late = run_on(*c.program, json::object(), "2025-01-01");
  REQUIRE_FALSE(late.decision.error);
  CHECK(late.out("rate") == "0.2");
  CHECK(late.out("label") == "\"new\"");
  CHECK(late.out("days") == "12");
}

TEST_CASE("parameter: read in conditions and defines like a define") {
  auto c = compile(
      "facts\n  e.age : number\noutputs\n  old : yes/no\n"
      "parameter age_limit \"Age\"\n  cite \"Act s1\"\n  from 2020-01-01: 65\n  from 2027-01-01: 67\n"
      "define over = e.age >= age_limit\n"
      "rule r \"t\"\n  cite \"c\"\n  when over\n  then old = yes\n"
      "rule s \"t\"\n  cite \"c\"\n  when not over\n  then old = no\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(run_on(*c.program, json{{"e", {{"age", 66}}}}, "2026-01-01").out("old") == "yes");
  CHECK(run_on(*c.program, json{{"e", {{"age", 66}}}}, "2027-01-01").out("old") == "no");
}

TEST_CASE("parameter: the explanation shows the value and the entry in force") {
  auto c = compile(kNotice);
  REQUIRE(c.program);
  auto r = run_on(*c.program, json{{"move", {{"notice_given_on", "2026-03-02"}}}}, "2026-03-02");
  REQUIRE_FALSE(r.decision.error);
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK(text.find("notice_period = P28D, the parameter's value from 2016-12-01 (Directions 2022 s46(2))\n") !=
        std::string::npos);
  const json j = json::parse(explanation_json(*c.program, r.decision));
  bool found = false;
  for (const auto& item : j) {
    if (item.value("define", "") != "notice_period") continue;
    found = true;
    CHECK(item["value"] == "P28D");
    CHECK(item["parameter"]["in_force_from"] == "2016-12-01");
    CHECK(item["parameter"]["entry"] == "4 weeks");
    CHECK(item["parameter"]["cite"] == "Directions 2022 s46(2)");
    CHECK(item["parameter"]["title"] == "Notice before an ongoing move takes effect");
  }
  CHECK(found);
  auto later = run_on(*c.program, json{{"move", {{"notice_given_on", "2026-03-02"}}}}, "2030-07-01");
  CHECK(explanation_text(*c.program, later.decision).find("notice_period = P42D, the parameter's value from 2030-07-01") !=
        std::string::npos);
}

TEST_CASE("parameter: two entries from one date is an error at the second") {
  auto c = compile("outputs\n  n : number\nparameter p \"t\"\n  from 2020-01-01: 1\n  from 2020-01-01: 2\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(c, "parameter-duplicate-date", 8, 8, "two values from 2020-01-01 (the other at line 7)");
  CHECK_FALSE(c.program);
}

TEST_CASE("parameter: entries out of date order are taken in date order, with a warning") {
  auto c = compile("outputs\n  n : number\nparameter p \"t\"\n  from 2024-01-01: 2\n  from 2020-01-01: 1\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(c, "parameter-order", 8, 8, "not in date order");
  REQUIRE(c.program);
  CHECK(run_on(*c.program, json::object(), "2021-01-01").out("n") == "1");
  CHECK(run_on(*c.program, json::object(), "2024-01-01").out("n") == "2");
}

TEST_CASE("parameter: every entry has one type, the error at the odd one") {
  auto c = compile("outputs\n  n : duration\nparameter p \"t\"\n  from 2020-01-01: 4 weeks\n  from 2024-01-01: 30\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(c, "parameter-type", 8, 20, "is a duration (its first value, '4 weeks'), but '30' is a number");
}

TEST_CASE("parameter: a value must be a constant") {
  auto c = compile("facts\n  e.x : number\noutputs\n  n : number\nparameter p \"t\"\n  from 2020-01-01: e.x\n"
                   "  from 2021-01-01: 1\nrule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(c, "parameter-not-constant", 9, 20, "'e.x' reads other values");
  auto d = compile("outputs\n  n : date\nparameter p \"t\"\n  from 2020-01-01: as_of\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(d, "parameter-not-constant", 7, 20, "'as_of' reads other values");
}

TEST_CASE("parameter: one without entries is an error at its name") {
  auto c = compile("outputs\n  n : number\nparameter p \"t\"\n  cite \"x\"\nrule r \"t\"\n  cite \"c\"\n  then n = p\n");
  test::expect_diagnostic(c, "parameter-without-value", 6, 11, "has no value");
}

TEST_CASE("parameter: syntax errors are reported where they are") {
  auto c = compile("outputs\n  n : number\nparameter p \"t\"\n  from 2020-01-01 1\n");
  test::expect_diagnostic(c, "syntax", 7, 19, "expected ':' and the value after the date");
  auto d = compile("outputs\n  n : number\nparameter p \"t\"\n  from 2020-13-01: 1\n");
  test::expect_diagnostic(d, "bad-literal", 7, 8, "2020-13-01");
  auto e = compile("parameter\n");
  test::expect_diagnostic(e, "syntax", 5, 1, "expected a name after 'parameter'");
}

TEST_CASE("parameter: a name shared with a define is a duplicate") {
  auto c = compile("outputs\n  n : number\ndefine p = 1\nparameter p \"t\"\n  from 2020-01-01: 1\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = p\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK_FALSE(c.program);
}

TEST_CASE("parameter: a fact may still be called parameter") {
  auto c = compile("facts\n  parameter : number\noutputs\n  n : number\nrule r \"t\"\n  cite \"c\"\n  then n = parameter\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(run_on(*c.program, json{{"parameter", 3}}, "2024-01-01").out("n") == "3");
}

// ---- per-rule in force ----

const std::string kDated =
    "facts\n  e.ongoing : yes/no\noutputs\n  notice : number\n"          // 4-7
    "rule old-notice \"Before 2022\"\n"                                   // 8
    "  cite \"Directions 2016\"\n"                                        // 9
    "  in force from 2016-12-01 until 2022-06-30\n"                       // 10
    "  when e.ongoing\n  then notice = 4\n"                               // 11-12
    "rule new-notice \"From 2022\"\n  cite \"Directions 2022\"\n"         // 13-14
    "  when e.ongoing\n  then notice = 6\n"                               // 15-16
    "  in force from 2022-07-01\n"                                        // 17
    "rule none \"t\"\n  cite \"c\"\n  when not e.ongoing\n  then notice = 0\n";

TEST_CASE("rule in force: each rule applies only on its dates, and two on disjoint dates do not conflict") {
  auto c = compile(kDated);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK_FALSE(c.has("conflict"));
  const json yes = {{"e", {{"ongoing", true}}}};
  CHECK(run_on(*c.program, yes, "2020-01-01").out("notice") == "4");
  CHECK(run_on(*c.program, yes, "2022-06-30").out("notice") == "4");
  CHECK(run_on(*c.program, yes, "2022-07-01").out("notice") == "6");
  auto before = run_on(*c.program, yes, "2016-11-30");
  REQUIRE(before.decision.error);
  CHECK(before.decision.error->code == "undecided");
  auto r = run_on(*c.program, yes, "2023-01-01");
  CHECK(r.rule("old-notice").status == RuleStatus::not_applied);
  CHECK(r.rule("old-notice").failed_condition == kNotInForce);
  CHECK(r.fired("new-notice"));
}

TEST_CASE("rule in force: the explanation says not in force rather than a failed condition") {
  auto c = compile(kDated);
  REQUIRE(c.program);
  auto r = run_on(*c.program, json{{"e", {{"ongoing", true}}}}, "2023-01-01");
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK(text.find("old-notice did not apply: not in force on 2023-01-01 (in force from 2016-12-01 until 2022-06-30)\n") !=
        std::string::npos);
  const json j = json::parse(explanation_json(*c.program, r.decision));
  REQUIRE(j[0]["rule"] == "old-notice");
  CHECK(j[0]["status"] == "not_applied");
  CHECK(j[0]["not_in_force"] == "2023-01-01");
  CHECK(j[0]["in_force_from"] == "2016-12-01");
  CHECK(j[0]["in_force_until"] == "2022-06-30");
  CHECK_FALSE(j[0].contains("failed_condition"));
}

TEST_CASE("rule in force: overlapping dates still conflict; an inverted range is an error") {
  auto c = compile("facts\n  e.x : yes/no\noutputs\n  n : number\n"
                   "rule a \"t\"\n  cite \"c\"\n  in force from 2020-01-01 until 2022-12-31\n  when e.x\n  then n = 1\n"
                   "rule b \"t\"\n  cite \"c\"\n  in force from 2022-01-01\n  when e.x\n  then n = 2\n");
  CHECK(c.has("conflict"));
  auto d = compile("outputs\n  n : number\n"
                   "rule a \"t\"\n  cite \"c\"\n  in force from 2022-01-01 until 2021-12-31\n  then n = 1\n");
  test::expect_diagnostic(d, "inverted-range", 8, 3, "rule a ends (2021-12-31) before it starts (2022-01-01)");
}

TEST_CASE("rule in force: `in force` after a `then` value or a `when` is not read as `x in ...`") {
  auto c = compile("facts\n  e.x : yes/no\noutputs\n  n : yes/no\n"
                   "rule a \"t\"\n  cite \"c\"\n  when e.x\n  then n = e.x\n  in force from 2020-01-01\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(c.program->rules[0].in_force_from.has_value());
}

// ---- internal values ----

const std::string kInternal =
    "facts\n  e.income : money\noutputs\n  tax : money\n"                   // 4-7
    "internal\n  plafond : money \"The ceiling\"\n"                          // 8-9
    "rule base \"t\"\n  cite \"c\"\n  then plafond = 10000\n"                // 10-12
    "rule high \"t\"\n  cite \"c\"\n  exception to base\n  when e.income > 50000\n  then plafond = 20000\n"
    "rule taxed \"t\"\n  cite \"c\"\n  when e.income > plafond\n  then tax = (e.income - plafond) * 0.20\n"
    "rule free \"t\"\n  cite \"c\"\n  when e.income <= plafond\n  then tax = 0\n";

TEST_CASE("internal: set by rules with exceptions, read by rules, not in the decision") {
  auto c = compile(kInternal);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto low = run_on(*c.program, json{{"e", {{"income", 15000}}}}, "2024-01-01");
  REQUIRE_FALSE(low.decision.error);
  CHECK(low.out("plafond") == "10000");
  CHECK(low.out("tax") == "1000");
  auto high = run_on(*c.program, json{{"e", {{"income", 60000}}}}, "2024-01-01");
  CHECK(high.out("plafond") == "20000");
  CHECK(high.out("tax") == "8000");
  const json decision = json::parse(decision_object_json(*c.program, high.decision));
  CHECK(decision == json{{"tax", 8000}});
}

TEST_CASE("internal: the explanation shows it, marked internal") {
  auto c = compile(kInternal);
  REQUIRE(c.program);
  auto r = run_on(*c.program, json{{"e", {{"income", 60000}}}}, "2024-01-01");
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK(text.find("plafond (internal) = 20000, by high\n") != std::string::npos);
  const json j = json::parse(explanation_json(*c.program, r.decision));
  bool found = false;
  for (const auto& item : j) {
    if (item.value("output", "") != "plafond") continue;
    found = true;
    CHECK(item["internal"] == true);
    CHECK(item["value"] == 20000);
    CHECK(item["decided_by"] == "high");
  }
  CHECK(found);
}

TEST_CASE("internal: a dotted internal value does not make the decision nested") {
  auto c = compile("outputs\n  n : number\ninternal\n  a.b : number\n"
                   "rule r \"t\"\n  cite \"c\"\n  then n = 1  a.b = 2\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(c.program->output_tree.empty());
  auto r = run_on(*c.program, json::object(), "2024-01-01");
  CHECK(json::parse(decision_object_json(*c.program, r.decision)) == json{{"n", 1}});
}

TEST_CASE("internal: parsed like outputs; a fact may still be called internal") {
  ParseResult parsed = parse_rules("t.rules", std::string(test::kHeader) + kInternal);
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.file.outputs.size() == 2);
  CHECK_FALSE(parsed.file.outputs[0].internal);
  CHECK(parsed.file.outputs[1].internal);
  CHECK(parsed.file.outputs[1].name == "plafond");
  CHECK(parsed.file.outputs[1].pos.line == 9);
  CHECK(parsed.file.outputs[1].description == "The ceiling");
  auto c = compile("facts\n  internal : number\noutputs\n  n : number\nrule r \"t\"\n  cite \"c\"\n  then n = internal\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK(c.program);
}
