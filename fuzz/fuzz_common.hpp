// Shared by the libFuzzer targets: the shipped policies, loaded once, and
// helpers that run a compiled program the way the service would.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "rulebook/policy_set.hpp"

#ifndef RULEBOOK_SOURCE_DIR
#error "RULEBOOK_SOURCE_DIR must name the source tree (the shipped policies are read from it)"
#endif

namespace rulebook::fuzz {

// The repository's policies/ folder (RULEBOOK_POLICIES overrides it).
inline std::string policies_dir() {
  if (const char* p = std::getenv("RULEBOOK_POLICIES"); p && *p) return p;
  return std::string(RULEBOOK_SOURCE_DIR) + "/policies";
}

// The shipped policy set, compiled once per process.
inline const PolicySet& shipped() {
  static const std::shared_ptr<const PolicySet> set = [] {
    LoadResult r = load_policies({policies_dir()});
    if (!r.set) {
      std::string why;
      for (const auto& d : r.diagnostics) why += format_headline(d) + "\n";
      throw std::runtime_error("the shipped policies do not load:\n" + why);
    }
    return r.set;
  }();
  return *set;
}

}  // namespace rulebook::fuzz
