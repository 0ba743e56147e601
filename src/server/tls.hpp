// HTTPS for the decision service: an OpenSSL server context loaded once at
// start (--tls-cert, --tls-key), and one non-blocking TLS session per
// connection. The connection loop (connections.cpp) does all the waiting,
// with its own deadlines, so a TLS client gets the same head, idle and
// drain bounds as a plain one; this file only moves bytes.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

using SSL_CTX = struct ssl_ctx_st;
using SSL = struct ssl_st;

namespace rulebook::server {

class TlsContext {
 public:
  // Loads the certificate chain (PEM) and private key (PEM) and checks they
  // match; TLS 1.2 at least. nullptr with `error` naming the file on failure.
  static std::shared_ptr<const TlsContext> load(const std::string& cert_file, const std::string& key_file,
                                                std::string& error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  SSL_CTX* native() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// What a TLS step needs before it can go on.
enum class TlsWait { none, readable, writable };

struct TlsStep {
  ssize_t n = -1;              // > 0 bytes (or 1: handshake done), 0 closed by the peer, -1 failed
  TlsWait wait = TlsWait::none;  // not none: nothing done yet, retry once the socket is ready
};

// One connection's TLS session over a socket it puts in non-blocking mode.
class TlsSession {
 public:
  TlsSession(const TlsContext& context, int sock);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  bool valid() const { return ssl_ != nullptr; }
  TlsStep handshake();
  TlsStep read(char* out, std::size_t size);
  TlsStep write(const char* data, std::size_t size);
  // Decrypted bytes waiting inside OpenSSL (readable without the socket).
  bool pending() const;
  // Sends close_notify once, without waiting for the peer's.
  void close_notify();

 private:
  TlsStep step(int result);
  SSL* ssl_ = nullptr;
};

}  // namespace rulebook::server
