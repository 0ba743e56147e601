// `rulebook test [PATH...] [--policies DIR] [--filter TEXT] [--junit FILE] [--coverage]`:
// runs scenario suites (docs/scenarios.md) against the policies and reports
// each failed expectation with the decision's explanation. Exit 0 only when
// every scenario passed; 1 when any failed or the policies do not compile;
// 2 when a suite cannot be read or the command line is wrong.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "cli/cli.hpp"
#include "rulebook/api.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: rulebook test [PATH...] [--policies DIR] [--filter TEXT] [--junit FILE] [--coverage]\n";

// Suite files under `path` (or `path` itself), in a stable order.
bool collect(const std::string& path, std::vector<std::string>& out, std::ostream& err) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    out.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) {
    err << "rulebook test: " << path << ": no such file or folder\n";
    return false;
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && scenario::is_suite_file(it->path().filename().string())) {
      found.push_back(it->path().generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

int run(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::string policies = "policies";
  std::string filter, junit;
  bool coverage = false;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&](std::string& into) {
      if (k + 1 >= args.size()) return false;
      into = args[++k];
      return true;
    };
    if (a == "--policies") {
      if (!value(policies)) return err << "rulebook test: --policies needs a folder\n" << kUsage, kBadInput;
    } else if (a == "--filter") {
      if (!value(filter)) return err << "rulebook test: --filter needs a text\n" << kUsage, kBadInput;
    } else if (a == "--junit") {
      if (!value(junit)) return err << "rulebook test: --junit needs a file name\n" << kUsage, kBadInput;
    } else if (a == "--coverage") {
      coverage = true;
    } else if (a == "--help" || a == "-h") {
      out << kUsage;
      return kOk;
    } else if (!a.empty() && a[0] == '-') {
      err << "rulebook test: unknown option " << a << "\n" << kUsage;
      return kBadInput;
    } else {
      paths.push_back(a);
    }
  }

  // The policies.
  std::error_code ec;
  if (!fs::is_directory(policies, ec)) {
    err << "rulebook test: " << policies << ": no such policies folder (use --policies DIR)\n";
    return kBadInput;
  }
  LoadOptions load;
  load.module_search_dir = policies;
  const LoadResult loaded = load_policies({policies}, load);
  bool policy_errors = false;
  for (const auto& d : loaded.diagnostics) {
    if (d.severity != Severity::error) continue;
    err << format_diagnostic(d);
    policy_errors = true;
  }
  if (!loaded.set) {
    err << "rulebook test: the policies under " << policies << " do not compile; no scenario was run\n";
    return kFailed;
  }

  // The suites.
  std::vector<std::string> files;
  const bool explicit_paths = !paths.empty();
  if (!explicit_paths) paths.push_back(policies);
  for (const auto& p : paths) {
    if (!collect(p, files, err)) return kBadInput;
  }
  if (files.empty()) {
    err << "rulebook test: no suites (*.scenarios, *.scenarios.json) under " << (explicit_paths ? paths[0] : policies)
        << "\n";
    out << "0 passed, 0 failed\n";
    return explicit_paths ? kBadInput : kOk;
  }

  scenario::RunOptions options;
  options.filter = filter;
  options.today = today_utc();
  std::vector<scenario::Suite> suites;
  suites.reserve(files.size());
  for (const auto& f : files) suites.push_back(scenario::load_suite(f, options.limits));

  std::vector<const scenario::Suite*> unreadable;
  for (const auto& s : suites) {
    for (const auto& d : s.diagnostics) err << format_diagnostic(d);
    if (has_errors(s.diagnostics)) unreadable.push_back(&s);
  }

  scenario::Coverage cov;
  std::vector<scenario::SuiteResult> results;
  std::size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& s : suites) {
    if (has_errors(s.diagnostics)) continue;
    results.push_back(scenario::run_suite(*loaded.set, s, options, coverage ? &cov : nullptr));
    for (const auto& r : results.back().results) {
      if (r.status == scenario::Status::passed) ++passed;
      if (r.status == scenario::Status::skipped) ++skipped;
      if (r.status == scenario::Status::failed) {
        ++failed;
        out << r.report();
      }
    }
  }

  if (coverage) out << cov.report(*loaded.set);

  int code = unreadable.empty() ? (failed || policy_errors ? kFailed : kOk) : kBadInput;
  if (!junit.empty()) {
    std::ofstream f(junit, std::ios::binary | std::ios::trunc);
    f << scenario::junit_xml(results, unreadable);
    if (!f) {
      err << "rulebook test: cannot write " << junit << "\n";
      if (code == kOk) code = kFailed;
    }
  }
  if (!unreadable.empty()) {
    err << unreadable.size() << " suite file" << (unreadable.size() == 1 ? "" : "s") << " could not be read\n";
  }
  out << passed << " passed, " << failed << " failed";
  if (skipped) out << ", " << skipped << " skipped";
  out << "\n";
  return code;
}

}  // namespace

int test(const Args& args, std::ostream& out, std::ostream& err) {
  try {
    return run(args, out, err);
  } catch (const std::exception& e) {
    err << "rulebook test: internal error: " << e.what() << "\n";
    return kFailed;
  }
}

}  // namespace rulebook::cli
