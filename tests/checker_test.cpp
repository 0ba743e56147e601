// The checker: each diagnostic, by code and position.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using namespace rulebook;

// A small policy most cases extend.
static const std::string kBase = R"(
type kind = one of ongoing, temporary
type level = one of low < mid < high
facts
  e.kind : kind
  e.level : level
  e.flag : yes/no, default no
  e.name : text
  d.notice : date, optional
  n.count : number, default 0
outputs
  outcome : one of approved, refused, waiting, optional
  when_due : date, optional
)";

static void expect(const std::string& rules, const std::string& code, std::size_t line, std::size_t column,
                   const std::string& message_part) {
  auto c = compile(kBase + rules);
  INFO(rules);
  test::expect_diagnostic(c, code, line, column, message_part);
}

// kHeader is 3 lines and kBase 15, so the rules below start on line 19.
TEST_CASE("a clean policy checks clean") {
  auto c = compile(kBase + "rule r \"t\"\n  cite \"c\"\n  when e.kind is ongoing\n  then outcome = approved\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK_FALSE(has_errors(c.diagnostics));
  REQUIRE(c.program);
  CHECK(c.program->rules.size() == 1);
  CHECK(c.program->facts.size() == 6);
}

TEST_CASE("unknown names, with a suggestion") {
  expect("rule r \"t\"\n  cite \"c\"\n  when e.knd is ongoing\n  then outcome = approved\n", "unknown-name", 19, 8,
         "did you mean 'e.kind'?");
  expect("rule r \"t\"\n  cite \"c\"\n  when e.kind is ongong\n  then outcome = approved\n", "unknown-value", 19, 18,
         "'ongong' is not one of the values of kind (ongoing, temporary); did you mean 'ongoing'?");
  expect("rule r \"t\"\n  cite \"c\"\n  then outcom = approved\n", "not-an-output", 19, 8, "did you mean 'outcome'?");
  expect("rule r \"t\"\n  cite \"c\"\n  then e.flag = yes\n", "not-an-output", 19, 8, "is a fact, an input");
  expect("rule r \"t\"\n  cite \"c\"\n  exception to s\n  then outcome = approved\n"
         "rule ss \"t\"\n  cite \"c\"\n  then when_due = 2020-01-01\n",
         "unknown-rule", 19, 16, "did you mean 'ss'?");
  expect("define x = cont(1)\n", "unknown-function", 17, 12, "did you mean 'count'");
}

TEST_CASE("types must fit") {
  expect("rule r \"t\"\n  cite \"c\"\n  when e.kind is 3\n  then outcome = approved\n", "type-mismatch", 19, 18,
         "'e.kind' is a value of type 'kind' but '3' is a number");
  expect("rule r \"t\"\n  cite \"c\"\n  then when_due = e.name\n", "type-mismatch", 19, 19,
         "expected a date here, but 'e.name' is a text");
  expect("define x = e.name + 1\n", "type-mismatch", 17, 19, "cannot use '+' on a text");
  expect("rule r \"t\"\n  cite \"c\"\n  when e.kind\n  then outcome = approved\n", "not-a-condition", 19, 8,
         "is a value of type 'kind', not a yes/no condition");
  expect("define x = e.kind < temporary\n", "not-ordered", 17, 19, "have no order");
  expect("define x = count(1)\n", "type-mismatch", 17, 18, "count() counts the items of a list");
  expect("define x = days_between(1, 2)\n", "type-mismatch", 17, 12, "needs two dates");
}

TEST_CASE("ordered enumerations compare; unordered ones do not") {
  auto c = compile(kBase + "define high_enough = e.level >= mid\n"
                           "rule r \"t\"\n  cite \"c\"\n  when high_enough\n  then outcome = approved\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK(c.program);
}

TEST_CASE("an optional value must be tested before it is read") {
  expect("rule r \"t\"\n  cite \"c\"\n  then when_due = d.notice + 4 weeks\n", "unguarded-optional", 19, 19,
         "'d.notice' is optional and may be missing: test 'd.notice is given' first");
  // Guarded: in a `when`, through `and`, through `or` and through `if`.
  for (const char* ok : {
           "rule r \"t\"\n  cite \"c\"\n  when d.notice is given\n  then when_due = d.notice + 4 weeks\n",
           "define x = d.notice is given and d.notice > 2020-01-01\n",
           "define x = d.notice is missing or d.notice > 2020-01-01\n",
           "define x = if d.notice is given then d.notice else 2020-01-01\n",
           "define x = if d.notice is missing then 2020-01-01 else d.notice\n",
           "define x = not (d.notice is missing) and d.notice > 2020-01-01\n",
       }) {
    auto c = compile(kBase + ok);
    INFO(ok);
    INFO(test::all_messages(c.diagnostics));
    CHECK_FALSE(has_errors(c.diagnostics));
  }
  // Not guarded: `or` does not guard its right side when the left is `is given`.
  expect("define x = d.notice is given or d.notice > 2020-01-01\n", "unguarded-optional", 17, 33, "optional");
  // Reading an optional output needs a guard too.
  expect("define x = outcome is approved\n", "unguarded-optional", 17, 12, "'outcome' is optional");
}

TEST_CASE("a define cannot take the name of an output") {
  expect("define outcome = 1\n", "duplicate-name", 15, 3, "'outcome' is already declared at t.rules:17");
}

TEST_CASE("duplicates, cycles and undecidable outputs") {
  expect("define a = 1\ndefine a = 2\n", "duplicate-name", 18, 8, "'a' is already declared at t.rules:17");
  expect("rule r \"t\"\n  cite \"c\"\n  then outcome = approved\nrule r \"t\"\n  cite \"c\"\n  then outcome = refused\n",
         "duplicate-rule", 20, 1, "there is already a rule called r");
  expect("define a = b + 1\ndefine b = a + 1\n", "cycle", 17, 8, "depends on itself");
  expect("rule r \"t\"\n  cite \"c\"\n  when outcome is given\n  then outcome = approved\n", "cycle", 15, 3,
         "'outcome' depends on itself");
  expect("rule a \"t\"\n  cite \"c\"\n  exception to b\n  then outcome = approved\n"
         "rule b \"t\"\n  cite \"c\"\n  exception to a\n  then outcome = refused\n",
         "exception-cycle", 17, 1, "through its exceptions, an exception to itself");
  expect("rule a \"t\"\n  cite \"c\"\n  exception to a\n  then outcome = approved\n", "self-exception", 19, 16,
         "cannot be an exception to itself");
  expect("rule a \"t\"\n  cite \"c\"\n  then outcome = approved\n       outcome = refused\n", "double-assignment", 20, 8,
         "assigns 'outcome' twice");
  expect("rule a \"t\"\n  cite \"c\"\n", "no-assignment", 17, 1, "rule a assigns no output");
}

TEST_CASE("an output nothing assigns needs a default") {
  auto c = compile("facts\n  a : yes/no\noutputs\n  o : yes/no\n  p : yes/no\nrule r \"t\"\n  cite \"c\"\n  when a\n  then o = yes\n");
  const auto* d = c.find("undecidable-output");
  REQUIRE(d);
  CHECK(d->pos.line == 8);
  CHECK_THAT(d->message, Catch::Contains("no rule assigns 'p' and it has no default"));
}

TEST_CASE("warnings: a rule without a citation, an unread fact, a needless presence test") {
  auto c = compile(kBase + "rule r \"t\"\n  when e.flag is given\n  then outcome = approved\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK_FALSE(has_errors(c.diagnostics));
  const auto* cite = c.find("missing-cite");
  REQUIRE(cite);
  CHECK(cite->severity == Severity::warning);
  CHECK(cite->pos.line == 17);
  CHECK(c.find("always-given"));
  const auto* unused = c.find("unused-fact");
  REQUIRE(unused);
  CHECK(unused->pos.line == 8);
}

TEST_CASE("a bare word is the value of the only enumeration that has it") {
  auto c = compile("type party = one of employee, head\nfacts\n  a : yes/no\noutputs\n  o : list of party\n"
                   "define who = [employee if a, head]\n"
                   "rule r \"t\"\n  cite \"c\"\n  then o = who\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK(c.program);
  auto amb = compile("type a1 = one of x, y\ntype a2 = one of x, z\ndefine w = [x]\n");
  const auto* d = amb.find("ambiguous-value");
  REQUIRE(d);
  CHECK(d->pos.line == 6);
  CHECK(d->pos.column == 13);
}

TEST_CASE("the checker proves conflicts between unordered rules") {
  auto c = compile(kBase + R"(rule approve "t"
  cite "c"
  when e.kind is ongoing
  then outcome = approved
rule refuse "t"
  cite "c"
  when e.flag
  then outcome = refused
)");
  const auto* d = c.find("conflict");
  REQUIRE(d);
  CHECK(d->severity == Severity::error);
  CHECK(d->pos.line == 21);
  CHECK_THAT(d->message, Catch::Contains("rules approve and refuse can both apply and give 'outcome' different values "
                                         "(approved and refused), for example when e.kind is ongoing, e.flag is yes"));
  CHECK_FALSE(c.program);
}

TEST_CASE("no conflict when conditions are disjoint, values agree, or an exception orders the rules") {
  const char* cases[] = {
      // disjoint on one enum
      "rule a \"t\"\n  cite \"c\"\n  when e.kind is ongoing\n  then outcome = approved\n"
      "rule b \"t\"\n  cite \"c\"\n  when e.kind is temporary\n  then outcome = refused\n",
      // disjoint through a define
      "define long = e.kind is ongoing and e.flag\n"
      "rule a \"t\"\n  cite \"c\"\n  when long\n  then outcome = approved\n"
      "rule b \"t\"\n  cite \"c\"\n  when not e.flag\n  then outcome = refused\n",
      // same value
      "rule a \"t\"\n  cite \"c\"\n  when e.flag\n  then outcome = refused\n"
      "rule b \"t\"\n  cite \"c\"\n  when e.kind is ongoing\n  then outcome = refused\n",
      // ordered by an exception
      "rule a \"t\"\n  cite \"c\"\n  when e.flag\n  then outcome = approved\n"
      "rule b \"t\"\n  cite \"c\"\n  exception to a\n  when e.kind is ongoing\n  then outcome = refused\n",
      // ordered levels never overlap
      "rule a \"t\"\n  cite \"c\"\n  when e.level > mid\n  then outcome = approved\n"
      "rule b \"t\"\n  cite \"c\"\n  when e.level <= mid\n  then outcome = refused\n",
  };
  for (const char* rules : cases) {
    auto c = compile(kBase + rules);
    INFO(rules);
    INFO(test::all_messages(c.diagnostics));
    CHECK_FALSE(has_errors(c.diagnostics));
  }
}

TEST_CASE("an overlap the checker cannot prove is left to decision time") {
  // Text facts are not enumerated, so this pair compiles; see evaluator_test for the runtime error.
  auto c = compile(kBase + "rule a \"t\"\n  cite \"c\"\n  when e.name is \"x\"\n  then outcome = approved\n"
                           "rule b \"t\"\n  cite \"c\"\n  when e.name is \"x\"\n  then outcome = refused\n");
  INFO(test::all_messages(c.diagnostics));
  CHECK(c.program);
}

TEST_CASE("policy headers need a version and a start date that comes before the end") {
  auto c = compile("policy p \"P\"\n  in force from 2022-01-01 until 2021-01-01\n", false);
  const auto* v = c.find("missing-version");
  REQUIRE(v);
  CHECK(v->pos.line == 1);
  const auto* r = c.find("inverted-range");
  REQUIRE(r);
  CHECK(r->pos.line == 2);
  CHECK(r->pos.column == 3);
  auto c2 = compile("policy p \"P\"\n  version 1\n", false);
  CHECK(c2.has("missing-in-force"));
}
