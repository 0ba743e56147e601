// `serve --watch`: polls the policies folder and calls back when any file
// under it changes (added, removed, edited). Polling every file's size and
// modification time twice a second keeps it simple and portable, and picks
// an edit up well within the contract's 2 s.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rulebook::server {

// Every file under `dir` with its size and modification time, as one text;
// equal texts mean nothing changed. Names starting with '.' are skipped, as
// the loader skips them (editor swap files, .git).
std::string folder_fingerprint(const std::string& dir);

class Watcher {
 public:
  using Callback = std::function<void()>;

  // `baseline` is the fingerprint the loaded set was compiled from.
  Watcher(std::string dir, std::string baseline, std::chrono::milliseconds interval, Callback on_change);
  ~Watcher();  // stops and joins
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  void stop();

 private:
  void run();

  std::string dir_;
  std::string last_;
  std::chrono::milliseconds interval_;
  Callback on_change_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rulebook::server
