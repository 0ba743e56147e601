// Sub-decisions (issue 14): `define wage = decision of fr.smic with region = ...`.
// Parsing, every diagnostic by code and position, evaluation value by value
// (records, enumeration members by word, the callee's version by as_of), the
// explanation nested in text and JSON, `fired`, and the caller's hash.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "support.hpp"

using test::json;
using namespace rulebook;

namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(test::source_dir() + "/tests/scenario/fixtures/subdecision/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The fixture policies (fr.smic 2025 and 2026, fr.allowance), with `allowance` replaced when given.
std::map<std::string, std::string> fixture(const std::string& allowance = "") {
  return {{"mem/smic-2025.rules", read_fixture("smic-2025.rules")},
          {"mem/smic-2026.rules", read_fixture("smic-2026.rules")},
          {"mem/allowance.rules", allowance.empty() ? read_fixture("allowance.rules") : allowance}};
}

LoadResult load(const std::map<std::string, std::string>& files) {
  LoadOptions options;
  options.overlay = files;
  return load_policies({}, options);
}

std::string messages(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += format_headline(d) + "\n";
  return out;
}

const Diagnostic* find(const LoadResult& r, const std::string& code, const std::string& file = "") {
  for (const auto& d : r.diagnostics) {
    if (d.code == code && (file.empty() || d.pos.file == file)) return &d;
  }
  return nullptr;
}

void expect_at(const LoadResult& r, const std::string& code, const std::string& file, std::size_t line,
               std::size_t column, const std::string& message_part) {
  INFO(messages(r));
  const Diagnostic* d = find(r, code, file);
  REQUIRE(d != nullptr);
  CHECK(d->pos.line == line);
  CHECK(d->pos.column == column);
  CHECK_THAT(d->message, Catch::Contains(message_part));
}

// A caller policy: header, `decls`, then the define (line 8 onwards after 3 header lines and `decls`).
std::string caller(const std::string& body) {
  return "policy fr.caller \"Caller\"\n  version 1\n  in force from 2025-01-01\n" + body;
}

json decide_json(const PolicySet& set, const std::string& id, const json& request) {
  RequestContext ctx;
  ctx.today = *parse_iso_date("2025-06-01");
  const DecideResult r = decide(set, id, request.dump(), Limits{}, ctx);
  INFO(r.response.body);
  return json::parse(r.response.body);
}

const json kTwoChildren = {{"household", {{"region", "metropole"},
                                          {"children", json::array({{{"age", 4}, {"name", "Ana"}},
                                                                    {{"age", 19}, {"name", "Bo"}}})}}}};

}  // namespace

TEST_CASE("sub-decisions: parsing a decision of with bindings over several lines") {
  ParseResult r = parse_rules("a.rules", caller("facts\n  x : number\n"
                                                "define w = decision of fr.smic with\n"
                                                "  region = x,\n"
                                                "  employee.hours = x + 1\n"));
  INFO(test::all_messages(r.diagnostics));
  REQUIRE(!has_errors(r.diagnostics));
  REQUIRE(r.file.defines.size() == 1);
  const ast::Expr& e = *r.file.defines[0].value;
  CHECK(e.kind == ast::ExprKind::decision_of);
  CHECK(e.text == "fr.smic");
  REQUIRE(e.children.size() == 2);
  CHECK(e.children[0]->text == "region");
  CHECK(e.children[0]->pos.line == 7);
  CHECK(e.children[1]->text == "employee.hours");
  CHECK(e.children[1]->children[0]->source == "x + 1");
  CHECK(e.children[1]->pos.line == 8);
}

TEST_CASE("sub-decisions: syntax errors name what is missing") {
  auto r1 = parse_rules("a.rules", caller("define w = decision of fr.smic\nrule r\n  then v = 1\n"));
  REQUIRE(has_errors(r1.diagnostics));
  CHECK_THAT(r1.diagnostics[0].message, Catch::Contains("expected 'with'"));
  auto r2 = parse_rules("a.rules", caller("define w = decision of fr.smic with region\n"));
  REQUIRE(has_errors(r2.diagnostics));
  CHECK_THAT(r2.diagnostics[0].message, Catch::Contains("a fact of the other policy and its value"));
  // `decision` alone stays a name: a fact may be called decision.
  auto r3 = parse_rules("a.rules", caller("facts\n  decision : number\ndefine w = decision + 1\n"));
  CHECK(!has_errors(r3.diagnostics));
}

