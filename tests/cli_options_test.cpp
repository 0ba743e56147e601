// The command line through CLI11 (src/cli/options.hpp): `rulebook decide`'s
// options, its --help, and its one-line errors; the top-level usage.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <sys/wait.h>

#include "cli/cli.hpp"
#include "support.hpp"

using rulebook::cli::Args;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run decide(const Args& args) {
  std::ostringstream out, err;
  const int code = rulebook::cli::decide(args, out, err);
  return {code, out.str(), err.str()};
}

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// Runs the built binary; stdout and stderr together.
int run_binary(const std::string& args, std::string& out) {
  const std::string cmd = std::string(RULEBOOK_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  out.clear();
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  return WEXITSTATUS(pclose(pipe));
}

}  // namespace

TEST_CASE("decide --help lists every option and exits 0", "[cli]") {
  const Run r = decide({"--help"});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::StartsWith("Decide one request body"));
  CHECK_THAT(r.out, Catch::Contains("rulebook decide"));
  for (const char* option : {"POLICY_ID", "--policies", "--facts", "--as-of", "--explain", "--format"}) {
    CHECK_THAT(r.out, Catch::Contains(option));
  }
  CHECK_THAT(r.out, Catch::Contains("policies"));  // the default folder is shown
}

TEST_CASE("decide: a bad command line exits 2 with one line naming the problem, and how to get help", "[cli]") {
  struct Case {
    Args args;
    const char* problem;
  };
  const Case cases[] = {
      {{}, "POLICY_ID is required"},
      {{"aps.s26", "--format", "xml"}, "--format: xml not in {json,text}"},
      {{"aps.s26", "--nonsense"}, "The following argument was not expected: --nonsense"},
      {{"aps.s26", "--facts"}, "--facts: 1 required TEXT missing"},
      {{"aps.s26", "extra"}, "The following argument was not expected: extra"},
  };
  for (const auto& c : cases) {
    INFO(c.problem);
    const Run r = decide(c.args);
    CHECK(r.code == rulebook::cli::kBadInput);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 2);
    CHECK_THAT(r.err, Catch::StartsWith("rulebook decide: "));
    CHECK_THAT(r.err, Catch::Contains(c.problem));
    CHECK_THAT(r.err, Catch::EndsWith("run 'rulebook decide --help' for its options\n"));
  }
}

TEST_CASE("decide: options in any order, the policy id among them", "[cli]") {
  const std::string dir = test::source_dir();
  const Run r = decide({"--policies", dir + "/policies", "--as-of", "2026-03-02", "--format", "json", "aps.s26", "--facts",
                        dir + "/examples/requests/aps.s26.json"});
  REQUIRE(r.code == rulebook::cli::kOk);
  CHECK_THAT(r.out, Catch::Contains(R"("as_of":"2026-03-02")"));
  CHECK_THAT(r.out, Catch::Contains(R"("outcome":"approved")"));
  const Run missing = decide({"aps.s26", "--policies", dir + "/policies", "--facts", dir + "/no/such/file.json"});
  CHECK(missing.code == rulebook::cli::kBadInput);
  CHECK(missing.err == "rulebook decide: cannot read " + dir + "/no/such/file.json\n");
}

TEST_CASE("rulebook: the usage names every verb and how to get a verb's options", "[cli]") {
  std::string out;
  CHECK(run_binary("--help", out) == 0);
  for (const char* verb : {"check [PATH...]", "decide POLICY_ID", "test [PATH...]", "serve", "--version"}) {
    CHECK_THAT(out, Catch::Contains(std::string("\n  ") + verb));
  }
  CHECK_THAT(out, Catch::Contains("'rulebook VERB --help' lists a verb's options."));
  CHECK(run_binary("frobnicate", out) == 2);
  CHECK_THAT(out, Catch::StartsWith("rulebook: unknown verb 'frobnicate'\n"));
  CHECK(run_binary("decide --help", out) == 0);
  CHECK_THAT(out, Catch::Contains("--as-of"));
  CHECK(run_binary("check --help", out) == 0);
  CHECK_THAT(out, Catch::Contains("--policies"));
}
