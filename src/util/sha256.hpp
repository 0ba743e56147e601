// SHA-256 (FIPS 180-4), for the policy hash. Small enough to own rather than
// pull in a crypto library for one digest.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rulebook {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::array<uint8_t, 32> finish();
  static std::string hex(std::string_view data);

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  uint64_t length_ = 0;
};

std::string to_hex(const std::array<uint8_t, 32>& digest);

}  // namespace rulebook
