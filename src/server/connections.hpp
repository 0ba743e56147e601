// The per-connection loop of the decision service, in place of cpp-httplib's.
//
// cpp-httplib 0.11 (Debian's shared library, its limits compiled in) reads
// every header line a client sends before any handler can refuse it, gives
// each request a fresh socket stream (so requests pipelined in one write are
// lost and the connection hangs), busy-polls idle keep-alive connections,
// and at shutdown waits for every client however slow. Its
// process_and_close_socket is virtual and process_request is protected, so
// this subclass runs the keep-alive loop itself over its own stream, which:
//   - caps the request head (request line and headers) in bytes and lines,
//     and in time, so a header flood costs a bounded amount of memory;
//   - keeps one read buffer per connection, so pipelined requests are
//     answered in order;
//   - waits for the next request in poll(2), woken when the server stops or
//     when a new connection waits for a worker (then an idle keep-alive
//     connection, or one still sending its head after a second, is closed
//     to make room);
//   - once stopping, bounds every read and write by the drain deadline;
//   - with TLS (set_tls), runs the handshake under the head's time bound and
//     the same room rule, then reads and writes through the TLS session, so
//     every bound above holds for HTTPS too.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rulebook::server {

class TlsContext;
class TlsSession;

struct ConnectionLimits {
  std::size_t max_head_bytes = 128 * 1024;  // request line and headers
  std::size_t max_head_lines = 256;
  std::chrono::milliseconds head_timeout{10000};  // the whole head must arrive within this
};

// Whether the request being handled on this thread had its head cut off at
// a ConnectionLimits bound (the library then answers 400; the server says 431).
bool head_refused_on_this_thread();

// When the request being handled (or just answered) on this thread started
// to arrive: its first byte was read, or was already buffered.
std::chrono::steady_clock::time_point request_started_on_this_thread();

class GuardedServer : public httplib::Server {
 public:
  GuardedServer();
  ~GuardedServer() override;

  void set_connection_limits(const ConnectionLimits& limits) { limits_ = limits; }
  // Runs on the worker after each request, once its request and response are freed.
  void set_after_request(std::function<void()> fn) { after_request_ = std::move(fn); }
  // Serve HTTPS with this context (null: plain HTTP). Set before listening.
  void set_tls(std::shared_ptr<const TlsContext> tls) { tls_ = std::move(tls); }
  // How long a keep-alive connection must have been idle before it may be
  // closed to make room for a waiting one (default 250 ms).
  void set_idle_reclaim_after(std::chrono::milliseconds idle) { reclaim_idle_after_ = idle; }
  // A worker pool for `new_task_queue`: `threads` workers; when a connection
  // waits for one, an idle keep-alive connection is closed to free it.
  httplib::TaskQueue* make_pool(std::size_t threads);

  // From now on idle connections close at once, and requests still arriving
  // or being answered get until `drain` from now, then their connections are
  // closed. Call before stop(). Safe from any thread.
  void begin_shutdown(std::chrono::milliseconds drain);

  // Connections open right now (for tests and /metrics).
  std::size_t open_connections() const { return open_connections_.load(); }
  // Connections closed to make room for a waiting one (idle, or slow to send their head).
  uint64_t idle_closed_for_room() const { return idle_closed_for_room_.load(); }

  struct Shared;  // what the streams of every connection share

 private:
  bool process_and_close_socket(socket_t sock) override;
  // The TLS handshake, bounded like a request head; false: drop the connection.
  bool handshake(TlsSession& tls, socket_t sock);

  ConnectionLimits limits_;
  std::shared_ptr<const TlsContext> tls_;
  std::chrono::milliseconds reclaim_idle_after_{250};
  std::function<void()> after_request_;
  std::unique_ptr<Shared> shared_;
  std::atomic<std::size_t> open_connections_{0};
  std::atomic<uint64_t> idle_closed_for_room_{0};
};

}  // namespace rulebook::server
