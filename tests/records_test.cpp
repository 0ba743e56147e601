// Records and lists of records as facts: declaration, field access, deep
// validation of request facts by path, limits; and aggregates over them.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// Line 4 is the first line after the test header.
const char* kHousehold =
    "type period = record \"a period of service\"\n"  // 4
    "  start : date\n"                                 // 5
    "  end   : date, optional\n"                       // 6
    "  use   : one of owned, used, default owned\n"    // 7
    "type child = record\n"                            // 8
    "  birth_date : date\n"                            // 9
    "  in_care    : yes/no, default yes\n"             // 10
    "  income     : money, optional\n"                 // 11
    "facts\n"                                          // 12
    "  household.children : list of child, default []\n"  // 13
    "  employee.service   : list of period\n"          // 14
    "  employee.current   : period, optional\n";       // 15

std::vector<std::string> paths(const std::vector<FactProblem>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.path + ": " + p.problem);
  return out;
}

}  // namespace

TEST_CASE("records: fields, defaults, optional fields and lists of records") {
  auto c = compile(std::string(kHousehold) +
                   "outputs\n  first_start : date\n  current_use : one of owned, used, optional\n"
                   "rule r \"t\"\n  cite \"c\"\n  then first_start = min of p.start for each p in employee.service else as_of\n"
                   "rule s \"t\"\n  cite \"c\"\n  when employee.current is given\n  then current_use = employee.current.use\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  const TypeInfo& period = c.program->types[c.program->facts[1].type];
  REQUIRE(period.kind == TypeKind::list);
  const TypeInfo& rec = c.program->types[period.element];
  CHECK(rec.kind == TypeKind::record);
  CHECK(rec.name == "period");
  REQUIRE(rec.fields.size() == 3);
  CHECK(rec.fields[1].optional);
  CHECK(rec.fields[2].default_value.has_value());

  auto r = test::run(*c.program, json{{"employee",
                                       {{"service", json::array({{{"start", "2020-05-01"}, {"use", "used"}},
                                                                 {{"start", "2018-01-01"}, {"end", "2019-01-01"}}})},
                                        {"current", {{"start", "2024-01-01"}}}}}});
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("first_start") == "2018-01-01");
  CHECK(r.out("current_use") == "owned");  // the field's default
  const std::string decision = decision_object_json(*c.program, r.decision);
  CHECK(decision == R"({"first_start":"2018-01-01","current_use":"owned"})");
  // A list fact of records reads back as the rule language writes it.
  CHECK(display_value(*c.program, c.program->facts[1].type, r.decision.slots[1], &r.decision.arena) ==
        "[period(start: 2020-05-01, use: used), period(start: 2018-01-01, end: 2019-01-01, use: owned)]");
}

TEST_CASE("records: every problem in the request at once, each with its full path") {
  auto c = compile(std::string(kHousehold) + "outputs\n  n : number\nrule r \"t\"\n  cite \"c\"\n"
                                             "  then n = count of c in household.children\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program,
                     json{{"household",
                           {{"children", json::array({{{"birth_date", "2010-01-01"}},
                                                      {{"birth_date", "2012-02-30"}, {"in_care", "yes"}},
                                                      {{"in_care", true}, {"incom", 5}},
                                                      7})}}},
                          {"employee", {{"service", json::array({{{"start", "2020-01-01"}, {"use", "xyzzy123"}}})},
                                        {"current", json::array()}}}});
  const auto got = paths(r.problems);
  std::string listed;
  for (const auto& line : got) listed += line + "\n";
  INFO(listed);
  // Members come in document order, and nlohmann/json writes keys sorted: employee first.
  CHECK(got == std::vector<std::string>{
                   "employee.current: wrong type: expected an object (a period), got a list",
                   "employee.service[0].use: value not allowed: \"xyzzy123\" is not one of \"owned\", \"used\"",
                   "household.children[1].birth_date: impossible date: \"2012-02-30\" does not exist (that month has 29 days)",
                   "household.children[1].in_care: wrong type: expected true or false, got text",
                   "household.children[2].incom: unknown field: a child has no field 'incom'; did you mean 'income'?",
                   "household.children[2].birth_date: required field is missing",
                   "household.children[3]: wrong type: expected an object (a child), got a whole number"});
}

TEST_CASE("records: limits on list length and items are clear errors") {
  auto c = compile(std::string(kHousehold) + "outputs\n  n : number\nrule r \"t\"\n  cite \"c\"\n"
                                             "  then n = count of c in household.children\n");
  REQUIRE(c.program);
  json many = json::array();
  for (int k = 0; k < 30; ++k) many.push_back({{"birth_date", "2010-01-01"}});
  Limits limits;
  limits.max_list_length = 20;
  Facts f;
  auto problems = read_facts(*c.program, json{{"household", {{"children", many}}}, {"employee", {{"service", json::array()}}}}, limits, f);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "household.children");
  CHECK(problems[0].problem == "a list of 30 items; the limit is 20");
  limits = Limits{};
  limits.max_items = 25;
  problems = read_facts(*c.program, json{{"household", {{"children", many}}}, {"employee", {{"service", json::array()}}}}, limits, f);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].problem == "more than 25 list items and records in one request; the limit is 25");
}

