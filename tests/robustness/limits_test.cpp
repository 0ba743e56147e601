// Every limit of include/rulebook/limits.hpp (docs/security.md), reached and
// checked for the clear error it gives: once at its default where that is
// cheap, and once lowered, to show it is configurable.
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "check/checker.hpp"
#include "lang/parser.hpp"
#include "robustness.hpp"
#include "scenario/scenario.hpp"

using namespace robust;
using nlohmann::json;

namespace {

ParseResult parse(const std::string& text, const Limits& limits = {}) {
  return parse_rules("t.rules", header() + text, limits);
}

// The diagnostics of a policy given as text, after parsing and checking.
std::vector<Diagnostic> compile(const std::string& text, const Limits& limits = {}) {
  ParseResult r = parse(text, limits);
  std::vector<Diagnostic> out = r.diagnostics;
  if (has_errors(out)) return out;
  CheckResult c = check_policy(r.file, {}, limits);
  out.insert(out.end(), c.diagnostics.begin(), c.diagnostics.end());
  return out;
}

bool clean(const std::vector<Diagnostic>& ds) { return !has_errors(ds); }

// One decide call on a small policy with text and list facts.
const char* kDemo = R"(
facts
  who.name : text
  who.tags : list of text, default []
  who.level : number, default 0
outputs
  tagged : yes/no, default no
rule tagged "Tagged"
  cite "test"
  when count(who.tags) > 0 and who.level >= 0 and who.name is not ""
  then tagged = yes
)";

struct Demo {
  Folder folder;
  std::shared_ptr<const PolicySet> set;
  Demo() {
    folder.write("demo.rules", header("demo") + kDemo);
    LoadResult r = load(folder);
    INFO(messages(r.diagnostics));
    REQUIRE(r.set);
    set = r.set;
  }
  ApiResponse decide(const json& facts, const Limits& limits = {}) const {
    return rulebook::decide(*set, "demo", json{{"facts", facts}}.dump(), limits, context()).response;
  }
};

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

// ---- rule files -----------------------------------------------------------------

TEST_CASE("limit: rule file size (max_rule_file_bytes)") {
  SECTION("the default, 1 MiB, refuses a larger file before parsing it") {
    Folder f;
    f.write("big.rules", header() + std::string((1 << 20) + 1, '#'));
    const LoadResult r = load(f);
    REQUIRE_FALSE(r.set);
    const Diagnostic* d = find(r.diagnostics, "too-large");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("rule files are limited to 1048576 bytes"));
  }
  SECTION("lowered, through LoadOptions") {
    Folder f;
    f.write("p.rules", header() + std::string(200, '#'));
    Limits limits;
    limits.max_rule_file_bytes = 100;
    const LoadResult r = load(f, limits);
    REQUIRE(find(r.diagnostics, "too-large"));
    CHECK_THAT(find(r.diagnostics, "too-large")->message, Catch::Contains("limited to 100 bytes"));
  }
  SECTION("scenario suites have the same limit") {
    Limits limits;
    limits.max_rule_file_bytes = 100;
    const auto suite = scenario::parse_scenarios("s.scenarios", std::string(101, '#'), limits);
    REQUIRE(suite.diagnostics.size() == 1);
    CHECK(suite.diagnostics[0].code == "too-large");
    CHECK_THAT(suite.diagnostics[0].message, Catch::Contains("limited to 100 bytes"));
  }
}

