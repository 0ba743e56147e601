#include "server/tls.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>

namespace rulebook::server {

namespace {

// OpenSSL's reason for the last failure, for a start-up message.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason = code ? ERR_reason_error_string(code) ? ERR_reason_error_string(code) : "unknown error"
                            : "unknown error";
  ERR_clear_error();
  return reason;
}

bool readable_file(const std::string& path, std::string& error, const char* what) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read the TLS " + std::string(what) + " " + path + " (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<const TlsContext> TlsContext::load(const std::string& cert_file, const std::string& key_file,
                                                   std::string& error) {
  if (!readable_file(cert_file, error, "certificate") || !readable_file(key_file, error, "key")) return nullptr;
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) {
    error = "cannot set up TLS: " + openssl_reason();
    return nullptr;
  }
  std::shared_ptr<const TlsContext> context(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // No TLS-level renegotiation or compression; sessions resume by ticket.
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Writes may complete in part, and be retried from a moved buffer: the
  // connection loop writes what cpp-httplib hands it, piece by piece.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    error = "the TLS certificate " + cert_file + " cannot be used: " + openssl_reason() +
            " (--tls-cert wants a PEM certificate, optionally followed by its chain)";
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the pair here already, when the key is readable.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      error = "the TLS key " + key_file + " does not match the certificate " + cert_file;
      return nullptr;
    }
    error = "the TLS key " + key_file + " cannot be used: " + openssl_reason() +
            " (--tls-key wants an unencrypted PEM private key)";
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    error = "the TLS key " + key_file + " does not match the certificate " + cert_file + ": " + openssl_reason();
    return nullptr;
  }
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsSession::TlsSession(const TlsContext& context, int sock) {
  const int flags = ::fcntl(sock, F_GETFL);
  if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0) return;
  ssl_ = SSL_new(context.native());
  if (ssl_ && SSL_set_fd(ssl_, sock) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
}

TlsSession::~TlsSession() {
  if (ssl_) SSL_free(ssl_);
}

TlsStep TlsSession::step(int result) {
  if (result > 0) return {result, TlsWait::none};
  const int e = SSL_get_error(ssl_, result);
  ERR_clear_error();  // the error queue is per thread: leave nothing for the next connection
  switch (e) {
    case SSL_ERROR_WANT_READ: return {-1, TlsWait::readable};
    case SSL_ERROR_WANT_WRITE: return {-1, TlsWait::writable};
    case SSL_ERROR_ZERO_RETURN: return {0, TlsWait::none};
    case SSL_ERROR_SYSCALL:
      if (errno == EINTR) return {-1, TlsWait::readable};
      return {0, TlsWait::none};  // the peer closed without close_notify: the end, all the same
    default: return {-1, TlsWait::none};
  }
}

TlsStep TlsSession::handshake() { return step(SSL_accept(ssl_)); }

TlsStep TlsSession::read(char* out, std::size_t size) {
  return step(SSL_read(ssl_, out, static_cast<int>(std::min<std::size_t>(size, INT_MAX))));
}

TlsStep TlsSession::write(const char* data, std::size_t size) {
  return step(SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX))));
}

bool TlsSession::pending() const { return SSL_pending(ssl_) > 0; }

void TlsSession::close_notify() {
  if (SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace rulebook::server