TEST_CASE("records: the checker reports misuse at its line and column") {
  auto with = [](const std::string& then, const std::string& outputs = "  v : number\n") {
    return compile(std::string(kHousehold) + "outputs\n" + outputs + "rule r \"t\"\n  cite \"c\"\n  then v = " + then + "\n");
  };
  // `then v = ` is line 20, its value at column 12.
  test::expect_diagnostic(with("count of c in household.children where c.in_cair"), "unknown-field", 20, 51,
                          "a child has no field 'in_cair'; did you mean 'in_care'?");
  test::expect_diagnostic(with("household.children.birth_date", "  v : date\n"), "list-as-value", 20, 12,
                          "'household.children' is a list of child, which has no field 'birth_date'");
  test::expect_diagnostic(with("employee.current.start", "  v : date\n"), "unguarded-optional", 20, 12,
                          "'employee.current' is optional");
  test::expect_diagnostic(with("sum of c.income for each c in household.children", "  v : money\n"),
                          "unguarded-optional", 20, 19, "'c.income' is optional");
  auto guarded = with("sum of c.income for each c in household.children where c.income is given", "  v : money\n");
  INFO(test::all_messages(guarded.diagnostics));
  CHECK(guarded.program);
  test::expect_diagnostic(compile("type a = record\n  x : list of list of list of list of list of list of list of list of number\n"),
                          "type-too-deep", 4, 10, "9 deep; the limit is 8");
}

TEST_CASE("aggregates: values over lists of records") {
  auto c = compile(std::string(kHousehold) +
                   "outputs\n"
                   "  in_care : number\n  total_income : money\n  youngest : date\n  all_in_care : yes/no\n"
                   "  any_open : yes/no\n  births : list of date\n  used_days : number\n"
                   "define days(p: period) = days_between(p.start, if p.end is given then p.end else as_of)\n"
                   "rule r \"t\"\n  cite \"c\"\n"
                   "  then in_care = count of c in household.children where c.in_care\n"
                   "       total_income = sum of c.income for each c in household.children where c.income is given\n"
                   "       youngest = max of c.birth_date for each c in household.children else 1900-01-01\n"
                   "       all_in_care = every c in household.children satisfies c.in_care\n"
                   "       any_open = some p in employee.service satisfies p.end is missing\n"
                   "       births = [c.birth_date for each c in household.children where not c.in_care]\n"
                   "       used_days = sum of days(p) for each p in employee.service where p.use is used\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  const json service = json::array({{{"start", "2026-01-01"}, {"end", "2026-01-31"}, {"use", "used"}},
                                    {{"start", "2026-02-01"}, {"use", "used"}},
                                    {{"start", "2025-01-01"}, {"end", "2025-12-31"}}});
  const json children = json::array({{{"birth_date", "2010-01-01"}, {"income", "100.25"}},
                                     {{"birth_date", "2015-06-30"}, {"in_care", false}},
                                     {{"birth_date", "2012-03-04"}, {"income", 0.5}, {"in_care", false}}});
  Facts f;
  REQUIRE(read_facts(*c.program, json{{"household", {{"children", children}}}, {"employee", {{"service", service}}}},
                     Limits{}, f).empty());
  f.as_of = *parse_iso_date("2026-03-01");
  test::Run r;
  r.program = c.program.get();
  r.decision = evaluate(*c.program, f);
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("in_care") == "1");
  CHECK(r.out("total_income") == "100.75");
  CHECK(r.out("youngest") == "2015-06-30");
  CHECK(r.out("all_in_care") == "no");
  CHECK(r.out("any_open") == "yes");
  CHECK(r.out("births") == "[2015-06-30, 2012-03-04]");
  CHECK(r.out("used_days") == "58");  // 30 + 28

  // Over empty lists: 0, the else value, yes, no, [].
  REQUIRE(read_facts(*c.program, json{{"employee", {{"service", json::array()}}}}, Limits{}, f).empty());
  r.decision = evaluate(*c.program, f);
  REQUIRE_FALSE(r.decision.error);
  CHECK(r.out("in_care") == "0");
  CHECK(r.out("total_income") == "0");
  CHECK(r.out("youngest") == "1900-01-01");
  CHECK(r.out("all_in_care") == "yes");
  CHECK(r.out("any_open") == "no");
  CHECK(r.out("births") == "[]");
  CHECK(r.out("used_days") == "0");

  // The explanation names the list and how many items matched.
  REQUIRE(read_facts(*c.program, json{{"household", {{"children", children}}}, {"employee", {{"service", service}}}},
                     Limits{}, f).empty());
  r.decision = evaluate(*c.program, f);
  const json ex = json::parse(explanation_json(*c.program, r.decision));
  bool found = false;
  for (const auto& e : ex) {
    if (e.value("aggregate", "") == "count of c in household.children where c.in_care") {
      found = true;
      CHECK(e["list"] == "household.children");
      CHECK(e["items"] == 3);
      CHECK(e["matched"] == 1);
      CHECK(e["value"] == 1);
    }
  }
  CHECK(found);
  CHECK_THAT(explanation_text(*c.program, r.decision),
             Catch::Contains("sum of days(p) for each p in employee.service where p.use is used = 58 (2 of the 3 items of employee.service matched)"));
}

