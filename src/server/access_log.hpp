// `serve --access-log FILE|-`: one JSON line per request answered, for the
// operator (who asked what, how it went, how long it took), apart from the
// decision log (what was decided, for the record).
//
// A request thread never waits for the disk: it formats its line and puts it
// on a bounded queue (kQueueLines by default); one writer thread empties the
// queue into the file. When the queue is full (the disk, or the reader of
// stdout, is slower than the requests) the line is dropped and counted, and
// the requests go on at full speed. A write that fails (a full disk, a file
// size limit) loses the lines of that write, which are counted, and never
// leaves half a line in the file. The file is appended to with the decision
// log's own machinery (DecisionLog: O_APPEND, whole lines, a file moved away
// or deleted noticed at the next write, reopen() on SIGHUP).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rulebook::server {

class DecisionLog;

// What one access log line says; format_access_line writes it.
struct AccessRecord {
  std::chrono::system_clock::time_point time;  // when the request started to arrive
  std::string_view method;                     // as sent ("" for a request line that could not be read)
  std::string_view path;                       // without the query string
  std::vector<std::string_view> query_names;   // the query's parameter names; their values are never logged
  int status = 0;
  std::size_t bytes = 0;                       // body bytes sent (0 for HEAD)
  double duration_ms = 0;                      // from the first byte of the request to the last of the answer
  std::string_view request_id;
  std::string_view trace_id;                   // "" when the request had no valid traceparent
  std::string_view remote;                     // the client's address (nginx's, behind nginx)
  std::string_view policy;                     // "" unless a decide route
};

// {"time":...,"method":...,"path":...,"query":[...],"status":...,"bytes":...,"duration_ms":...,
//  "request_id":...,"trace_id":...|null,"remote":...,"policy":...|null}
// Client text is JSON-escaped (bad UTF-8 becomes U+FFFD) and cut to a bounded length.
std::string format_access_line(const AccessRecord& r);

class AccessLog {
 public:
  static constexpr std::size_t kQueueLines = 10000;

  // `target` is a file path, or "-" for standard output. Check error() for a
  // file that could not be opened.
  explicit AccessLog(std::string target, std::size_t queue_lines = kQueueLines);
  // Writes what is still queued, then stops the writer.
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  bool is_open() const;
  std::string error() const;
  const std::string& target() const { return target_; }

  // Queues one line (without its newline); drops it, counted, when the queue is full.
  void write(std::string line);
  // Reopens the file (SIGHUP); nothing to do for standard output.
  bool reopen();

  struct Stats {
    uint64_t written = 0;  // lines that reached the file
    uint64_t dropped = 0;  // lines dropped because the queue was full
    uint64_t failed = 0;   // lines lost to writes that failed
    std::string problem;   // the last write's error, or empty once a write succeeds again
  };
  Stats stats() const;

 private:
  void run();
  bool write_out(const std::vector<std::string>& lines, std::string& problem);

  std::string target_;
  std::size_t capacity_;
  std::unique_ptr<DecisionLog> file_;  // null for standard output
  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the writer: lines queued, or stop
  std::vector<std::string> queue_;
  bool stop_ = false;
  Stats stats_;
  std::thread writer_;
};

}  // namespace rulebook::server
