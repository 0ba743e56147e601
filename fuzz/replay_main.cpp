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
#include <pthread.h>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

int replay(int argc, char** argv) {
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

}  // namespace

int main(int argc, char** argv) {
  // On a thread with a 64 MiB stack: sanitizer builds have frames many times
  // larger than a release build's (see docs/security.md), and the deepest
  // input the limits allow must run in them too.
  struct Args {
    int argc;
    char** argv;
    int result;
  } args{argc, argv, 1};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, std::size_t{64} << 20);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* a = static_cast<Args*>(p);
    a->result = replay(a->argc, a->argv);
    return nullptr;
  };
  if (pthread_create(&thread, &attr, run, &args) != 0) return replay(argc, argv);
  pthread_join(thread, nullptr);
  return args.result;
}
