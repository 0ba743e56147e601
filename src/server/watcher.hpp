// `serve --watch`: polls the policies folder and calls back when any file
// under it changes (added, removed, edited) and has then stayed as it is for
// one more poll. Polling every file's size and modification time twice a
// second keeps it simple and portable, and picks an edit up within about a
// second, well within the contract's 2 s.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rulebook::server {

// Every entry under `dir` with its size and modification time (or the error
// reading it), as one text; equal texts mean nothing changed. Names starting
// with '.' are skipped, as the loader skips them (editor swap files, .git).
// Never throws.
std::string folder_fingerprint(const std::string& dir);

class Watcher {
 public:
  using Callback = std::function<void()>;

  // `baseline` is the fingerprint the loaded set was compiled from.
  // `on_change` runs (on the watcher's thread) once a changed folder has been
  // the same for two polls; `on_idle`, if set, on every poll that finds the
  // folder as last compiled (a pending removal's grace period is checked there).
  Watcher(std::string dir, std::string baseline, std::chrono::milliseconds interval, Callback on_change,
          Callback on_idle = {});
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
  Callback on_idle_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rulebook::server
