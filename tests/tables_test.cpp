// Issue 14: decision tables. Each row is a rule TABLE.N; hit policies unique,
// first, priority, sum, min, max, list.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "support.hpp"

using test::compile;
using test::expect_diagnostic;
using test::json;
using namespace rulebook;

namespace {

const char* kVacation = R"(facts
  employee.age : number
  employee.years_of_service : number
outputs
  extra_days : number, sum of rules

table extra-vacation "Extra days by age and service"
  cite "Vacation policy s3"
  hit sum
  given employee.age, employee.years_of_service
  then extra_days
  row < 18         | any       => 5
  row >= 60        | any       => 3
  row 18 to 59     | >= 30     => 3
  row any          | 15 to 29  => 2
)";

json person(int age, int years) {
  return json{{"employee", {{"age", age}, {"years_of_service", years}}}};
}

}  // namespace

TEST_CASE("a table's rows are rules named TABLE.N with the table's citation") {
  auto c = compile(kVacation);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  REQUIRE(c.program->rules.size() == 4);
  CHECK(c.program->rules[0].name == "extra-vacation.1");
  CHECK(c.program->rules[3].name == "extra-vacation.4");
  CHECK(c.program->rules[2].cite == "Vacation policy s3");
  CHECK(c.program->rules[2].title == "Extra days by age and service");
  CHECK(c.program->rules[2].pos.line == 17);
  // 18 to 59 is two conditions, >= 30 a third: the row is the `and` of its cells.
  REQUIRE(c.program->rules[2].conditions.size() == 3);
  CHECK(c.program->rules[2].conditions[0].source == "employee.age >= 18");
  CHECK(c.program->rules[2].conditions[1].source == "employee.age <= 59");
  CHECK(c.program->rules[2].conditions[2].source == "employee.years_of_service >= 30");
}

TEST_CASE("hit sum adds every matching row") {
  auto c = compile(kVacation);
  REQUIRE(c.program);
  CHECK(test::run(*c.program, person(16, 1)).out("extra_days") == "5");
  CHECK(test::run(*c.program, person(62, 20)).out("extra_days") == "5");  // rows 2 and 4
  CHECK(test::run(*c.program, person(40, 31)).out("extra_days") == "3");
  CHECK(test::run(*c.program, person(40, 20)).out("extra_days") == "2");
  CHECK(test::run(*c.program, person(40, 10)).out("extra_days") == "0");  // no row
  CHECK(test::run(*c.program, person(18, 15)).out("extra_days") == "2");  // bounds are inclusive
  CHECK(test::run(*c.program, person(59, 29)).out("extra_days") == "2");
  auto r = test::run(*c.program, person(62, 20));
  CHECK(r.fired("extra-vacation.2"));
  CHECK(r.fired("extra-vacation.4"));
  CHECK_THAT(explanation_text(*c.program, r.decision),
             Catch::Contains("extra_days = 5, sum of rules: extra-vacation.2 gives 3, extra-vacation.4 gives 2\n"));
  CHECK_THAT(explanation_text(*c.program, r.decision),
             Catch::Contains("extra-vacation.3 did not apply: employee.age <= 59 does not hold (employee.age is 62)"));
}

