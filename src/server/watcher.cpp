#include "server/watcher.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace rulebook::server {

namespace fs = std::filesystem;

std::string folder_fingerprint(const std::string& dir) {
  std::vector<std::string> lines;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& entry = *it;
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code fe;
    if (!entry.is_regular_file(fe)) continue;
    const auto size = entry.file_size(fe);
    const auto mtime = entry.last_write_time(fe).time_since_epoch().count();
    lines.push_back(entry.path().string() + '\0' + std::to_string(size) + ' ' + std::to_string(mtime) + '\n');
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l;
  if (ec) out += "!error " + ec.message();
  return out;
}

Watcher::Watcher(std::string dir, std::string baseline, std::chrono::milliseconds interval, Callback on_change)
    : dir_(std::move(dir)), last_(std::move(baseline)), interval_(interval), on_change_(std::move(on_change)) {
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
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    // The fingerprint is taken before the reload reads the files, so an edit
    // made while it compiles is seen on the next poll.
    std::string now = folder_fingerprint(dir_);
    if (now != last_) {
      last_ = std::move(now);
      on_change_();
    }
    lock.lock();
  }
}

}  // namespace rulebook::server
