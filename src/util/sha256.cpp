#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

namespace rulebook {

namespace {
// libcrypto fails here only when it cannot allocate or its SHA-256 provider is
// missing; neither is an input the caller could correct.
void require(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL SHA-256: ") + what + " failed");
}
}  // namespace

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  require(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr), "init");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view data) {
  require(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()), "update");
}

std::array<uint8_t, 32> Sha256::finish() {
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  require(EVP_DigestFinal_ex(ctx_.get(), digest.data(), &length), "final");
  if (length != digest.size()) throw std::runtime_error("OpenSSL SHA-256: unexpected digest length");
  require(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr), "init");
  return digest;
}

std::string Sha256::hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return to_hex(h.finish());
}

std::string to_hex(const std::array<uint8_t, 32>& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(64, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
  return out;
}

}  // namespace rulebook
