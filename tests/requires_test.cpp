// `require CONDITION "message"` (issue 14): parsing, every diagnostic by code
// and position, evaluation (pass, fail, two at once, through a define), the
// problems a broken require gives, and the explanation.
#include <catch2/catch.hpp>

#include "rulebook/api.hpp"
#include "support.hpp"

using test::compile;
using test::expect_diagnostic;
using test::json;
using namespace rulebook;

namespace {

// The test header takes lines 1-3: the text given to compile() starts at line 4.
const std::string kDates =
    "facts\n"                                                                  // 4
    "  dates.agreed_date_of_effect : date\n"                                   // 5
    "  dates.agreed_end_date : date\n"                                         // 6
    "  pay.hours : number\n"                                                   // 7
    "  pay.note : text, optional\n"                                            // 8
    "outputs\n"                                                                // 9
    "  length : number\n"                                                      // 10
    "define span = dates.agreed_end_date - dates.agreed_date_of_effect\n"      // 11
    "require dates.agreed_end_date > dates.agreed_date_of_effect\n"            // 12
    "  \"the end date must be after the date of effect\"\n"                    // 13
    "require pay.hours >= 0 \"hours cannot be negative\"\n"                    // 14
    "rule length \"t\"\n  cite \"c\"\n  then length = pay.hours\n";

json facts(const char* start, const char* end, int hours) {
  return json{{"dates", {{"agreed_date_of_effect", start}, {"agreed_end_date", end}}}, {"pay", {{"hours", hours}}}};
}

}  // namespace

TEST_CASE("require: parsed with its condition, message and position") {
  ParseResult parsed = parse_rules("t.rules", std::string(test::kHeader) + kDates);
  INFO(test::all_messages(parsed.diagnostics));
  REQUIRE(parsed.diagnostics.empty());
  REQUIRE(parsed.file.requirements.size() == 2);
  const ast::Require& first = parsed.file.requirements[0];
  CHECK(first.condition->source == "dates.agreed_end_date > dates.agreed_date_of_effect");
  CHECK(first.message == "the end date must be after the date of effect");
  CHECK(first.pos.line == 12);
  CHECK(first.pos.column == 1);
  CHECK(parsed.file.requirements[1].message == "hours cannot be negative");
}

