// `rulebook test [PATH...] [--policies DIR] [--filter TEXT] [--junit FILE] [--coverage]
//                [--format text|json] [--update [--yes]] [--watch] [--mutate]
//                [--suggest DIR [--yes] [--proof-timeout MS]]`:
// runs scenario suites (docs/scenarios.md) against the policies and reports
// each failed expectation with the decision's explanation. Exit 0 only when
// every scenario passed; 1 when any failed, the policies do not compile or
// --filter selected nothing; 2 when a suite cannot be read or the command line is wrong.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>
#include <thread>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "impact/mutation.hpp"
#include "rulebook/api.hpp"
#include "scenario/results_json.hpp"
#include "scenario/scenario.hpp"
#include "scenario/suggest.hpp"
#include "scenario/update.hpp"
#include "scenario/watch.hpp"

namespace rulebook::cli {

namespace fs = std::filesystem;

namespace {

struct TestOptions {
  std::vector<std::string> paths;
  std::string policies = "policies";
  std::string filter, junit, format = "text";
  bool coverage = false, update = false, yes = false, watch = false, mutate = false;
  std::size_t watch_runs = 0;  // 0: until interrupted (tests bound it)
  double watch_interval = 0.5;
  std::string suggest;             // --suggest DIR
  unsigned proof_timeout = 200;    // ms the solver may spend on one rule
  const scenario::SuggestFacts* solve = nullptr;
};

// --suggest: a suite per version for the rules no scenario made fire, written
// into the folder (an existing file only with --yes), and each rule no
// scenario could be written for listed. False when a file was not written.
bool write_suggestions(const TestOptions& o, const PolicySet& set, const scenario::Coverage& cov, std::ostream& out,
                       std::ostream& err) {
  const auto found = scenario::suggest_scenarios(set, cov, *o.solve, o.proof_timeout);
  bool ok = true;
  std::error_code ec;
  if (!found.suites.empty()) fs::create_directories(o.suggest, ec);
  if (ec) {
    err << "rulebook test: cannot create " << o.suggest << ": " << ec.message() << "\n";
    return false;
  }
  for (const auto& s : found.suites) {
    const fs::path path = fs::path(o.suggest) / s.file_name;
    if (!o.yes && fs::exists(fs::symlink_status(path, ec))) {
      err << "rulebook test: " << path.string() << " exists; not overwritten (--yes overwrites it)\n";
      ok = false;
      continue;
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << s.text;
    file.close();
    if (!file) {
      err << "rulebook test: cannot write " << path.string() << "\n";
      ok = false;
      continue;
    }
    out << "suggested " << path.string() << ":";
    for (const auto& r : s.rules) out << " " << r;
    out << " (confirm the expected outputs)\n";
  }
  for (const auto& line : found.unwritten) out << "no scenario suggested for " << line << "\n";
  if (found.suites.empty() && found.unwritten.empty()) out << "every rule fired: nothing to suggest\n";
  return ok;
}

int run_once(const TestOptions& o, std::ostream& out, std::ostream& err, std::istream& in) {
  const bool json_format = o.format == "json";
  // The policies.
  std::error_code ec;
  if (!fs::is_directory(o.policies, ec)) {
    err << "rulebook test: " << o.policies << ": no such policies folder (use --policies DIR)\n";
    return kBadInput;
  }
  LoadOptions load;
  load.module_search_dir = o.policies;
  const LoadResult loaded = load_policies({o.policies}, load);
  bool policy_errors = false;
  for (const auto& d : loaded.diagnostics) {
    if (d.severity != Severity::error) continue;
    err << format_diagnostic(d);
    policy_errors = true;
  }
  if (!loaded.set) {
    err << "rulebook test: the policies under " << o.policies << " do not compile; no scenario was run\n";
    return kFailed;
  }

  // The suites.
  std::vector<std::string> files, paths = o.paths;
  const bool explicit_paths = !paths.empty();
  if (!explicit_paths) paths.push_back(o.policies);
  for (const auto& p : paths) {
    if (!scenario::collect_suite_files(p, files)) {
      err << "rulebook test: " << p << ": no such file or folder\n";
      return kBadInput;
    }
  }
  if (files.empty()) {
    err << "rulebook test: no suites (*.scenarios, *.scenarios.json) under "
        << (explicit_paths ? paths[0] : o.policies) << "\n";
    if (!json_format) out << "0 passed, 0 failed\n";
    if (explicit_paths) return kBadInput;
    // No suite yet: every rule is one no scenario made fire.
    if (!o.suggest.empty() && !write_suggestions(o, *loaded.set, scenario::Coverage{}, out, err)) return kFailed;
    return kOk;
  }

  scenario::RunOptions options;
  options.filter = o.filter;
  options.today = today_utc();
  std::vector<scenario::Suite> suites;
  suites.reserve(files.size());
  for (const auto& f : files) suites.push_back(scenario::load_suite(f, options.limits));

  std::vector<const scenario::Suite*> unreadable;
  for (const auto& s : suites) {
    for (const auto& d : s.diagnostics) err << format_diagnostic(d);
    if (has_errors(s.diagnostics)) unreadable.push_back(&s);
  }

  if (o.mutate) {
    std::vector<scenario::Suite> readable;
    for (const auto& s : suites) {
      if (!has_errors(s.diagnostics)) readable.push_back(s);
    }
    const auto report = impact::run_mutation(o.policies, readable, options);
    if (!report.error.empty()) {
      err << "rulebook test --mutate: " << report.error << "\n";
      return kFailed;
    }
    out << impact::mutation_text(report);
    return unreadable.empty() ? kOk : kBadInput;
  }

  scenario::Coverage cov;
  std::vector<scenario::SuiteResult> results;
  std::size_t passed = 0, failed = 0, skipped = 0;
  const auto started = std::chrono::system_clock::now();
  for (const auto& s : suites) {
    if (has_errors(s.diagnostics)) continue;
    const bool covering = o.coverage || !o.suggest.empty();
    results.push_back(scenario::run_suite(*loaded.set, s, options, covering ? &cov : nullptr));
    for (const auto& r : results.back().results) {
      if (r.status == scenario::Status::passed) ++passed;
      if (r.status == scenario::Status::skipped) ++skipped;
      if (r.status == scenario::Status::failed) {
        ++failed;
        if (!json_format) out << r.report();
      }
    }
  }

  const std::string coverage_text = o.coverage ? cov.report(*loaded.set) + cov.condition_report(*loaded.set) : "";
  if (o.coverage && !json_format) out << coverage_text;

  int code = unreadable.empty() ? (failed || policy_errors ? kFailed : kOk) : kBadInput;
  if (!o.filter.empty() && passed + failed == 0 && code == kOk) {
    err << "rulebook test: no scenario's name contains \"" << o.filter << "\"\n";
    code = kFailed;
  }
  if (!o.junit.empty()) {
    std::ofstream f(o.junit, std::ios::binary | std::ios::trunc);
    f << scenario::junit_xml(results, unreadable, started);
    if (!f) {
      err << "rulebook test: cannot write " << o.junit << "\n";
      if (code == kOk) code = kFailed;
    }
  }
  if (!o.suggest.empty() && !write_suggestions(o, *loaded.set, cov, out, err) && code == kOk) code = kFailed;
  if (o.update && failed) {
    const int updated = scenario::update_suites(results, o.yes, in, out, err);
    if (updated < 0) code = kBadInput;
  }
  if (!unreadable.empty()) {
    err << unreadable.size() << " suite file" << (unreadable.size() == 1 ? "" : "s") << " could not be read\n";
  }
  if (json_format) {
    out << scenario::results_json(results, unreadable, coverage_text);
  } else {
    out << passed << " passed, " << failed << " failed";
    if (skipped) out << ", " << skipped << " skipped";
    out << "\n";
  }
  return code;
}

int run(const Args& args, std::ostream& out, std::ostream& err, std::istream& in,
        const scenario::SuggestFacts& solve) {
  TestOptions o;
  o.solve = &solve;
  CLI::App app{"Run scenario suites against the policies.", "rulebook test"};
  app.add_option("PATH", o.paths, "suite files or folders (default: every suite under the policies folder)");
  app.add_option("--policies", o.policies, "the policies folder")->capture_default_str();
  app.add_option("--filter", o.filter, "run only the scenarios whose name contains TEXT (ignoring case)");
  app.add_option("--junit", o.junit, "also write a JUnit XML report to FILE");
  app.add_flag("--coverage", o.coverage, "list the rules, conditions and output values no scenario reached");
  app.add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  app.add_flag("--update", o.update, "write the actual outputs into failing scenarios' expect blocks (asks first)");
  app.add_flag("--yes", o.yes, "with --update: do not ask; with --suggest: overwrite existing files");
  app.add_flag("--watch", o.watch, "run again whenever a policy or suite file changes (until interrupted)");
  app.add_option("--watch-runs", o.watch_runs, "with --watch: stop after this many runs")->group("");
  app.add_option("--watch-interval", o.watch_interval, "with --watch: seconds between looks")->group("");
  app.add_flag("--mutate", o.mutate, "mutation testing: report the changes to the rules no scenario notices");
  app.add_option("--suggest", o.suggest,
                 "for each rule no scenario made fire, write a scenario that does (facts from the solver, expected "
                 "outputs marked '# confirm') into DIR, one suite per policy version")
      ->type_name("DIR");
  auto* timeout = app.add_option("--proof-timeout", o.proof_timeout,
                                 "with --suggest: milliseconds the solver may spend on one rule")
                      ->check(CLI::Range(1u, 600000u))
                      ->capture_default_str();
  if (const auto done = parse_options(app, args, out, err)) return *done;
  if (o.yes && !o.update && o.suggest.empty()) {
    err << "rulebook test: --yes goes with --update or --suggest\n";
    return kBadInput;
  }
  if (timeout->count() > 0 && o.suggest.empty()) {
    err << "rulebook test: --proof-timeout goes with --suggest\n";
    return kBadInput;
  }
  if (!o.suggest.empty() && (o.mutate || o.update || o.watch || o.format == "json")) {
    err << "rulebook test: --suggest does not go with --mutate, --update, --watch or --format json\n";
    return kBadInput;
  }
  if (!o.suggest.empty() && !solve) {
    err << "rulebook test: --suggest needs the solver, which this build of rulebook does not have\n";
    return kBadInput;
  }
  if (o.mutate && (o.update || o.watch || !o.junit.empty() || o.format == "json")) {
    err << "rulebook test: --mutate goes alone (with --policies, --filter and PATH)\n";
    return kBadInput;
  }
  if (!o.watch) return run_once(o, out, err, in);
  std::vector<std::string> watched = o.paths;
  watched.push_back(o.policies);
  return scenario::watch_and_run(
      watched, o.watch_runs, o.watch_interval, [&] { return run_once(o, out, err, in); }, out);
}

}  // namespace

int test(const Args& args, std::ostream& out, std::ostream& err) { return test(args, out, err, std::cin); }

int test(const Args& args, std::ostream& out, std::ostream& err, std::istream& in) {
  return test(args, out, err, in, scenario::SuggestFacts{});
}

int test(const Args& args, std::ostream& out, std::ostream& err, std::istream& in,
         const scenario::SuggestFacts& suggest) {
  try {
    return run(args, out, err, in, suggest);
  } catch (const std::exception& e) {
    err << "rulebook test: internal error: " << e.what() << "\n";
    return kFailed;
  }
}

}  // namespace rulebook::cli
