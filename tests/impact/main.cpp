// Catch2's main() for the scenario runner's tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
