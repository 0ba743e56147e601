// The decision service's tests: integration tests that run the real
// `rulebook serve` (RULEBOOK_BINARY) on --port 0 and talk to it over loopback.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