TEST_CASE("sub-decisions: evaluation value by value, records, members by word, the version by as_of") {
  const LoadResult loaded = load(fixture());
  INFO(messages(loaded));
  REQUIRE(loaded.set);
  // No lint either: members handed on to fr.smic, or taken from it, are handled there.
  CHECK(loaded.diagnostics.empty());

  json request = {{"facts", kTwoChildren}, {"as_of", "2025-06-01"}};
  json j = decide_json(*loaded.set, "fr.allowance", request);
  CHECK(j["decision"]["allowance"].dump() == "118.8");  // 11.88 * 10 * one child under 18
  CHECK(j["decision"]["zone"] == "mainland");
  CHECK(j["decision"]["young"] == 1);

  request["as_of"] = "2026-03-01";  // fr.smic 2026 is in force: 12.02
  j = decide_json(*loaded.set, "fr.allowance", request);
  CHECK(j["decision"]["allowance"].dump() == "120.2");

  // mayotte is member 0 of the caller's type and member 1 of fr.smic's: mapped by word.
  request["facts"]["household"]["region"] = "mayotte";
  request["as_of"] = "2025-06-01";
  j = decide_json(*loaded.set, "fr.allowance", request);
  CHECK(j["decision"]["allowance"].dump() == "89.8");
  CHECK(j["decision"]["zone"] == "overseas");

  // The define's value is the record of fr.smic's outputs, in the explanation too.
  request["explain"] = true;
  j = decide_json(*loaded.set, "fr.allowance", request);
  json wage;
  for (const auto& item : j["explanation"]) {
    if (item.contains("define") && item["define"] == "wage") wage = item;
  }
  REQUIRE(wage.is_object());
  CHECK(wage["value"]["hourly_gross"].dump() == "8.98");
  CHECK(wage["value"]["zone"] == "overseas");
  CHECK(wage["value"]["dependants"] == 1);
  CHECK(wage["value"]["weekly_gross"].dump() == "314.3");  // 8.98 * the default 35 hours
  // Nested: the callee's version, fired rules and whole explanation.
  const json& sub = wage["sub_decision"];
  CHECK(sub["policy"] == "fr.smic");
  CHECK(sub["version"] == "2025");
  CHECK(sub["fired"][0]["rule"] == "mayotte");
  bool metropole_not_applied = false;
  for (const auto& item : sub["explanation"]) {
    if (item.contains("rule") && item["rule"] == "metropole") metropole_not_applied = item["status"] == "not_applied";
  }
  CHECK(metropole_not_applied);
  // `fired`: the caller's rules, then the callee's as policy/rule.
  std::vector<std::string> fired;
  for (const auto& f : j["fired"]) fired.push_back(f["rule"]);
  CHECK(fired == std::vector<std::string>{"allowance", "fr.smic/mayotte", "fr.smic/dependants", "fr.smic/weekly"});
  CHECK(j["fired"][1]["cite"] == "Decree 2024-951 art. 2");
}

TEST_CASE("sub-decisions: the explanation text nests the callee's under the define") {
  const LoadResult loaded = load(fixture());
  REQUIRE(loaded.set);
  RequestContext ctx;
  ctx.want_text = true;
  const json request = {{"facts", kTwoChildren}, {"as_of", "2026-02-01"}, {"explain", true}};
  const DecideResult r = decide(*loaded.set, "fr.allowance", request.dump(), Limits{}, ctx);
  INFO(r.text);
  CHECK_THAT(r.text, Catch::Contains("  wage decided by fr.smic version 2026:\n"
                                     "    metropole applied (Decree 2025-1228)"));
  CHECK_THAT(r.text, Catch::Contains("    mayotte did not apply: region is mayotte does not hold (region is metropole)"));
  CHECK_THAT(r.text, Catch::Contains("    hourly_gross = 12.02, by metropole"));
}