TEST_CASE("hit first: the first matching row wins") {
  auto c = compile(R"(type band = one of low, mid, high
facts
  score : number
  grade : text
outputs
  level : band
table banding "Bands"
  cite "s1"
  hit first
  given score, grade
  then level
  row >= 90 | not "X"          => high
  row >= 50 | any              => mid
  row any   | one of ["A", "B"] => mid
  row any   | any              => low
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK(test::run(*c.program, json{{"score", 95}, {"grade", "A"}}).out("level") == "high");
  CHECK(test::run(*c.program, json{{"score", 95}, {"grade", "X"}}).out("level") == "mid");
  CHECK(test::run(*c.program, json{{"score", 10}, {"grade", "B"}}).out("level") == "mid");
  auto low = test::run(*c.program, json{{"score", 10}, {"grade", "C"}});
  CHECK(low.out("level") == "low");
  CHECK(low.fired("banding.4"));
  auto high = test::run(*c.program, json{{"score", 95}, {"grade", "A"}});
  CHECK(high.rule("banding.2").status == RuleStatus::overridden);
  CHECK(high.rule("banding.4").status == RuleStatus::overridden);
  CHECK(c.program->rules[high.rule("banding.4").overridden_by].name == "banding.1");
}

TEST_CASE("hit priority: the row whose output comes first in its one of wins, for every output") {
  auto c = compile(R"(type verdict = one of refused, referred, approved
facts
  amount : number
  risky : yes/no
outputs
  status : verdict
  note : text
table approval "Approval"
  cite "s1"
  hit priority
  given amount, risky
  then status, note
  row < 1000  | any => approved | "small"
  row any     | yes => refused  | "risky"
  row >= 5000 | any => referred | "large"
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto small_risky = test::run(*c.program, json{{"amount", 10}, {"risky", true}});
  CHECK(small_risky.out("status") == "refused");
  CHECK(small_risky.out("note") == "\"risky\"");
  auto large = test::run(*c.program, json{{"amount", 9000}, {"risky", false}});
  CHECK(large.out("status") == "referred");
  CHECK(large.out("note") == "\"large\"");
  CHECK(test::run(*c.program, json{{"amount", 10}, {"risky", false}}).out("status") == "approved");
}

TEST_CASE("hit min, max and list") {
  auto c = compile(R"(type reason = one of young, senior, long_service
facts
  age : number
  years : number
outputs
  least : number, min of rules
  most : number, max of rules, default 0
  reasons : list of reason, list of rules
table lo "Least"
  cite "s1"
  hit min
  given age
  then least
  row < 30 => 10
  row < 60 => 20
table hi "Most"
  cite "s1"
  hit max
  given age
  then most
  row < 30 => 10
  row < 60 => 20
table why "Reasons"
  cite "s2"
  hit list
  given age, years
  then reasons
  row < 18 | any => young
  row >= 60 | any => senior
  row any | >= 15 => long_service
)");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"age", 20}, {"years", 1}});
  CHECK(r.out("least") == "10");
  CHECK(r.out("most") == "20");
  CHECK(r.out("reasons") == "[]");
  auto old = test::run(*c.program, json{{"age", 70}, {"years", 40}});
  CHECK(old.out("least") == "missing");
  CHECK(old.out("most") == "0");
  CHECK(old.out("reasons") == "[senior, long_service]");
}

TEST_CASE("table diagnostics by code and position") {
  auto width = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                       "  given a\n  then o\n  row 1 | 2 => 3\n");
  expect_diagnostic(width, "table-row-width", 12, 3, "has 2 cells before '=>' and 1 after");
  auto hit = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                     "  hit sum\n  given a\n  then o\n  row 1 => 3\n");
  expect_diagnostic(hit, "table-hit", 10, 7, "must be declared 'o : ..., sum of rules'");
  auto collect = compile("facts\n  a : number\noutputs\n  o : number, sum of rules\ntable t \"T\"\n  cite \"c\"\n"
                         "  given a\n  then o\n  row 1 => 3\n");
  expect_diagnostic(collect, "table-hit", 8, 1, "the matching hit policy");
  auto shape = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                       "  row 1 => 3\n");
  expect_diagnostic(shape, "table-shape", 8, 1, "needs 'given' columns");
  auto prio = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                      "  hit priority\n  given a\n  then o\n  row 1 => 3\n");
  expect_diagnostic(prio, "table-priority", 13, 12, "needs a 'one of' type");
  auto typed = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                       "  given a\n  then o\n  row \"x\" => 3\n");
  INFO(test::all_messages(typed.diagnostics));
  const Diagnostic* d = typed.find("type-mismatch");
  REQUIRE(d != nullptr);
  CHECK(d->pos.line == 12);
  auto arrow = compile("facts\n  a : number\noutputs\n  o : number, default 0\ntable t \"T\"\n  cite \"c\"\n"
                       "  given a\n  then o\n  row 1 3\n");
  expect_diagnostic(arrow, "syntax", 12, 9, "'=>'");
}

TEST_CASE("a unique table's overlapping rows are a conflict that check proves, with the two rows and an example") {
  const std::string path = "tables_unique_conflict.rules";
  {
    std::ofstream out(path);
    out << test::kHeader << R"(facts
  age : number
outputs
  band : number, default 0
table bands "Bands"
  cite "s1"
  given age
  then band
  row < 30 => 1
  row 20 to 40 => 2
)";
  }
  const std::string cmd = std::string(RULEBOOK_BINARY) + " check " + path + " 2>&1";
  std::string output;
  if (FILE* pipe = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t got;
    while ((got = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, got);
    pclose(pipe);
  }
  std::remove(path.c_str());
  INFO(output);
  CHECK_THAT(output, Catch::Contains("tables_unique_conflict.rules:13:3: error: rules bands.1 and bands.2 can both "
                                     "apply and give 'band' different values (1 and 2), for example when age is "));
  CHECK_THAT(output, Catch::Contains("[conflict]"));
}
