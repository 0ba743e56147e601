// `rulebook check [PATH...]`: compile every policy and module, print each
// diagnostic with its file:line:col and a caret, exit 1 if any is an error.
#include <filesystem>
#include <ostream>

#include "cli/cli.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook::cli {

int check(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::string policies = "policies";
  for (std::size_t k = 0; k < args.size(); ++k) {
    if (args[k] == "--policies" && k + 1 < args.size()) {
      policies = args[++k];
    } else if (!args[k].empty() && args[k][0] == '-') {
      err << "rulebook check: unknown option " << args[k] << "\n";
      return kBadInput;
    } else {
      paths.push_back(args[k]);
    }
  }
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
