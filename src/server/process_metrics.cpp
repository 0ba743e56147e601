#include "server/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace rulebook::server {

namespace {

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Seconds since the epoch at which the machine booted: "btime" in /proc/stat.
std::optional<double> boot_time() {
  const auto stat = read_file("/proc/stat");
  if (!stat) return std::nullopt;
  std::istringstream in(*stat);
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double t = 0;
      if (in >> t) return t;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcessStats> read_process_stats() {
  // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces and
  // parentheses, so the fields are counted from the last ')'. After it come
  // field 3 (state) onwards; utime is 14, stime 15, starttime 22, vsize 23, rss 24.
  const auto stat = read_file("/proc/self/stat");
  if (!stat) return std::nullopt;
  const auto close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(stat->substr(close + 1));
  std::string field;
  std::vector<std::string> fields;  // fields[0] is field 3
  while (in >> field && fields.size() < 22) fields.push_back(field);
  if (fields.size() < 22) return std::nullopt;
  const auto at = [&](int number) { return std::stod(fields[number - 3]); };

  const long ticks = sysconf(_SC_CLK_TCK);
  const long page = sysconf(_SC_PAGESIZE);
  const auto booted = boot_time();
  if (ticks <= 0 || page <= 0 || !booted) return std::nullopt;

  ProcessStats s;
  try {
    s.cpu_seconds = (at(14) + at(15)) / static_cast<double>(ticks);
    s.start_time_seconds = *booted + at(22) / static_cast<double>(ticks);
    s.virtual_bytes = at(23);
    s.resident_bytes = at(24) * static_cast<double>(page);
  } catch (const std::exception&) {  // not a number: not the /proc this reads
    return std::nullopt;
  }

  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  if (ec) return std::nullopt;
  s.open_fds = fds - 1;  // less the descriptor the listing itself held open

  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  s.max_fds = static_cast<double>(limit.rlim_cur);  // unlimited reads as 2^64-1, as in client_golang
  return s;
}

std::vector<prometheus::MetricFamily> process_metric_families() {
  using prometheus::MetricType;
  const auto s = read_process_stats();
  if (!s) return {};
  return {
      single_value_family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", MetricType::Counter,
             s->cpu_seconds),
      single_value_family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge, s->resident_bytes),
      single_value_family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge, s->virtual_bytes),
      single_value_family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, s->open_fds),
      single_value_family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge, s->max_fds),
      single_value_family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
             s->start_time_seconds),
  };
}

prometheus::MetricFamily single_value_family(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  f.metric.emplace_back();
  if (type == prometheus::MetricType::Counter) {
    f.metric.back().counter.value = value;
  } else {
    f.metric.back().gauge.value = value;
  }
  return f;
}

}  // namespace rulebook::server
