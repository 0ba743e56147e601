// Functions (`define f(p: T, ...) = ...`): values, type checking of calls,
// recursion naming its circle, and calls in the explanation.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// Line 4 is the first line after the test header.
const char* kDecls =
    "type classification = one of APS5 < APS6 < EL1\n"                                        // 4
    "facts\n"                                                                                  // 5
    "  e.start : date\n"                                                                       // 6
    "  e.end : date\n"                                                                         // 7
    "  e.rate : money\n"                                                                       // 8
    "  e.level : classification\n"                                                         // 9
    "outputs\n"                                                                                // 10
    "  days : number\n"                                                                        // 11
    "  pay : money\n"                                                                          // 12
    "  senior : yes/no\n";                                                                     // 13

const char* kFunctions =
    "define clamp_days(a: date, b: date, cap: number) = min(cap, max(0, days_between(a, b)))\n"  // 14
    "define weekly(amount: money, weeks: number) = round(amount * weeks / 52, 2)\n"              // 15
    "define at_least(c: classification, floor_level: classification) = c >= floor_level\n";     // 16

const char* kRule =
    "rule r \"t\"\n"
    "  cite \"c\"\n"
    "  then days = clamp_days(e.start, e.end, 30)\n"
    "       pay = weekly(e.rate, days)\n"
    "       senior = at_least(e.level, APS6)\n";

json facts(const char* start, const char* end, const char* level) {
  return json{{"e", {{"start", start}, {"end", end}, {"rate", 1000.10}, {"level", level}}}};
}

}  // namespace

TEST_CASE("functions: typed parameters, inferred results, called from rules") {
  auto c = compile(std::string(kDecls) + kFunctions + kRule);
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  REQUIRE(c.program->functions.size() == 3);
  CHECK(c.program->functions[0].result == types::integer);
  CHECK(c.program->functions[1].result == types::decimal);
  CHECK(c.program->functions[2].result == types::boolean);

  auto r = test::run(*c.program, facts("2026-01-01", "2026-01-11", "APS6"));
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("days") == "10");
  CHECK(r.out("pay") == "192.33");  // 1000.10 * 10 / 52 = 192.326923...
  CHECK(r.out("senior") == "yes");

  r = test::run(*c.program, facts("2026-01-01", "2026-12-31", "APS5"));
  CHECK(r.out("days") == "30");  // capped
  CHECK(r.out("pay") == "576.98");  // 1000.10 * 30 / 52 = 576.980769...
  CHECK(r.out("senior") == "no");

  r = test::run(*c.program, facts("2026-02-01", "2026-01-01", "EL1"));
  CHECK(r.out("days") == "0");  // an end before the start counts no days
  CHECK(r.out("senior") == "yes");
}

TEST_CASE("functions call functions and read facts and defines") {
  auto c = compile(
      "facts\n  e.hours : number\n  e.extra : number, default 0\noutputs\n  total : number\n"
      "define base = e.hours * 2\n"
      "define plus_base(x: number) = x + base + e.extra\n"
      "define twice(x: number) = plus_base(x) + plus_base(x)\n"
      "rule r \"t\"\n  cite \"c\"\n  then total = twice(3)\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"e", {{"hours", 5}, {"extra", 1}}}});
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("total") == "28");  // 2 * (3 + 10 + 1)
  // What the function reads counts as what the rule reads, for the explanation.
  const auto& reads = c.program->rules[0].assignments[0].reads;
  REQUIRE(reads.size() == 2);
  CHECK(c.program->slot_name(reads[0]) == "base");
  CHECK(c.program->slot_name(reads[1]) == "e.extra");
}

TEST_CASE("function calls are checked: arity, argument types, names") {
  const std::string head = std::string(kDecls) + kFunctions;
  auto with_rule = [&](const std::string& then) {
    return compile(head + "rule r \"t\"\n  cite \"c\"\n  then " + then + "\n");
  };
  // The rule's `then` is line 19; its value starts at column 15 for `days = `.
  test::expect_diagnostic(with_rule("days = clamp_days(e.start, e.end)"), "arity", 19, 15,
                          "clamp_days() takes 3 arguments (a, b, cap), not 2");
  test::expect_diagnostic(with_rule("days = clamp_days(e.start, 5, 30)"), "type-mismatch", 19, 35,
                          "the parameter 'b' of clamp_days() is a date, but '5' is a number");
  test::expect_diagnostic(with_rule("senior = at_least(e.level, APS9)"), "unknown-value", 19, 35,
                          "'APS9' is not one of the values of classification");
  test::expect_diagnostic(with_rule("days = clmp_days(e.start, e.end, 3)"), "unknown-function", 19, 15,
                          "did you mean 'clamp_days'?");
  test::expect_diagnostic(with_rule("days = clamp_days"), "function-without-call", 19, 15,
                          "'clamp_days' is a function: call it with its arguments");
  // A whole number is taken where a decimal is wanted.
  auto ok = with_rule("days = 1\n       pay = weekly(10, 52)\n       senior = no");
  INFO(test::all_messages(ok.diagnostics));
  CHECK(ok.program);
}

