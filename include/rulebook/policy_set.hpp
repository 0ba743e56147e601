// A loaded set of policies: every version of every policy under a folder,
// compiled and immutable. The server holds one as a shared_ptr<const PolicySet>
// and swaps it whole on reload, so a request sees one complete set.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/program.hpp"

namespace rulebook {

class PolicySet {
 public:
  enum class Status { ok, unknown_policy, not_in_force };
  struct Lookup {
    Status status = Status::unknown_policy;
    const Program* program = nullptr;
  };

  // The version of `id` in force on `as_of`.
  Lookup find(std::string_view id, Date as_of) const;
  // Every version, ordered by policy id and then by start date.
  const std::vector<std::shared_ptr<const Program>>& versions() const { return versions_; }
  std::vector<const Program*> versions_of(std::string_view id) const;
  std::vector<std::string> ids() const;

 private:
  friend struct PolicySetBuilder;
  std::vector<std::shared_ptr<const Program>> versions_;
  std::map<std::string, std::vector<const Program*>, std::less<>> by_id_;
};

struct LoadOptions {
  Limits limits;
  bool find_conflicts = true;
  // Where to look for modules that the given paths use but do not contain
  // (`rulebook check one-file.rules` still finds aps.classifications).
  std::string module_search_dir;
  // Texts that stand in for files on disk, by path as the loader names them
  // (the folder joined with the file's path under it): an editor's unsaved
  // buffers (`rulebook lsp`). A .rules path here that is not on disk is loaded too.
  std::map<std::string, std::string> overlay;
};

struct LoadResult {
  std::shared_ptr<const PolicySet> set;  // null when any file has an error
  std::vector<Diagnostic> diagnostics;   // errors and warnings, in file order
  std::size_t files = 0;
};

// Loads .rules files: each path is a file or a folder searched recursively.
LoadResult load_policies(const std::vector<std::string>& paths, const LoadOptions& options = {});

}  // namespace rulebook