TEST_CASE("require: a fact, define or output may still be called require") {
  auto c = compile("facts\n  require : yes/no\noutputs\n  ok : yes/no\n"
                   "rule r \"t\"\n  cite \"c\"\n  when require\n  then ok = yes\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK(c.program);
}

TEST_CASE("require: a missing message is a parse error at the place it belongs") {
  auto c = compile("facts\n  a : number\noutputs\n  v : number\nrequire a > 0\n"
                   "rule r \"t\"\n  cite \"c\"\n  then v = a\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(!c.diagnostics.empty());
  CHECK(c.diagnostics[0].severity == Severity::error);
  CHECK_THAT(c.diagnostics[0].message, Catch::Contains("expected the message in quotes"));
  CHECK(c.diagnostics[0].pos.line == 9);  // `rule` on the next line is where the message was looked for
}

TEST_CASE("require: the compiled require lists every fact it reads, through defines too") {
  auto c = compile(kDates + std::string("require span <= 365 \"at most a year\"\n"));  // line 18
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  REQUIRE(c.program->requirements.size() == 3);
  const RequireInfo& through = c.program->requirements[2];
  CHECK(through.message == "at most a year");
  CHECK(through.source == "span <= 365");
  CHECK(through.pos.line == 18);
  REQUIRE(through.facts.size() == 2);
  CHECK(c.program->facts[through.facts[0]].name == "dates.agreed_date_of_effect");
  CHECK(c.program->facts[through.facts[1]].name == "dates.agreed_end_date");
  REQUIRE(c.program->requirements[1].facts.size() == 1);
  CHECK(c.program->facts[c.program->requirements[1].facts[0]].name == "pay.hours");
}

TEST_CASE("require: diagnostics by code and position") {
  const std::string decls = "facts\n  a : number\n  b : text, optional\noutputs\n  v : number\n";  // 4-8
  const std::string rule = "rule r \"t\"\n  cite \"c\"\n  then v = a\n";
  SECTION("not a yes/no condition") {
    auto c = compile(decls + "require a + 1 \"a must be something\"\n" + rule);
    expect_diagnostic(c, "not-a-condition", 9, 11, "'a + 1' is a number, not a yes/no condition");
  }
  SECTION("an optional fact read unguarded") {
    auto c = compile(decls + "require b is \"x\" \"b must be x\"\n" + rule);
    expect_diagnostic(c, "unguarded-optional", 9, 9, "'b' is optional");
  }
  SECTION("an optional fact guarded is fine") {
    auto c = compile(decls + "require b is missing or b is \"x\" \"b must be x\"\n" + rule);
    INFO(test::all_messages(c.diagnostics));
    CHECK(c.program);
  }
  SECTION("an output") {
    auto c = compile(decls + "require v > 0 \"v must be positive\"\n" + rule);
    expect_diagnostic(c, "require-reads-output", 9, 11, "reads the output 'v'");
  }
  SECTION("an output through a define") {
    auto c = compile(decls + "define twice = v * 2\nrequire twice > 0 \"twice v must be positive\"\n" + rule);
    expect_diagnostic(c, "require-reads-output", 10, 15, "reads the output 'v'");
  }
  SECTION("an unknown name") {
    auto c = compile(decls + "require c > 0 \"c\"\n" + rule);
    expect_diagnostic(c, "unknown-name", 9, 9, "'c'");
  }
  SECTION("an empty message warns") {
    auto c = compile(decls + "require a > 0 \"\"\n" + rule);
    expect_diagnostic(c, "require-without-message", 9, 1, "empty message");
    CHECK(c.program);
  }
}

TEST_CASE("require: facts that keep every require decide as usual") {
  auto c = compile(kDates);
  REQUIRE(c.program);
  auto r = test::run(*c.program, facts("2026-01-01", "2026-06-30", 38));
  REQUIRE(r.problems.empty());
  CHECK_FALSE(r.decision.error);
  CHECK(r.decision.failed_requires.empty());
  CHECK(r.out("length") == "38");
  CHECK(r.fired("length"));
}

TEST_CASE("require: a broken require stops the decision before any output") {
  auto c = compile(kDates);
  REQUIRE(c.program);
  auto r = test::run(*c.program, facts("2026-06-30", "2026-06-30", 38));
  REQUIRE(r.problems.empty());
  REQUIRE(r.decision.error);
  CHECK(r.decision.error->code == "invalid_facts");
  CHECK_THAT(r.decision.error->message, Catch::Contains("the end date must be after the date of effect"));
  CHECK(r.decision.failed_requires == std::vector<uint32_t>{0});
  CHECK(r.decision.fired.empty());
  CHECK(r.out("length") == "missing");
  const FactProblem pr = require_problem(*c.program, 0);
  CHECK(pr.path == "dates.agreed_date_of_effect");
  CHECK(pr.problem == "the end date must be after the date of effect");
  CHECK(pr.paths == std::vector<std::string>{"dates.agreed_date_of_effect", "dates.agreed_end_date"});
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("require failed (line 12, dates.agreed_end_date > dates.agreed_date_of_effect): "
                                   "the end date must be after the date of effect: "));
  CHECK_THAT(text, Catch::Contains("2026-06-30"));
}

TEST_CASE("require: two broken at once are both recorded, in order") {
  auto c = compile(kDates);
  REQUIRE(c.program);
  auto r = test::run(*c.program, facts("2026-06-30", "2026-01-01", -2));
  REQUIRE(r.decision.error);
  CHECK(r.decision.failed_requires == std::vector<uint32_t>{0, 1});
  CHECK_THAT(r.decision.error->message,
             Catch::Contains("2 requires: the end date must be after the date of effect; hours cannot be negative"));
}

TEST_CASE("require: a require through a define") {
  auto c = compile(kDates + std::string("require span <= 365 \"at most a year\"\n"));
  REQUIRE(c.program);
  CHECK(test::run(*c.program, facts("2026-01-01", "2026-12-31", 1)).decision.failed_requires.empty());
  auto r = test::run(*c.program, facts("2026-01-01", "2027-01-02", 1));
  CHECK(r.decision.failed_requires == std::vector<uint32_t>{2});
}

TEST_CASE("require: with fact problems, only the requires whose facts read are judged") {
  auto c = compile(kDates);
  REQUIRE(c.program);
  Facts values;
  // pay.hours is the wrong type: its require cannot be judged; the dates read and break theirs.
  json f = facts("2026-06-30", "2026-01-01", 0);
  f["pay"]["hours"] = "many";
  auto problems = read_facts(*c.program, f, Limits{}, values);
  REQUIRE(problems.size() == 1);
  add_require_problems(*c.program, values, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == "pay.hours");
  CHECK(problems[0].require == kNone);
  CHECK(problems[1].require == 0);
  CHECK(problems[1].problem == "the end date must be after the date of effect");
  CHECK(problems[1].paths == std::vector<std::string>{"dates.agreed_date_of_effect", "dates.agreed_end_date"});

  // A missing date: the date require is not judged (nothing to compare), pay's is.
  json g = json{{"dates", {{"agreed_date_of_effect", "2026-01-01"}}}, {"pay", {{"hours", -1}}}};
  problems = read_facts(*c.program, g, Limits{}, values);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "dates.agreed_end_date");
  add_require_problems(*c.program, values, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[1].problem == "hours cannot be negative");
  CHECK(problems[1].paths == std::vector<std::string>{"pay.hours"});
}

TEST_CASE("require: a program without requires has none and pays nothing for them") {
  auto c = compile("facts\n  a : number\noutputs\n  v : number\nrule r \"t\"\n  cite \"c\"\n  then v = a\n");
  REQUIRE(c.program);
  CHECK(c.program->requirements.empty());
  auto r = test::run(*c.program, json{{"a", 3}});
  CHECK_FALSE(r.decision.error);
  CHECK(r.decision.failed_requires.empty());
}

TEST_CASE("require: a fact only a require reads is not an unused fact") {
  auto c = compile("facts\n  a : number\n  b : number\noutputs\n  v : number\n"
                   "require b > 0 \"b must be positive\"\nrule r \"t\"\n  cite \"c\"\n  then v = a\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  CHECK_FALSE(c.has("unused-fact"));
}
