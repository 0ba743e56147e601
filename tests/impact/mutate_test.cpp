// rulebook test --mutate (docs/impact.md): the mutants of a small policy that a
// deliberately weak suite does not notice, exactly; the mutators' text edits.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "impact/mutators.hpp"
#include "lang/parser.hpp"
#include "rulebook/policy_set.hpp"

using namespace rulebook;

namespace {

const std::string kFixtures = IMPACT_FIXTURES;
const std::string kPolicies = kFixtures + "/policies";

}  // namespace

TEST_CASE("rulebook test --mutate lists the mutants a weak suite does not notice, and a score") {
  std::ostringstream out, err;
  const int code = cli::test({kFixtures + "/suites/weak.scenarios", "--policies", kPolicies, "--mutate"}, out, err);
  CHECK(code == cli::kOk);
  CHECK(err.str() == "");
  const std::string file = kPolicies + "/bonus.rules";
  CHECK(out.str() == file + ":18: rule long-service: condition 1 'employee.years >= 5': '>=' → '>' survived\n" +
                         file + ":18: rule long-service: condition 1 'employee.years >= 5' dropped survived\n" +
                         file + ":19: rule long-service: condition 2 'employee.rating is good' dropped survived\n" +
                         file + ":26: rule excellent: then review = yes → no survived\n" +
                         file + ":32: rule on-leave: then bonus = none → small survived\n" +
                         "test.bonus 1: mutation score 62% (8 of 13 mutants killed; 1 more rejected by the checker)\n");
}

TEST_CASE("the mutators edit exactly the part they name") {
  const std::string text = R"(policy t.m "M"
  version 1
  in force from 2020-01-01

facts
  a : number
  b : yes/no
  k : one of x, y, z

outputs
  o : one of x, y, z, default x
  d : duration, optional

rule r "R"
  cite "c"
  when a <  3
   and (b
        or a > 10)
  then o = z
       d = 4 weeks

rule s "S"
  exception to r
  cite "c"
  when k is y
  then o = y
)";
  ParseResult parsed = parse_rules("m.rules", text);
  REQUIRE(!has_errors(parsed.diagnostics));
  LoadResult loaded;
  {
    const std::string dir = "/tmp/rulebook-mutators-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/m.rules") << text;
    loaded = load_policies({dir});
    std::filesystem::remove_all(dir);
  }
  REQUIRE(loaded.set);
  const auto mutants = impact::mutants_of(parsed.file, *loaded.set->versions()[0]);
  std::vector<std::string> shown;
  for (const auto& m : mutants) {
    const std::string after = impact::apply_mutant(text, m);
    // The changed line(s), as they read after the edit.
    std::size_t start = after.rfind('\n', m.begin ? m.begin - 1 : 0) + 1;
    std::size_t end = after.find('\n', m.begin + m.replacement.size());
    shown.push_back(m.rule + ":" + std::to_string(m.line) + ": " + m.change + " => " + after.substr(start, end - start));
  }
  // A condition in parentheses is edited inside them: the syntax tree's text of it has none.
  CHECK(shown == std::vector<std::string>{
                     "r:16: condition 1 'a < 3': '<' → '<=' =>   when a <=  3",
                     "r:16: condition 1 'a < 3' dropped =>   when yes",
                     "r:16: condition 1 'a < 3' negated =>   when not (a <  3)",
                     "r:18: condition 2 'b or a > 10': '>' → '>=' =>         or a >= 10)",
                     "r:17: condition 2 'b or a > 10' dropped =>    and (yes)",
                     "r:17: condition 2 'b or a > 10' negated =>    and (not (b\n        or a > 10))",
                     "r:19: then o = z → x =>   then o = x",
                     "r:20: then d = 4 weeks → 29 days =>        d = 29 days",
                     "s:23: 'exception to r' removed =>   ",
                     "s:25: condition 1 'k is y' dropped =>   when yes",
                     "s:25: condition 1 'k is y' negated =>   when not (k is y)",
                     "s:26: then o = y → z =>   then o = z",
                 });
  // Every mutant still parses: the edits keep the language's shape.
  for (const auto& m : mutants) {
    INFO(m.change);
    CHECK(!has_errors(parse_rules("m.rules", impact::apply_mutant(text, m)).diagnostics));
  }
}
