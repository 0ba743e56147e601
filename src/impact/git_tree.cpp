#include "impact/git_tree.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "rulebook/limits.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::impact {

namespace fs = std::filesystem;

int run_capture(const std::vector<std::string>& argv, std::string& out) {
  int fds[2];
  if (argv.empty() || pipe(fds) != 0) return -1;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 2);
    close(fds[0]);
    close(fds[1]);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[65536];
  for (;;) {
    const ssize_t got = read(fds[0], buf, sizeof buf);
    if (got > 0) {
      out.append(buf, static_cast<std::size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {

bool wanted(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return (name.size() > 6 && name.compare(name.size() - 6, 6, ".rules") == 0) || scenario::is_suite_file(name);
}

}  // namespace

GitTree::GitTree(const std::string& folder, const std::string& rev) {
  if (rev.empty() || rev[0] == '-') {
    error_ = "'" + rev + "' is not a revision";
    return;
  }
  std::string listing;
  const int code = run_capture({"git", "-C", folder, "ls-tree", "-r", "-z", rev, "--", "."}, listing);
  if (code != 0) {
    error_ = code == -1 || code == 127 ? "cannot run git"
                                       : "git cannot read " + folder + " at " + rev +
                                             " (is it a revision of the repository that holds the folder?)";
    return;
  }
  std::string tmpl = (fs::temp_directory_path() / "rulebook-diff-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    error_ = "cannot make a temporary folder";
    return;
  }
  path_ = tmpl;
  const Limits limits;
  std::size_t start = 0;
  while (start < listing.size()) {
    std::size_t end = listing.find('\0', start);
    if (end == std::string::npos) end = listing.size();
    const std::string entry = listing.substr(start, end - start);
    start = end + 1;
    // "<mode> <type> <object>\t<path>"
    const std::size_t tab = entry.find('\t');
    if (tab == std::string::npos) continue;
    const std::string meta = entry.substr(0, tab), path = entry.substr(tab + 1);
    if (meta.compare(0, 6, "100644") != 0 && meta.compare(0, 6, "100755") != 0) continue;  // links, submodules
    if (!wanted(path) || path.find("..") != std::string::npos || path.empty() || path[0] == '/') continue;
    if (++files_ > limits.max_files) {
      error_ = folder + " at " + rev + " holds more than " + std::to_string(limits.max_files) + " files";
      return;
    }
    const std::string object = meta.substr(meta.rfind(' ') + 1);
    std::string text;
    if (run_capture({"git", "-C", folder, "cat-file", "blob", object}, text) != 0) {
      error_ = "git cannot read " + path + " at " + rev;
      return;
    }
    const fs::path target = fs::path(path_) / path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream f(target, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) {
      error_ = "cannot write " + target.string();
      return;
    }
  }
}

GitTree::~GitTree() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace rulebook::impact
