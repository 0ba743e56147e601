#include "impact/mutation.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lang/parser.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook::impact {

namespace fs = std::filesystem;

namespace {

struct ScratchDir {
  std::string path;
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "rulebook-mutate-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

bool read_text(const fs::path& p, std::string& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return static_cast<bool>(f) || f.eof();
}

bool write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

std::shared_ptr<const PolicySet> load(const std::string& dir) {
  LoadOptions o;
  o.module_search_dir = dir;
  return load_policies({dir}, o).set;
}

// Per scenario (by suite and index): whether it passed.
std::vector<std::vector<bool>> outcomes(const PolicySet& set, const std::vector<scenario::Suite>& suites,
                                        const scenario::RunOptions& options) {
  std::vector<std::vector<bool>> out;
  for (const auto& s : suites) {
    const auto r = scenario::run_suite(set, s, options, nullptr);
    std::vector<bool> passed;
    for (const auto& x : r.results) passed.push_back(x.status == scenario::Status::passed);
    out.push_back(std::move(passed));
  }
  return out;
}

}  // namespace

MutationReport run_mutation(const std::string& policies, const std::vector<scenario::Suite>& suites,
                            const scenario::RunOptions& options) {
  MutationReport report;
  ScratchDir scratch;
  if (scratch.path.empty()) {
    report.error = "cannot make a scratch folder";
    return report;
  }
  const fs::path copy = fs::path(scratch.path) / "policies";
  std::error_code ec;
  fs::copy(policies, copy, fs::copy_options::recursive, ec);
  if (ec) {
    report.error = "cannot copy " + policies + ": " + ec.message();
    return report;
  }
  const auto base = load(copy.string());
  if (!base) {
    report.error = "the policies under " + policies + " do not compile";
    return report;
  }
  const auto baseline = outcomes(*base, suites, options);
  for (const auto& s : baseline) {
    for (bool p : s) report.baseline_failures += p ? 0 : 1;
  }

  // Each policy file once (a version's own file; modules have no rules of their own to mutate).
  std::set<std::string> done;
  for (const auto& version : base->versions()) {
    const Program& program = *version;
    if (program.files.empty() || !done.insert(program.files[0]).second) continue;
    const fs::path file = program.files[0];
    const std::string shown = (fs::path(policies) / fs::relative(file, copy, ec)).generic_string();
    std::string text;
    if (!read_text(file, text)) continue;
    const ParseResult parsed = parse_rules(file.string(), text);
    if (has_errors(parsed.diagnostics)) continue;
    for (const Mutant& m : mutants_of(parsed.file, program)) {
      MutantResult r;
      r.file = shown;
      r.policy = program.header.id + " " + program.header.version;
      r.mutant = m;
      if (!write_text(file, apply_mutant(text, m))) {
        report.error = "cannot write " + file.string();
        write_text(file, text);
        return report;
      }
      const auto set = load(copy.string());
      if (!set) {
        r.status = MutantStatus::rejected;
      } else {
        for (std::size_t s = 0; s < suites.size() && r.status == MutantStatus::survived; ++s) {
          const auto res = scenario::run_suite(*set, suites[s], options, nullptr);
          for (std::size_t k = 0; k < res.results.size(); ++k) {
            if (baseline[s][k] && res.results[k].status == scenario::Status::failed) {
              const auto& sc = suites[s].scenarios[k];
              r.status = MutantStatus::killed;
              r.killed_by = suites[s].path + ":" + std::to_string(sc.pos.line) + " scenario \"" + sc.name + "\"";
              break;
            }
          }
        }
      }
      report.results.push_back(std::move(r));
    }
    if (!write_text(file, text)) {
      report.error = "cannot restore " + file.string();
      return report;
    }
  }
  return report;
}

std::string mutation_text(const MutationReport& r) {
  std::string out;
  struct Score {
    std::size_t killed = 0, survived = 0, rejected = 0;
  };
  std::vector<std::pair<std::string, Score>> scores;  // in the order met
  auto score_of = [&](const std::string& policy) -> Score& {
    for (auto& [p, s] : scores) {
      if (p == policy) return s;
    }
    scores.emplace_back(policy, Score{});
    return scores.back().second;
  };
  for (const auto& m : r.results) {
    Score& s = score_of(m.policy);
    switch (m.status) {
      case MutantStatus::killed: ++s.killed; break;
      case MutantStatus::rejected: ++s.rejected; break;
      case MutantStatus::survived:
        ++s.survived;
        out += m.file + ":" + std::to_string(m.mutant.line) + ": rule " + m.mutant.rule + ": " + m.mutant.change +
               " survived\n";
        break;
    }
  }
  for (const auto& [policy, s] : scores) {
    const std::size_t counted = s.killed + s.survived;
    const unsigned percent = counted ? static_cast<unsigned>((s.killed * 100 + counted / 2) / counted) : 100;
    out += policy + ": mutation score " + std::to_string(percent) + "% (" + std::to_string(s.killed) + " of " +
           std::to_string(counted) + " mutants killed";
    if (s.rejected) out += "; " + std::to_string(s.rejected) + " more rejected by the checker";
    out += ")\n";
  }
  if (r.baseline_failures) {
    out += std::to_string(r.baseline_failures) + " scenario" + (r.baseline_failures == 1 ? "" : "s") +
           " failing before any mutation were not counted\n";
  }
  return out;
}

}  // namespace rulebook::impact
