// `rulebook diff --git REV`: a policies folder as it was at a git revision,
// read with `git ls-tree` and `git cat-file` (no checkout, the work tree is
// never touched) into a fresh temporary folder that is removed afterwards.
#pragma once

#include <string>
#include <vector>

namespace rulebook::impact {

// Runs a program (no shell) and captures its standard output; the exit code,
// or -1 when it could not be started.
int run_capture(const std::vector<std::string>& argv, std::string& out);

class GitTree {
 public:
  // Extracts the .rules and suite files under `folder` at `rev`; check error().
  GitTree(const std::string& folder, const std::string& rev);
  ~GitTree();
  GitTree(const GitTree&) = delete;
  GitTree& operator=(const GitTree&) = delete;

  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }  // the extracted folder
  std::size_t files() const { return files_; }

 private:
  std::string path_;
  std::string error_;
  std::size_t files_ = 0;
};

}  // namespace rulebook::impact