TEST_CASE("limit: expression nesting (max_expression_depth)") {
  const std::string limit_message = "nested more than 64 levels";
  auto refused = [&](const std::string& define_value) {
    const auto ds = parse("define x = " + define_value + "\n").diagnostics;
    INFO(define_value.substr(0, 200));
    INFO(messages(ds));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "syntax");
    CHECK_THAT(ds[0].message, Catch::Contains(limit_message) && Catch::Contains("define"));
  };
  auto accepted = [&](const std::string& define_value) {
    const auto ds = parse("define x = " + define_value + "\n").diagnostics;
    INFO(define_value.substr(0, 200));
    INFO(messages(ds));
    CHECK(ds.empty());
  };
  SECTION("parentheses") {
    accepted(std::string(62, '(') + "1" + std::string(62, ')'));
    refused(std::string(64, '(') + "1" + std::string(64, ')'));
  }
  SECTION("not") {
    accepted(repeat("not ", 62) + "yes");
    refused(repeat("not ", 64) + "yes");
  }
  SECTION("unary minus") {
    accepted(repeat("- ", 62) + "1");
    refused(repeat("- ", 64) + "1");
  }
  SECTION("if inside if") {
    accepted(repeat("if yes then 1 else ", 30) + "1");
    refused(repeat("if yes then 1 else ", 64) + "1");
  }
  SECTION("lists inside lists: a list and its item are a level each") {
    accepted(nested(31));
    refused(nested(33));
  }
  SECTION("function calls") {
    accepted(repeat("abs(", 62) + "1" + std::string(62, ')'));
    refused(repeat("abs(", 64) + "1" + std::string(64, ')'));
  }
  SECTION("a chain of operators counts a level per operator") {
    accepted("1" + repeat(" + 1", 63));
    refused("1" + repeat(" + 1", 64));
    accepted("2" + repeat(" * 2", 63));
    refused("2" + repeat(" * 2", 64));
    refused("1" + repeat(" - 1", 100000));  // a 400 KB chain: no quadratic copying, no deep recursion
  }
  SECTION("a chain inside parentheses inside a chain") {
    accepted("(1" + repeat(" + 1", 30) + ")" + repeat(" + 1", 30));
    refused("(1" + repeat(" + 1", 40) + ")" + repeat(" + 1", 40));
  }
  SECTION("list of list of ... types") {
    const auto ds = parse("facts\n  a : " + repeat("list of ", 65) + "date\n").diagnostics;
    REQUIRE(ds.size() == 1);
    CHECK_THAT(ds[0].message, Catch::Contains(limit_message));
    CHECK(parse("facts\n  a : " + repeat("list of ", 64) + "date\n").diagnostics.empty());
  }
  SECTION("the rest of the file is still read") {
    const auto ds = parse("define x = 1" + repeat(" + 1", 100) + "\ndefine y = (1\n").diagnostics;
    REQUIRE(ds.size() == 2);
    CHECK_THAT(ds[0].message, Catch::Contains(limit_message));
    CHECK_THAT(ds[1].message, Catch::Contains("expected ')'"));
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_expression_depth = 8;
    const auto ds = parse("define x = 1" + repeat(" + 1", 8) + "\n", limits).diagnostics;
    REQUIRE(ds.size() == 1);
    CHECK_THAT(ds[0].message, Catch::Contains("nested more than 8 levels"));
    CHECK(parse("define x = 1" + repeat(" + 1", 6) + "\n", limits).diagnostics.empty());
  }
}

TEST_CASE("limit: rules per policy (max_rules_per_policy)") {
  auto rules = [](int n) {
    std::string text = "facts\n  n : number\noutputs\n  o : number, default 0\n";
    for (int k = 0; k < n; ++k) text += "rule r" + std::to_string(k) + " cite \"c\" when n > " + std::to_string(k) + " then o = 1\n";
    return text;
  };
  SECTION("the default, 10000") {
    const auto ds = compile(rules(10001));
    const Diagnostic* d = find(ds, "too-many-rules");
    REQUIRE(d);
    CHECK(d->message == "this policy has 10001 rules; the limit is 10000");
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_rules_per_policy = 3;
    CHECK(clean(compile(rules(3), limits)));
    const auto ds = compile(rules(4), limits);
    REQUIRE(find(ds, "too-many-rules"));
    CHECK(find(ds, "too-many-rules")->message == "this policy has 4 rules; the limit is 3");
  }
}

