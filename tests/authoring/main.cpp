// Catch2's main() for the authoring tools' tests (formatter, lint, diagnostics).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
