// Catch2's main() for the proofs (src/analysis)'s tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