TEST_CASE("limit: use depth (max_use_depth)") {
  // m0 uses m1 uses m2 ...; the policy uses m0.
  auto chain = [](Folder& f, int modules) {
    for (int k = 0; k < modules; ++k) {
      std::string text = "module m" + std::to_string(k) + "\n";
      if (k + 1 < modules) text += "use m" + std::to_string(k + 1) + "\n";
      text += "facts\n  f" + std::to_string(k) + " : yes/no, default no\n";
      f.write("m" + std::to_string(k) + ".rules", text);
    }
    f.write("p.rules", header("p") + "use m0\noutputs\n  o : yes/no, default no\n");
  };
  SECTION("the default, 16") {
    Folder ok;
    chain(ok, 16);
    const LoadResult good = load(ok);
    INFO(messages(good.diagnostics));
    CHECK(good.set);
    Folder deep;
    chain(deep, 17);
    const LoadResult r = load(deep);
    CHECK_FALSE(r.set);
    const Diagnostic* d = find(r.diagnostics, "use-too-deep");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("more than 16 'use' levels deep"));
  }
  SECTION("lowered") {
    Folder f;
    chain(f, 3);
    Limits limits;
    limits.max_use_depth = 2;
    const LoadResult r = load(f, limits);
    REQUIRE(find(r.diagnostics, "use-too-deep"));
    CHECK_THAT(find(r.diagnostics, "use-too-deep")->message, Catch::Contains("more than 2 'use' levels"));
  }
}

TEST_CASE("limit: chains of defines (max_define_chain)") {
  // d0 reads d1 reads d2 ...: written top-down (each read before it is
  // declared, which makes the checker recurse) and bottom-up.
  auto chain = [](int n, bool top_down) {
    std::string text = "outputs\n  o : number\nrule r cite \"c\" then o = d0\n";
    std::vector<std::string> defines;
    for (int k = 0; k < n; ++k) defines.push_back("define d" + std::to_string(k) + " = d" + std::to_string(k + 1) + " + 1\n");
    defines.push_back("define d" + std::to_string(n) + " = 1\n");
    if (!top_down) std::reverse(defines.begin(), defines.end());
    for (const auto& d : defines) text += d;
    return text;
  };
  for (bool top_down : {true, false}) {
    DYNAMIC_SECTION((top_down ? "top-down" : "bottom-up")) {
      CHECK(clean(compile(chain(60, top_down))));
      const auto ds = compile(chain(20000, top_down));  // no stack overflow in the checker
      const Diagnostic* d = find(ds, "chain-too-long");
      REQUIRE(d);
      CHECK_THAT(d->message, Catch::Contains("the limit is 64"));
    }
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_define_chain = 5;
    CHECK(clean(compile(chain(3, true), limits)));
    const auto ds = compile(chain(8, true), limits);
    REQUIRE(find(ds, "chain-too-long"));
    CHECK_THAT(find(ds, "chain-too-long")->message, Catch::Contains("the limit is 5"));
  }
}

TEST_CASE("limit: files under a policies folder (max_files)") {
  Folder f;
  for (int k = 0; k < 3; ++k) f.write("m" + std::to_string(k) + ".rules", "module m" + std::to_string(k) + "\n");
  Limits limits;
  limits.max_files = 2;
  const LoadResult r = load(f, limits);
  CHECK_FALSE(r.set);
  REQUIRE(find(r.diagnostics, "too-many-files"));
  CHECK(find(r.diagnostics, "too-many-files")->message == "3 rule files found; the limit is 2");
}

TEST_CASE("limit: diagnostics listed per file (max_diagnostics)") {
  SECTION("the parser: thousands of bad dates on one long line") {
    const auto ds = parse("define x = [" + repeat("2026-02-30, ", 20000) + "2026-02-30]\n").diagnostics;
    REQUIRE(ds.size() == 101);
    CHECK(ds[0].code == "bad-literal");
    CHECK(ds[100].code == "too-many-diagnostics");
    CHECK(ds[100].severity == Severity::error);
    CHECK(ds[100].message == "19901 more problems are not listed; fix the ones above first");
  }
  SECTION("the checker: thousands of unknown names") {
    const auto ds = compile("define x = [" + repeat("u, ", 20000) + "u]\n");
    REQUIRE(ds.size() == 101);
    CHECK(ds[0].code == "unknown-name");
    CHECK(ds[100].code == "too-many-diagnostics");
    CHECK(ds[100].severity == Severity::error);
  }
  SECTION("warnings past the limit stay warnings: the policy still compiles") {
    Limits limits;
    limits.max_diagnostics = 2;
    std::string text = "facts\n";
    for (int k = 0; k < 5; ++k) text += "  f" + std::to_string(k) + " : yes/no\n";  // unused: a warning each
    text += "outputs\n  o : yes/no, default no\nrule r cite \"c\" then o = yes\n";
    const auto ds = compile(text, limits);
    REQUIRE(ds.size() == 3);
    CHECK(ds[2].code == "too-many-diagnostics");
    CHECK(ds[2].severity == Severity::warning);
    CHECK(clean(ds));
  }
}

