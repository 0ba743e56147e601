// The front end: what it accepts, and where and how it reports what it does not.
#include <catch2/catch.hpp>
#include <random>
#include <tao/pegtl/contrib/analyze.hpp>

#include "lang/grammar.hpp"
#include "support.hpp"

using namespace rulebook;

static ParseResult parse(const std::string& text) { return parse_rules("p.rules", text); }

TEST_CASE("the grammar has no rule that can loop without consuming input") {
  CHECK(tao::pegtl::analyze<grammar::chunk>() == 0);
}

TEST_CASE("policy ids may hold hyphens") {
  auto r = parse("policy aps.temporary-end \"End\"\nuse aps.s26-facts\n");
  INFO(test::all_messages(r.diagnostics));
  REQUIRE(r.diagnostics.empty());
  CHECK(r.file.header->id == "aps.temporary-end");
  CHECK(r.file.uses[0].name == "aps.s26-facts");
}

TEST_CASE("a policy parses into its parts") {
  auto r = parse(R"(# comment
policy aps.demo "Demo"
  version 2022.1
  in force from 2022-02-01 until 2030-12-31
  source "Somewhere"

use aps.classifications

type party = one of employee, current_head
type level = one of low < mid < high "ordered"

facts
  employee.kind : one of ongoing, non_ongoing  "status"
  employee.level : level
  dates.notice : date, optional
  pay.amount : money, default 10.50
  flags.x : yes/no, default no

outputs
  outcome : one of approved, refused
  missing_parties : list of party, default []

define later = if dates.notice is given then dates.notice + 4 weeks else 2022-01-01

rule approve-it "Approve"
  cite "s1"
  when employee.kind is ongoing
   and employee.level >= mid
  then outcome = approved
       missing_parties = [employee if flags.x, current_head]

rule refuse-it "Refuse"
  exception to approve-it
  cite "s2"
  when not (employee.kind is ongoing) or pay.amount * 2 > 100
  then outcome = refused
)");
  INFO(test::all_messages(r.diagnostics));
  REQUIRE(r.diagnostics.empty());
  const auto& f = r.file;
  REQUIRE(f.header);
  CHECK(f.header->id == "aps.demo");
  CHECK(f.header->title == "Demo");
  CHECK(*f.header->version == "2022.1");
  CHECK(format_iso_date(*f.header->in_force_from) == "2022-02-01");
  CHECK(format_iso_date(*f.header->in_force_until) == "2030-12-31");
  CHECK(f.header->source == "Somewhere");
  REQUIRE(f.uses.size() == 1);
  CHECK(f.uses[0].name == "aps.classifications");
  REQUIRE(f.types.size() == 2);
  CHECK(f.types[1].type.ordered);
  CHECK(f.types[1].type.members == std::vector<std::string>{"low", "mid", "high"});
  REQUIRE(f.facts.size() == 5);
  CHECK(f.facts[0].description == "status");
  CHECK(f.facts[2].optional);
  CHECK(f.facts[3].default_value);
  REQUIRE(f.outputs.size() == 2);
  CHECK(f.outputs[1].type.kind == ast::TypeSpec::Kind::list);
  REQUIRE(f.defines.size() == 1);
  CHECK(f.defines[0].value->kind == ast::ExprKind::if_);
  REQUIRE(f.rules.size() == 2);
  CHECK(f.rules[0].name == "approve-it");
  CHECK(f.rules[0].conditions.size() == 2);  // the top-level `and` is split
  CHECK(f.rules[0].conditions[1]->source == "employee.level >= mid");
  CHECK(f.rules[0].assignments.size() == 2);
  CHECK(f.rules[0].pos.line == 25);
  CHECK(f.rules[1].exception_to.size() == 1);
  CHECK(f.rules[1].conditions.size() == 1);  // an `or` stays one condition
  CHECK(f.rules[1].conditions[0]->kind == ast::ExprKind::or_);
}

