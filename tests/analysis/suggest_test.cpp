// `rulebook test --suggest` (docs/scenarios.md, docs/proofs.md): for each rule
// no scenario made fire, a scenario from the solver's facts that, run, makes
// it fire; a rule no facts make fire is listed; files are not overwritten
// without --yes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "analysis/proofs.hpp"
#include "cli/cli.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/policy_set.hpp"
#include "scenario/scenario.hpp"

namespace {

using namespace rulebook;
namespace fs = std::filesystem;

const char* kPolicy =
    "policy t \"Test\"\n  version 1\n  in force from 2020-01-01\n"
    "facts\n  grade : number\n  start : date\n  senior : yes/no\n"
    "outputs\n  outcome : one of approved, refused, default refused\n  level : number, default 0\n"
    "rule low \"R\"\n  cite \"s1\"\n  when grade < 3\n  then outcome = refused\n"
    "rule high \"R\"\n  cite \"s1\"\n  when grade >= 5 and start >= 2024-01-01\n  then outcome = approved\n"
    "rule senior-level \"R\"\n  cite \"s1\"\n  when senior and grade >= 8\n  then level = 2\n"
    "rule impossible \"R\"\n  cite \"s1\"\n  when grade > 5 and grade < 3\n  then level = 9\n";

// Only `low` fires.
const char* kSuite =
    "suite \"Low grades\" for t\n  as of 2024-06-01\n\n"
    "scenario \"a low grade is refused\"\n  given\n    grade = 1\n    start = 2023-01-01\n    senior = no\n"
    "  expect\n    outcome = refused\n    fired low\n";

struct Run {
  int status;
  std::string out, err;
};

Run test(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  std::istringstream in;
  const int status = cli::test(args, out, err, in, analysis::suggest_facts);
  return {status, out.str(), err.str()};
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("test --suggest writes scenarios that make the unfired rules fire", "[suggest][cli]") {
  const fs::path dir = fs::temp_directory_path() / ("rulebook-suggest-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "policies");
  std::ofstream(dir / "policies" / "t.rules") << kPolicy;
  std::ofstream(dir / "policies" / "t.scenarios") << kSuite;
  const std::string policies = (dir / "policies").string();
  const fs::path suggested = dir / "suggested";

  const Run first = test({"--policies", policies, "--suggest", suggested.string()});
  INFO(first.out + first.err);
  CHECK(first.status == 0);
  const fs::path file = suggested / "t-1-suggested.scenarios";
  CHECK(first.out == "suggested " + file.string() + ": high senior-level (confirm the expected outputs)\n" +
                         "no scenario suggested for t 1: rule impossible (" + policies +
                         "/t.rules:23:1): no facts make it fire: its conditions contradict each other, or an "
                         "exception to it applies whenever it does (see rulebook check)\n"
                         "1 passed, 0 failed\n");

  // The suite written: one scenario per rule, each expecting its rule to fire
  // and every output as the policy decides it, marked for confirmation.
  const std::string text = read(file);
  INFO(text);
  CHECK(text.find("suite \"Suggested: rules no scenario made fire\" for t\n") != std::string::npos);
  CHECK(text.find("\n  expect\n    fired high\n    outcome = approved  # confirm\n    level = ") !=
        std::string::npos);
  CHECK(text.find("\n  expect\n    fired senior-level\n") != std::string::npos);
  CHECK(text.find("    level = 2  # confirm\n") != std::string::npos);
  CHECK(text.find("impossible") == std::string::npos);
  CHECK(text.find("fired low") == std::string::npos);

  // Run as `rulebook test` runs it: it passes, and the rules it makes fire are
  // exactly the two the first suite left unfired.
  const LoadResult loaded = load_policies({policies});
  REQUIRE(loaded.set);
  const scenario::Suite suite = scenario::load_suite(file.string());
  REQUIRE_FALSE(has_errors(suite.diagnostics));
  REQUIRE(suite.scenarios.size() == 2);
  CHECK(suite.scenarios[0].name == "rule high fires");
  CHECK(suite.scenarios[1].name == "rule senior-level fires");
  scenario::Coverage coverage;
  const auto ran = scenario::run_suite(*loaded.set, suite, scenario::RunOptions{}, &coverage);
  REQUIRE(ran.results.size() == 2);
  for (const auto& r : ran.results) {
    INFO(r.report());
    CHECK(r.status == scenario::Status::passed);
  }
  const Program& p = *loaded.set->versions().at(0);
  std::vector<std::string> fired;
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    if (coverage.fired(p, r)) fired.push_back(p.rules[r].name);
  }
  CHECK(fired == std::vector<std::string>{"high", "senior-level"});

  // Both suites together leave only the impossible rule unfired.
  const Run both = test({"--policies", policies, "--coverage", (dir / "policies").string(), file.string()});
  CHECK(both.status == 0);
  INFO(both.out);
  const std::string never = "t 1: rule impossible (" + policies + "/t.rules:23:1) never fired\n";
  CHECK(both.out.find(never) != std::string::npos);
  CHECK(both.out.find("never fired") == both.out.rfind("never fired"));  // the only one
  CHECK(both.out.find("3 passed, 0 failed\n") != std::string::npos);

  // An existing file is kept without --yes (exit 1), replaced with it.
  std::ofstream(file) << "# mine\n";
  const Run again = test({"--policies", policies, "--suggest", suggested.string()});
  CHECK(again.status == 1);
  CHECK(again.err == "rulebook test: " + file.string() + " exists; not overwritten (--yes overwrites it)\n");
  CHECK(read(file) == "# mine\n");
  const Run yes = test({"--policies", policies, "--suggest", suggested.string(), "--yes", "--proof-timeout", "500"});
  CHECK(yes.status == 0);
  CHECK(read(file) == text);

  // The command line.
  CHECK(test({"--policies", policies, "--proof-timeout", "500"}).status == 2);
  CHECK(test({"--policies", policies, "--suggest", suggested.string(), "--mutate"}).status == 2);
  std::ostringstream out, err;
  std::istringstream in;
  CHECK(cli::test({"--policies", policies, "--suggest", suggested.string()}, out, err, in) == 2);
  CHECK(err.str() == "rulebook test: --suggest needs the solver, which this build of rulebook does not have\n");
  fs::remove_all(dir);
}

TEST_CASE("suggest_facts: facts under which the rule decides, or a proof there are none", "[suggest]") {
  const LoadResult loaded = [] {
    const fs::path dir = fs::temp_directory_path() / ("rulebook-suggest-facts-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "t.rules") << kPolicy;
    LoadResult r = load_policies({dir.string()});
    fs::remove_all(dir);
    return r;
  }();
  REQUIRE(loaded.set);
  const Program& p = *loaded.set->versions().at(0);
  using Outcome = scenario::SuggestedFacts::Outcome;
  const auto high = analysis::suggest_facts(p, 1, 200);
  REQUIRE(high.outcome == Outcome::found);
  CHECK(high.facts.values.at(0).i >= 5);                                      // grade
  CHECK(high.facts.values.at(1).date.days >= date_from_ymd({2024, 1, 1}).days);  // start
  CHECK(high.facts.as_of == p.header.in_force_from);  // the rules do not read the date: the first day in force
  CHECK(analysis::suggest_facts(p, 3, 200).outcome == Outcome::impossible);
}

TEST_CASE("suggest_facts: two texts the solver leaves free are different texts", "[suggest]") {
  // The exception compares lower(a) with lower(b), which the solver models as two separate
  // unknowns: the facts it suggests for `base` must not make a and b the same text, or the
  // exception would displace `base` when the scenario runs.
  const LoadResult loaded = [] {
    const fs::path dir = fs::temp_directory_path() / ("rulebook-suggest-texts-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "t.rules")
        << "policy t \"Test\"\n  version 1\n  in force from 2020-01-01\n"
           "facts\n  a : text\n  b : text\n  moving : yes/no\n"
           "outputs\n  outcome : one of approved, refused, default refused\n"
           "rule base \"R\"\n  cite \"s1\"\n  when moving\n  then outcome = approved\n"
           "rule same \"R\"\n  exception to base\n  cite \"s1\"\n  when lower(a) is lower(b)\n  then outcome = refused\n";
    LoadResult r = load_policies({dir.string()});
    fs::remove_all(dir);
    return r;
  }();
  REQUIRE(loaded.set);
  const Program& p = *loaded.set->versions().at(0);
  const auto base = analysis::suggest_facts(p, 0, 200);
  REQUIRE(base.outcome == scenario::SuggestedFacts::Outcome::found);
  CHECK(base.facts.values.at(0).as_text() != base.facts.values.at(1).as_text());
  CHECK(base.facts.values.at(2).b);
  const Decision d = evaluate(p, base.facts);
  CHECK(d.fired == std::vector<uint32_t>{0});
}