TEST_CASE("limit: a fact's name is no deeper than a request can nest (max_json_depth)") {
  const auto ds = compile("facts\n  a" + repeat(".a", 100000) + " : yes/no\noutputs\n  o : yes/no, default no\n");
  const Diagnostic* d = find(ds, "fact-too-deep");
  REQUIRE(d);
  CHECK_THAT(d->message, Catch::Contains("100001 parts") && Catch::Contains("at most 62 parts"));
  CHECK(clean(compile("facts\n  a" + repeat(".a", 61) + " : yes/no\noutputs\n  o : yes/no, default no\nrule r cite \"c\" when a" +
                      repeat(".a", 61) + " then o = yes\n")));
}

// ---- requests -----------------------------------------------------------------------

TEST_CASE("limit: JSON nesting of a request (max_json_depth)") {
  const auto set = shipped();
  auto decide = [&](const std::string& body, const Limits& limits = {}) {
    return rulebook::decide(*set, "aps.s26", body, limits, context()).response;
  };
  SECTION("the default, 64 levels") {
    const ApiResponse deep = decide(R"({"facts": {"employee": )" + nested(63) + "}}");
    CHECK(deep.status == 400);
    CHECK(deep.error_code == "invalid_request");
    CHECK_THAT(deep.body, Catch::Contains("nests objects and lists more than 64 levels deep (line 1, column 86)"));
    // 64 levels is still read (and its facts found wrong, not its nesting).
    const ApiResponse ok = decide(R"({"facts": {"employee": )" + nested(62) + "}}");
    CHECK(ok.status == 422);
    CHECK(ok.error_code == "invalid_facts");
  }
  SECTION("a million levels is refused at once: no parser recursion") {
    const auto t0 = std::chrono::steady_clock::now();
    const ApiResponse r = decide(std::string(1000000, '[') + std::string(1000000, ']'));
    CHECK(r.status == 400);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    const ApiResponse objects = decide(repeat(R"({"a":)", 1000000));
    CHECK(objects.status == 400);
    CHECK_THAT(objects.body, Catch::Contains("more than 64 levels"));
  }
  SECTION("brackets inside strings do not count") {
    json facts = json::parse(std::string(kSarah))["facts"];
    facts["move"]["to_agency"] = std::string(1000, '[');
    const ApiResponse r = decide(json{{"facts", facts}}.dump());
    CHECK(r.status == 200);
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_json_depth = 2;  // Sarah's facts nest three levels: body, facts, employee
    const ApiResponse r = decide(kSarah, limits);
    CHECK(r.status == 400);
    CHECK_THAT(r.body, Catch::Contains("more than 2 levels deep"));
    limits.max_json_depth = 3;
    CHECK(decide(kSarah, limits).status == 200);
  }
}

TEST_CASE("limit: fact values in one request (max_facts)") {
  SECTION("the default, 10000: a policy with more facts than that") {
    std::string text = "facts\n";
    for (int k = 0; k <= 10000; ++k) text += "  g.f" + std::to_string(k) + " : yes/no, default no\n";
    text += "outputs\n  o : yes/no, default no\nrule r cite \"c\" when g.f0 then o = yes\n";
    Folder f;
    f.write("many.rules", header("many") + text);
    const LoadResult loaded = load(f);
    INFO(messages(loaded.diagnostics));
    REQUIRE(loaded.set);
    json facts = {{"g", json::object()}};
    for (int k = 0; k < 10000; ++k) facts["g"]["f" + std::to_string(k)] = true;
    auto decide = [&](const json& fs) {
      return rulebook::decide(*loaded.set, "many", json{{"facts", fs}}.dump(), Limits{}, context()).response;
    };
    CHECK(decide(facts).status == 200);
    facts["g"]["f10000"] = true;
    const ApiResponse r = decide(facts);
    CHECK(r.status == 422);
    CHECK(r.error_code == "invalid_facts");
    CHECK_THAT(r.body, Catch::Contains("more than 10000 fact values in one request"));
  }
  SECTION("lowered") {
    Demo demo;
    Limits limits;
    limits.max_facts = 1;
    const ApiResponse r = demo.decide({{"who", {{"name", "x"}, {"tags", json::array()}}}}, limits);
    CHECK(r.status == 422);
    CHECK(r.error_code == "invalid_facts");
    CHECK_THAT(r.body, Catch::Contains("more than 1 fact values in one request"));
  }
}

