// The evaluator: every operator, the calendar, exceptions, conflicts and the trace.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using namespace rulebook;
using test::json;

// Evaluates `expr` as the value of output `v` of the given type.
static std::string value_of(const std::string& type, const std::string& expr, const json& facts = json::object(),
                            const std::string& fact_decls = "") {
  const test::ExpressionProbe probe{
      "type party = one of employee, current_head, gaining_head\n"
      "type level = one of low < mid < high\n"
      "facts\n  f.n : number, default 7\n  f.d : decimal, default 2.5\n  f.day : date, default 2024-02-29\n"
      "  f.opt : date, optional\n  f.lvl : level, default mid\n  f.who : list of party, default []\n"
      "  f.t : text, default \"abc\"\n" +
      fact_decls + "outputs\n"};
  return probe.value_of(type, expr, facts);
}

TEST_CASE("arithmetic on whole numbers and exact decimals") {
  CHECK(value_of("number", "1 + 2 * 3") == "7");
  CHECK(value_of("number", "(1 + 2) * 3") == "9");
  CHECK(value_of("number", "f.n - 10") == "-3");
  CHECK(value_of("number", "-f.n") == "-7");
  CHECK(value_of("decimal", "7 / 2") == "3.5");
  CHECK(value_of("decimal", "f.d * 3") == "7.5");
  CHECK(value_of("decimal", "0.1 + 0.2") == "0.3");
  CHECK(value_of("decimal", "f.n + f.d") == "9.5");
  CHECK(value_of("decimal", "1 / 3") == "0.333333333333333333");
  CHECK(value_of("number", "abs(3 - 10)") == "7");
  CHECK(value_of("decimal", "abs(-2.5)") == "2.5");
  CHECK(value_of("number", "min(4, f.n, 9)") == "4");
  CHECK(value_of("number", "max(4, f.n, 9)") == "9");
}

TEST_CASE("arithmetic failures are decision errors, not crashes") {
  CHECK(value_of("decimal", "f.d / (f.n - 7)") == "error: division by zero");
  CHECK(value_of("number", "9223372036854775807 + f.n") == "error: a whole number overflowed");
  CHECK(value_of("number", "f.n * 9223372036854775807") == "error: a whole number overflowed");
  CHECK(value_of("date", "9999-12-31 + f.n * 1 day") == "error: a date fell outside the years 0001 to 9999");
}

TEST_CASE("dates: leap days, month ends, year ends") {
  CHECK(value_of("date", "f.day + 1 year") == "2025-02-28");
  CHECK(value_of("date", "f.day + 4 years") == "2028-02-29");
  CHECK(value_of("date", "f.day + 1 day") == "2024-03-01");
  CHECK(value_of("date", "f.day - 1 month") == "2024-01-29");
  CHECK(value_of("date", "2026-01-31 + 1 month") == "2026-02-28");
  CHECK(value_of("date", "2026-12-31 + 1 day") == "2027-01-01");
  CHECK(value_of("date", "2026-03-02 + 4 weeks") == "2026-03-30");
  CHECK(value_of("date", "2026-03-02 + f.n * 1 week") == "2026-04-20");
  CHECK(value_of("number", "2027-01-01 - 2026-01-01") == "365");
  CHECK(value_of("number", "days_between(2024-01-01, 2025-01-01)") == "366");
  CHECK(value_of("date", "max(f.day, 2024-03-01)") == "2024-03-01");
  CHECK(value_of("duration", "4 weeks + 1 month") == "P1M28D");
}

TEST_CASE("comparisons, membership and presence") {
  CHECK(value_of("yes/no", "f.lvl > low and f.lvl < high") == "yes");
  CHECK(value_of("yes/no", "f.lvl >= mid and f.lvl <= mid") == "yes");
  CHECK(value_of("yes/no", "f.lvl is not mid") == "no");
  CHECK(value_of("yes/no", "f.t is \"abc\"") == "yes");
  CHECK(value_of("yes/no", "f.d > 2") == "yes");
  CHECK(value_of("yes/no", "f.day < 2024-03-01") == "yes");
  CHECK(value_of("yes/no", "f.lvl is one of [low, high]") == "no");
  CHECK(value_of("yes/no", "f.lvl is not one of [low, high]") == "yes");
  CHECK(value_of("yes/no", "employee in f.who") == "no");
  CHECK(value_of("yes/no", "employee in f.who", {{"f", {{"who", {"gaining_head", "employee"}}}}}) == "yes");
  CHECK(value_of("yes/no", "f.opt is given") == "no");
  CHECK(value_of("yes/no", "f.opt is missing") == "yes");
  CHECK(value_of("yes/no", "f.opt is given", {{"f", {{"opt", "2026-01-01"}}}}) == "yes");
  CHECK(value_of("date", "if f.opt is given then f.opt + 1 day else f.day", {{"f", {{"opt", "2026-01-31"}}}}) ==
        "2026-02-01");
  CHECK(value_of("yes/no", "not f.t is \"x\" or f.n > 100") == "yes");
}

TEST_CASE("lists are built in a fixed order, skipping guarded items") {
  CHECK(value_of("list of party", "[employee if f.n > 5, current_head if f.n > 50, gaining_head]") ==
        "[employee, gaining_head]");
  CHECK(value_of("list of party", "[]") == "[]");
  CHECK(value_of("number", "count([employee, gaining_head])") == "2");
  CHECK(value_of("number", "count(f.who)", {{"f", {{"who", {"gaining_head", "employee"}}}}}) == "2");
  CHECK(value_of("yes/no", "[employee] is [employee]") == "yes");
}