TEST_CASE("operators bind as in arithmetic and logic") {
  auto r = parse("define x = 1 + 2 * 3 - 4\ndefine y = a or b and not c\n");
  REQUIRE(r.diagnostics.empty());
  const auto& x = *r.file.defines[0].value;  // (1 + (2 * 3)) - 4
  REQUIRE(x.kind == ast::ExprKind::binary);
  CHECK(x.op == ast::BinOp::sub);
  CHECK(x.children[0]->op == ast::BinOp::add);
  CHECK(x.children[0]->children[1]->op == ast::BinOp::mul);
  const auto& y = *r.file.defines[1].value;  // a or (b and (not c))
  REQUIRE(y.kind == ast::ExprKind::or_);
  REQUIRE(y.children[1]->kind == ast::ExprKind::and_);
  CHECK(y.children[1]->children[1]->kind == ast::ExprKind::not_);
}

TEST_CASE("literals: durations, dates, decimals, text escapes") {
  auto r = parse("define a = 4 weeks\ndefine b = 1 month\ndefine c = 2 years\ndefine d = \"a \\\"q\\\" b\"\n"
                 "define e = 2024-02-29\ndefine f = 12.25\n");
  REQUIRE(r.diagnostics.empty());
  CHECK(r.file.defines[0].value->literal.dur == Duration{0, 28});
  CHECK(r.file.defines[1].value->literal.dur == Duration{1, 0});
  CHECK(r.file.defines[2].value->literal.dur == Duration{24, 0});
  CHECK(r.file.defines[3].value->text == "a \"q\" b");
  CHECK(format_iso_date(r.file.defines[4].value->literal.date) == "2024-02-29");
  CHECK(format_decimal(r.file.defines[5].value->literal.decimal_value()) == "12.25");
}

struct Expected {
  std::size_t line, column;
  const char* message_part;
};

static void expect_error(const std::string& text, Expected e) {
  auto r = parse(text);
  INFO(text);
  INFO(test::all_messages(r.diagnostics));
  REQUIRE_FALSE(r.diagnostics.empty());
  const auto& d = r.diagnostics.front();
  CHECK(d.pos.file == "p.rules");
  CHECK(d.pos.line == e.line);
  CHECK(d.pos.column == e.column);
  CHECK_THAT(d.message, Catch::Contains(e.message_part));
}

TEST_CASE("syntax errors point at the line and column and say what to do") {
  expect_error("rule r \"t\"\n  when a and\n  then x = 1\n", {3, 3, "expected a condition after 'and'"});
  expect_error("rule r \"t\"\n  cite \"unclosed\n", {2, 17, "no closing '\"'"});
  expect_error("rule r \"t\"\n  then x = (1 + 2\n", {3, 1, "expected ')'"});
  expect_error("rule r \"t\"\n  then x =\n", {3, 1, "expected a value after '='"});
  expect_error("facts\n  a.b  date\n", {2, 8, "expected ':'"});
  expect_error("rule \"no name\"\n", {1, 6, "expected a rule name"});
  expect_error("rul r \"t\"\n", {1, 1, "expected 'rule', 'define'"});
  expect_error("define x = if a then b\n", {2, 1, "expected 'else'"});
  expect_error("rule r \"t\"\n  exception r2\n", {2, 13, "expected 'to'"});
  expect_error("policy p\n  in force 2022-01-01\n", {2, 12, "expected 'in force from <date>'"});
  expect_error("define x = [a, b\n", {2, 1, "expected ']'"});
  expect_error("define x = a is one of b\n", {1, 24, "expected a list like [a, b]"});
  expect_error("facts\n  a : one of\n", {3, 1, "expected the allowed values"});
  expect_error("define x = count(a, \n", {1, 19, "expected ')'"});
  expect_error("rule r \"t\"\n  when count(x) = 0\n", {2, 17, "to compare, write 'is'"});
  expect_error("define x = a == b\n", {1, 14, "to compare, write 'is'"});
}

