// Helpers for the authoring tools' tests: files, folders and the rulebook binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rulebook/diagnostic.hpp"

namespace authoring_test {

namespace fs = std::filesystem;

inline std::string source_dir() { return RULEBOOK_SOURCE_DIR; }

inline std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// Files under `dir` (recursively) whose names end with `suffix`, sorted.
inline std::vector<fs::path> files_under(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& name)
      : path(fs::temp_directory_path() / ("rulebook-authoring-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs `rulebook ARGS`, stdout and stderr together into `out`; the exit code.
inline int run_cli(const std::string& args, std::string& out) {
  const std::string cmd = std::string(RULEBOOK_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  out.clear();
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  return WEXITSTATUS(status);
}

}  // namespace authoring_test

namespace authoring_test {

// Every diagnostic as `rulebook check` prints it, for INFO().
inline std::string test_messages(const std::vector<rulebook::Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += rulebook::format_diagnostic(d);
  return out;
}

}  // namespace authoring_test
