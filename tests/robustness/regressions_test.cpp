// One test per crash, hang or blow-up found while hardening (issue 8), named
// by what it was. Inputs the fuzzers found are also kept as files under
// crashes/ and replayed by the fuzz_replay_* tests.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>

#include "check/checker.hpp"
#include "check/overlap.hpp"
#include "lang/parser.hpp"
#include "robustness.hpp"
#include "scenario/scenario.hpp"

using namespace robust;

namespace {

struct Outcome {
  std::vector<Diagnostic> diagnostics;
  bool compiled = false;
};

// Parse, check and analyse conflicts, as `rulebook check` does.
Outcome check(const std::string& text) {
  Outcome o;
  ParseResult r = parse_rules("t.rules", header() + text);
  o.diagnostics = r.diagnostics;
  if (has_errors(o.diagnostics)) return o;
  CheckResult c = check_policy(r.file, {});
  o.diagnostics.insert(o.diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
  if (!c.program) return o;
  auto conflicts = find_conflicts(*c.program, ConflictOptions{}, [](const SourcePos&) { return ""; });
  o.diagnostics.insert(o.diagnostics.end(), conflicts.begin(), conflicts.end());
  o.compiled = !has_errors(o.diagnostics);
  return o;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

int run(const std::string& command, std::string& out) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  return ::pclose(pipe);
}

}  // namespace

TEST_CASE("regression: a 40 KB chain `1+1+...` no longer overflows the checker's stack (segfault)") {
  // Before: parsed into a tree 20000 levels high, copying the chain's text at
  // every level (450 MB), then the checker recursed 20000 deep and crashed.
  const Outcome o = check("outputs\n  o : number\nrule r cite \"c\" then o = 1" + repeat("+1", 20000) + "\n");
  REQUIRE_FALSE(o.compiled);
  CHECK(o.diagnostics.size() == 1);
  CHECK_THAT(o.diagnostics[0].message, Catch::Contains("nested more than 64 levels"));
  CHECK(peak_rss_mb() < 1000);
}

TEST_CASE("regression: 20000 defines each reading the next, declared top-down, no longer crash the checker") {
  // Before: the checker checked a define when it was first read, recursively,
  // 20000 deep, before its chain-length check ran.
  std::string text = "outputs\n  o : number\nrule r cite \"c\" then o = d0\n";
  for (int k = 0; k < 20000; ++k) text += "define d" + std::to_string(k) + " = d" + std::to_string(k + 1) + "\n";
  text += "define d20000 = 1\n";
  const Outcome o = check(text);
  REQUIRE_FALSE(o.compiled);
  REQUIRE(find(o.diagnostics, "chain-too-long"));
}

TEST_CASE("regression: 999 defines each 62 minus signs deep no longer crash the checker") {
  // Before: within the old chain limit (1000) and depth limit (64), but
  // 62 000 levels of recursion: a segfault. The chain limit is now 64.
  std::string text = "outputs\n  o : number\nrule r cite \"c\" then o = d0\n";
  for (int k = 0; k < 999; ++k) text += "define d" + std::to_string(k) + " = " + repeat("- ", 62) + "d" + std::to_string(k + 1) + "\n";
  text += "define d999 = 1\n";
  on_stack(kStack, [&] {
    const Outcome o = check(text);
    REQUIRE_FALSE(o.compiled);
    REQUIRE(find(o.diagnostics, "chain-too-long"));
  });
}

TEST_CASE("regression: thousands of errors on one long line no longer copy the line for each (1 GB for 60 KB)") {
  const Outcome dates = check("define x = [" + repeat("2026-02-30, ", 20000) + "1]\n");
  CHECK(dates.diagnostics.size() == 101);
  const Outcome names = check("define x = [" + repeat("u, ", 20000) + "u]\n");
  CHECK(names.diagnostics.size() == 101);
  CHECK(peak_rss_mb() < 1000);
}

TEST_CASE("regression: 2000 rules that all conflict list 100 conflicts, not a million") {
  // Before: every pair of the 2000 was proven and reported: a million errors, 400 MB.
  std::string text = "outputs\n  o : number\n";
  for (int k = 0; k < 2000; ++k) text += "rule r" + std::to_string(k) + " cite \"c\" then o = " + std::to_string(k) + "\n";
  const auto t0 = std::chrono::steady_clock::now();
  const Outcome o = check(text);
  CHECK_FALSE(o.compiled);
  CHECK(o.diagnostics.size() == 101);
  CHECK(o.diagnostics.back().code == "analysis-budget");
  CHECK_THAT(o.diagnostics.back().message, Catch::Contains("stopped after 100 conflicts"));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
}

TEST_CASE("regression: `rulebook decide --explain` on a deeply nested body no longer segfaults") {
  // Before: the CLI parsed the body whole to add "explain" and dump()ed it
  // back, recursing 300 000 deep.
  Folder f;
  const auto body = f.write("deep.json", R"({"facts": )" + std::string(300000, '[') + std::string(300000, ']') + "}");
  std::string out;
  const int status = run(std::string(RULEBOOK_BINARY) + " decide aps.s26 --explain --policies " + source_dir() +
                             "/policies --facts " + body.string(),
                         out);
  INFO(out.substr(0, 300));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(out, Catch::Contains("invalid_request"));
}

TEST_CASE("regression: a scenario fact name 150 000 parts deep no longer segfaults `rulebook test`") {
  // Before: `given a.a.a...` built JSON that deep, and copying it for each scenario recursed.
  Folder f;
  const auto suite = f.write("deep.scenarios", "suite \"deep\" for aps.s26\n  given a" + repeat(".a", 150000) +
                                                   " = 1\nscenario \"one\"\n  expect outcome = approved\n"
                                                   "scenario \"two\"\n  expect outcome = approved\n");
  std::string out;
  const int status =
      run(std::string(RULEBOOK_BINARY) + " test --policies " + source_dir() + "/policies " + suite.string(), out);
  INFO(out.substr(0, 300));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK_THAT(out, Catch::Contains("150001 parts"));
}

TEST_CASE("regression: a fact name deeper than a request can nest is refused when the policy loads") {
  // The facts schema (GET /v1/policies/{id}) is built and written recursively
  // along fact names; 100 000 parts would have overflowed the server's stack.
  Folder f;
  f.write("p.rules", header("p") + "facts\n  a" + repeat(".a", 100000) + " : yes/no\noutputs\n  o : yes/no, default no\n");
  const LoadResult r = load(f);
  CHECK_FALSE(r.set);
  CHECK(find(r.diagnostics, "fact-too-deep"));
}

TEST_CASE("regression: minus or abs() of the smallest decimal is an arithmetic error, not undefined behaviour") {
  // Found reading the evaluator for the fuzzers' extreme values: a money fact
  // may be sent as -9223372036854.775808, whose negation does not fit (UBSan
  // aborts on it; without it the sign silently stayed negative).
  Folder f;
  f.write("neg.rules", header("neg") + "facts\n  m : money\noutputs\n  n : money\nrule r cite \"c\" then n = - m\n");
  f.write("abs.rules", header("abs") + "facts\n  m : money\noutputs\n  n : money\nrule r cite \"c\" then n = abs(m)\n");
  f.write("dur.rules", header("dur") + "facts\n  k : number\noutputs\n  d : duration\n" +
                           "rule r cite \"c\" then d = - (k * 1 month)\n");
  const LoadResult r = load(f);
  INFO(messages(r.diagnostics));
  REQUIRE(r.set);
  for (const char* id : {"neg", "abs"}) {
    const ApiResponse a =
        rulebook::decide(*r.set, id, R"({"facts": {"m": "-9223372036854.775808"}})", Limits{}, context()).response;
    INFO(id << ": " << a.body);
    CHECK(a.status == 422);
    CHECK(a.error_code == "arithmetic");
    const ApiResponse ok = rulebook::decide(*r.set, id, R"({"facts": {"m": "-12.5"}})", Limits{}, context()).response;
    CHECK(ok.status == 200);
    CHECK_THAT(ok.body, Catch::Contains(R"("n":"12.5")") || Catch::Contains(R"("n":12.5)"));
  }
  const ApiResponse d = rulebook::decide(*r.set, "dur", R"({"facts": {"k": -2147483648}})", Limits{}, context()).response;
  INFO(d.body);
  CHECK(d.status == 422);
  CHECK(d.error_code == "arithmetic");
}

TEST_CASE("regression: a JSON suite with a number too large for a double ([1e400]) is an error at its position") {
  // Before: nlohmann's out_of_range escaped parse_json_suite (found by
  // fuzz_scenarios in 5 minutes; the input is in crashes/scenarios/), and
  // `rulebook test` printed "internal error".
  const std::string text = "[\n  {\"name\": \"big\", \"facts\": {\"n\": 1e400}}\n]\n";
  scenario::Suite suite;
  REQUIRE_NOTHROW(suite = scenario::parse_json_suite("big.scenarios.json", text, Limits{}));
  REQUIRE(suite.diagnostics.size() == 1);
  const Diagnostic& d = suite.diagnostics[0];
  CHECK(d.pos.line == 2);
  CHECK(d.pos.column == 34);
  CHECK_THAT(d.message, Catch::Contains("1e400"));

  Folder f;
  const auto file = f.write("big.scenarios.json", "[1e400]");
  std::string out;
  const int status = run(std::string(RULEBOOK_BINARY) + " test " + file.string() + " --policies " + source_dir() +
                             "/policies",
                         out);
  INFO(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK_THAT(out, Catch::Contains(file.string() + ":1:2: error: "));
  CHECK_THAT(out, !Catch::Contains("internal error"));
}