TEST_CASE("a date that does not exist is an error at its position") {
  expect_error("define x = 2026-02-30\n", {1, 12, "that month has 28 days"});
  expect_error("policy p\n  in force from 2023-13-01\n", {2, 17, "there is no month 13"});
}

TEST_CASE("one run reports the errors of every broken item") {
  auto r = parse("rule a \"t\"\n  when x and\n\nrule b \"t\"\n  then y =\n\nrule c \"fine\"\n  then z = 1\n");
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].pos.line == 4);  // after `and`, the next token is on line 4
  CHECK(r.diagnostics[1].pos.line == 7);
  REQUIRE(r.file.rules.size() == 1);
  CHECK(r.file.rules[0].name == "c");
}

TEST_CASE("the caret display marks the column") {
  auto r = parse("define x = (1 +)\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(format_diagnostic(r.diagnostics[0]) ==
        "p.rules:1:16: error: expected a value after '+' or '-'\n    define x = (1 +)\n                   ^\n");
}

TEST_CASE("deep nesting is an error, not a stack overflow") {
  std::string deep = "define x = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n";
  auto r = parse(deep);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK_THAT(r.diagnostics[0].message, Catch::Contains("nested more than 64 levels"));

  std::string nots = "define x = ";
  for (int k = 0; k < 100000; ++k) nots += "not ";
  auto r2 = parse(nots + "a\n");
  REQUIRE(r2.diagnostics.size() == 1);
  CHECK_THAT(r2.diagnostics[0].message, Catch::Contains("nested more than 64 levels"));

  std::string minus = "define x = " + std::string(100000, '-') + "1\n";
  CHECK(parse(minus).diagnostics.size() == 1);

  std::string lists = "facts\n  a : ";
  for (int k = 0; k < 10000; ++k) lists += "list of ";
  CHECK(parse(lists + "date\n").diagnostics.size() == 1);

  // 60 levels is fine
  std::string ok = "define x = " + std::string(60, '(') + "1" + std::string(60, ')') + "\n";
  CHECK(parse(ok).diagnostics.empty());
}

TEST_CASE("long flat chains parse without deep recursion") {
  // A chain builds a tree one level higher per operator, which every later
  // stage walks recursively: past the depth limit it is a clear error
  // (tests/robustness/limits_test.cpp has the details).
  std::string ok = "define x = 1";
  for (int k = 0; k < 60; ++k) ok += " + 1";
  CHECK(parse(ok + "\n").diagnostics.empty());
  std::string chain = "define x = 1";
  for (int k = 0; k < 20000; ++k) chain += " + 1";
  auto r = parse(chain + "\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK_THAT(r.diagnostics[0].message, Catch::Contains("nested more than 64 levels"));
}

TEST_CASE("a file over the size limit is refused before parsing") {
  Limits limits;
  limits.max_rule_file_bytes = 100;
  auto r = parse_rules("big.rules", std::string(200, '#'), limits);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "too-large");
  CHECK_THAT(r.diagnostics[0].message, Catch::Contains("limited to 100 bytes"));
}

TEST_CASE("mangled input never crashes the parser") {
  std::mt19937 rng(1234);
  const std::string alphabet = "rule when then and or not is ( ) [ ] \" # \n : , = < > + - * / 2026-02-30 x.y 1.5 \xff\xfe";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 400);
    for (int k = 0; k < n; ++k) text += alphabet[rng() % alphabet.size()];
    auto r = parse(text);
    (void)r;
  }
  // Every prefix of a real policy parses or fails cleanly.
  std::string policy = "policy p \"P\"\n  version 1\n  in force from 2020-01-01\nfacts\n  a.b : yes/no\n"
                       "outputs\n  o : yes/no\nrule r \"t\"\n  cite \"c\"\n  when a.b\n  then o = yes\n";
  for (std::size_t k = 0; k <= policy.size(); ++k) (void)parse(policy.substr(0, k));
  SUCCEED();
}
