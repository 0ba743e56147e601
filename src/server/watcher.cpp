#include "server/watcher.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace rulebook::server {

namespace fs = std::filesystem;

namespace {

// One line per entry under `dir`: its path and size and modification time,
// or the error reading it. Never throws: a symlink loop or a folder that
// vanishes mid-walk is a line of the fingerprint like any other.
void fingerprint_folder(const fs::path& dir, int depth, std::vector<std::string>& lines) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && depth < 64 && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code fe;
    const fs::file_status own = it->symlink_status(fe);
    if (!fe && fs::is_directory(own)) {
      lines.push_back(p.string() + "\0dir\n");
      fingerprint_folder(p, depth + 1, lines);
      continue;
    }
    const fs::file_status target = fe ? own : fs::status(p, fe);
    std::string line = p.string() + '\0';
    if (fe) {
      line += "!" + fe.message();
    } else if (fs::is_regular_file(target)) {
      const auto size = fs::file_size(p, fe);
      const auto mtime = fs::last_write_time(p, fe).time_since_epoch().count();
      line += fe ? "!" + fe.message() : std::to_string(size) + ' ' + std::to_string(mtime);
    } else {
      line += "type " + std::to_string(static_cast<int>(target.type()));
    }
    lines.push_back(line + '\n');
  }
  if (ec) lines.push_back(dir.string() + "\0!" + ec.message() + '\n');
}

}  // namespace

std::string folder_fingerprint(const std::string& dir) {
  std::vector<std::string> lines;
  fingerprint_folder(dir, 0, lines);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

Watcher::Watcher(std::string dir, std::string baseline, std::chrono::milliseconds interval, Callback on_change,
                 Callback on_idle)
    : dir_(std::move(dir)),
      last_(std::move(baseline)),
      interval_(interval),
      on_change_(std::move(on_change)),
      on_idle_(std::move(on_idle)) {
  thread_ = std::thread([this] { run(); });
}

Watcher::~Watcher() { stop(); }

void Watcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watcher::run() {
  std::unique_lock lock(mutex_);
  std::string previous_poll = last_;
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    // The fingerprint is taken before the reload reads the files, so an edit
    // made while it compiles is seen on the next poll. A change is compiled
    // only once two polls in a row saw the same folder: a deploy caught
    // half-way (a file deleted before its replacement lands, a file briefly
    // replaced by a folder) is not compiled.
    std::string now = folder_fingerprint(dir_);
    const bool stable = now == previous_poll;
    if (now != last_ && stable) {
      last_ = now;
      on_change_();
    } else if (now == last_ && on_idle_) {
      on_idle_();
    }
    previous_poll = std::move(now);
    lock.lock();
  }
}

}  // namespace rulebook::server
