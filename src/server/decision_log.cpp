#include "server/decision_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rulebook::server {

DecisionLog::DecisionLog(std::string path) : path_(std::move(path)) {
  std::lock_guard lock(mutex_);
  open_locked();
}

DecisionLog::~DecisionLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool DecisionLog::is_open() const {
  std::lock_guard lock(mutex_);
  return fd_ >= 0;
}

std::string DecisionLog::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

bool DecisionLog::open_locked() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    error_ = path_ + ": " + std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    failing_ = true;
    return false;
  }
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return true;
}

// Whether the path still names the file written to (not deleted, not moved
// away and replaced). Two stat calls: ~1 us beside a decision.
bool DecisionLog::still_at_path_locked() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return false;
  return st.st_dev == dev_ && st.st_ino == ino_;
}

bool DecisionLog::reopen() {
  std::lock_guard lock(mutex_);
  const bool ok = open_locked();
  if (ok) {
    failing_ = false;
    error_.clear();
  }
  return ok;
}

DecisionLog::Health DecisionLog::health() const {
  std::lock_guard lock(mutex_);
  return {!failing_, failing_ ? error_ : std::string()};
}

bool DecisionLog::append(const std::vector<std::string>& lines) {
  std::string text;
  std::size_t size = 0;
  for (const auto& l : lines) size += l.size() + 1;
  text.reserve(size);
  for (const auto& l : lines) {
    text += l;
    text += '\n';
  }
  std::lock_guard lock(mutex_);
  if ((fd_ < 0 || !still_at_path_locked()) && !open_locked()) return false;
  // Where this write starts: what a failed one is cut back to. Only this
  // process appends (under this mutex), so the end cannot move meanwhile.
  const off_t start = ::lseek(fd_, 0, SEEK_END);
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = path_ + ": " + std::strerror(errno);
      failing_ = true;
      if (start >= 0 && p != text.data()) {
        // Part of it reached the file: take it back, so the file ends on a whole line.
        while (::ftruncate(fd_, start) != 0 && errno == EINTR) {
        }
      }
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  failing_ = false;
  return true;
}

}  // namespace rulebook::server
