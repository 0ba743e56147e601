// The process_* and rulebook_build_info metrics: read in this process value by
// value (src/server/process_metrics.hpp), then as a running server reports them.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <regex>
#include <thread>
#include <vector>

#include "server/process_metrics.hpp"
#include "server_process.hpp"

using namespace rulebook::test;
using rulebook::server::read_process_stats;

namespace {

double now_unix() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string run_version() {
  FILE* pipe = popen((std::string(RULEBOOK_BINARY) + " --version").c_str(), "r");
  REQUIRE(pipe);
  char buf[256];
  std::string out;
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("process stats: open descriptors count each file opened and closed", "[metrics]") {
  const auto before = read_process_stats();
  REQUIRE(before);
  std::vector<int> fds;
  for (int k = 0; k < 3; ++k) {
    fds.push_back(::open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
    REQUIRE(fds.back() >= 0);
  }
  const auto opened = read_process_stats();
  REQUIRE(opened);
  CHECK(opened->open_fds == before->open_fds + 3);
  for (int fd : fds) ::close(fd);
  CHECK(read_process_stats()->open_fds == before->open_fds);
}

TEST_CASE("process stats: max descriptors is the soft RLIMIT_NOFILE, and follows it", "[metrics]") {
  rlimit original{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &original) == 0);
  CHECK(read_process_stats()->max_fds == static_cast<double>(original.rlim_cur));
  rlimit lower = original;
  lower.rlim_cur = 900;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &lower) == 0);
  CHECK(read_process_stats()->max_fds == 900);
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &original) == 0);
}

TEST_CASE("process stats: CPU time grows with work; memory and start time are this process's", "[metrics]") {
  const auto before = read_process_stats();
  REQUIRE(before);
  // Spin for 150 ms of CPU time (measured with the process clock, not wall time).
  const std::clock_t until = std::clock() + CLOCKS_PER_SEC * 15 / 100;
  volatile unsigned long spin = 0;
  while (std::clock() < until) spin = spin + 1;
  const auto after = read_process_stats();
  REQUIRE(after);
  CHECK(after->cpu_seconds >= before->cpu_seconds + 0.1);
  CHECK(after->cpu_seconds <= static_cast<double>(std::clock()) / CLOCKS_PER_SEC + 0.05);

  // 64 MiB touched page by page is resident: the resident size grows by most of it.
  std::vector<char> block(64 << 20);
  for (std::size_t k = 0; k < block.size(); k += 4096) block[k] = 1;
  const auto big = read_process_stats();
  CHECK(big->resident_bytes >= after->resident_bytes + 60.0 * (1 << 20));
  CHECK(big->virtual_bytes >= big->resident_bytes);

  // Started before now, and not before this test binary's own start a few minutes ago at most.
  CHECK(after->start_time_seconds <= now_unix());
  CHECK(after->start_time_seconds > now_unix() - 3600);
  CHECK(after->start_time_seconds == before->start_time_seconds);
}

TEST_CASE("/metrics: process_* of the server, and rulebook_build_info as rulebook --version says", "[metrics][ops]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server(ServeOptions{{"--policies", (dir / "policies").string()}, {}});
  auto http = server.client();
  const double started = now_unix();

  const std::string text = http->Get("/metrics")->body;
  for (const char* type : {"# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge",
                           "# TYPE process_virtual_memory_bytes gauge", "# TYPE process_open_fds gauge",
                           "# TYPE process_max_fds gauge", "# TYPE process_start_time_seconds gauge",
                           "# TYPE rulebook_build_info gauge"}) {
    CHECK_THAT(text, Catch::Contains(std::string("\n") + type + "\n"));
  }
  CHECK(metric(text, "process_cpu_seconds_total") >= 0);
  CHECK(metric(text, "process_resident_memory_bytes") > 1 << 20);
  CHECK(metric(text, "process_virtual_memory_bytes") >= metric(text, "process_resident_memory_bytes"));
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);  // the server inherits the test's
  CHECK(metric(text, "process_max_fds") == static_cast<double>(limit.rlim_cur));
  CHECK(metric(text, "process_start_time_seconds") <= started + 1);
  CHECK(metric(text, "process_start_time_seconds") > started - 60);

  // Five more connections held open are five more descriptors in the server.
  const double fds = metric(text, "process_open_fds");
  CHECK(fds >= 3);
  std::vector<int> held;
  for (int k = 0; k < 5; ++k) held.push_back(connect_to(server.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // accepted by the server's listen thread
  CHECK(metric(http->Get("/metrics")->body, "process_open_fds") == fds + 5);
  for (int fd : held) ::close(fd);

  std::smatch m;
  const std::string version = run_version();
  REQUIRE(std::regex_search(version, m, std::regex(R"(^rulebook (\S+) \(revision (\S+), built )")));
  CHECK(metric(text, "rulebook_build_info{revision=\"" + m[2].str() + "\",version=\"" + m[1].str() + "\"}") == 1);
}
