// HTTPS (--tls-cert, --tls-key): a real handshake and decision with curl
// against a throwaway self-signed certificate made here, a plain-HTTP client
// on the TLS port refused while others are served, a stalled handshake
// dropped in bounded time, and the start-up errors for unusable files.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <thread>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Runs a shell command; {exit status, stdout}.
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A self-signed certificate for 127.0.0.1 and its key, made with the openssl
// command line (a P-256 key: quick to make).
struct Certificate {
  std::filesystem::path cert, key;
};

Certificate make_certificate(const TempDir& dir, const std::string& name) {
  Certificate c{dir / (name + ".crt"), dir / (name + ".key")};
  const auto [status, out] = run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
                                 " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
                                 c.key.string() + "' -out '" + c.cert.string() + "' 2>&1");
  INFO(out);
  REQUIRE(status == 0);
  return c;
}

struct TlsServed {
  TempDir dir;
  Certificate cert = make_certificate(dir, "server");
  std::unique_ptr<ServerProcess> server;

  explicit TlsServed(std::vector<std::string> extra = {}) {
    copy_aps_s26(dir / "policies");
    std::vector<std::string> args = {"--policies", (dir / "policies").string(), "--tls-cert", cert.cert.string(),
                                     "--tls-key", cert.key.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ServerProcess>(ServeOptions{args, {}});
  }

  // curl over HTTPS, trusting only our certificate; {exit status, body + "\n" + status code}.
  std::pair<int, std::string> curl(const std::string& path, const std::string& body = "") {
    std::string cmd = "curl -sS --max-time 10 --cacert '" + cert.cert.string() + "' -w '\\n%{http_code}' ";
    if (!body.empty()) {
      write_file(dir / "body.json", body);
      cmd += "-H 'Content-Type: application/json' --data-binary @'" + (dir / "body.json").string() + "' ";
    }
    return run(cmd + "https://127.0.0.1:" + std::to_string(server->port()) + path + " 2>&1");
  }
};

int status_of(const std::string& curl_out) { return std::stoi(curl_out.substr(curl_out.rfind('\n') + 1)); }
json body_of(const std::string& curl_out) { return json::parse(curl_out.substr(0, curl_out.rfind('\n'))); }

// Runs the binary to completion; {exit status, stderr}.
std::pair<int, std::string> serve_once(const TempDir& dir, const std::vector<std::string>& args) {
  std::string cmd = std::string(RULEBOOK_BINARY) + " serve --port 0 --policies '" + (dir / "policies").string() + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  const auto [status, out] = run(cmd + " 2>&1 >/dev/null </dev/null");
  return {status, out};
}

}  // namespace

TEST_CASE("tls: curl --cacert completes a handshake and gets a decision", "[tls]") {
  TlsServed s;
  CHECK(std::regex_match(s.server->first_line(), std::regex(R"(rulebook listening on https://127\.0\.0\.1:\d+)")));
  const auto [rc, out] = s.curl("/v1/decide/aps.s26", sarah_request().dump());
  INFO(out);
  REQUIRE(rc == 0);
  REQUIRE(status_of(out) == 200);
  const json j = body_of(out);
  CHECK(j["policy"]["id"] == "aps.s26");
  CHECK(j["decision"]["outcome"] == "approved");
  const auto health = s.curl("/healthz");
  CHECK(health.first == 0);
  CHECK(status_of(health.second) == 200);
  CHECK(body_of(health.second) == json{{"status", "ok"}});

  // Without our certificate as the trust anchor, curl refuses the server.
  const auto untrusted = run("curl -sS --max-time 10 https://127.0.0.1:" + std::to_string(s.server->port()) +
                             "/healthz 2>&1");
  CHECK(untrusted.first != 0);
}

