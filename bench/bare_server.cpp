// bare_server --port N [--threads N]: the HTTP floor for the load benchmark. It
// does what any cpp-httplib JSON service must (parse the request body as JSON,
// answer a fixed JSON body) with the same socket settings as `rulebook serve`,
// and nothing else. Prints one line with its address, like rulebook serve.
#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  int port = 0;
  std::size_t threads = 64;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string a = argv[k];
    if (a == "--port") port = std::atoi(argv[k + 1]);
    if (a == "--threads") threads = static_cast<std::size_t>(std::atoi(argv[k + 1]));
  }
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(30);
  socket_t listen_fd = -1;
  server.set_socket_options([&listen_fd](socket_t fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = fd;
  });
  const std::string fixed =
      R"({"policy":{"id":"aps.s26","version":"2022"},"decision":{"outcome":"approved"},"fired":[],"request_id":"bare"})";
  server.Post(R"(/v1/decide/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_discarded()) {
      res.status = 400;
      res.set_content(R"({"error":{"code":"invalid_json"}})", "application/json");
      return;
    }
    res.set_content(fixed, "application/json");
  });
  if (port == 0) port = server.bind_to_any_port("127.0.0.1");
  else if (!server.bind_to_port("127.0.0.1", port)) return 1;
  if (port <= 0) return 1;
  listen(listen_fd, 1024);  // again, after bind: the compiled-in backlog of 5 overflows at 64 connections
  std::printf("bare server listening on http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  std::signal(SIGTERM, [](int) { std::_Exit(0); });
  server.listen_after_bind();
  return 0;
}
