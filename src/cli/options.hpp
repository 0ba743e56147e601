// Command-line parsing for every verb, with CLI11 (libcli11-dev). A verb builds
// a CLI::App named "rulebook VERB" with its options, then calls parse_options: --help prints the
// verb's usage to `out` and ends with kOk; a bad command line prints one line
// naming the problem (and how to get help) to `err` and ends with kBadInput.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/cli.hpp"

namespace rulebook::cli {

// Parses `args` (the words after the verb). nullopt: parsed, go on; otherwise
// the exit code the verb returns at once.
std::optional<int> parse_options(CLI::App& app, const Args& args, std::ostream& out, std::ostream& err);

}  // namespace rulebook::cli