TEST_CASE("limit: list length (max_list_length)") {
  Demo demo;
  json facts = {{"who", {{"name", "x"}}}};
  SECTION("the default, 10000") {
    facts["who"]["tags"] = json::array();
    for (int k = 0; k < 10000; ++k) facts["who"]["tags"].push_back("t");
    CHECK(demo.decide(facts).status == 200);
    facts["who"]["tags"].push_back("t");
    const ApiResponse r = demo.decide(facts);
    CHECK(r.status == 422);
    CHECK_THAT(r.body, Catch::Contains(R"("path":"who.tags")") &&
                           Catch::Contains("a list of 10001 items; the limit is 10000"));
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_list_length = 2;
    facts["who"]["tags"] = {"a", "b", "c"};
    const ApiResponse r = demo.decide(facts, limits);
    CHECK(r.status == 422);
    CHECK_THAT(r.body, Catch::Contains("a list of 3 items; the limit is 2"));
  }
}

TEST_CASE("limit: text length (max_string_bytes)") {
  Demo demo;
  SECTION("the default, 64 KiB") {
    CHECK(demo.decide({{"who", {{"name", std::string(65536, 'x')}}}}).status == 200);
    const ApiResponse r = demo.decide({{"who", {{"name", std::string(65537, 'x')}}}});
    CHECK(r.status == 422);
    CHECK_THAT(r.body, Catch::Contains(R"("path":"who.name")") && Catch::Contains("text of 65537 bytes; the limit is 65536"));
  }
  SECTION("in a list too") {
    const ApiResponse r = demo.decide({{"who", {{"name", "x"}, {"tags", {"ok", std::string(65537, 'x')}}}}});
    CHECK(r.status == 422);
    CHECK_THAT(r.body, Catch::Contains(R"("path":"who.tags[1]")"));
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_string_bytes = 4;
    const ApiResponse r = demo.decide({{"who", {{"name", "12345"}}}}, limits);
    CHECK(r.status == 422);
    CHECK_THAT(r.body, Catch::Contains("text of 5 bytes; the limit is 4"));
  }
}

TEST_CASE("limit: cases in one batch (max_batch_cases)") {
  const auto set = shipped();
  const json sarah = json::parse(std::string(kSarah));
  auto batch = [&](std::size_t n, const Limits& limits) {
    json body = {{"cases", json::array()}};
    for (std::size_t k = 0; k < n; ++k) body["cases"].push_back(sarah);
    return rulebook::decide_batch(*set, "aps.s26", body.dump(), limits, context()).response;
  };
  SECTION("the default, 10000") {
    const ApiResponse r = batch(10001, Limits{});
    CHECK(r.status == 413);
    CHECK(r.error_code == "payload_too_large");
    CHECK_THAT(r.body, Catch::Contains("a batch holds at most 10000 cases"));
  }
  SECTION("lowered") {
    Limits limits;
    limits.max_batch_cases = 2;
    CHECK(batch(2, limits).status == 200);
    const ApiResponse r = batch(3, limits);
    CHECK(r.status == 413);
    CHECK_THAT(r.body, Catch::Contains("at most 2 cases"));
  }
}

TEST_CASE("limit: a scenario's fact name is no deeper than a request can nest") {
  const std::string text = "suite \"deep\" for aps.s26\n  given a" + repeat(".a", 150000) +
                           " = 1\nscenario \"one\"\n  expect outcome = approved\nscenario \"two\"\n  expect outcome = approved\n";
  const auto suite = scenario::parse_scenarios("deep.scenarios", text);
  const Diagnostic* d = find(suite.diagnostics, "fact-too-deep");
  REQUIRE(d);
  CHECK_THAT(d->message, Catch::Contains("150001 parts") && Catch::Contains("at most 62 parts"));
}
