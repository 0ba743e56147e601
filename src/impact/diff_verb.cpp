// `rulebook diff BASE NEW` (docs/impact.md): which decisions an edit changes.
// Replays scenarios, decision logs and generated cases against both policy
// sets and reports every decision that differs. Exit 0 (1 with
// --fail-on-change when anything changed, or when a side does not compile);
// 2 for a bad command line, a folder or log that cannot be read.
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "impact/generate.hpp"
#include "impact/git_tree.hpp"
#include "impact/report.hpp"
#include "rulebook/api.hpp"

namespace rulebook::cli {

namespace fs = std::filesystem;

namespace {

// Loads one side; prints its errors. Null when it does not compile.
std::shared_ptr<const PolicySet> load_side(const std::string& folder, const std::string& label, std::ostream& err) {
  LoadOptions options;
  options.module_search_dir = folder;
  LoadResult r = load_policies({folder}, options);
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::error) err << format_diagnostic(d);
  }
  if (!r.set) err << "rulebook diff: the policies of " << label << " do not compile\n";
  return r.set;
}

}  // namespace

int diff(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> folders, logs;
  std::string git_rev, format = "text", as_of_text;
  bool suites = false, fail_on_change = false;
  std::size_t generate = 0;
  CLI::App app{"Show which decisions change between two policy folders (or a folder and a git revision of it).",
               "rulebook diff"};
  app.add_option("FOLDERS", folders,
                 "the policies before and after the edit; with --git, one folder (default: policies)")
      ->expected(0, 2);
  app.add_option("--git", git_rev, "BASE is the folder as it is at this git revision (read with git, no checkout)");
  app.add_option("--log", logs, "decision logs to replay (serve --decision-log), each decided at its own as_of");
  app.add_flag("--suites", suites, "replay every scenario of the suites under NEW (the default with no other source)");
  app.add_option("--generate", generate, "N generated cases per policy version, covering every rule's conditions")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}));
  app.add_option("--format", format, "text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  app.add_option("--as-of", as_of_text, "the date for scenarios that give none (default: today)");
  app.add_flag("--fail-on-change", fail_on_change, "exit 1 when any decision changed");
  if (const auto done = parse_options(app, args, out, err)) return *done;

  std::optional<Date> as_of = as_of_text.empty() ? std::optional<Date>(today_utc()) : parse_iso_date(as_of_text);
  if (!as_of) {
    err << "rulebook diff: --as-of " << as_of_text << " is not a date like 2026-03-02\n";
    return kBadInput;
  }
  std::unique_ptr<impact::GitTree> tree;
  std::string base_dir, new_dir, base_label, new_label;
  if (!git_rev.empty()) {
    if (folders.size() > 1) {
      err << "rulebook diff: with --git REV, give one folder: the policies as they are now\n";
      return kBadInput;
    }
    new_dir = folders.empty() ? "policies" : folders[0];
    std::error_code ec;
    if (!fs::is_directory(new_dir, ec)) {
      err << "rulebook diff: " << new_dir << ": no such folder\n";
      return kBadInput;
    }
    tree = std::make_unique<impact::GitTree>(new_dir, git_rev);
    if (!tree->error().empty()) {
      err << "rulebook diff: " << tree->error() << "\n";
      return kBadInput;
    }
    base_dir = tree->path();
    base_label = new_dir + " at " + git_rev;
    new_label = new_dir;
  } else {
    if (folders.size() != 2) {
      err << "rulebook diff: give two policy folders, BASE and NEW (or --git REV and one folder)\n"
          << "run 'rulebook diff --help' for its options\n";
      return kBadInput;
    }
    base_dir = base_label = folders[0];
    new_dir = new_label = folders[1];
    for (const auto& f : folders) {
      std::error_code ec;
      if (!fs::is_directory(f, ec)) {
        err << "rulebook diff: " << f << ": no such folder\n";
        return kBadInput;
      }
    }
  }
  for (const auto& l : logs) {
    std::error_code ec;
    if (!fs::is_regular_file(l, ec)) {
      err << "rulebook diff: " << l << ": no such log file\n";
      return kBadInput;
    }
  }
  if (logs.empty() && generate == 0) suites = true;

  const auto base = load_side(base_dir, base_label, err);
  const auto next = load_side(new_dir, new_label, err);
  if (!base || !next) return kFailed;

  impact::DiffReport report;
  report.base_label = base_label;
  report.new_label = new_label;
  report.rules = impact::diff_rules(*base, *next, base_dir, new_dir);
  impact::Replayer replayer(*base, *next);

  if (suites) {
    std::vector<std::string> files;
    scenario::collect_suite_files(new_dir, files);
    std::vector<scenario::Suite> loaded;
    for (const auto& f : files) {
      loaded.push_back(scenario::load_suite(f));
      for (const auto& d : loaded.back().diagnostics) err << format_diagnostic(d);
      if (has_errors(loaded.back().diagnostics)) loaded.pop_back();
    }
    impact::replay_suites(loaded, replayer, *as_of);
  }
  for (const auto& l : logs) {
    std::ifstream in(l, std::ios::binary);
    if (!in) {
      err << "rulebook diff: cannot read " << l << "\n";
      return kBadInput;
    }
    impact::replay_log(in, l, replayer, report.log);
    if (in.bad()) {
      err << "rulebook diff: reading " << l << " failed part-way\n";
      return kBadInput;
    }
  }
  if (generate) {
    // From NEW's versions, and BASE's for a policy NEW no longer has.
    for (const auto* set : {next.get(), base.get()}) {
      for (const auto& v : set->versions()) {
        if (set == base.get() && !next->versions_of(v->header.id).empty()) continue;
        const std::string label = v->header.id + " " + v->header.version + " (generated)";
        for (const auto& g : impact::generate_cases(*v, generate)) {
          impact::CaseView c;
          c.source = impact::Source::generated;
          c.policy = g.policy;
          c.as_of = g.as_of;
          c.facts = &g.facts;
          c.origin_file = label;
          c.origin_name = g.purpose;
          replayer.replay(c);
        }
      }
    }
  }

  report.tally = &replayer.tally();
  if (format == "json") out << impact::report_json(report);
  else if (format == "markdown") out << impact::report_markdown(report);
  else out << impact::report_text(report);
  return fail_on_change && (replayer.tally().changed || !report.rules.empty()) ? kFailed : kOk;
}

}  // namespace rulebook::cli
