#include "server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "rulebook/policy_set.hpp"

extern char** environ;

namespace rulebook::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "rulebook-server-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) FAIL("mkdtemp failed: " << std::strerror(errno));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
  // Write a sibling and rename it over, as editors do, so a reader never sees half a file.
  const fs::path tmp = p.parent_path() / (".tmp-" + p.filename().string());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
  }
  fs::rename(tmp, p);
}

void edit_file(const fs::path& p, const std::string& from, const std::string& to) {
  std::string text = read_file(p);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  write_file(p, text);
}

fs::path copy_aps_s26(const fs::path& dir) {
  const fs::path source = fs::path(RULEBOOK_SOURCE_DIR) / "policies";
  const LoadResult loaded = load_policies({source.string()});
  REQUIRE(loaded.set);
  const auto versions = loaded.set->versions_of("aps.s26");
  REQUIRE(!versions.empty());
  fs::path own_2022;
  for (const Program* p : versions) {
    for (const auto& f : p->files) {
      const fs::path rel = fs::path(f).lexically_relative(source);
      fs::create_directories((dir / rel).parent_path());
      fs::copy_file(f, dir / rel, fs::copy_options::overwrite_existing);
    }
    if (p->header.version == "2022") own_2022 = dir / fs::path(p->files[0]).lexically_relative(source);
  }
  REQUIRE(!own_2022.empty());
  return own_2022;
}

ServerProcess::ServerProcess(ServeOptions options) {
  std::vector<std::string> argv_text = {RULEBOOK_BINARY, "serve", "--port", "0"};
  argv_text.insert(argv_text.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  // The parent's environment, less any admin token, plus the test's own.
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "RULEBOOK_ADMIN_TOKEN=", 21) != 0) env_text.emplace_back(*e);
  }
  for (const auto& [k, v] : options.env) env_text.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out[2];
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  const std::string err_path = (logs_ / "stderr.txt").string();
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    if (options.file_size_limit >= 0) {
      rlimit limit{};
      ::getrlimit(RLIMIT_FSIZE, &limit);  // the hard limit stays, so the test can raise it again (prlimit)
      limit.rlim_cur = static_cast<rlim_t>(options.file_size_limit);
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  stdout_fd_ = out[0];

  // Wait (at most 20 s) for the one line with the address.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string text;
  while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  const auto nl = text.find('\n');
  if (nl == std::string::npos) {
    const std::string err = stderr_text();
    stop(SIGKILL);
    FAIL("rulebook serve did not print its address; stdout: " << text << "\nstderr: " << err);
  }
  first_line_ = text.substr(0, nl);
  pending_ = text.substr(nl + 1);
  const auto colon = first_line_.rfind(':');
  port_ = colon == std::string::npos ? 0 : std::atoi(first_line_.c_str() + colon + 1);
  if (port_ <= 0) {
    stop(SIGKILL);
    FAIL("no port in the first line: " << first_line_);
  }
}

ServerProcess::~ServerProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::unique_ptr<Http> ServerProcess::client() const { return std::make_unique<Http>(port_); }

Answer::Answer(httplib::Result r) {
  INFO("no answer: " << httplib::to_string(r.error()));
  REQUIRE(r);
  res_ = std::move(*r);
}

namespace {
void set_up(httplib::Client& c) {
  c.set_tcp_nodelay(true);
  c.set_keep_alive(true);
  c.set_connection_timeout(5);
  c.set_read_timeout(20);
  c.set_write_timeout(20);
}
}  // namespace

std::unique_ptr<httplib::Client> raw_client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  set_up(*c);
  return c;
}

Http::Http(int port) : client_("127.0.0.1", port) { set_up(client_); }

Answer Http::Get(const std::string& path, const httplib::Headers& headers) {
  return Answer(client_.Get(path.c_str(), headers));
}

Answer Http::Post(const std::string& path, const std::string& body, const std::string& type) {
  return Answer(client_.Post(path.c_str(), body, type.c_str()));
}

Answer Http::Post(const std::string& path, const httplib::Headers& headers, const std::string& body,
                  const std::string& type) {
  return Answer(client_.Post(path.c_str(), headers, body, type.c_str()));
}

Answer Http::Post(const std::string& path, httplib::ContentProviderWithoutLength provider, const std::string& type) {
  return Answer(client_.Post(path.c_str(), std::move(provider), type.c_str()));
}

Answer Http::Put(const std::string& path, const std::string& body, const std::string& type) {
  return Answer(client_.Put(path.c_str(), body, type.c_str()));
}

Answer Http::Delete(const std::string& path) { return Answer(client_.Delete(path.c_str())); }

int ServerProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (exited_) return -1;
  ::kill(pid_, sig);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      exited_ = true;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  exited_ = true;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string ServerProcess::rest_of_stdout() {
  std::string text = pending_;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(stdout_fd_, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  return text;
}

std::string ServerProcess::stderr_text() const { return read_file(logs_ / "stderr.txt"); }

json sarah_facts() {
  return json::parse(R"({
    "employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": true},
    "move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"},
    "agreement": {"employee": true, "gaining_head": true},
    "dates": {"notice_given_on": "2026-03-02"}})");
}

json sarah_request(const std::string& as_of) { return json{{"facts", sarah_facts()}, {"as_of", as_of}}; }

json body_json(const Answer& r) {
  INFO("status " << r->status << " body: " << r->body.substr(0, 2000));
  CHECK(r->get_header_value("Content-Type") == "application/json");
  json j = json::parse(r->body, nullptr, false);
  REQUIRE(!j.is_discarded());
  return j;
}

json body_json(const httplib::Result& r) {
  REQUIRE(r);
  return body_json(Answer(httplib::Result(std::make_unique<httplib::Response>(*r), httplib::Error::Success)));
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return fd;
}

std::string raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = connect_to(port);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  // (No half-close: cpp-httplib takes a half-closed connection for a closed one.)
  std::string out = read_response(fd, timeout);
  ::close(fd);
  return out;
}

std::string read_until(int fd, const std::function<bool(const std::string&)>& done,
                       std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done(out) && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string read_response(int fd, std::chrono::milliseconds timeout) {
  const auto complete = [](const std::string& out) {
    const auto head_end = out.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    const auto cl = out.find("Content-Length: ");
    const std::size_t length = cl < head_end ? std::stoul(out.substr(cl + 16)) : 0;
    return out.size() >= head_end + 4 + length;
  };
  return read_until(fd, complete, timeout);
}

double metric(const std::string& text, const std::string& name_and_labels) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name_and_labels + " ", 0) == 0) return std::stod(line.substr(name_and_labels.size() + 1));
  }
  return -1;
}

}  // namespace rulebook::test
