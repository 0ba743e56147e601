// The cases `rulebook diff` replays: scenario suites, decision logs (streamed
// line by line, each decided at its own as_of) and generated cases.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "impact/replay.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::impact {

struct LogStats {
  std::size_t lines = 0;       // non-empty lines read
  std::size_t unreadable = 0;  // lines that are not a decision log entry (not counted as cases)
  std::string first_problem;   // "FILE:LINE: why", for the first of them
};

// Every line of a decision log (docs/http-api.md: {"policy", "as_of", "facts", ...}),
// read in bounded memory: one line at a time, in one reused buffer.
void replay_log(std::istream& in, const std::string& name, Replayer& replayer, LogStats& stats,
                const Limits& limits = {});

// Every scenario of the suites (unreadable suites are skipped by the caller);
// a scenario without a date is decided as of `today`.
void replay_suites(const std::vector<scenario::Suite>& suites, Replayer& replayer, Date today);

}  // namespace rulebook::impact
