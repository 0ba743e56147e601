// SHA-256 (src/util/sha256.hpp) against the NIST FIPS 180-4 example vectors,
// whole and fed in pieces, since the policy hash feeds it file by file.
#include <catch2/catch.hpp>

#include <string>

#include "util/sha256.hpp"

using rulebook::Sha256;

TEST_CASE("sha256: NIST vectors", "[sha256]") {
  CHECK(Sha256::hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256::hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256::hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: pieces give the digest of the whole, and finish starts over", "[sha256]") {
  const std::string million(1000000, 'a');
  Sha256 h;
  // Uneven pieces across the 64-byte block boundaries.
  std::size_t at = 0;
  for (std::size_t piece = 1; at < million.size(); piece = piece * 3 % 997 + 1) {
    const std::size_t n = std::min(piece, million.size() - at);
    h.update(std::string_view(million).substr(at, n));
    at += n;
  }
  CHECK(rulebook::to_hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  h.update("ab");
  h.update("");
  h.update("c");
  CHECK(rulebook::to_hex(h.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(rulebook::to_hex(h.finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256: a moved-from hasher's digest moves with it", "[sha256]") {
  Sha256 a;
  a.update("ab");
  Sha256 b = std::move(a);
  b.update("c");
  CHECK(rulebook::to_hex(b.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
