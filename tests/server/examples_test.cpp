// examples/ works against the real server: the C++ client an integrator
// copies, and the curl request for every route.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "server_process.hpp"

using namespace rulebook::test;

namespace {

// Runs a shell command; {exit status, stdout + stderr}.
std::pair<int, std::string> run(const std::string& command, const TempDir& dir) {
  const auto out = dir / "command.out";
  const int status = std::system((command + " > '" + out.string() + "' 2>&1 < /dev/null").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out)};
}

}  // namespace

TEST_CASE("examples: the C++ client decides Sarah's case and reports errors by code", "[examples]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {}});
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

  const auto ok = run(std::string("'") + RULEBOOK_EXAMPLE_CLIENT + "' " + base, dir);
  INFO(ok.second);
  CHECK(ok.first == 0);
  CHECK(ok.second.find("outcome: \"approved\"") != std::string::npos);
  CHECK(ok.second.find("date_of_effect: \"2026-03-30\"") != std::string::npos);
  CHECK(ok.second.find("ongoing-move-agreed (PS Act s26)") != std::string::npos);

  const std::string bad = std::string(RULEBOOK_SOURCE_DIR) + "/examples/http/invalid-facts.json";
  const auto refused = run(std::string("'") + RULEBOOK_EXAMPLE_CLIENT + "' " + base + " aps.s26 '" + bad + "'", dir);
  INFO(refused.second);
  CHECK(refused.first == 2);
  CHECK(refused.second.find("HTTP 422 invalid_facts") != std::string::npos);
  CHECK(refused.second.find("employee.classification: ") != std::string::npos);

  const auto nobody = run(std::string("'") + RULEBOOK_EXAMPLE_CLIENT + "' http://127.0.0.1:1", dir);
  CHECK(nobody.first == 1);
}

TEST_CASE("examples: every curl example answers with its documented status", "[examples]") {
  TempDir dir;
  if (run("command -v curl", dir).first != 0) {
    WARN("curl is not installed; skipping the curl examples");
    return;
  }
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {{"RULEBOOK_ADMIN_TOKEN", "example-token"}}});
  const std::string script = std::string(RULEBOOK_SOURCE_DIR) + "/examples/http/curl.sh";
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

  const auto with_token = run("RULEBOOK_ADMIN_TOKEN=example-token bash '" + script + "' " + base, dir);
  INFO(with_token.second);
  CHECK(with_token.first == 0);
  CHECK(with_token.second.find("!!") == std::string::npos);
  CHECK(with_token.second.find("\"date_of_effect\":\"2026-03-30\"") != std::string::npos);
}