TEST_CASE("aggregates: min or max of no items without else") {
  auto c = compile(std::string(kHousehold) +
                   "outputs\n  youngest : date\n"
                   "rule r \"t\"\n  cite \"c\"\n  then youngest = max of c.birth_date for each c in household.children\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  test::expect_diagnostic(c, "may-be-empty", 20, 19, "has no 'else'");
  auto r = test::run(*c.program, json{{"employee", {{"service", json::array()}}}});
  REQUIRE(r.decision.error);
  CHECK(r.decision.error->code == "undecided");
  CHECK(r.decision.error->message ==
        "max of c.birth_date for each c in household.children read no items (household.children had 0 items, none "
        "matching), and it has no 'else' value");
}

TEST_CASE("aggregates: type errors") {
  test::ExpressionProbe probe{"facts\n  xs : list of number\n  t : text\noutputs\n"};
  probe.expect_error("number", "count of x in t", "type-mismatch", 26, "'count' goes through a list, but 't' is a text");
  probe.expect_error("number", "sum of t for each x in xs", "type-mismatch", 19, "'sum of' adds numbers or decimals");
  probe.expect_error("number", "count of t in xs", "shadowing", 21, "the variable 't' has the name of the fact declared at t.rules:6");
  CHECK(probe.value_of("number", "sum of x * 2 for each x in xs where x > 1", json{{"xs", {1, 2, 3}}, {"t", ""}}) == "10");
  CHECK(probe.value_of("decimal", "sum of x / 2 for each x in xs", json{{"xs", {1, 2}}, {"t", ""}}) == "1.5");
  CHECK(probe.value_of("list of number", "[x + 1 for each x in xs]", json{{"xs", {1, 2}}, {"t", ""}}) == "[2, 3]");
  CHECK(probe.value_of("number", "min of x for each x in [3, 1, 2]", json{{"xs", json::array()}, {"t", ""}}) == "1");
}

TEST_CASE("aggregates, records and functions in the syntax tree") {
  auto parsed = parse_rules("t.rules",
                            "type period = record \"p\"\n  days : number\n  use : one of a, b, default a\n"
                            "define f(p: period, n: number) = p.days + n\n"
                            "define s = sum of f(p, 1) for each p in e.service where p.use is a else 0\n"
                            "define l = [p.days for each p in e.service]\n"
                            "define q = every p in e.service satisfies p.days > 1\n");
  INFO(test::all_messages(parsed.diagnostics));
  REQUIRE_FALSE(has_errors(parsed.diagnostics));
  const ast::File& f = parsed.file;
  REQUIRE(f.types.size() == 1);
  CHECK(f.types[0].type.kind == ast::TypeSpec::Kind::record);
  CHECK(f.types[0].type.description == "p");
  REQUIRE(f.types[0].type.fields.size() == 2);
  CHECK(f.types[0].type.fields[1].name == "use");  // a keyword is a field name before ':'
  REQUIRE(f.defines.size() == 4);
  CHECK(f.defines[0].is_function);
  REQUIRE(f.defines[0].params.size() == 2);
  CHECK(f.defines[0].params[1].name == "n");
  CHECK(f.defines[0].params[1].pos.column == 21);
  const ast::Expr& s = *f.defines[1].value;
  REQUIRE(s.kind == ast::ExprKind::aggregate);
  CHECK(s.text == "sum");
  CHECK(s.variable == "p");
  CHECK(s.children[0]->source == "e.service");
  CHECK(s.children[static_cast<std::size_t>(s.value_at)]->source == "f(p, 1)");
  CHECK(s.children[static_cast<std::size_t>(s.where_at)]->source == "p.use is a");
  CHECK(s.children[static_cast<std::size_t>(s.else_at)]->source == "0");
  const ast::Expr& l = *f.defines[2].value;
  CHECK(l.text == "list");
  CHECK(l.where_at == -1);
  CHECK(l.children[static_cast<std::size_t>(l.value_at)]->source == "p.days");
  const ast::Expr& q = *f.defines[3].value;
  CHECK(q.text == "every");
  CHECK(q.value_at == -1);
  CHECK(q.children[static_cast<std::size_t>(q.where_at)]->source == "p.days > 1");
}
