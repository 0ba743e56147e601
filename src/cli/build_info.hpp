// What `rulebook --version` prints: set at build time by src/cli/build_info.cmake.
#pragma once

namespace rulebook::cli {

struct BuildInfo {
  const char* version;   // the project's version (CMakeLists.txt)
  const char* revision;  // git revision of the source, "-modified" when it had uncommitted changes
  const char* date;      // build date, YYYY-MM-DD (UTC; SOURCE_DATE_EPOCH when set)
};

extern const BuildInfo kBuildInfo;

}  // namespace rulebook::cli
