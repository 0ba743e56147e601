// A main() for a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput
// on every file named (or every file in every folder named). ctest uses it to
// replay the crash and hang inputs kept as regression tests, with any
// compiler and under any sanitizer build.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int k = 1; k < argc; ++k) {
    const fs::path p = argv[k];
    if (!fs::exists(p)) {
      std::cout << "no inputs at " << p.string() << std::endl;  // e.g. no crash kept for this target yet
      continue;
    }
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
      }
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "cannot read " << f << "\n";
      return 2;
    }
    std::ostringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    std::cout << "replaying " << f.string() << " (" << bytes.size() << " bytes)" << std::endl;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << files.size() << " inputs replayed, none crashed" << std::endl;
  return 0;
}
