// `rulebook check [PATH...] [--strict] [--format text|json] [--proof-timeout MS]`:
// compile every policy and module, prove what the solver can about each
// version that compiled (analysis/proofs.hpp, docs/proofs.md), and print each
// diagnostic, with its file:line:col, its code in brackets and a caret (text)
// or as one JSON document (json, for CI and editors). Exit 1 if any is an
// error, or, with --strict, a warning (docs/diagnostics.md).
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "analysis/proofs.hpp"
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook::cli {

namespace {

// The column just after the word, number or quoted text under the caret, so an
// editor can underline it; the column itself when there is nothing there.
std::size_t end_column(const Diagnostic& d) {
  const std::string& line = d.source_line;
  std::size_t i = d.pos.column == 0 ? 0 : d.pos.column - 1;
  if (i >= line.size()) return d.pos.column;
  auto word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/';
  };
  std::size_t j = i;
  if (line[i] == '"') {
    j = line.find('"', i + 1);
    j = j == std::string::npos ? line.size() : j + 1;
  } else if (word(line[i])) {
    while (j < line.size() && word(line[j])) ++j;
  } else {
    j = i + 1;
  }
  return j + 1;
}

nlohmann::json as_json(const Diagnostic& d) {
  return {{"file", d.pos.file},
          {"line", d.pos.line},
          {"col", d.pos.column},
          {"end", {{"line", d.pos.line}, {"col", end_column(d)}}},
          {"severity", d.severity == Severity::error ? "error" : "warning"},
          {"code", d.code},
          {"message", d.message}};
}

// Each witness suite as a file of the folder (created when missing); false,
// with one line on err, when one cannot be written.
bool write_witnesses(const std::string& dir, const std::vector<analysis::WitnessSuite>& suites, std::ostream& err) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "rulebook check: cannot create " << dir << ": " << ec.message() << "\n";
    return false;
  }
  for (const auto& s : suites) {
    const auto path = std::filesystem::path(dir) / s.file_name;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << s.text;
    file.close();
    if (!file) {
      err << "rulebook check: cannot write " << path.string() << "\n";
      return false;
    }
  }
  return true;
}

// Every diagnostic's first line ends with its code: "... [conflict]".
std::string with_code(std::string text, const std::string& code) {
  if (code.empty()) return text;
  const std::size_t end = text.find('\n');
  text.insert(end == std::string::npos ? text.size() : end, " [" + code + "]");
  return text;
}

}  // namespace

int check(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::string policies = "policies";
  std::string format = "text";
  bool strict = false;
  unsigned proof_timeout = analysis::ProofOptions{}.timeout_ms;
  CLI::App app{"Check rule files; exit 1 when any has an error (or, with --strict, a warning).", "rulebook check"};
  app.add_option("PATH", paths, "files or folders to check (default: the policies folder)");
  app.add_option("--policies", policies, "the policies folder, searched for `use`d modules")
      ->capture_default_str();
  app.add_flag("--strict", strict, "warnings fail the check too (exit 1)");
  app.add_option("--format", format, "text (file:line:col and a caret) or json (one document, for CI and editors)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--proof-timeout", proof_timeout,
                 "milliseconds the solver may spend on one question (a rule pair, a rule, an output); "
                 "one it cannot settle in time is a proof-timeout warning")
      ->check(CLI::Range(1u, 600000u))
      ->capture_default_str();
  std::string witnesses;
  app.add_option("--witnesses", witnesses,
                 "write each example the proofs find (a conflict, a gap) into this folder as a scenario suite "
                 "that reproduces it");
  if (const auto done = parse_options(app, args, out, err)) return *done;
  if (paths.empty()) paths.push_back(policies);
  LoadOptions options;
  std::error_code ec;  // a path it cannot stat (a symlink loop) is reported by the loader
  if (std::filesystem::is_directory(policies, ec)) options.module_search_dir = policies;
  analysis::ProofOptions proof_options;
  proof_options.timeout_ms = proof_timeout;
  std::vector<analysis::WitnessSuite> suites;
  const LoadResult r = analysis::check_policies(paths, options, proof_options, witnesses.empty() ? nullptr : &suites);
  if (!witnesses.empty() && !write_witnesses(witnesses, suites, err)) return kFailed;
  std::size_t errors = 0, warnings = 0;
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& d : r.diagnostics) {
    if (format == "json") listed.push_back(as_json(d));
    else out << with_code(format_diagnostic(d), d.code);
    (d.severity == Severity::error ? errors : warnings)++;
  }
  const std::size_t versions = r.set ? r.set->versions().size() : 0;
  const bool failed = errors > 0 || (strict && warnings > 0);
  if (format == "json") {
    out << nlohmann::json{{"files", r.files},
                          {"policy_versions", versions},
                          {"errors", errors},
                          {"warnings", warnings},
                          {"ok", !failed},
                          {"diagnostics", listed}}
               .dump(2)
        << "\n";
    return failed ? kFailed : kOk;
  }
  out << "checked " << r.files << " file" << (r.files == 1 ? "" : "s");
  if (r.set) out << ", " << versions << " policy version" << (versions == 1 ? "" : "s");
  out << ": " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
      << (warnings == 1 ? "" : "s");
  if (strict && warnings > 0 && errors == 0) out << " (--strict: warnings fail)";
  out << "\n";
  return failed ? kFailed : kOk;
}

}  // namespace rulebook::cli