TEST_CASE("function declarations: parameter names, duplicates, unknown types") {
  test::expect_diagnostic(compile("facts\n  start : date\noutputs\n  v : number, default 0\n"
                                  "define f(start: date) = 1\n"),
                          "shadowing", 8, 10, "the parameter 'start' has the name of the fact declared at t.rules:5");
  test::expect_diagnostic(compile("outputs\n  v : number, default 0\ndefine f(a: number, a: date) = 1\n"),
                          "duplicate-name", 6, 21, "'f' has two parameters called 'a'");
  test::expect_diagnostic(compile("outputs\n  v : number, default 0\ndefine f(a: period) = 1\n"),
                          "unknown-type", 6, 13, "there is no type called 'period'");
  test::expect_diagnostic(compile("outputs\n  v : number, default 0\ndefine v(a: number) = 1\n"),
                          "duplicate-name", 6, 8, "'v' is already declared at t.rules:5");
  test::expect_diagnostic(compile("outputs\n  v : number, default 0\ndefine max(a: number) = 1\n"),
                          "duplicate-name", 6, 8, "'max' is a built-in function");
  test::expect_diagnostic(compile("outputs\n  v : number, default 0\ndefine f(a: number, ) = 1\n"), "syntax", 6,
                          21, "expected a parameter and its type");
}

TEST_CASE("recursion is an error at the function's define line, naming the circle") {
  const char* out = "outputs\n  v : number, default 0\n";  // lines 4-5
  test::expect_diagnostic(compile(std::string(out) + "define f(n: number) = if n > 0 then f(n - 1) else 0\n"),
                          "recursive-function", 6, 8, "function 'f' is recursive: f -> f");
  auto through = compile(std::string(out) +
                         "define f(n: number) = g(n) + 1\n"     // 6
                         "define g(n: number) = h(n) * 2\n"     // 7
                         "define h(n: number) = f(n)\n");       // 8
  test::expect_diagnostic(through, "recursive-function", 6, 8, "function 'f' is recursive: f -> g -> h -> f");
  CHECK(std::count_if(through.diagnostics.begin(), through.diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::error; }) == 1);
  test::expect_diagnostic(compile(std::string(out) +
                                  "define total = f(1)\n"              // 6
                                  "define f(n: number) = n + total\n"),  // 7
                          "recursive-function", 7, 8, "function 'f' is recursive: total -> f -> total");
  // A circle of defines alone keeps its own error.
  test::expect_diagnostic(compile(std::string(out) + "define a = b\ndefine b = a\n"), "cycle", 6, 8,
                          "depends on itself");
}

TEST_CASE("the explanation shows each call with its arguments and result") {
  auto c = compile(std::string(kDecls) + kFunctions + kRule);
  REQUIRE(c.program);
  auto r = test::run(*c.program, facts("2026-01-01", "2026-01-11", "APS6"));
  REQUIRE_FALSE(r.decision.error);
  const json ex = json::parse(explanation_json(*c.program, r.decision));
  std::vector<json> calls;
  for (const auto& e : ex) {
    if (e.contains("call")) calls.push_back(e);
  }
  REQUIRE(calls.size() == 3);
  CHECK(calls[0]["call"] == "clamp_days(e.start, e.end, 30)");
  CHECK(calls[0]["function"] == "clamp_days");
  CHECK(calls[0]["arguments"] == json({{"a", "2026-01-01"}, {"b", "2026-01-11"}, {"cap", 30}}));
  CHECK(calls[0]["value"] == 10);
  CHECK(calls[1]["call"] == "weekly(e.rate, days)");
  CHECK(calls[1]["arguments"]["weeks"] == 10);
  CHECK(calls[1]["value"].dump() == "192.33");
  CHECK(calls[2]["arguments"] == json({{"c", "APS6"}, {"floor_level", "APS6"}}));
  CHECK(calls[2]["value"] == true);
  const std::string text = explanation_text(*c.program, r.decision);
  CHECK_THAT(text, Catch::Contains("clamp_days(e.start, e.end, 30) = 10 where a is 2026-01-01, b is 2026-01-11, cap is 30\n"));
}