TEST_CASE("sub-decisions: the caller's hash covers the callee's files") {
  const LoadResult before = load(fixture());
  REQUIRE(before.set);
  auto files = fixture();
  files["mem/smic-2026.rules"] += "# a comment changes the file\n";
  const LoadResult after = load(files);
  REQUIRE(after.set);
  const Program* caller_before = before.set->versions_of("fr.allowance")[0];
  const Program* caller_after = after.set->versions_of("fr.allowance")[0];
  CHECK(caller_before->hash != caller_after->hash);
  // fr.smic 2025 did not change, and decides nothing: its hash is its own.
  CHECK(before.set->versions_of("fr.smic")[0]->hash == after.set->versions_of("fr.smic")[0]->hash);
  CHECK(before.set->versions_of("fr.smic")[1]->hash != after.set->versions_of("fr.smic")[1]->hash);
}

TEST_CASE("sub-decisions: a callee's error is the caller's, naming the callee") {
  const LoadResult loaded = load(fixture(
      "policy fr.caller \"Caller\"\n  version 1\n  in force from 2024-01-01\n"
      "facts\n  r : one of metropole, mayotte\n  h : number\n"
      "outputs\n  v : money\n"
      "define w = decision of fr.smic with region = r, hours = h\n"
      "rule x \"x\"\n  cite \"c\"\n  then v = w.weekly_gross\n"));
  INFO(messages(loaded));
  REQUIRE(loaded.set);
  json request = {{"facts", {{"r", "metropole"}, {"h", 38}}}, {"as_of", "2025-06-01"}};
  CHECK(decide_json(*loaded.set, "fr.caller", request)["decision"]["v"].dump() == "451.44");
  request["facts"]["h"] = 9223372036854775807LL;  // 11.88 * h overflows in fr.smic
  const json j = decide_json(*loaded.set, "fr.caller", request);
  CHECK(j["error"]["code"] == "arithmetic");
  CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::StartsWith("in fr.smic (decided for 'w'): "));
  // Before fr.smic's first version, none is in force.
  request["facts"]["h"] = 38;
  request["as_of"] = "2024-06-01";
  const json k = decide_json(*loaded.set, "fr.caller", request);
  CHECK(k["error"]["code"] == "undecided");
  CHECK(k["error"]["message"] == "'w' decides fr.smic, which has no version in force on 2024-06-01");
}

