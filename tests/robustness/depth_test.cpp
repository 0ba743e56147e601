// Deep input at every stage that recurses: the parser, the checker, the
// evaluator and the JSON reader. The limits make the deepest input that is
// accepted small enough for any thread's stack; these tests build that
// deepest input and run it, and run far deeper input into the limits. They
// matter most in the sanitizer build, whose stack frames are larger.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "check/checker.hpp"
#include "check/overlap.hpp"
#include "lang/parser.hpp"
#include "robustness.hpp"
#include "rulebook/facts.hpp"
#include "scenario/scenario.hpp"

using namespace robust;
using nlohmann::json;

namespace {

struct Compiled {
  std::unique_ptr<ast::File> file;
  std::unique_ptr<Program> program;
  std::vector<Diagnostic> diagnostics;
};

Compiled compile(const std::string& text, const Limits& limits = {}) {
  Compiled c;
  ParseResult r = parse_rules("t.rules", header() + text, limits);
  c.file = std::make_unique<ast::File>(std::move(r.file));
  c.diagnostics = std::move(r.diagnostics);
  if (has_errors(c.diagnostics)) return c;
  CheckResult checked = check_policy(*c.file, {}, limits);
  c.diagnostics.insert(c.diagnostics.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  c.program = std::move(checked.program);
  return c;
}

// Output of a decision as the rule language writes it.
std::string output(const Program& p, const Decision& d, const std::string& name) {
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    if (p.outputs[o].name == name) return display_value(p, p.outputs[o].type, d.output(p, o), &d.arena);
  }
  return "<none>";
}

}  // namespace

