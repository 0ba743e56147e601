// Scenario suites that give and expect records and lists of records, in the
// readable and the JSON format; dotted outputs; a wrong expectation reports
// where in the list or record the values differ.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "cli/cli.hpp"
#include "suite_folder.hpp"
#include "scenario/scenario.hpp"

using namespace rulebook;
using json = nlohmann::json;
namespace fs = std::filesystem;

using suite_test::Folder;

namespace {

struct Run {
  int code = -1;
  std::string out, err;
};

Run run_test(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Run r;
  r.code = cli::test(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

const char* kPolicy = R"(policy test.household "Household"
  version 1
  in force from 2020-01-01

type child = record
  birth_date : date
  in_care    : yes/no, default yes
  income     : money, optional

facts
  household.children : list of child, default []

outputs
  support.status : one of granted, refused, default refused
  support.count  : number, default 0
  in_care        : list of child, default []
  youngest       : child, optional

rule grant "Every child in care"
  cite "s1"
  when (count of c in household.children) >= 1
   and every c in household.children satisfies c.in_care
  then support.status = granted
       support.count = count of c in household.children
       in_care = [c for each c in household.children where c.in_care]
       youngest = child(birth_date: max of c.birth_date for each c in household.children else as_of)
)";

}  // namespace

TEST_CASE("records in suites: readable givens and expectations of records, lists and dotted outputs") {
  Folder dir;
  dir.write("household.rules", kPolicy);
  const std::string suite = dir.write("household.scenarios", R"(suite "Household" for test.household
  as of 2026-03-02

scenario "two children in care"
  given household.children = [child(birth_date: 2010-01-01), child(birth_date: 2015-06-30, in_care: yes)]
  expect support.status = granted
         support.count = 2
         in_care = [child(birth_date: 2010-01-01), child(birth_date: 2015-06-30)]
         youngest = child(birth_date: 2015-06-30)

scenario "one child not in care"
  given household.children = [child(birth_date: 2010-01-01), child(birth_date: 2015-06-30, in_care: no)]
  expect support.status = refused
         youngest = missing
)");
  const Run r = run_test({suite, "--policies", dir.path.string()});
  CHECK(r.err == "");
  CHECK(r.out == "2 passed, 0 failed\n");
  CHECK(r.code == cli::kOk);
}

TEST_CASE("records in suites: a wrong expectation names the path where the values differ") {
  Folder dir;
  dir.write("household.rules", kPolicy);
  const std::string suite = dir.write("household.scenarios", R"(suite "Household" for test.household
  as of 2026-03-02

scenario "wrong"
  given household.children = [child(birth_date: 2010-01-01, income: 10.50), child(birth_date: 2015-06-30)]
  expect in_care = [child(birth_date: 2010-01-01, income: 10.5), child(birth_date: 2015-07-01)]
         youngest = child(birth_date: 2015-06-30, in_care: no)
         support.count = 2
)");
  const Run r = run_test({suite, "--policies", dir.path.string()});
  CHECK(r.code == cli::kFailed);
  CHECK(r.out.rfind(suite + ":6: scenario \"wrong\": in_care: expected [child(birth_date: 2010-01-01, income: 10.5), "
                            "child(birth_date: 2015-07-01)], got [child(birth_date: 2010-01-01, in_care: yes, income: "
                            "10.5), child(birth_date: 2015-06-30, in_care: yes)]; first difference: "
                            "in_care[1].birth_date: expected 2015-07-01, got 2015-06-30\n" +
                            suite + ":7: scenario \"wrong\": youngest: expected child(birth_date: 2015-06-30, "
                            "in_care: no), got child(birth_date: 2015-06-30, in_care: yes); first difference: "
                            "youngest.in_care: expected no, got yes\n",
                    0) == 0);
  CHECK(r.out.substr(r.out.size() - 19) == "0 passed, 1 failed\n");
}

TEST_CASE("records in suites: the JSON format gives records as objects and dotted outputs nested") {
  Folder dir;
  dir.write("household.rules", kPolicy);
  const json cases = json::array(
      {{{"name", "nested"},
        {"policy", "test.household"},
        {"as_of", "2026-03-02"},
        {"facts", {{"household", {{"children", json::array({{{"birth_date", "2010-01-01"}},
                                                             {{"birth_date", "2015-06-30"}, {"in_care", false}}})}}}}},
        {"expect", {{"decision", {{"support", {{"status", "refused"}, {"count", 0}}}, {"in_care", json::array()}}}}}},
       {{"name", "dotted"},
        {"policy", "test.household"},
        {"as_of", "2026-03-02"},
        {"facts", {{"household", {{"children", json::array({{{"birth_date", "2010-01-01"}}})}}}}},
        {"expect", {{"decision", {{"support.status", "granted"},
                                  {"youngest", {{"birth_date", "2010-01-01"}, {"in_care", true}, {"income", nullptr}}}}}}}},
       {{"name", "wrong"},
        {"policy", "test.household"},
        {"as_of", "2026-03-02"},
        {"facts", {{"household", {{"children", json::array({{{"birth_date", "2010-01-01"}}})}}}}},
        {"expect", {{"decision", {{"support", {{"count", 3}}}}}}}}});
  const std::string suite = dir.write("household.scenarios.json", cases.dump(2));
  const Run r = run_test({suite, "--policies", dir.path.string()});
  CHECK(r.code == cli::kFailed);
  CHECK(r.out.find("scenario \"wrong\": support.count: expected 3, got 1\n") != std::string::npos);
  CHECK(r.out.substr(r.out.size() - 19) == "2 passed, 1 failed\n");
}

TEST_CASE("records in suites: bad record syntax and values nested too deep are reported at their place") {
  auto s = scenario::parse_scenarios("x.scenarios", "suite \"S\" for p\nscenario \"a\"\n"
                                                    "  given a.b = [child(birth_date 2010-01-01)]\n  expect o = 1\n");
  REQUIRE(s.diagnostics.size() == 1);
  CHECK(format_headline(s.diagnostics[0]) ==
        "x.scenarios:3:22: error: expected ')' to close the record, or ',' before the next field");
  auto twice = scenario::parse_scenarios("x.scenarios", "suite \"S\" for p\nscenario \"a\"\n"
                                                        "  given a.b = c(x: 1, x: 2)\n  expect o = 1\n");
  REQUIRE(twice.diagnostics.size() == 1);
  CHECK(format_headline(twice.diagnostics[0]) == "x.scenarios:3:23: error: the field 'x' is given twice in this record");
  const std::string deep = "suite \"S\" for p\nscenario \"a\"\n  given a.b = " + std::string(5000, '[') + "\n  expect o = 1\n";
  auto too_deep = scenario::parse_scenarios("x.scenarios", deep);
  REQUIRE(too_deep.diagnostics.size() == 1);
  CHECK(too_deep.diagnostics[0].message.find("nests lists and records more than") != std::string::npos);
  // Records and lists nest in a given value as in JSON.
  auto ok = scenario::parse_scenarios("x.scenarios", "suite \"S\" for p\nscenario \"a\"\n"
                                                     "  given a.b = [c(x: [d(y: 1)], z: \"t\")]\n  expect o = 1\n");
  REQUIRE(ok.diagnostics.empty());
  CHECK(ok.scenarios[0].facts == json{{"a", {{"b", json::array({{{"x", json::array({{{"y", 1}}})}, {"z", "t"}}})}}}});
}
