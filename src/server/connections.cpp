#include "server/connections.hpp"

#include "server/tls.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace rulebook::server {

using Clock = std::chrono::steady_clock;

struct GuardedServer::Shared {
  int stop_fd = -1;   // readable once stopping, and stays so
  int room_fd = -1;   // a semaphore: one count per connection that waited for a worker
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> deadline_ns{0};      // steady clock, once stopping
  std::atomic<std::size_t> waiting_jobs{0};  // connections accepted, waiting for a worker

  Shared()
      : stop_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
        room_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE)) {}
  ~Shared() {
    if (stop_fd >= 0) ::close(stop_fd);
    if (room_fd >= 0) ::close(room_fd);
  }

  // `timeout` clipped to the drain deadline once stopping; negative when past it.
  std::chrono::milliseconds clip(std::chrono::milliseconds timeout) const {
    if (!stopping) return timeout;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::nanoseconds(deadline_ns.load()) - Clock::now().time_since_epoch());
    return std::min(timeout, left);
  }

  // Whether the drain deadline has passed (false while not stopping).
  bool drained() const { return stopping && clip(std::chrono::milliseconds(1)).count() <= 0; }

  // Waits for `events` on `fd` for up to `timeout` (bounded by the drain
  // deadline, which may start while waiting). 1 ready, 0 timed out, -1 error.
  int wait(int fd, short events, std::chrono::milliseconds timeout) const {
    const auto until = Clock::now() + timeout;
    for (;;) {
      const auto left = clip(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
      if (left.count() <= 0) return 0;
      pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
      const int n = ::poll(fds, stopping ? 1 : 2, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
      if (n < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      if (fds[0].revents) return 1;
      // Timed out, or the stop began: go round again with the deadline applied.
    }
  }
};

namespace {

thread_local bool head_refused = false;
thread_local Clock::time_point request_started{};

// How long a busy keep-alive connection keeps its worker while other
// connections wait for one: a turn of requests, then it is handed over. Short
// enough that a waiting connection is served within a fraction of a second
// (threads / waiting turns), long enough that a connection serves many
// requests per TCP handshake (measured: deploy/test-scale-out).
constexpr std::chrono::milliseconds kTurn{50};

// One connection's byte stream: a read buffer kept across its requests, and
// the head budget (see ConnectionLimits) applied to each request's head.
class ConnectionStream final : public httplib::Stream {
 public:
  // `tls`: the connection's TLS session, its handshake done (null: plain HTTP).
  ConnectionStream(int sock, TlsSession* tls, const GuardedServer::Shared& shared, const ConnectionLimits& limits,
                   std::chrono::milliseconds read_timeout, std::chrono::milliseconds write_timeout)
      : sock_(sock),
        tls_(tls),
        shared_(shared),
        limits_(limits),
        read_timeout_(read_timeout),
        write_timeout_(write_timeout) {}

  // A new request starts: its head is counted from here.
  void start_request() {
    in_head_ = true;
    head_bytes_ = head_lines_ = line_bytes_ = 0;
    previous_ = 0;
    head_started_ = Clock::now();
    request_started = head_started_;
    head_deadline_ = head_started_ + limits_.head_timeout;
    head_refused = false;
  }
  bool has_buffered() const { return begin_ < end_ || (tls_ && tls_->pending()); }
  uint64_t dropped_for_room() const { return dropped_for_room_; }

  bool is_readable() const override { return has_buffered() || shared_.wait(sock_, POLLIN, read_timeout_) > 0; }
  bool is_writable() const override { return shared_.wait(sock_, POLLOUT, write_timeout_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (head_refused) return -1;
    if (begin_ == end_) {
      const ssize_t n = fill();
      if (n <= 0) return n;
    }
    std::size_t k = std::min(size, end_ - begin_);
    if (in_head_) k = count_head(k);
    if (k == 0) return -1;
    std::copy(buffer_ + begin_, buffer_ + begin_ + k, ptr);
    begin_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (tls_) return write_tls(ptr, size);
    if (!is_writable()) return -1;
    for (;;) {
      const ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  // Reads what the socket has into the empty buffer: bytes read, 0 at end of stream, -1 on error or timeout.
  ssize_t fill() {
    const auto until = Clock::now() + read_timeout_;
    short events = POLLIN;  // what the next read waits for (TLS may need to write first)
    bool wait_first = !(tls_ && tls_->pending());
    for (;;) {
      while (wait_first) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min(until, in_head_ ? head_deadline_ : until) - Clock::now());
        if (left.count() <= 0) return -1;
        // A head still arriving after a second while a new connection waits
        // for a worker is dropped to make room (slowloris); checked every
        // 250 ms while a head is being read, which a normal client never sees.
        if (in_head_ && shared_.waiting_jobs > 0 && Clock::now() - head_started_ > std::chrono::seconds(1)) {
          ++dropped_for_room_;
          return -1;
        }
        if (in_head_) left = std::min(left, std::chrono::milliseconds(250));
        const int ready = shared_.wait(sock_, events, left);
        if (ready < 0 || (ready == 0 && shared_.drained())) return -1;
        if (ready > 0) break;
      }
      wait_first = true;
      ssize_t n = -1;
      if (tls_) {
        // A TLS record may arrive in pieces: until it is whole, wait again
        // (under the same deadlines) rather than call it the end.
        const TlsStep step = tls_->read(buffer_, sizeof buffer_);
        if (step.wait != TlsWait::none) {
          events = step.wait == TlsWait::writable ? POLLOUT : POLLIN;
          continue;
        }
        n = step.n;
      } else {
        n = ::recv(sock_, buffer_, sizeof buffer_, 0);
        if (n < 0 && errno == EINTR) continue;
      }
      begin_ = 0;
      end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
      return n;
    }
  }

  // Writes through TLS, waiting (up to the write timeout) while the socket is full.
  ssize_t write_tls(const char* ptr, size_t size) {
    const auto until = Clock::now() + write_timeout_;
    for (;;) {
      const TlsStep step = tls_->write(ptr, size);
      if (step.wait == TlsWait::none) return step.n > 0 ? step.n : -1;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (shared_.wait(sock_, step.wait == TlsWait::writable ? POLLOUT : POLLIN, left) <= 0) return -1;
    }
  }

  // Of the next `k` buffered bytes, how many belong to the head (all of them
  // until the blank line that ends it); 0 once past the budget.
  std::size_t count_head(std::size_t k) {
    for (std::size_t i = 0; i < k; ++i) {
      const char c = buffer_[begin_ + i];
      ++head_bytes_;
      ++line_bytes_;
      if (c == '\n') {
        ++head_lines_;
        const bool blank = line_bytes_ == 2 && previous_ == '\r';
        line_bytes_ = 0;
        if (blank && head_lines_ > 1) {
          in_head_ = false;
          return i + 1;
        }
      }
      previous_ = c;
      if (head_bytes_ > limits_.max_head_bytes || head_lines_ > limits_.max_head_lines) {
        head_refused = true;
        return 0;
      }
    }
    return k;
  }

  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int r = remote ? ::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len)
                         : ::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len);
    if (r != 0) return;
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                      NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  int sock_;
  TlsSession* tls_;
  const GuardedServer::Shared& shared_;
  const ConnectionLimits& limits_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  char buffer_[16 * 1024];
  std::size_t begin_ = 0, end_ = 0;
  bool in_head_ = true;
  std::size_t head_bytes_ = 0, head_lines_ = 0, line_bytes_ = 0;
  char previous_ = 0;
  Clock::time_point head_started_{};
  Clock::time_point head_deadline_{};
  uint64_t dropped_for_room_ = 0;  // heads dropped because a connection waited for a worker
};

// A fixed pool of workers, one connection each. When a connection is queued
// with no worker free, it posts to room_fd so an idle keep-alive connection
// gives its worker up.
class Pool final : public httplib::TaskQueue {
 public:
  Pool(std::size_t threads, GuardedServer::Shared& shared) : shared_(shared) {
    for (std::size_t k = 0; k < threads; ++k) workers_.emplace_back([this] { work(); });
  }
  ~Pool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(fn));
      shared_.waiting_jobs = jobs_.size() > idle_ ? jobs_.size() - idle_ : 0;
      if (idle_ < jobs_.size()) {
        const uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(shared_.room_fd, &one, sizeof one);
      }
    }
    ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      auto fn = std::move(jobs_.front());
      jobs_.pop_front();
      shared_.waiting_jobs = jobs_.size() > idle_ ? jobs_.size() - idle_ : 0;
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  GuardedServer::Shared& shared_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

bool head_refused_on_this_thread() { return head_refused; }
Clock::time_point request_started_on_this_thread() { return request_started; }

GuardedServer::GuardedServer() : shared_(std::make_unique<Shared>()) {}
GuardedServer::~GuardedServer() = default;

httplib::TaskQueue* GuardedServer::make_pool(std::size_t threads) { return new Pool(threads, *shared_); }

void GuardedServer::begin_shutdown(std::chrono::milliseconds drain) {
  if (shared_->stopping.load()) return;
  shared_->deadline_ns = std::chrono::duration_cast<std::chrono::nanoseconds>((Clock::now() + drain).time_since_epoch())
                             .count();
  shared_->stopping = true;
  const uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(shared_->stop_fd, &one, sizeof one);
}

bool GuardedServer::handshake(TlsSession& tls, socket_t sock) {
  if (!tls.valid()) return false;
  const auto started = Clock::now();
  const auto deadline = started + limits_.head_timeout;
  for (;;) {
    const TlsStep step = tls.handshake();
    if (step.wait == TlsWait::none) return step.n > 0;  // done, or refused (not TLS, no shared version...)
    // A client that opens a connection and sends nothing, or half a
    // ClientHello, is held no longer than a slow head: the head timeout, and
    // a second when a new connection waits for a worker.
    if (shared_->waiting_jobs > 0 && Clock::now() - started > std::chrono::seconds(1)) {
      ++idle_closed_for_room_;
      return false;
    }
    const auto left = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                               std::chrono::milliseconds(250));
    if (left.count() <= 0) return false;
    const int ready = shared_->wait(sock, step.wait == TlsWait::writable ? POLLOUT : POLLIN, left);
    if (ready < 0 || (ready == 0 && shared_->drained())) return false;
  }
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  ++open_connections_;
  std::unique_ptr<TlsSession> tls;
  if (tls_) {
    tls = std::make_unique<TlsSession>(*tls_, sock);
    if (!handshake(*tls, sock)) {
      ::shutdown(sock, SHUT_RDWR);
      ::close(sock);
      --open_connections_;
      return false;
    }
  }
  const auto ms = [](time_t sec, time_t usec) { return std::chrono::milliseconds(sec * 1000 + usec / 1000); };
  ConnectionStream stream(sock, tls.get(), *shared_, limits_, ms(read_timeout_sec_, read_timeout_usec_),
                          ms(write_timeout_sec_, write_timeout_usec_));
  const auto keep_alive = std::chrono::seconds(keep_alive_timeout_sec_);

  // Whether a next request is on its way: buffered already, or arriving
  // within the keep-alive timeout. False when the server stops, or when a
  // connection waits for a worker and this one is idle.
  const auto next_request = [&] {
    if (stream.has_buffered()) return true;
    const auto idle_since = Clock::now();
    const auto until = idle_since + keep_alive;
    for (;;) {
      if (shared_->stopping) return false;
      const auto now = Clock::now();
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
      if (left.count() <= 0) return false;
      // A connection idle for less than reclaim_idle_after_ is not given up:
      // its client is likely sending its next request right now, and a
      // request crossing the close would fail.
      const auto idle_for = std::chrono::duration_cast<std::chrono::milliseconds>(now - idle_since);
      const bool may_give_up = idle_for >= reclaim_idle_after_;
      if (!may_give_up) left = std::min(left, reclaim_idle_after_ - idle_for);
      pollfd fds[3] = {{sock, POLLIN, 0}, {shared_->stop_fd, POLLIN, 0}, {shared_->room_fd, POLLIN, 0}};
      const int n = ::poll(fds, may_give_up ? 3 : 2, static_cast<int>(left.count()));
      if (n < 0 && errno != EINTR) return false;
      if (n <= 0) continue;
      if (fds[0].revents) return true;
      if (may_give_up && fds[2].revents) {
        uint64_t token = 0;
        if (::read(shared_->room_fd, &token, sizeof token) == sizeof token) {
          if (shared_->waiting_jobs > 0) {
            ++idle_closed_for_room_;
            return false;  // make room: a waiting connection takes this worker
          }
          // Tokens posted while no connection was idle, and nobody waits any
          // more: drop them all, rather than wake for each.
          while (::read(shared_->room_fd, &token, sizeof token) == sizeof token) {
          }
        }
      }
    }
  };

  bool ret = false;
  std::size_t count = keep_alive_max_count_;
  const auto holding_since = Clock::now();
  while (svr_sock_ != INVALID_SOCKET && count > 0 && next_request()) {
    stream.start_request();
    // While a connection waits for a worker, one that has held its worker
    // for kTurn answers this request with "Connection: close" and gives the
    // worker up after it: the client (or a proxy pooling connections) learns
    // from the answer itself that the connection ends, so no request of its
    // can cross the close. (Closing an idle connection, in next_request,
    // cannot say so; it is the fallback for clients that stay idle.)
    const bool turn_over = shared_->waiting_jobs > 0 && Clock::now() - holding_since >= kTurn;
    const bool close_connection = count == 1 || shared_->stopping || turn_over;
    bool connection_closed = false;
    ret = process_request(stream, close_connection, connection_closed, nullptr);
    if (after_request_) after_request_();
    if (!ret || connection_closed) break;
    --count;
  }
  if (tls) tls->close_notify();
  if (!ret || head_refused) {
    // The answer may be followed by bytes the client is still sending (a
    // flood, a body never read): closing with them unread would reset the
    // connection and the client could lose the answer. Stop writing, and
    // drop what arrives for a moment (nginx's lingering close, bounded).
    ::shutdown(sock, SHUT_WR);
    const auto until = Clock::now() + std::chrono::milliseconds(200);
    char sink[4096];
    for (std::size_t dropped = 0; dropped < 256 * 1024;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      pollfd fd{sock, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) break;
      const ssize_t n = ::recv(sock, sink, sizeof sink, 0);
      if (n <= 0) break;
      dropped += static_cast<std::size_t>(n);
    }
  }
  idle_closed_for_room_ += stream.dropped_for_room();
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  --open_connections_;
  return ret;
}

}  // namespace rulebook::server
