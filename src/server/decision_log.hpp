// `serve --decision-log FILE`: one JSON line per decision, appended (never
// truncated, also across restarts). A request's lines are written with one
// write(2) before its response is sent; a failed write is reported to the
// caller, which answers 500 rather than lose a decision silently.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace rulebook::server {

class DecisionLog {
 public:
  // Opens (creating if need be) for appending; check error() afterwards.
  explicit DecisionLog(const std::string& path);
  ~DecisionLog();
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  bool is_open() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

  // Writes each line and a newline; false when the bytes did not all reach the file.
  bool append(const std::vector<std::string>& lines);

 private:
  int fd_ = -1;
  std::string error_;
  std::mutex mutex_;  // keeps concurrent requests' lines whole and in one piece each
};

}  // namespace rulebook::server
