// The report of `rulebook diff` as text (people), JSON (tools) or Markdown (a
// pull-request comment). Changes are listed per policy, then per output, the
// pairs most frequent first.
#pragma once

#include <string>
#include <vector>

#include "impact/replay.hpp"
#include "impact/rules_diff.hpp"
#include "impact/sources.hpp"

namespace rulebook::impact {

struct DiffReport {
  std::string base_label, new_label;
  std::vector<RuleChange> rules;
  const Tally* tally = nullptr;
  LogStats log;
};

std::string report_text(const DiffReport& r);
std::string report_json(const DiffReport& r);
std::string report_markdown(const DiffReport& r);

}  // namespace rulebook::impact