TEST_CASE("deep: the parser refuses a megabyte of nesting with one error") {
  const std::size_t n = 500000;  // within the 1 MiB file limit
  const std::vector<std::string> values = {
      std::string(n, '(') + "1" + std::string(n, ')'),
      repeat("not ", n / 4) + "yes",
      repeat("- ", n / 2) + "1",
      std::string(n, '[') + std::string(n, ']'),
      repeat("abs(", n / 4) + "1" + std::string(n / 4, ')'),
      repeat("if yes then 1 else ", n / 20) + "1",
      "1" + repeat("+1", n / 2),
      repeat("(1+", n / 3) + "1" + std::string(n / 3, ')'),
  };
  for (const auto& v : values) {
    INFO(v.substr(0, 60));
    const auto r = parse_rules("t.rules", "define x = " + v + "\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("nested more than 64 levels"));
  }
  const auto types = parse_rules("t.rules", "facts\n  a : " + repeat("list of ", 100000) + "date\n");
  CHECK(types.diagnostics.size() == 1);
}

TEST_CASE("deep: the deepest policy the limits allow compiles and decides on a small stack") {
  // A chain of defines as long as allowed, each as deep as allowed, written
  // top-down so the checker meets each define before its declaration.
  const Limits limits;
  const std::size_t chain = limits.max_define_chain - 2;  // the output and the last define add two links
  const std::size_t negations = limits.max_expression_depth - 2;
  std::string text = "outputs\n  o : number\n  b : yes/no\nrule r cite \"c\" then o = d0\n       b = e0\n";
  for (std::size_t k = 0; k < chain; ++k) {
    // d_k = -(-(...(d_k+1)...)) + 1, with an even number of minus signs: d0 = chain + 1.
    text += "define d" + std::to_string(k) + " = " + repeat("- ", negations) + "d" + std::to_string(k + 1) + " + 1\n";
    // e_k = not not ... e_k+1, an even number of nots: every e is yes.
    text += "define e" + std::to_string(k) + " = " + repeat("not ", negations) + "e" + std::to_string(k + 1) + "\n";
  }
  text += "define d" + std::to_string(chain) + " = 1\ndefine e" + std::to_string(chain) + " = yes\n";
  on_stack(kStack, [&] {
    Compiled c = compile(text);
    INFO(messages(c.diagnostics));
    REQUIRE(c.program);
    const auto conflicts = find_conflicts(*c.program, ConflictOptions{}, [](const SourcePos&) { return ""; });
    CHECK(conflicts.empty());
    Facts none;
    const Decision d = evaluate(*c.program, none);
    REQUIRE_FALSE(d.error);
    CHECK(output(*c.program, d, "o") == std::to_string(chain + 1));
    CHECK(output(*c.program, d, "b") == "yes");
    (void)explanation_json(*c.program, d);
    (void)explanation_text(*c.program, d);
  });
}

TEST_CASE("deep: the checker does not recurse through long chains of defines") {
  on_stack(kStack, [&] {
    // 6000 defines, each read before it is declared, each 60 levels deep.
    std::string text = "outputs\n  o : number\nrule r cite \"c\" then o = d0\n";
    for (int k = 0; k < 6000; ++k) {
      text += "define d" + std::to_string(k) + " = " + repeat("- ", 60) + "d" + std::to_string(k + 1) + "\n";
    }
    text += "define d6000 = 1\n";
    Compiled c = compile(text);
    CHECK_FALSE(c.program);
    bool chain = false;
    for (const auto& d : c.diagnostics) chain |= d.code == "chain-too-long";
    CHECK(chain);
    // A cycle as long as that is refused the same way.
    std::string cycle = "outputs\n  o : number\nrule r cite \"c\" then o = d0\n";
    for (int k = 0; k < 20000; ++k) cycle += "define d" + std::to_string(k) + " = d" + std::to_string((k + 1) % 20000) + "\n";
    Compiled c2 = compile(cycle);
    CHECK_FALSE(c2.program);
  });
}

TEST_CASE("deep: list values nested as deep as types allow") {
  // Limits::max_type_depth (8) lists nested in one type compile and decide on
  // values nested as deep; one more is the type-too-deep error at the type.
  const auto policy = [](int depth) {
    return "facts\n  xs : " + repeat("list of ", depth) + "number" + "\noutputs\n  n : number\n  same : yes/no\n" +
           "rule r cite \"c\" then n = count(xs)\n  same = xs is xs\n";
  };
  const int deepest = static_cast<int>(Limits{}.max_type_depth);
  Compiled c = compile(policy(deepest));
  INFO(messages(c.diagnostics));
  REQUIRE(c.program);
  json value = json::array({1});
  for (int k = 0; k < deepest - 2; ++k) value = json::array({value});
  value = json::array({value, value});
  Facts facts;
  const auto problems = read_facts(*c.program, json{{"xs", value}}, Limits{}, facts);
  INFO(problems.size());
  REQUIRE(problems.empty());
  const Decision d = evaluate(*c.program, facts);
  REQUIRE_FALSE(d.error);
  CHECK(output(*c.program, d, "n") == "2");
  CHECK(output(*c.program, d, "same") == "yes");

  Compiled too_deep = compile(policy(deepest + 1));
  CHECK_FALSE(too_deep.program);
  REQUIRE_FALSE(too_deep.diagnostics.empty());
  CHECK(too_deep.diagnostics[0].code == "type-too-deep");
  // At the outermost `list of` of xs's type: line 2 of the text, after header()'s lines.
  const std::string head = header();
  const auto header_lines = static_cast<int>(std::count(head.begin(), head.end(), '\n'));
  CHECK(too_deep.diagnostics[0].pos.line == header_lines + 2);
  CHECK(too_deep.diagnostics[0].pos.column == 8);
  CHECK_THAT(too_deep.diagnostics[0].message,
             Catch::Contains(std::to_string(deepest + 1) + " deep; the limit is " + std::to_string(deepest)));
}

TEST_CASE("deep: JSON suites nested a million levels are refused") {
  const auto suite = scenario::parse_json_suite("deep.scenarios.json", std::string(1000000, '[') + std::string(1000000, ']'));
  REQUIRE_FALSE(suite.diagnostics.empty());
  CHECK_THAT(suite.diagnostics[0].message, Catch::Contains("at most 64 are allowed"));
}

TEST_CASE("deep: rulebook decide --explain refuses a deeply nested body instead of crashing") {
  Folder f;
  const auto body = f.write("deep.json", R"({"facts": )" + std::string(300000, '[') + std::string(300000, ']') + "}");
  const std::string command = std::string(RULEBOOK_BINARY) + " decide aps.s26 --explain --as-of 2026-03-02 --policies " +
                              source_dir() + "/policies --facts " + body.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  INFO(out.substr(0, 500));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(out, Catch::Contains("more than 64 levels deep"));
}
