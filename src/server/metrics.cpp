#include "server/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <cassert>
#include <sstream>
#include <stdexcept>

#include "server/policy_store.hpp"
#include "server/process_metrics.hpp"
#include "server/routes.hpp"

namespace rulebook::server {

namespace {

constexpr std::string_view kUnmatched = "unmatched";

// The slot of a route label: its place in routes(), or the last for "unmatched".
std::size_t route_slot(std::string_view route) {
  const auto all = routes();
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (all[k].path.data() == route.data() || all[k].path == route) return k;
  }
  return all.size();
}

}  // namespace

Metrics::Metrics(const BuildLabels& build) {
  if (routes().size() + 1 > kRouteSlots) throw std::logic_error("Metrics::kRouteSlots is smaller than the route table");
  requests_ = &prometheus::BuildCounter()
                   .Name("rulebook_http_requests_total")
                   .Help("HTTP requests answered, by route template, method and status.")
                   .Register(*registry_);
  request_slots_ = std::make_unique<std::atomic<prometheus::Counter*>[]>(kRouteSlots * kMethods.size() * kStatuses.size());

  auto& latency = prometheus::BuildHistogram()
                      .Name("rulebook_decision_duration_seconds")
                      .Help("Time to answer a decide or batch request: parse, validate, evaluate and write the decision log.")
                      .Register(*registry_);
  const prometheus::Histogram::BucketBoundaries bounds(kBuckets.begin(), kBuckets.end());
  decide_ = &latency.Add({{"route", "/v1/decide/{policy_id}"}}, bounds);
  batch_ = &latency.Add({{"route", "/v1/decide/{policy_id}/batch"}}, bounds);

  log_failures_ = &prometheus::BuildCounter()
                       .Name("rulebook_decision_log_write_failures_total")
                       .Help("Requests answered 500 because their decision log line could not be written.")
                       .Register(*registry_)
                       .Add({});

  prometheus::BuildGauge()
      .Name("rulebook_build_info")
      .Help("Always 1; the version and git revision of the running binary (rulebook --version).")
      .Register(*registry_)
      .Add({{"version", build.version}, {"revision", build.revision}})
      .Set(1);
}

prometheus::Counter& Metrics::request_counter(std::size_t route, std::size_t method, int status,
                                              std::string_view route_text) {
  std::size_t status_slot = kStatuses.size();
  for (std::size_t k = 0; k < kStatuses.size(); ++k) {
    if (kStatuses[k] == status) status_slot = k;
  }
  const auto create = [&]() -> prometheus::Counter& {
    std::lock_guard lock(add_mutex_);
    return requests_->Add({{"route", std::string(route_text)},
                           {"method", std::string(kMethods[method])},
                           {"status", std::to_string(status)}});
  };
  if (status_slot == kStatuses.size()) return create();  // a rare status: the family's own lookup
  auto& slot = request_slots_[(route * kMethods.size() + method) * kStatuses.size() + status_slot];
  prometheus::Counter* counter = slot.load(std::memory_order_acquire);
  if (!counter) {
    counter = &create();  // Add returns the same counter for the same labels, so a race is harmless
    slot.store(counter, std::memory_order_release);
  }
  return *counter;
}

void Metrics::count_request(std::string_view route, std::string_view method, int status) {
  std::size_t m = kMethods.size() - 1;  // "other"
  for (std::size_t k = 0; k + 1 < kMethods.size(); ++k) {
    if (kMethods[k] == method) m = k;
  }
  const std::size_t r = route_slot(route);
  request_counter(r, m, status, r < routes().size() ? routes()[r].path : kUnmatched).Increment();
}

void Metrics::observe_decision(bool batch, double seconds) { (batch ? batch_ : decide_)->Observe(seconds); }

std::string Metrics::render(const StoreStatus& store) const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families = registry_->Collect();

  const auto add = [&](const char* name, const char* help, MetricType type, double value) {
    families.push_back(single_value_family(name, help, type, value));
  };
  add("rulebook_policies_loaded", "Policy versions in the set now serving.", MetricType::Gauge,
      static_cast<double>(store.snapshot && store.snapshot->set ? store.snapshot->set->versions().size() : 0));
  add("rulebook_policies_loaded_timestamp_seconds", "When the set now serving was loaded (Unix time).",
      MetricType::Gauge, static_cast<double>(store.snapshot ? store.snapshot->loaded_at_unix : 0));
  add("rulebook_policy_reloads_total", "Reloads that compiled and replaced the set.", MetricType::Counter,
      static_cast<double>(store.reloads));
  add("rulebook_policy_reload_failures_total", "Reloads whose files did not compile; the last good set kept serving.",
      MetricType::Counter, static_cast<double>(store.failed_reloads));
  add("rulebook_policy_versions_removed_total", "Policy versions that reloads took out of the set being served.",
      MetricType::Counter, static_cast<double>(store.removed_versions));
  add("rulebook_policy_versions_removal_pending",
      "Policy versions a reload would remove, still served until --removal-grace passes.", MetricType::Gauge,
      static_cast<double>(store.pending_removal ? store.pending_removal->versions.size() : 0));
  add("rulebook_connections_closed_for_room_total",
      "Connections closed because a new connection waited for a worker: idle keep-alive ones, "
      "and ones still sending their request head after a second.",
      MetricType::Counter, static_cast<double>(idle_closed_for_room_.load()));
  for (auto& f : process_metric_families()) families.push_back(std::move(f));

  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace rulebook::server