TEST_CASE("tls: TLS 1.2 at least; keep-alive requests on one TLS connection", "[tls]") {
  TlsServed s;
  const auto old = run("curl -sS --max-time 10 --tlsv1.1 --tls-max 1.1 --cacert '" + s.cert.cert.string() +
                       "' https://127.0.0.1:" + std::to_string(s.server->port()) + "/healthz 2>&1");
  CHECK(old.first != 0);  // refused: no TLS 1.1
  const auto v12 = run("curl -sS --max-time 10 --tlsv1.2 --tls-max 1.2 --cacert '" + s.cert.cert.string() +
                       "' -w '\\n%{http_code}' https://127.0.0.1:" + std::to_string(s.server->port()) +
                       "/healthz 2>&1");
  CHECK(v12.first == 0);
  CHECK(status_of(v12.second) == 200);

  httplib::SSLClient client("127.0.0.1", s.server->port());
  client.set_ca_cert_path(s.cert.cert.string().c_str());
  client.set_keep_alive(true);
  for (int k = 0; k < 20; ++k) {
    const auto r = client.Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // A large answer crosses many TLS records: a batch of 200 cases.
  json cases = json::array();
  for (int k = 0; k < 200; ++k) cases.push_back(sarah_request());
  const auto batch = client.Post("/v1/decide/aps.s26/batch", json{{"cases", cases}}.dump(), "application/json");
  REQUIRE(batch);
  CHECK(batch->status == 200);
  CHECK(json::parse(batch->body)["results"].size() == 200);
}

TEST_CASE("tls: a plain-HTTP client on the TLS port gets no answer, and others are still served", "[tls]") {
  TlsServed s({"--threads", "2"});
  const auto started = Clock::now();
  const std::string reply = raw_exchange(s.server->port(),
                                         "POST /v1/decide/aps.s26 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         "Content-Length: " + std::to_string(sarah_request().dump().size()) +
                                             "\r\n\r\n" + sarah_request().dump(),
                                         std::chrono::seconds(5));
  CHECK(reply.find("approved") == std::string::npos);
  CHECK(reply.find("HTTP/1.1 200") == std::string::npos);
  CHECK(Clock::now() - started < std::chrono::seconds(3));  // closed at once, not at a timeout
  for (int k = 0; k < 3; ++k) {
    const auto [rc, out] = s.curl("/v1/decide/aps.s26", sarah_request().dump());
    INFO(out);
    REQUIRE(rc == 0);
    CHECK(status_of(out) == 200);
  }
}

TEST_CASE("tls: a stalled handshake is dropped in bounded time", "[tls]") {
  TlsServed s({"--threads", "1"});
  SECTION("half a ClientHello holds the only worker for about a second once another client waits") {
    const int stalled = connect_to(s.server->port());
    // A TLS record header announcing 512 bytes of handshake, and 5 of them.
    const std::string half("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03", 10);
    REQUIRE(::send(stalled, half.data(), half.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(half.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the worker is in the handshake
    const auto started = Clock::now();
    const auto [rc, out] = s.curl("/healthz");
    INFO(out);
    CHECK(rc == 0);
    CHECK(status_of(out) == 200);
    CHECK(Clock::now() - started < std::chrono::seconds(4));
    // The stalled connection was closed by the server.
    CHECK(read_until(stalled, [](const std::string&) { return false; }, std::chrono::seconds(2)).empty());
    ::close(stalled);
  }
  SECTION("a connection that sends nothing is closed at the head timeout (10 s)") {
    const int silent = connect_to(s.server->port());
    const auto started = Clock::now();
    char byte;
    pollfd p{silent, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 15000) == 1);  // readable: closed by the server
    CHECK(::recv(silent, &byte, 1, 0) <= 0);
    const auto waited = Clock::now() - started;
    CHECK(waited > std::chrono::seconds(8));
    CHECK(waited < std::chrono::seconds(13));
    ::close(silent);
    const auto after = s.curl("/healthz");
    CHECK(status_of(after.second) == 200);
  }
}

TEST_CASE("tls: unusable certificate or key files stop the start with exit 1 and the file named", "[tls]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  const Certificate good = make_certificate(dir, "good");
  const Certificate other = make_certificate(dir, "other");

  const auto missing = serve_once(dir, {"--tls-cert", (dir / "none.crt").string(), "--tls-key", good.key.string()});
  CHECK(missing.first == 1);
  CHECK_THAT(missing.second, Catch::Contains("none.crt") && Catch::Contains("No such file"));

  write_file(dir / "garbage.crt", "not a certificate\n");
  const auto garbage = serve_once(dir, {"--tls-cert", (dir / "garbage.crt").string(), "--tls-key", good.key.string()});
  CHECK(garbage.first == 1);
  CHECK_THAT(garbage.second, Catch::Contains("garbage.crt"));

  const auto key_as_cert = serve_once(dir, {"--tls-cert", good.cert.string(), "--tls-key", good.cert.string()});
  CHECK(key_as_cert.first == 1);
  CHECK_THAT(key_as_cert.second, Catch::Contains("the TLS key " + good.cert.string()));

  const auto mismatch = serve_once(dir, {"--tls-cert", good.cert.string(), "--tls-key", other.key.string()});
  CHECK(mismatch.first == 1);
  CHECK_THAT(mismatch.second, Catch::Contains("does not match") && Catch::Contains(other.key.string()));

  // Half of the pair is a bad command line.
  const auto half = serve_once(dir, {"--tls-cert", good.cert.string()});
  CHECK(half.first == 2);
  CHECK_THAT(half.second, Catch::Contains("--tls-key"));
}
