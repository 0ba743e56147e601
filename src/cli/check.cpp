// `rulebook check [PATH...]`: compile every policy and module, print each
// diagnostic with its file:line:col and a caret, exit 1 if any is an error.
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook::cli {

int check(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::string policies = "policies";
  CLI::App app{"Check rule files; exit 1 when any has an error.", "rulebook check"};
  app.add_option("PATH", paths, "files or folders to check (default: the policies folder)");
  app.add_option("--policies", policies, "the policies folder, searched for `use`d modules")
      ->capture_default_str();
  if (const auto done = parse_options(app, args, out, err)) return *done;
  if (paths.empty()) paths.push_back(policies);
  LoadOptions options;
  std::error_code ec;  // a path it cannot stat (a symlink loop) is reported by the loader
  if (std::filesystem::is_directory(policies, ec)) options.module_search_dir = policies;
  const LoadResult r = load_policies(paths, options);
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : r.diagnostics) {
    out << format_diagnostic(d);
    (d.severity == Severity::error ? errors : warnings)++;
  }
  out << "checked " << r.files << " file" << (r.files == 1 ? "" : "s");
  if (r.set) out << ", " << r.set->versions().size() << " policy version" << (r.set->versions().size() == 1 ? "" : "s");
  out << ": " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
      << (warnings == 1 ? "" : "s") << "\n";
  return errors ? kFailed : kOk;
}

}  // namespace rulebook::cli
