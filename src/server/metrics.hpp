// Counters for GET /metrics, rendered in the Prometheus text format
// (version 0.0.4). Safe to update from every request thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace rulebook::server {

struct StoreStatus;

class Metrics {
 public:
  // Upper bounds of the decision latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0};

  // `route` must outlive the Metrics (a route template or a literal); methods
  // outside the standard ones are counted as "other", so labels stay a fixed set.
  void count_request(std::string_view route, std::string_view method, int status);
  // Time to answer a decide or batch request: parse, validate, evaluate, log.
  void observe_decision(bool batch, double seconds);
  void count_log_failure() { log_failures_++; }
  void set_connections_closed_for_room(uint64_t n) { idle_closed_for_room_ = n; }

  std::string render(const StoreStatus& store) const;

 private:
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size()> buckets{};  // not cumulative; summed when rendered
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_ns{0};
    void observe(double seconds);
  };

  mutable std::mutex requests_mutex_;
  std::map<std::tuple<std::string_view, std::string_view, int>, uint64_t> requests_;
  Histogram decide_;
  Histogram batch_;
  std::atomic<uint64_t> log_failures_{0};
  std::atomic<uint64_t> idle_closed_for_room_{0};
};

}  // namespace rulebook::server
