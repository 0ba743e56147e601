// Reading facts: every problem at once, each by its JSON path.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::json;
using namespace rulebook;

static const test::Compiled& policy() {
  static test::Compiled c = test::compile(R"(
type level = one of low < mid < high
facts
  employee.level : level
  employee.name : text
  employee.flag : yes/no, default no
  employee.count : number, optional
  pay.amount : money, optional
  dates.start : date, optional
  span : duration, optional
  who : list of level, default []
outputs
  o : yes/no, default no
rule r "t"
  cite "c"
  when employee.flag
  then o = yes
)");
  return c;
}

static std::vector<FactProblem> problems(const json& facts, Facts* out = nullptr, const Limits& limits = {}) {
  REQUIRE(policy().program);
  Facts local;
  return read_facts(*policy().program, facts, limits, out ? *out : local);
}

static std::string describe(const std::vector<FactProblem>& ps) {
  std::string s;
  for (const auto& p : ps) s += p.path + ": " + p.problem + "\n";
  return s;
}

TEST_CASE("valid facts fill every slot, with defaults") {
  Facts f;
  auto ps = problems({{"employee", {{"level", "mid"}, {"name", "Sarah"}}}, {"pay", {{"amount", 1234.5}}}}, &f);
  INFO(describe(ps));
  REQUIRE(ps.empty());
  const Program& p = *policy().program;
  CHECK(display_value(p, p.facts[0].type, f.values[0], &f.arena) == "mid");
  CHECK(f.values[1].as_text() == "Sarah");
  CHECK(f.values[2].kind == ValueKind::boolean);  // default no applied
  CHECK_FALSE(f.values[2].b);
  CHECK(f.values[3].is_missing());  // optional, not sent
  CHECK(format_decimal(f.values[4].decimal_value()) == "1234.5");
}

TEST_CASE("every problem is reported at once, by path") {
  auto ps = problems({{"employee", {{"level", "top"}, {"flag", "yes"}, {"nmae", "x"}}},
                      {"dates", {{"start", "2026-02-30"}}},
                      {"pay", {{"amount", "12.3456789012345678901"}}},
                      {"extra", 1}});
  INFO(describe(ps));
  REQUIRE(ps.size() == 7);
  std::map<std::string, std::string> by_path;
  for (const auto& p : ps) by_path[p.path] = p.problem;
  CHECK_THAT(by_path["employee.level"], Catch::StartsWith("value not allowed: \"top\" is not one of \"low\", \"mid\", \"high\""));
  CHECK_THAT(by_path["employee.flag"], Catch::StartsWith("wrong type: expected true or false, got text"));
  CHECK_THAT(by_path["employee.nmae"], Catch::Contains("unknown fact") && Catch::Contains("did you mean 'employee.name'?"));
  CHECK_THAT(by_path["dates.start"], Catch::StartsWith("impossible date: \"2026-02-30\" does not exist (that month has 28 days)"));
  CHECK_THAT(by_path["pay.amount"], Catch::Contains("at most 18 digits after the point"));
  CHECK_THAT(by_path["extra"], Catch::StartsWith("unknown fact"));
  // employee.name is required and missing too; the typo employee.nmae does not stand in for it.
  CHECK(by_path["employee.name"] == "required fact is missing");
}

TEST_CASE("required facts that are missing are listed") {
  auto ps = problems(json::object());
  INFO(describe(ps));
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].path == "employee.level");
  CHECK(ps[0].problem == "required fact is missing");
  CHECK(ps[1].path == "employee.name");
}

TEST_CASE("null means absent, so the default applies") {
  Facts f;
  auto ps = problems({{"employee", {{"level", "low"}, {"name", "A"}, {"flag", nullptr}, {"count", nullptr}}}}, &f);
  INFO(describe(ps));
  REQUIRE(ps.empty());
  CHECK_FALSE(f.values[2].b);
  CHECK(f.values[3].is_missing());
}

TEST_CASE("objects, lists, numbers and durations are checked by shape") {
  auto ps = problems({{"employee", "not an object"},
                      {"who", {"low", "nope", 3}},
                      {"span", "4 weeks"},
                      {"dates", {{"start", "26-3-2"}}}});
  INFO(describe(ps));
  std::map<std::string, std::string> by_path;
  for (const auto& p : ps) by_path[p.path] = p.problem;
  CHECK_THAT(by_path["employee"], Catch::StartsWith("expected an object holding employee.*, not text"));
  CHECK_THAT(by_path["who[1]"], Catch::StartsWith("value not allowed"));
  CHECK_THAT(by_path["who[2]"], Catch::StartsWith("wrong type"));
  CHECK_THAT(by_path["span"], Catch::StartsWith("wrong type: expected a duration"));
  CHECK_THAT(by_path["dates.start"], Catch::StartsWith("not a date: expected \"YYYY-MM-DD\""));

  Facts f;
  REQUIRE(problems({{"employee", {{"level", "low"}, {"name", "A"}, {"count", 3}}}, {"span", "P1M2W"}}, &f).empty());
  CHECK(f.values[3].i == 3);
  CHECK(f.values[6].dur == Duration{1, 14});
  CHECK_THAT(describe(problems({{"employee", {{"level", "low"}, {"name", "A"}, {"count", 3.5}}}})),
             Catch::Contains("employee.count: wrong type: expected a whole number, got a decimal number"));
}

TEST_CASE("fact limits: text length, list length, number of values") {
  Limits limits;
  limits.max_string_bytes = 10;
  limits.max_list_length = 2;
  auto ps = problems({{"employee", {{"level", "low"}, {"name", std::string(11, 'x')}}}, {"who", {"low", "low", "low"}}},
                     nullptr, limits);
  INFO(describe(ps));
  REQUIRE(ps.size() == 2);
  CHECK_THAT(ps[0].problem + ps[1].problem, Catch::Contains("text of 11 bytes; the limit is 10") &&
                                                Catch::Contains("a list of 3 items; the limit is 2"));
  Limits few;
  few.max_facts = 1;
  auto ps2 = problems({{"employee", {{"level", "low"}, {"name", "x"}}}}, nullptr, few);
  CHECK_THAT(describe(ps2), Catch::Contains("more than 1 fact values in one request"));
}

TEST_CASE("ISO durations") {
  CHECK(parse_iso_duration("P4W") == Duration{0, 28});
  CHECK(parse_iso_duration("P1Y2M3D") == Duration{14, 3});
  CHECK_FALSE(parse_iso_duration("P"));
  CHECK_FALSE(parse_iso_duration("4W"));
  CHECK_FALSE(parse_iso_duration("P1H"));
  CHECK_FALSE(parse_iso_duration("P99999999999D"));
}
