// Fuzz target: any bytes as a scenario suite, read both as the readable
// format and as a JSON suite; a suite that reads cleanly is run against the
// shipped policies and reported (text, JUnit XML, coverage).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "scenario/scenario.hpp"

namespace {

using namespace rulebook;

void run(const scenario::Suite& suite) {
  for (const auto& d : suite.diagnostics) (void)format_diagnostic(d);
  if (has_errors(suite.diagnostics)) return;
  scenario::RunOptions options;
  options.today = *parse_iso_date("2026-03-02");
  scenario::Coverage coverage;
  const scenario::SuiteResult result = scenario::run_suite(fuzz::shipped(), suite, options, &coverage);
  for (const auto& r : result.results) (void)r.report();
  (void)scenario::junit_xml({result});
  (void)coverage.report(fuzz::shipped());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Limits limits;
  run(scenario::parse_scenarios("fuzz.scenarios", text, limits));
  run(scenario::parse_json_suite("fuzz.scenarios.json", text, limits));
  (void)scenario::xml_escape(text);
  return 0;
}
