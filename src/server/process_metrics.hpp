// The standard process_* metrics, read from /proc/self the way the Prometheus
// client libraries read them (client_golang's procfs collector, client_python's
// ProcessCollector), so dashboards built for those work unchanged.
#pragma once

#include <optional>
#include <vector>

#include <prometheus/metric_family.h>

namespace rulebook::server {

struct ProcessStats {
  double cpu_seconds = 0;       // user + system CPU time
  double resident_bytes = 0;    // resident set size
  double virtual_bytes = 0;     // virtual memory size
  double open_fds = 0;          // entries in /proc/self/fd
  double max_fds = 0;           // the soft RLIMIT_NOFILE
  double start_time_seconds = 0;  // since the Unix epoch
};

// Empty when /proc is not mounted or does not read as Linux's.
std::optional<ProcessStats> read_process_stats();

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds; none when /proc cannot be read.
std::vector<prometheus::MetricFamily> process_metric_families();

// A family of one unlabelled series (a Counter or a Gauge) holding `value`:
// for values read when scraped rather than kept in the registry.
prometheus::MetricFamily single_value_family(const char* name, const char* help, prometheus::MetricType type,
                                             double value);

}  // namespace rulebook::server
