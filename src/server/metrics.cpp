#include "server/metrics.hpp"

#include <cstdio>

#include "server/policy_store.hpp"

namespace rulebook::server {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// A label value: backslash, quote and newline escaped.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

void Metrics::Histogram::observe(double seconds) {
  for (std::size_t k = 0; k < kBuckets.size(); ++k) {
    if (seconds <= kBuckets[k]) {
      buckets[k]++;
      break;
    }
  }
  count++;
  sum_ns += static_cast<uint64_t>(seconds * 1e9);
}

void Metrics::count_request(std::string_view route, std::string_view method, int status) {
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::string_view known = "other";
  for (std::string_view m : kMethods) {
    if (m == method) known = m;
  }
  std::lock_guard lock(requests_mutex_);
  ++requests_[{route, known, status}];
}

void Metrics::observe_decision(bool batch, double seconds) { (batch ? batch_ : decide_).observe(seconds); }

std::string Metrics::render(const StoreStatus& store) const {
  std::string out;
  header(out, "rulebook_http_requests_total", "counter", "HTTP requests answered, by route template, method and status.");
  {
    std::lock_guard lock(requests_mutex_);
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += "rulebook_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) + "\",status=\"" +
             std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
  }

  header(out, "rulebook_decision_duration_seconds", "histogram",
         "Time to answer a decide or batch request: parse, validate, evaluate and write the decision log.");
  for (const auto& [route, h] : {std::pair<const char*, const Histogram*>{"/v1/decide/{policy_id}", &decide_},
                                 {"/v1/decide/{policy_id}/batch", &batch_}}) {
    uint64_t cumulative = 0;
    const std::string r = "route=\"" + std::string(route) + "\"";
    for (std::size_t k = 0; k < kBuckets.size(); ++k) {
      cumulative += h->buckets[k].load();
      out += "rulebook_decision_duration_seconds_bucket{" + r + ",le=\"" + number(kBuckets[k]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    const uint64_t count = h->count.load();
    out += "rulebook_decision_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " + std::to_string(count) + "\n";
    out += "rulebook_decision_duration_seconds_sum{" + r + "} " + number(static_cast<double>(h->sum_ns.load()) / 1e9) + "\n";
    out += "rulebook_decision_duration_seconds_count{" + r + "} " + std::to_string(count) + "\n";
  }

  header(out, "rulebook_policies_loaded", "gauge", "Policy versions in the set now serving.");
  out += "rulebook_policies_loaded " +
         std::to_string(store.snapshot && store.snapshot->set ? store.snapshot->set->versions().size() : 0) + "\n";

  header(out, "rulebook_policies_loaded_timestamp_seconds", "gauge", "When the set now serving was loaded (Unix time).");
  out += "rulebook_policies_loaded_timestamp_seconds " + std::to_string(store.snapshot ? store.snapshot->loaded_at_unix : 0) +
         "\n";

  header(out, "rulebook_policy_reloads_total", "counter", "Reloads that compiled and replaced the set.");
  out += "rulebook_policy_reloads_total " + std::to_string(store.reloads) + "\n";

  header(out, "rulebook_policy_reload_failures_total", "counter",
         "Reloads whose files did not compile; the last good set kept serving.");
  out += "rulebook_policy_reload_failures_total " + std::to_string(store.failed_reloads) + "\n";

  header(out, "rulebook_policy_versions_removed_total", "counter",
         "Policy versions that reloads took out of the set being served.");
  out += "rulebook_policy_versions_removed_total " + std::to_string(store.removed_versions) + "\n";

  header(out, "rulebook_policy_versions_removal_pending", "gauge",
         "Policy versions a reload would remove, still served until --removal-grace passes.");
  out += "rulebook_policy_versions_removal_pending " +
         std::to_string(store.pending_removal ? store.pending_removal->versions.size() : 0) + "\n";

  header(out, "rulebook_decision_log_write_failures_total", "counter",
         "Requests answered 500 because their decision log line could not be written.");
  out += "rulebook_decision_log_write_failures_total " + std::to_string(log_failures_.load()) + "\n";

  header(out, "rulebook_connections_closed_for_room_total", "counter",
         "Connections closed because a new connection waited for a worker: idle keep-alive ones, "
         "and ones still sending their request head after a second.");
  out += "rulebook_connections_closed_for_room_total " + std::to_string(idle_closed_for_room_.load()) + "\n";
  return out;
}

}  // namespace rulebook::server
