// Test support: the real `rulebook serve` binary started on --port 0 in a
// child process, its policies copied into a temp folder of its own (so a test
// can edit them), and a real HTTP client talking to it over loopback.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace rulebook::test {

using nlohmann::json;

// A fresh folder under the temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Copies the files of aps.s26 (every version and the modules they use) from
// the repo's policies/ into `dir`, keeping their relative paths. Returns the
// path of the 2022 version's own file.
std::filesystem::path copy_aps_s26(const std::filesystem::path& dir);

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);
// Replaces the first `from` in the file with `to`; fails the test if it is absent.
void edit_file(const std::filesystem::path& p, const std::string& from, const std::string& to);

// A response that must have arrived: constructing it REQUIREs one, so a test
// whose server gave no answer fails cleanly instead of dereferencing nothing.
class Answer {
 public:
  explicit Answer(httplib::Result r);
  const httplib::Response* operator->() const { return &res_; }
  const httplib::Response& operator*() const { return res_; }
  explicit operator bool() const { return true; }

 private:
  httplib::Response res_;
};

// A keep-alive, TCP_NODELAY client for the test's own thread. (Catch2's
// assertions are not thread-safe: other threads use raw_client.)
class Http {
 public:
  explicit Http(int port);
  Answer Get(const std::string& path, const httplib::Headers& headers = {});
  Answer Post(const std::string& path, const std::string& body, const std::string& type);
  Answer Post(const std::string& path, const httplib::Headers& headers, const std::string& body,
              const std::string& type);
  // A chunked body (no Content-Length) from a content provider.
  Answer Post(const std::string& path, httplib::ContentProviderWithoutLength provider, const std::string& type);
  Answer Put(const std::string& path, const std::string& body, const std::string& type);
  Answer Delete(const std::string& path);

 private:
  httplib::Client client_;
};

// A plain cpp-httplib client, as an integrator would set it up.
std::unique_ptr<httplib::Client> raw_client(int port);

struct ServeOptions {
  std::vector<std::string> args;                             // after "serve --port 0"
  std::vector<std::pair<std::string, std::string>> env;      // added to a clean environment
  long long file_size_limit = -1;  // >= 0: RLIMIT_FSIZE in bytes for the server (a full disk, without root)
};

class ServerProcess {
 public:
  // Starts `rulebook serve --port 0 ARGS...` and waits for its "listening" line.
  explicit ServerProcess(ServeOptions options);
  ~ServerProcess();  // SIGKILL if it is still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  std::unique_ptr<Http> client() const;

  // Sends `sig` and waits up to `timeout` for exit; the exit status, or -1 (then it is killed).
  int stop(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  pid_t pid() const { return pid_; }
  // Everything the process printed on stdout after the first line (read once it has exited).
  std::string rest_of_stdout();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string first_line_;
  std::string pending_;  // stdout bytes read past the first line
  TempDir logs_;
  bool exited_ = false;
};

// The JSON of Sarah's worked example (docs/contract/aps-s26.md).
json sarah_facts();
json sarah_request(const std::string& as_of = "2026-03-02");

// Parses a body that must be JSON (with Content-Type application/json); fails the test otherwise.
json body_json(const Answer& r);
json body_json(const httplib::Result& r);

// A loopback TCP connection to `port` with Nagle off; the caller closes it.
int connect_to(int port);

// Reads from a socket until `done(what was read)` holds, the peer closes, or
// `timeout` passes; returns what was read.
std::string read_until(int fd, const std::function<bool(const std::string&)>& done,
                       std::chrono::milliseconds timeout);
// Reads one whole HTTP response: its head, then Content-Length bytes of body.
std::string read_response(int fd, std::chrono::milliseconds timeout);

// Sends raw bytes on a fresh connection and returns the one response read
// back (or what came before the server closed it or `timeout` passed).
std::string raw_exchange(int port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(3));

// One `name{labels} value` sample from a Prometheus text body; -1 when absent.
double metric(const std::string& text, const std::string& name_and_labels);

}  // namespace rulebook::test
