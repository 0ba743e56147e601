// Request ids: unique per request and across restarts. The process's start
// time (microseconds, hex) and a counter: "18c2f1a9b3e40-1a". Each server
// owns one; there is no global counter.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace rulebook::server {

class RequestIds {
 public:
  RequestIds() {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx-", static_cast<unsigned long long>(us));
    prefix_ = buf;
  }

  std::string next() {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(++counter_));
    return prefix_ + buf;
  }

 private:
  std::string prefix_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace rulebook::server
