#include "scenario/results_json.hpp"

#include <nlohmann/json.hpp>

namespace rulebook::scenario {

using json = nlohmann::json;

namespace {

const char* status_name(Status s) {
  switch (s) {
    case Status::passed: return "passed";
    case Status::failed: return "failed";
    case Status::skipped: return "skipped";
  }
  return "?";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string results_json(const std::vector<SuiteResult>& results, const std::vector<const Suite*>& unreadable,
                         const std::string& coverage_text) {
  std::size_t passed = 0, failed = 0, skipped = 0;
  json suites = json::array();
  for (const auto& sr : results) {
    json scenarios = json::array();
    for (const auto& r : sr.results) {
      const Scenario& sc = *r.scenario;
      (r.status == Status::passed ? passed : r.status == Status::failed ? failed : skipped)++;
      json one = {{"name", sc.name},
                  {"line", sc.pos.line},
                  {"policy", sc.policy},
                  {"status", status_name(r.status)},
                  {"seconds", r.seconds},
                  {"failures", r.failures}};
      if (r.status == Status::failed) one["explanation"] = lines(r.detail);
      scenarios.push_back(std::move(one));
    }
    suites.push_back({{"path", sr.suite->path}, {"title", sr.suite->title}, {"seconds", sr.seconds},
                      {"scenarios", std::move(scenarios)}});
  }
  json bad = json::array();
  for (const Suite* s : unreadable) {
    json problems = json::array();
    for (const auto& d : s->diagnostics) problems.push_back(format_headline(d));
    bad.push_back({{"path", s->path}, {"problems", std::move(problems)}});
  }
  json out = {{"passed", passed}, {"failed", failed}, {"skipped", skipped}, {"suites", std::move(suites)},
              {"unreadable", std::move(bad)}};
  if (!coverage_text.empty()) out["coverage"] = lines(coverage_text);
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace rulebook::scenario