static const std::string kPolicy = R"(
facts
  a : yes/no, default no
  b : yes/no, default no
  c : yes/no, default no
  name : text, default ""
outputs
  outcome : one of base, special, more_special, optional
  note : yes/no, default no
rule general "General rule"
  cite "s1"
  then outcome = base
       note = yes
rule special "Exception"
  exception to general
  cite "s2"
  when a
  then outcome = special
rule more-special "Exception to the exception"
  exception to special
  cite "s3"
  when a and b
  then outcome = more_special
rule by-name-1 "t"
  cite "s4"
  when name is "clash"
  then note = yes
rule by-name-2 "t"
  cite "s5"
  when name is "clash"
  then note = no
)";

TEST_CASE("exceptions displace the rules they are exceptions to, as law reads") {
  auto c = compile(kPolicy);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto general = test::run(*c.program, json::object());
  CHECK(general.out("outcome") == "base");
  CHECK(general.out("note") == "yes");
  CHECK(general.fired("general"));
  CHECK(general.rule("special").status == RuleStatus::not_applied);
  CHECK(general.rule("special").failed_condition == 0);

  auto special = test::run(*c.program, {{"a", true}});
  CHECK(special.out("outcome") == "special");
  CHECK(special.out("note") == "no");  // the displaced rule gives nothing, not even its other outputs
  CHECK_FALSE(special.fired("general"));
  CHECK(special.rule("general").status == RuleStatus::overridden);
  CHECK(c.program->rules[special.rule("general").overridden_by].name == "special");

  auto more = test::run(*c.program, {{"a", true}, {"b", true}});
  CHECK(more.out("outcome") == "more_special");
  CHECK(more.rule("special").status == RuleStatus::overridden);
  CHECK(more.rule("general").status == RuleStatus::overridden);  // transitively
  CHECK(more.fired("more-special"));
  CHECK(more.decision.fired.size() == 1);
}

TEST_CASE("a conflict the checker could not prove fails the decision, naming both rules") {
  auto c = compile(kPolicy);
  REQUIRE(c.program);
  auto r = test::run(*c.program, {{"a", true}, {"name", "clash"}});
  REQUIRE(r.decision.error);
  CHECK(r.decision.error->code == "conflict");
  CHECK(r.decision.error->rules == std::vector<std::string>{"by-name-1", "by-name-2"});
  CHECK_THAT(r.decision.error->message, Catch::Contains("rules by-name-1 and by-name-2 both apply and give 'note' different values (yes and no)"));
}

TEST_CASE("an output no rule decides is an error unless it has a default or is optional") {
  auto c = compile("facts\n  a : yes/no\noutputs\n  o : yes/no\n  p : yes/no, optional\nrule r \"t\"\n  cite \"c\"\n  when a\n  then o = yes\n"
                   "rule s \"t\"\n  cite \"c\"\n  when a\n  then p = yes\n");
  REQUIRE(c.program);
  auto r = test::run(*c.program, {{"a", false}});
  REQUIRE(r.decision.error);
  CHECK(r.decision.error->code == "undecided");
  CHECK_THAT(r.decision.error->message, Catch::Contains("no rule decided 'o'"));
  auto ok = test::run(*c.program, {{"a", true}});
  CHECK_FALSE(ok.decision.error);
  CHECK(ok.out("o") == "yes");
}

TEST_CASE("evaluation is deterministic and reuses its buffers") {
  auto c = compile(kPolicy);
  REQUIRE(c.program);
  Facts facts;
  REQUIRE(read_facts(*c.program, {{"a", true}}, Limits{}, facts).empty());
  Decision d;
  evaluate_into(*c.program, facts, d);
  const std::string first = decision_object_json(*c.program, d);
  for (int k = 0; k < 100; ++k) evaluate_into(*c.program, facts, d);
  CHECK(decision_object_json(*c.program, d) == first);
  CHECK(first == R"({"outcome":"special","note":false})");
}

TEST_CASE("the explanation accounts for every rule, define and output") {
  auto c = compile("facts\n  x : number\n  y : yes/no\noutputs\n  o : yes/no, default no\n"
                   "define big = x > 10\n"
                   "rule r \"Big and y\"\n  cite \"s9\"\n  when big\n   and y\n  then o = yes\n");
  REQUIRE(c.program);
  auto r = test::run(*c.program, {{"x", 20}, {"y", false}});
  auto j = json::parse(explanation_json(*c.program, r.decision));
  REQUIRE(j.size() == 3);  // one rule, one define, one output
  CHECK(j[0]["rule"] == "r");
  CHECK(j[0]["applied"] == false);
  CHECK(j[0]["failed_condition"] == "y");
  CHECK(j[0]["values"] == json{{"y", false}});
  CHECK(j[1]["define"] == "big");
  CHECK(j[1]["expression"] == "x > 10");
  CHECK(j[1]["inputs"] == json{{"x", 20}});
  CHECK(j[1]["value"] == true);
  CHECK(j[2]["output"] == "o");
  CHECK(j[2]["value"] == false);
  CHECK(j[2]["from"] == "default");
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("r did not apply: y does not hold (y is no)"));
  CHECK_THAT(text, Catch::Contains("big = yes, from x > 10 where x is 20"));
  CHECK_THAT(text, Catch::Contains("o = no (the default: no rule set it)"));
}
