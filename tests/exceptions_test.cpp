// Issue 14: labels, per-output exceptions (Catala's rule) and collect outputs
// (`sum of rules`, `min of rules`, `max of rules`, `list of rules`).
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::expect_diagnostic;
using test::json;
using namespace rulebook;

namespace {

// The contract's example: a base that sets rate and tax, an exception (through a label) that sets only tax.
const char* kTax = R"(facts
  income : number
  student : yes/no, default no
outputs
  rate : decimal
  tax : decimal
rule base-rate "Base"
  label rate-rules
  cite "s1"
  then rate = 0.20
       tax  = income * 0.20
rule low-income "Low income"
  exception to rate-rules
  cite "s2"
  when income < 10000
  then tax = 0
rule student-rate "Students"
  label rate-rules
  exception to base-rate
  cite "s3"
  when student
  then rate = 0.10
       tax = income * 0.10
)";

}  // namespace

TEST_CASE("a label names every rule that carries it, for exception to") {
  auto c = compile(kTax);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  const auto& low = c.program->rules[1];
  REQUIRE(low.exception_to.size() == 2);  // base-rate and student-rate carry rate-rules
  CHECK(c.program->rules[low.exception_to[0]].name == "base-rate");
  CHECK(c.program->rules[low.exception_to[1]].name == "student-rate");
  CHECK(c.program->rules[0].labels == std::vector<std::string>{"rate-rules"});
}

TEST_CASE("an exception displaces its base only for the outputs it sets") {
  auto c = compile(kTax);
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"income", 8000}});
  REQUIRE(!r.decision.error);
  CHECK(r.out("rate") == "0.2");  // base-rate keeps its rate
  CHECK(r.out("tax") == "0");     // low-income displaces it for tax
  CHECK(r.rule("base-rate").status == RuleStatus::applied);
  CHECK(r.fired("base-rate"));
  CHECK(r.fired("low-income"));

  // Above the threshold the exception does not apply: the base sets both.
  auto high = test::run(*c.program, json{{"income", 20000}});
  CHECK(high.out("rate") == "0.2");
  CHECK(high.out("tax") == "4000");

  // A student: student-rate displaces base-rate for both outputs, so the base is overridden.
  auto student = test::run(*c.program, json{{"income", 20000}, {"student", true}});
  CHECK(student.out("rate") == "0.1");
  CHECK(student.out("tax") == "2000");
  CHECK(student.rule("base-rate").status == RuleStatus::overridden);
  CHECK(c.program->rules[student.rule("base-rate").overridden_by].name == "student-rate");
  CHECK_FALSE(student.fired("base-rate"));

  // A poor student: tax from low-income, rate from student-rate.
  auto both = test::run(*c.program, json{{"income", 5000}, {"student", true}});
  CHECK(both.out("rate") == "0.1");
  CHECK(both.out("tax") == "0");
  CHECK(both.rule("student-rate").status == RuleStatus::applied);
  CHECK(both.rule("base-rate").status == RuleStatus::overridden);
}

TEST_CASE("the explanation says for which outputs a rule was overridden, and by which rule") {
  auto c = compile(kTax);
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"income", 8000}});
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("base-rate applied (s1); for 'tax' it was overridden by the exception low-income\n"));
  CHECK_THAT(text, Catch::Contains("low-income applied (s2): income is 8000; it overrides base-rate for 'tax'\n"));
  const json j = json::parse(explanation_json(*c.program, r.decision));
  CHECK(j[0]["rule"] == "base-rate");
  CHECK(j[0]["status"] == "applied");
  CHECK(j[0]["overridden_for"] == json::parse(R"([{"output":"tax","by":"low-income"}])"));
  CHECK(j[1]["overrode"] == json::array({"base-rate"}));
  CHECK(j[2]["status"] == "not_applied");

  auto both = test::run(*c.program, json{{"income", 5000}, {"student", true}});
  const std::string both_text = explanation_text(*c.program, both.decision);
  CHECK_THAT(both_text, Catch::Contains("base-rate held but was overridden: for 'rate' by the exception student-rate, "
                                        "for 'tax' by the exception low-income\n"));
}

TEST_CASE("labels: a label may not be a rule's name; unknown names are suggested") {
  auto clash = compile(R"(facts
  x : number
outputs
  y : number
rule a "A"
  cite "c"
  then y = 1
rule b "B"
  label a
  cite "c"
  when x > 1
  then y = 2
)");
  expect_diagnostic(clash, "label-is-rule", 12, 9, "'a' is the name of a rule");
  auto unknown = compile(R"(facts
  x : number
outputs
  y : number
rule a "A"
  label base-rules
  cite "c"
  then y = 1
rule b "B"
  exception to base-rule
  cite "c"
  when x > 1
  then y = 2
)");
  expect_diagnostic(unknown, "unknown-rule", 13, 16, "did you mean 'base-rules'");
  auto self = compile(R"(facts
  x : number
outputs
  y : number
rule a "A"
  label group
  exception to group
  cite "c"
  when x > 1
  then y = 1
)");
  expect_diagnostic(self, "self-exception", 10, 16, "carries the label group");
}

TEST_CASE("a conflict on an output exists only between rules that do not displace each other for it") {
  // Against a label, each exception displaces the base for the output it sets only.
  const char* text = R"(facts
  income : number
outputs
  rate : decimal
  tax : decimal, default 0
rule base "Base"
  label base-rules
  cite "s1"
  then rate = 0.2
       tax = 1
rule low "Low"
  exception to base-rules
  cite "s2"
  when income < 10
  then tax = 0
rule other "Other"
  exception to base-rules
  cite "s3"
  when income < 5
  then rate = 0.5
)";
  auto c = compile(text);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"income", 3}});
  CHECK(r.out("rate") == "0.5");
  CHECK(r.out("tax") == "0");
  CHECK(r.rule("base").status == RuleStatus::overridden);  // tax by low, rate by other
  CHECK(r.rule("low").status == RuleStatus::applied);
  CHECK(r.rule("other").status == RuleStatus::applied);
  auto mid = test::run(*c.program, json{{"income", 7}});
  CHECK(mid.out("rate") == "0.2");
  CHECK(mid.out("tax") == "0");
  CHECK(mid.rule("base").status == RuleStatus::applied);
}

