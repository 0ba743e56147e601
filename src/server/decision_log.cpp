#include "server/decision_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rulebook::server {

DecisionLog::DecisionLog(const std::string& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) error_ = path + ": " + std::strerror(errno);
}

DecisionLog::~DecisionLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool DecisionLog::append(const std::vector<std::string>& lines) {
  if (fd_ < 0) return false;
  std::string text;
  std::size_t size = 0;
  for (const auto& l : lines) size += l.size() + 1;
  text.reserve(size);
  for (const auto& l : lines) {
    text += l;
    text += '\n';
  }
  std::lock_guard lock(mutex_);
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace rulebook::server
