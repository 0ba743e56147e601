// Dated parameters and per-rule dates in force (issue 14) end to end: a policy
// and its suite run by `rulebook test`, scenarios on dates either side of
// each change, and a scenario that expects the error before the first date.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "cli/cli.hpp"
#include "suite_folder.hpp"

using namespace rulebook;
namespace fs = std::filesystem;

using suite_test::Folder;

namespace {

const char* kPolicy = R"RULES(policy test.notice "Notice"
  version 1
  in force from 2010-01-01

facts
  move.notice_given_on : date
  move.ongoing         : yes/no

outputs
  takes_effect : date
  review       : one of none, old_form, new_form, default none

parameter notice_period "Notice before a move takes effect"
  cite "Directions s46(2)"
  from 2016-12-01: 4 weeks
  from 2030-07-01: 6 weeks

rule effect "The move takes effect after the notice period"
  cite "Directions s46(2)"
  then takes_effect = move.notice_given_on + notice_period

rule old-review "Reviewed on the old form"
  cite "Directions 2016 s12"
  in force from 2016-12-01 until 2022-01-31
  when move.ongoing
  then review = old_form

rule new-review "Reviewed on the new form"
  cite "Directions 2022 s12"
  in force from 2022-02-01
  when move.ongoing
  then review = new_form
)RULES";

}  // namespace

TEST_CASE("parameters in suites: the value in force on each scenario's date, and rules on their dates") {
  Folder dir;
  dir.write("notice.rules", kPolicy);
  const std::string suite = dir.write("notice.scenarios", R"(suite "Notice" for test.notice
  as of 2026-03-02
  given
    move.notice_given_on = 2026-03-02
    move.ongoing = yes

scenario "four weeks, new form"
  expect takes_effect = 2026-03-30
         review = new_form
         fired effect, new-review

scenario "six weeks from mid 2030"
  as of 2030-07-01
  expect takes_effect = 2026-04-13

scenario "old form before 2022"
  as of 2021-05-01
  given move.notice_given_on = 2021-05-03
  expect takes_effect = 2021-05-31
         review = old_form
         fired effect, old-review

scenario "no notice period before 2016-12-01"
  as of 2015-01-01
  expect error undecided
)");
  std::ostringstream out, err;
  const int code = cli::test({suite, "--policies", dir.path.string()}, out, err);
  INFO(out.str() << err.str());
  CHECK(err.str() == "");
  CHECK(out.str() == "4 passed, 0 failed\n");
  CHECK(code == cli::kOk);
}

TEST_CASE("parameters in suites: a wrong expectation on a dated rule says it was not in force") {
  Folder dir;
  dir.write("notice.rules", kPolicy);
  const std::string suite = dir.write("notice.scenarios", R"(suite "Notice" for test.notice
  as of 2026-03-02
  given
    move.notice_given_on = 2026-03-02
    move.ongoing = yes

scenario "old form expected too late"
  expect fired effect, old-review
)");
  std::ostringstream out, err;
  const int code = cli::test({suite, "--policies", dir.path.string()}, out, err);
  INFO(out.str() << err.str());
  CHECK(code == cli::kFailed);
  CHECK(out.str().find("old-review") != std::string::npos);
  CHECK(out.str().find("not in force on 2026-03-02") != std::string::npos);
}

TEST_CASE("internal values in suites: expecting one is an error that says why") {
  Folder dir;
  dir.write("tax.rules", R"(policy test.tax "Tax"
  version 1
  in force from 2020-01-01

facts
  e.income : number

outputs
  tax : number

internal
  plafond : number

rule base "Base ceiling"
  cite "s1"
  then plafond = 100

rule taxed "Tax above the ceiling"
  cite "s2"
  then tax = e.income - plafond
)");
  const std::string suite = dir.write("tax.scenarios", R"(suite "Tax" for test.tax
  as of 2024-01-01

scenario "all outputs, the internal one not among them"
  given e.income = 150
  expect all
         tax = 50

scenario "an internal value expected"
  given e.income = 150
  expect plafond = 100
)");
  std::ostringstream out, err;
  const int code = cli::test({suite, "--policies", dir.path.string()}, out, err);
  INFO(out.str() << err.str());
  CHECK(code == cli::kFailed);
  CHECK(out.str().find(suite + ":11: scenario \"an internal value expected\": plafond: plafond is an internal value of") !=
        std::string::npos);
  CHECK(out.str().find("it is not in the decision, so a suite cannot expect it (the explanation shows it)") !=
        std::string::npos);
  CHECK(out.str().find("1 passed, 1 failed") != std::string::npos);
}
