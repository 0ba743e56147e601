// `rulebook test --watch`: run, then look at the policy and suite files every
// `interval` seconds (polling: no inotify, works on any file system) and run
// again when any was added, removed or saved. `runs` bounds the number of
// runs (0: until interrupted); the exit code is the last run's.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace rulebook::scenario {

int watch_and_run(const std::vector<std::string>& paths, std::size_t runs, double interval,
                  const std::function<int()>& run, std::ostream& out);

}  // namespace rulebook::scenario
