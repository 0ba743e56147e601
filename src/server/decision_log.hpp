// `serve --decision-log FILE`: one JSON line per decision, appended (never
// truncated, also across restarts). A request's lines are written with one
// write(2) before its response is sent; a failed write is reported to the
// caller, which answers 500 rather than lose a decision silently.
//
// The file always ends on a whole line: a write that fails part-way (a full
// disk, a file size limit) is cut back to where it started, so the next line
// never lands glued to half of one. A log file deleted or moved away (by hand,
// or by logrotate without copytruncate) is noticed at the next write, which
// goes to a new file at the path; reopen() (SIGHUP) does the same at once.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

namespace rulebook::server {

class DecisionLog {
 public:
  // Opens (creating if need be) for appending; check error() afterwards.
  explicit DecisionLog(std::string path);
  ~DecisionLog();
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  bool is_open() const;
  std::string error() const;

  // Writes each line and a newline; false when the bytes did not all reach
  // the file (then none of them is left in it).
  bool append(const std::vector<std::string>& lines);

  // Closes the file and opens the path again (SIGHUP, for logrotate).
  // False, with error(), when it cannot be opened; writes then keep failing
  // (and trying to open it) until it can.
  bool reopen();

  struct Health {
    bool ok = true;          // the last write (or reopen) succeeded
    std::string problem;     // why not: "FILE: No space left on device"
  };
  Health health() const;

 private:
  bool open_locked();
  bool still_at_path_locked() const;

  std::string path_;
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  bool failing_ = false;
  std::string error_;
  mutable std::mutex mutex_;  // keeps concurrent requests' lines whole and in one piece each
};

}  // namespace rulebook::server
