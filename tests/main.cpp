// Catch2's main(), compiled once (tests/CMakeLists.txt: rulebook_test_catch_main) and linked into every test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
