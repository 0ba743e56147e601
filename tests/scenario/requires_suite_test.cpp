// `require CONDITION "message"` (issue 14) end to end: a suite that expects a
// broken require as invalid facts at the paths it read, a wrong expectation
// that shows the require's message, and `rulebook decide` exiting 2.
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

const char* kPolicy = R"RULES(policy test.term "Temporary term"
  version 1
  in force from 2020-01-01

facts
  dates.agreed_date_of_effect : date
  dates.agreed_end_date       : date
  pay.hours                   : number

outputs
  days : number

define span = dates.agreed_end_date - dates.agreed_date_of_effect

require dates.agreed_end_date > dates.agreed_date_of_effect
  "the end date must be after the date of effect"

require pay.hours >= 0 "hours cannot be negative"

rule days "Days of the term"
  cite "Directions s1"
  then days = span
)RULES";

}  // namespace

TEST_CASE("requires in suites: kept, broken, two broken, expected as invalid facts at the paths read") {
  Folder dir;
  dir.write("term.rules", kPolicy);
  const std::string suite = dir.write("term.scenarios", R"(suite "Term" for test.term
  as of 2026-03-02
  given
    dates.agreed_date_of_effect = 2026-01-01
    dates.agreed_end_date = 2026-01-31
    pay.hours = 10

scenario "a month"
  expect days = 30

scenario "ends before it starts"
  given dates.agreed_end_date = 2025-12-31
  expect error invalid_facts at dates.agreed_date_of_effect, dates.agreed_end_date

scenario "both broken"
  given dates.agreed_end_date = 2025-12-31
        pay.hours = -1
  expect error invalid_facts at dates.agreed_date_of_effect, dates.agreed_end_date, pay.hours

scenario "a wrong type beside a broken require"
  given dates.agreed_end_date = 2025-12-31
        pay.hours = "ten"
  expect error invalid_facts at dates.agreed_date_of_effect, dates.agreed_end_date, pay.hours
)");
  std::ostringstream out, err;
  const int code = cli::test({suite, "--policies", dir.path.string()}, out, err);
  INFO(out.str() << err.str());
  CHECK(err.str() == "");
  CHECK(out.str() == "4 passed, 0 failed\n");
  CHECK(code == cli::kOk);
}

TEST_CASE("requires in suites: an unexpected broken require shows its message and paths") {
  Folder dir;
  dir.write("term.rules", kPolicy);
  const std::string suite = dir.write("term.scenarios", R"(suite "Term" for test.term
  as of 2026-03-02

scenario "negative hours"
  given dates.agreed_date_of_effect = 2026-01-01
        dates.agreed_end_date = 2026-01-31
        pay.hours = -3
  expect days = 30
)");
  std::ostringstream out, err;
  const int code = cli::test({suite, "--policies", dir.path.string()}, out, err);
  INFO(out.str() << err.str());
  CHECK(code == cli::kFailed);
  CHECK(out.str().find("invalid_facts") != std::string::npos);
  CHECK(out.str().find("require (pay.hours): hours cannot be negative") != std::string::npos);
  CHECK(out.str().find("0 passed, 1 failed") != std::string::npos);
}

TEST_CASE("requires: rulebook decide exits 2 and prints the message and the paths") {
  Folder dir;
  dir.write("term.rules", kPolicy);
  const std::string bad = dir.write(
      "bad.json",
      R"({"facts": {"dates": {"agreed_date_of_effect": "2026-02-01", "agreed_end_date": "2026-01-01"}, "pay": {"hours": 4}}})");
  std::ostringstream out, err;
  const int code = cli::decide({"test.term", "--policies", dir.path.string(), "--facts", bad}, out, err);
  INFO(out.str() << err.str());
  CHECK(code == cli::kBadInput);
  CHECK(out.str().find("\"code\":\"invalid_facts\"") != std::string::npos);
  CHECK(out.str().find("\"problem\":\"the end date must be after the date of effect\"") != std::string::npos);
  CHECK(out.str().find("\"paths\":[\"dates.agreed_date_of_effect\",\"dates.agreed_end_date\"]") != std::string::npos);

  const std::string good = dir.write(
      "good.json",
      R"({"facts": {"dates": {"agreed_date_of_effect": "2026-01-01", "agreed_end_date": "2026-02-01"}, "pay": {"hours": 4}}})");
  std::ostringstream out2, err2;
  CHECK(cli::decide({"test.term", "--policies", dir.path.string(), "--facts", good}, out2, err2) == cli::kOk);
  CHECK(out2.str().find("\"days\":31") != std::string::npos);
}