TEST_CASE("an exception that names its base rule displaces it for every output, as before labels") {
  auto c = compile(R"(facts
  ongoing : yes/no
outputs
  outcome : one of approved, refused
  kind : one of ongoing, temporary, optional
rule agreed "Agreed"
  cite "s1"
  then outcome = approved
       kind = ongoing
rule refused "Refused"
  exception to agreed
  cite "s2"
  when not ongoing
  then outcome = refused
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"ongoing", false}});
  CHECK(r.out("outcome") == "refused");
  CHECK(r.out("kind") == "missing");
  CHECK(r.rule("agreed").status == RuleStatus::overridden);
  CHECK_FALSE(r.fired("agreed"));
}

TEST_CASE("collect outputs: every applying rule contributes, in file order") {
  auto c = compile(R"(type reason = one of young, senior, long_service
facts
  age : number
  years : number
outputs
  extra_days : number, sum of rules
  least : decimal, min of rules
  most : date, max of rules, default 2020-01-01
  reasons : list of reason, list of rules
rule young "Young"
  cite "s1"
  when age < 18
  then extra_days = 5
       reasons = young
       least = 1.5
rule senior "Senior"
  cite "s2"
  when age >= 60
  then extra_days = 3
       reasons = senior
       most = 2024-05-01
rule service "Service"
  cite "s3"
  when years >= 15
  then extra_days = 2
       reasons = long_service
       least = 0.5
       most = 2023-01-01
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"age", 65}, {"years", 20}});
  REQUIRE(!r.decision.error);
  CHECK(r.out("extra_days") == "5");
  CHECK(r.out("reasons") == "[senior, long_service]");
  CHECK(r.out("least") == "0.5");
  CHECK(r.out("most") == "2024-05-01");
  CHECK(r.fired("senior"));
  CHECK(r.fired("service"));

  auto none = test::run(*c.program, json{{"age", 30}, {"years", 1}});
  REQUIRE(!none.decision.error);
  CHECK(none.out("extra_days") == "0");
  CHECK(none.out("reasons") == "[]");
  CHECK(none.out("least") == "missing");
  CHECK(none.out("most") == "2020-01-01");

  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("extra_days = 5, sum of rules: senior gives 3, service gives 2\n"));
  CHECK_THAT(text, Catch::Contains("reasons = [senior, long_service], list of rules: senior gives senior, service "
                                   "gives long_service\n"));
  const json j = json::parse(explanation_json(*c.program, r.decision));
  const json& extra = j[j.size() - 4];
  CHECK(extra["output"] == "extra_days");
  CHECK(extra["collect"] == "sum of rules");
  CHECK(extra["contributions"] == json::parse(R"([{"rule":"senior","value":3},{"rule":"service","value":2}])"));
  const std::string none_text = explanation_text(*c.program, none.decision);
  CHECK_THAT(none_text, Catch::Contains("most = 2020-01-01, max of rules: no rule applied (the default)\n"));
}

TEST_CASE("collect outputs: exceptions still displace, and there is no conflict") {
  auto c = compile(R"(facts
  age : number
outputs
  days : number, sum of rules
rule base "Base"
  cite "s1"
  then days = 10
rule young "Young"
  exception to base
  cite "s2"
  when age < 18
  then days = 4
rule extra "Extra"
  cite "s3"
  when age < 30
  then days = 1
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(test::run(*c.program, json{{"age", 40}}).out("days") == "10");
  CHECK(test::run(*c.program, json{{"age", 25}}).out("days") == "11");
  CHECK(test::run(*c.program, json{{"age", 15}}).out("days") == "5");
}

TEST_CASE("collect outputs: wrong types and misplaced options are diagnosed") {
  auto text = compile("facts\n  x : number\noutputs\n  t : text, sum of rules\nrule r \"R\"\n  cite \"c\"\n  then t = \"a\"\n");
  expect_diagnostic(text, "collect-type", 7, 13, "'sum of rules' cannot collect text 't'");
  auto list = compile("facts\n  x : number\noutputs\n  t : number, list of rules\nrule r \"R\"\n  cite \"c\"\n  then t = x\n");
  expect_diagnostic(list, "collect-type", 7, 15, "needs a list type");
  auto unordered = compile("type lvl = one of a, b\nfacts\n  x : number\noutputs\n  t : lvl, max of rules\nrule r \"R\"\n  cite \"c\"\n  then t = a\n");
  expect_diagnostic(unordered, "collect-type", 8, 12, "ordered 'one of'");
  auto fact = compile("facts\n  x : number, sum of rules\noutputs\n  t : number\nrule r \"R\"\n  cite \"c\"\n  then t = x\n");
  expect_diagnostic(fact, "collect-not-output", 5, 15, "belongs to an output");
  auto dflt = compile("facts\n  x : number\noutputs\n  t : number, sum of rules, default 3\nrule r \"R\"\n  cite \"c\"\n  then t = x\n");
  expect_diagnostic(dflt, "collect-default", 7, 37, "gives 0");
  auto missing_of = compile("facts\n  x : number\noutputs\n  t : number, sum rules\nrule r \"R\"\n  cite \"c\"\n  then t = x\n");
  INFO(test::all_messages(missing_of.diagnostics));
  CHECK(missing_of.has("syntax"));
}
