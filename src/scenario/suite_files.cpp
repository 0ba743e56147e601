// Finding suite files: shared by `rulebook test`, `rulebook diff --suites` and `--mutate`.
#include <algorithm>
#include <filesystem>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

namespace fs = std::filesystem;

bool collect_suite_files(const std::string& path, std::vector<std::string>& out) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    out.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) return false;
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && is_suite_file(it->path().filename().string())) {
      found.push_back(it->path().generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

}  // namespace rulebook::scenario
