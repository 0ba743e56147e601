// The service's metrics for GET /metrics, held in a prometheus-cpp registry
// and rendered by its text serializer (exposition format 0.0.4). Safe to
// update from every request thread.
//
// Three kinds of series:
// - updated per request (requests by route, method and status; decision
//   latency; decision log failures): prometheus-cpp counters and histograms,
//   each looked up once and then held by pointer, so the decide path does no
//   map lookup;
// - read when scraped from where they already live (the policy store, the
//   connection loop, /proc/self): built into metric families at render time;
// - constant: rulebook_build_info{version,revision} 1.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace rulebook::server {

struct StoreStatus;

struct BuildLabels {
  std::string version;   // rulebook --version's version
  std::string revision;  // and its git revision
};

class Metrics {
 public:
  // Upper bounds of the decision latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0};

  explicit Metrics(const BuildLabels& build = {"unknown", "unknown"});

  // `route` is a template from routes() or "unmatched"; methods outside the
  // standard ones are counted as "other", so labels stay a fixed set.
  void count_request(std::string_view route, std::string_view method, int status);
  // Time to answer a decide or batch request: parse, validate, evaluate, log.
  void observe_decision(bool batch, double seconds);
  void count_log_failure() { log_failures_->Increment(); }
  void set_connections_closed_for_room(uint64_t n) { idle_closed_for_room_ = n; }

  std::string render(const StoreStatus& store) const;

 private:
  // The statuses the server answers with a slot of their own; any other is
  // counted through the family's own lookup.
  static constexpr std::array<int, 22> kStatuses{200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 406,
                                                 408, 409, 411, 413, 414, 415, 422, 431, 500, 501, 503};
  static constexpr std::array<std::string_view, 8> kMethods{"GET",    "HEAD",    "POST", "PUT", "PATCH",
                                                            "DELETE", "OPTIONS", "other"};
  static constexpr std::size_t kRouteSlots = 16;  // routes() plus "unmatched"; checked in the constructor

  prometheus::Counter& request_counter(std::size_t route, std::size_t method, int status, std::string_view route_text);

  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>* requests_;
  // requests_ counters by [route][method][status slot], created on first use.
  std::unique_ptr<std::atomic<prometheus::Counter*>[]> request_slots_;
  std::mutex add_mutex_;  // serialises creating a counter (Family::Add)
  prometheus::Histogram* decide_;
  prometheus::Histogram* batch_;
  prometheus::Counter* log_failures_;
  std::atomic<uint64_t> idle_closed_for_room_{0};
};

}  // namespace rulebook::server
