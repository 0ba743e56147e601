#include "scenario/watch.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <thread>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

namespace fs = std::filesystem;

namespace {

// Every .rules and suite file under the paths, with its size and modification time.
using Snapshot = std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>>;

void look(const fs::path& p, Snapshot& out, int depth) {
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (ec) return;
  if (fs::is_regular_file(st)) {
    const std::string name = p.filename().string();
    const bool rules = name.size() > 6 && name.compare(name.size() - 6, 6, ".rules") == 0;
    if (rules || is_suite_file(name)) out[p.string()] = {fs::file_size(p, ec), fs::last_write_time(p, ec)};
    return;
  }
  if (!fs::is_directory(st) || depth > 32) return;  // bounded: a symlink loop cannot keep it walking
  for (fs::directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    look(it->path(), out, depth + 1);
  }
}

Snapshot snapshot(const std::vector<std::string>& paths) {
  Snapshot s;
  for (const auto& p : paths) look(p, s, 0);
  return s;
}

}  // namespace

int watch_and_run(const std::vector<std::string>& paths, std::size_t runs, double interval,
                  const std::function<int()>& run, std::ostream& out) {
  Snapshot seen = snapshot(paths);
  int code = run();
  std::size_t done = 1;
  const auto pause = std::chrono::duration<double>(interval > 0 ? interval : 0.5);
  while (runs == 0 || done < runs) {
    out << "watching " << seen.size() << " files for changes (Ctrl-C to stop)\n" << std::flush;
    for (;;) {
      std::this_thread::sleep_for(pause);
      Snapshot now = snapshot(paths);
      if (now != seen) {
        seen = std::move(now);
        break;
      }
    }
    out << "\nchanged: running again\n";
    code = run();
    ++done;
  }
  return code;
}

}  // namespace rulebook::scenario
