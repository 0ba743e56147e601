// SHA-256 (FIPS 180-4), for the policy hash, computed by OpenSSL's libcrypto
// (the library cpp-httplib's TLS already brings in).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of every includer

namespace rulebook {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // The digest of everything passed to update(); the object then starts over.
  std::array<uint8_t, 32> finish();
  static std::string hex(std::string_view data);

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

std::string to_hex(const std::array<uint8_t, 32>& digest);

}  // namespace rulebook
