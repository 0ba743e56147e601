// A scratch folder for a suite test's policy and suite files, removed with the
// object. One copy for the suite tests of this folder (records, parameters, requires).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace suite_test {

struct Folder {
  std::filesystem::path path;
  Folder() {
    static int counter = 0;  // one counter for every test file of the binary: the names never collide
    path = std::filesystem::temp_directory_path() /
           ("rulebook-suite-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path);
  }
  ~Folder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

}  // namespace suite_test
