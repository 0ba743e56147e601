#include "server/workbench_api.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scenario/scenario.hpp"

namespace rulebook::server {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

std::string dump(const ordered_json& j) { return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

ApiResponse ok(const ordered_json& j) { return ApiResponse{200, dump(j), {}}; }

ApiResponse error(int status, std::string_view code, const std::string& message) {
  return ApiResponse{status, error_body(code, message), std::string(code)};
}

ApiResponse unknown_policy(const std::string& id) {
  return error(404, "unknown_policy", "there is no policy called " + dump(ordered_json(id)));
}

enum class Read { ok, missing, too_large };

// A file's text, at most `max_bytes` of it.
Read read_file(const std::string& path, std::size_t max_bytes, std::string& text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Read::missing;
  std::ostringstream buffer;
  std::vector<char> chunk(64 * 1024);
  std::size_t total = 0;
  while (f.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || f.gcount() > 0) {
    total += static_cast<std::size_t>(f.gcount());
    if (total > max_bytes) return Read::too_large;
    buffer.write(chunk.data(), f.gcount());
  }
  text = buffer.str();
  return Read::ok;
}

// Suite files under `dir`, in name order, at most `max_files`.
std::vector<std::string> suite_files(const std::string& dir, std::size_t max_files) {
  std::vector<std::string> found;
  std::error_code ec;
  // Symbolic links to folders are not followed, so a link loop cannot trap the walk.
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator() && found.size() < max_files; it.increment(ec)) {
    if (it->is_regular_file(ec) && scenario::is_suite_file(it->path().filename().string())) {
      found.push_back(it->path().generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

const char* status_name(scenario::Status s) {
  switch (s) {
    case scenario::Status::passed: return "passed";
    case scenario::Status::failed: return "failed";
    case scenario::Status::skipped: return "skipped";
  }
  return "failed";
}

// A scenario in the JSON suite format (docs/scenarios.md), so a client can
// reopen its case.
ordered_json scenario_json(const scenario::Scenario& sc) {
  ordered_json j = ordered_json::object();
  j["name"] = sc.name;
  j["policy"] = sc.policy;
  j["as_of"] = sc.as_of ? ordered_json(format_iso_date(*sc.as_of)) : ordered_json();
  j["facts"] = ordered_json::parse(sc.facts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  j["line"] = sc.pos.line;
  ordered_json expect = ordered_json::object();
  if (!sc.outputs.empty()) {
    ordered_json decision = ordered_json::object();
    for (const auto& o : sc.outputs) {
      decision[o.output] = ordered_json::parse(o.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    expect["decision"] = std::move(decision);
  }
  ordered_json fired = ordered_json::array(), not_fired = ordered_json::array();
  for (const auto& r : sc.rules) (r.fired ? fired : not_fired).push_back(r.rule);
  if (!fired.empty()) expect["fired"] = std::move(fired);
  if (!not_fired.empty()) expect["not_fired"] = std::move(not_fired);
  if (sc.error) {
    ordered_json e = ordered_json::object();
    e["code"] = sc.error->code;
    if (sc.error->paths) e["paths"] = *sc.error->paths;
    if (sc.error->rules) e["rules"] = *sc.error->rules;
    expect["error"] = std::move(e);
  }
  j["expect"] = std::move(expect);
  return j;
}

bool asks(const scenario::Suite& suite, const std::string& policy_id) {
  return std::any_of(suite.scenarios.begin(), suite.scenarios.end(),
                     [&](const scenario::Scenario& sc) { return sc.policy == policy_id; });
}

// The coverage report's lines about `policy_id` ("aps.s26 2022: ..."), with
// the paths of rules shown as the other routes show them.
ordered_json coverage_lines(const std::string& report, const PolicySet& set, const std::string& policy_id,
                            const PathShown& shown) {
  std::vector<std::pair<std::string, std::string>> paths;  // loaded path -> shown path
  for (const Program* p : set.versions_of(policy_id)) {
    for (const auto& f : p->files) paths.emplace_back(f + ":", shown(f) + ":");
  }
  ordered_json lines = ordered_json::array();
  std::istringstream in(report);
  const std::string prefix = policy_id + " ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    for (const auto& [from, to] : paths) {
      if (const auto at = line.find(" (" + from); at != std::string::npos) line.replace(at + 2, from.size(), to);
    }
    lines.push_back(line);
  }
  return lines;
}

// Whether `text` is still the text `p` was compiled from, as far as its rules
// tell: each rule of `file` starts where it did ("rule NAME" at its byte).
// An edit not yet reloaded usually moves them, and then the marks a client
// puts on the text by line would be off.
bool rules_in_place(const Program& p, const std::string& file, const std::string& text) {
  for (const RuleInfo& r : p.rules) {
    if (r.pos.file != file) continue;
    const std::string head = "rule " + r.name;
    if (r.pos.byte > text.size() || text.compare(r.pos.byte, head.size(), head) != 0) return false;
  }
  return true;
}

}  // namespace

ApiResponse policy_source(const PolicySet& set, const std::string& policy_id, const std::optional<std::string>& version,
                          Date today, const PathShown& shown) {
  const std::vector<const Program*> versions = set.versions_of(policy_id);
  if (versions.empty()) return unknown_policy(policy_id);
  const Program* chosen = nullptr;
  if (version) {
    for (const Program* p : versions) {
      if (p->header.version == *version) chosen = p;
    }
    if (!chosen) {
      std::string known;
      for (const Program* p : versions) known += (known.empty() ? "" : ", ") + p->header.version;
      return error(404, "unknown_version",
                   policy_id + " has no version " + dump(ordered_json(*version)) + " (its versions: " + known + ")");
    }
  } else {
    for (const Program* p : versions) {
      if (p->in_force_on(today)) chosen = p;
    }
    if (!chosen) chosen = versions.back();  // ordered by start date: the newest
  }

  const Limits limits;
  ordered_json files = ordered_json::array();
  for (const auto& path : chosen->files) {
    std::string text;
    const Read r = read_file(path, limits.max_rule_file_bytes, text);
    ordered_json f = ordered_json::object();
    f["path"] = shown(path);
    if (r == Read::ok) {
      f["matches_loaded"] = rules_in_place(*chosen, path, text);
      f["text"] = std::move(text);
    } else {
      f["text"] = nullptr;
      f["matches_loaded"] = false;
      f["problem"] = r == Read::missing ? "the file can no longer be read" : "the file is larger than 1 MiB";
    }
    files.push_back(std::move(f));
  }
  ordered_json j = ordered_json::object();
  j["id"] = chosen->header.id;
  j["version"] = chosen->header.version;
  j["hash"] = chosen->hash;
  j["files"] = std::move(files);
  return ok(j);
}

ApiResponse policy_suites(const PolicySet& set, const std::string& policy_id, const std::string& policies_dir,
                          Date today, const Limits& limits, const PathShown& shown) {
  if (set.versions_of(policy_id).empty()) return unknown_policy(policy_id);

  std::vector<scenario::Suite> suites;
  for (const auto& path : suite_files(policies_dir, limits.max_files)) {
    std::string text;
    const Read r = read_file(path, limits.max_rule_file_bytes, text);
    if (r != Read::ok) continue;  // gone since the walk, or over the limit the parser would refuse
    const std::string name = shown(path);
    scenario::Suite s = name.size() > 5 && name.ends_with(".json") ? scenario::parse_json_suite(name, text, limits)
                                                                   : scenario::parse_scenarios(name, text, limits);
    if (asks(s, policy_id)) suites.push_back(std::move(s));
  }

  scenario::RunOptions options;
  options.limits = limits;
  options.today = today;
  scenario::Coverage coverage;
  std::size_t passed = 0, failed = 0;
  ordered_json list = ordered_json::array();
  for (const auto& s : suites) {
    ordered_json sj = ordered_json::object();
    sj["path"] = s.path;
    sj["title"] = s.title;
    ordered_json problems = ordered_json::array();
    for (const auto& d : s.diagnostics) problems.push_back(format_headline(d));
    sj["problems"] = std::move(problems);
    std::size_t suite_passed = 0, suite_failed = 0;
    ordered_json scenarios = ordered_json::array();
    if (!has_errors(s.diagnostics)) {
      const scenario::SuiteResult result = scenario::run_suite(set, s, options, &coverage);
      for (const auto& r : result.results) {
        ordered_json sc = scenario_json(*r.scenario);
        sc["status"] = status_name(r.status);
        sc["failures"] = r.failures;
        sc["detail"] = r.detail;
        if (r.status == scenario::Status::passed) ++suite_passed;
        if (r.status == scenario::Status::failed) ++suite_failed;
        scenarios.push_back(std::move(sc));
      }
    }
    sj["passed"] = suite_passed;
    sj["failed"] = suite_failed;
    sj["scenarios"] = std::move(scenarios);
    passed += suite_passed;
    failed += suite_failed;
    list.push_back(std::move(sj));
  }

  ordered_json j = ordered_json::object();
  j["policy"] = policy_id;
  j["passed"] = passed;
  j["failed"] = failed;
  j["suites"] = std::move(list);
  j["coverage"] = coverage_lines(coverage.report(set), set, policy_id, shown);
  return ok(j);
}

}  // namespace rulebook::server
