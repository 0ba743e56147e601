// `as_of`, presence guards that flow through defines, and a word that is both
// a declared name and a `one of` value: values, and diagnostics by code and position.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

const Diagnostic* expect(const test::Compiled& c, const std::string& code, std::size_t line, std::size_t column,
                         const std::string& message_part) {
  return test::expect_diagnostic(c, code, line, column, message_part);
}

}  // namespace

TEST_CASE("as_of is the decision's date, readable anywhere") {
  auto c = compile("facts\n  e.start : date\noutputs\n  years : number\n  recent : yes/no\n"
                   "define service_days = as_of - e.start\n"
                   "rule r \"t\"\n  cite \"c\"\n  then years = service_days\n"
                   "       recent = e.start > as_of - 1 year\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  Facts f;
  REQUIRE(read_facts(*c.program, json{{"e", {{"start", "2026-01-01"}}}}, Limits{}, f).empty());
  f.as_of = *parse_iso_date("2026-03-02");
  Decision d = evaluate(*c.program, f);
  REQUIRE_FALSE(d.error);
  test::Run r;
  r.program = c.program.get();
  r.decision = d;
  CHECK(r.out("years") == "60");
  CHECK(r.out("recent") == "yes");
  f.as_of = *parse_iso_date("2027-06-01");
  r.decision = evaluate(*c.program, f);
  CHECK(r.out("recent") == "no");
}

TEST_CASE("as_of through the API: the request's as_of") {
  const auto dir = std::filesystem::temp_directory_path() / ("rulebook-as-of-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "t.rules") << test::kHeader
                                 << "facts\n  e.start : date\noutputs\n  days : number\n"
                                    "rule r \"t\"\n  cite \"c\"\n  then days = as_of - e.start\n";
  LoadResult loaded = load_policies({dir.string()});
  std::filesystem::remove_all(dir);
  INFO(test::all_messages(loaded.diagnostics));
  REQUIRE(loaded.set);
  RequestContext ctx;
  ctx.today = *parse_iso_date("2026-03-02");
  auto r = decide(*loaded.set, "t", R"({"as_of": "2026-01-11", "facts": {"e": {"start": "2026-01-01"}}})", Limits{}, ctx);
  INFO(r.response.body);
  REQUIRE(r.response.status == 200);
  CHECK(json::parse(r.response.body)["decision"]["days"] == 10);
  // without one, today
  r = decide(*loaded.set, "t", R"({"facts": {"e": {"start": "2026-03-01"}}})", Limits{}, ctx);
  REQUIRE(r.response.status == 200);
  CHECK(json::parse(r.response.body)["decision"]["days"] == 1);
}

TEST_CASE("as_of cannot be declared") {
  auto c = compile("facts\n  as_of : date\n");
  expect(c, "reserved-name", 5, 3, "'as_of' is the decision's date");
}

TEST_CASE("a define that tests presence guards what it tested") {
  const std::string decls = "facts\n  a.score : number, optional\n  a.note : text, optional\noutputs\n  v : number, optional\n";
  // when the define holds, the fact is present
  auto ok = compile(decls + "define score_known = a.score is given\n"
                            "rule r \"t\"\n  cite \"c\"\n  when score_known\n  then v = a.score\n");
  INFO(test::all_messages(ok.diagnostics));
  REQUIRE(ok.program);
  CHECK(test::run(*ok.program, json{{"a", {{"score", 4}}}}).out("v") == "4");
  CHECK(test::run(*ok.program, json::object()).out("v") == "missing");
  // through `and`, `not` and another define
  auto deep = compile(decls + "define both = a.score is given and a.note is given\n"
                              "define lacking = not both\n"
                              "define v2 = if lacking then 0 else a.score + length(a.note)\n"
                              "rule r \"t\"\n  cite \"c\"\n  when not lacking\n  then v = a.score\n");
  INFO(test::all_messages(deep.diagnostics));
  CHECK(deep.program);
  // a define that tests something else guards nothing
  auto bad = compile(decls + "define score_known = a.note is given\n"
                             "rule r \"t\"\n  cite \"c\"\n  when score_known\n  then v = a.score\n");
  expect(bad, "unguarded-optional", 13, 12, "'a.score' is optional and may be missing");
}

TEST_CASE("a word that is a declared name and a one-of value") {
  const std::string decls = "type status = one of approved, refused\nfacts\n  e.status : status\n  e.n : number\n"
                            "outputs\n  approved : yes/no\n  s : status\n";
  // where a type is expected, the type decides
  auto typed = compile(decls + "rule r \"t\"\n  cite \"c\"\n  when e.status is approved\n  then s = refused\n"
                               "       approved = e.n > 3\n");
  INFO(test::all_messages(typed.diagnostics));
  REQUIRE(typed.program);
  auto r = test::run(*typed.program, json{{"e", {{"status", "approved"}, {"n", 5}}}});
  CHECK(r.out("s") == "refused");
  CHECK(r.out("approved") == "yes");
  // where nothing says which, it is an error naming both readings
  auto untyped = compile(decls + "define x = approved is e.status\n"
                                 "rule r \"t\"\n  cite \"c\"\n  then s = refused\n       approved = x\n");
  expect(untyped, "ambiguous-word", 11, 12,
         "'approved' could be the output declared at t.rules:9 or a value of status, and nothing here says which");
}