TEST_CASE("sub-decisions: diagnostics by code and position") {
  SECTION("an unknown policy, with a suggestion") {
    const LoadResult r = load(fixture(caller("facts\n  x : number\ndefine w = decision of fr.smick with region = x\n")));
    CHECK(!r.set);
    expect_at(r, "unknown-policy", "mem/allowance.rules", 6, 12, "no policy called fr.smick is loaded; did you mean 'fr.smic'?");
  }
  SECTION("a binding that is not a fact of the callee, with a suggestion") {
    const LoadResult r = load(fixture(caller("type kid = record\n  age : number\n"
                                             "facts\n  x : one of metropole\n"
                                             "define w = decision of fr.smic with region = x, chidren = x\n")));
    expect_at(r, "unknown-binding", "mem/allowance.rules", 8, 49, "has no fact 'chidren'; did you mean 'children'?");
  }
  SECTION("a required fact left unbound") {
    const LoadResult r = load(fixture(caller("facts\n  x : number\ndefine w = decision of fr.smic with hours = x\n")));
    expect_at(r, "missing-binding", "mem/allowance.rules", 6, 12, "fr.smic needs the fact region");
  }
  SECTION("a value of the wrong type, and a member the callee lacks") {
    const LoadResult r = load(fixture(caller("facts\n  x : number\ndefine w = decision of fr.smic with region = x\n")));
    expect_at(r, "binding-type", "mem/allowance.rules", 6, 46, "'x' is a number, not a one of metropole, mayotte");
    const LoadResult r2 =
        load(fixture(caller("facts\n  x : one of metropole, guyane\ndefine w = decision of fr.smic with region = x\n")));
    expect_at(r2, "binding-type", "mem/allowance.rules", 6, 46, "may be guyane, which one of metropole, mayotte does not have");
  }
  SECTION("an output the callee does not have, with a suggestion") {
    const LoadResult r = load(fixture(caller("facts\n  x : one of metropole\noutputs\n  v : money\n"
                                             "define w = decision of fr.smic with region = x\n"
                                             "rule r \"r\"\n  cite \"c\"\n  then v = w.hourly_gros\n")));
    expect_at(r, "unknown-field", "mem/allowance.rules", 11, 12,
              "a decision of fr.smic has no field 'hourly_gros'; did you mean 'hourly_gross'?");
  }
  SECTION("decision of as a function's body") {
    const LoadResult r = load(fixture(caller("define w(x : one of metropole) = decision of fr.smic with region = x\n")));
    expect_at(r, "decision-of-placement", "mem/allowance.rules", 4, 34, "'decision of' is a define's whole value");
  }
  SECTION("a circle of policies, reported at each decision of on it") {
    std::map<std::string, std::string> files = {
        {"mem/a.rules", "policy p.a \"A\"\n  version 1\n  in force from 2025-01-01\nfacts\n  x : number\n"
                        "outputs\n  v : number\ndefine other = decision of p.b with y = x\n"
                        "rule r \"r\"\n  cite \"c\"\n  then v = other.w\n"},
        {"mem/b.rules", "policy p.b \"B\"\n  version 1\n  in force from 2025-01-01\nfacts\n  y : number\n"
                        "outputs\n  w : number\ndefine other = decision of p.a with x = y\n"
                        "rule r \"r\"\n  cite \"c\"\n  then w = other.v\n"}};
    const LoadResult r = load(files);
    CHECK(!r.set);
    expect_at(r, "decision-cycle", "mem/a.rules", 8, 16, "policies decide each other in a circle: p.a -> p.b -> p.a");
    expect_at(r, "decision-cycle", "mem/b.rules", 8, 16, "p.b -> p.a -> p.b");
    CHECK(!find(r, "unknown-policy"));  // no follow-on errors
  }
  SECTION("a policy deciding itself") {
    const LoadResult r = load({{"mem/a.rules", "policy p.a \"A\"\n  version 1\n  in force from 2025-01-01\nfacts\n  x : number\n"
                                               "outputs\n  v : number\ndefine me = decision of p.a with x = x\n"
                                               "rule r \"r\"\n  cite \"c\"\n  then v = me.v\n"}});
    expect_at(r, "decision-cycle", "mem/a.rules", 8, 13, "p.a -> p.a");
  }
}

TEST_CASE("sub-decisions: a chain of policies longer than the limit is an error") {
  std::map<std::string, std::string> files;
  const int n = 18;  // Limits::max_use_depth is 16
  for (int k = 0; k < n; ++k) {
    std::string text = "policy c.p" + std::to_string(k) + " \"P\"\n  version 1\n  in force from 2025-01-01\nfacts\n  x : number\n"
                       "outputs\n  v : number\n";
    if (k == 0) {
      text += "rule r \"r\"\n  cite \"c\"\n  then v = x\n";
    } else {
      text += "define below = decision of c.p" + std::to_string(k - 1) + " with x = x + 1\n"
              "rule r \"r\"\n  cite \"c\"\n  then v = below.v\n";
    }
    files["mem/p" + std::to_string(k) + ".rules"] = text;
  }
  const LoadResult r = load(files);
  CHECK(!r.set);
  expect_at(r, "decision-too-deep", "mem/p16.rules", 8, 16, "the limit is 16");
  // Sixteen deep is fine, and decides through every level.
  files.erase("mem/p16.rules");
  files.erase("mem/p17.rules");
  const LoadResult ok = load(files);
  INFO(messages(ok));
  REQUIRE(ok.set);
  const json j = decide_json(*ok.set, "c.p15", {{"facts", {{"x", 1}}}, {"as_of", "2025-06-01"}});
  CHECK(j["decision"]["v"] == 16);
  CHECK(j["fired"].size() == 16);
  CHECK(j["fired"][15]["rule"] == "c.p14/c.p13/c.p12/c.p11/c.p10/c.p9/c.p8/c.p7/c.p6/c.p5/c.p4/c.p3/c.p2/c.p1/c.p0/r");
}
