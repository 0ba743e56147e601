#include "server/access_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "facts/json_writer.hpp"
#include "server/decision_log.hpp"
#include "server/policy_store.hpp"

namespace rulebook::server {

namespace {

// Client text is cut to this many bytes (a request target may be 8 KiB).
constexpr std::size_t kMaxPathBytes = 512;
constexpr std::size_t kMaxQueryNames = 16;
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxMethodBytes = 16;

std::string_view cut(std::string_view s, std::size_t n) { return s.substr(0, std::min(s.size(), n)); }

}  // namespace

std::string format_access_line(const AccessRecord& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object();
  w.key("time").string(iso_utc(r.time));
  w.key("method").string(cut(r.method, kMaxMethodBytes));
  w.key("path").string(cut(r.path, kMaxPathBytes));
  w.key("query").begin_array();
  for (std::size_t k = 0; k < r.query_names.size() && k < kMaxQueryNames; ++k) {
    w.string(cut(r.query_names[k], kMaxNameBytes));
  }
  w.end_array();
  w.key("status").integer(r.status);
  w.key("bytes").integer(static_cast<int64_t>(r.bytes));
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", r.duration_ms < 0 ? 0.0 : r.duration_ms);
  w.key("duration_ms").raw(ms);
  w.key("request_id").string(r.request_id);
  w.key("trace_id");
  r.trace_id.empty() ? w.null() : w.string(r.trace_id);
  w.key("remote").string(r.remote);
  w.key("policy");
  r.policy.empty() ? w.null() : w.string(cut(r.policy, kMaxPathBytes));
  w.end_object();
  return out;
}

AccessLog::AccessLog(std::string target, std::size_t queue_lines)
    : target_(std::move(target)), capacity_(std::max<std::size_t>(1, queue_lines)) {
  if (target_ != "-") file_ = std::make_unique<DecisionLog>(target_);
  queue_.reserve(std::min<std::size_t>(capacity_, 1024));
  writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

bool AccessLog::is_open() const { return !file_ || file_->is_open(); }
std::string AccessLog::error() const { return file_ ? file_->error() : std::string(); }

void AccessLog::write(std::string line) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      ++stats_.dropped;
      return;
    }
    queue_.push_back(std::move(line));
  }
  wake_.notify_one();
}

bool AccessLog::reopen() { return !file_ || file_->reopen(); }

AccessLog::Stats AccessLog::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void AccessLog::run() {
  std::vector<std::string> lines;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    lines.clear();
    lines.swap(queue_);
    lock.unlock();
    std::string problem;
    const bool ok = write_out(lines, problem);
    lock.lock();
    (ok ? stats_.written : stats_.failed) += lines.size();
    stats_.problem = std::move(problem);
  }
}

bool AccessLog::write_out(const std::vector<std::string>& lines, std::string& problem) {
  if (file_) {
    if (file_->append(lines)) return true;
    problem = file_->error();
    return false;
  }
  std::string text;
  for (const auto& l : lines) (text += l) += '\n';
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      problem = std::string("standard output: ") + std::strerror(errno);
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace rulebook::server
