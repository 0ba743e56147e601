// The loaded policies as an immutable snapshot, swapped whole on reload.
// A request takes the snapshot once and uses it to the end, so it sees either
// the old set or the new one, never a mix. A reload compiles a complete new set
// first; one that does not compile never replaces the last good set.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/policy_set.hpp"

namespace rulebook::server {

struct Snapshot {
  std::shared_ptr<const PolicySet> set;
  std::string loaded_at;   // ISO 8601 UTC, when this set was compiled
  int64_t loaded_at_unix = 0;
  uint64_t generation = 0; // 1 for the set loaded at start, +1 per successful reload
};

struct ReloadError {
  std::string message;                  // the first error: "aps/s26-2022.rules:12:3: error: ..."
  std::vector<Diagnostic> diagnostics;  // every error, files relative to the policies folder
  std::string at;                       // when the reload was tried
};

struct ReloadOutcome {
  bool ok = false;
  std::shared_ptr<const Snapshot> snapshot;  // the set now serving
  std::optional<ReloadError> error;          // when the newest files did not compile
};

struct StoreStatus {
  std::shared_ptr<const Snapshot> snapshot;
  std::optional<ReloadError> last_error;  // null once a reload succeeds again
  std::string last_attempt_at;
  uint64_t reloads = 0;                   // successful, not counting the first load
  uint64_t failed_reloads = 0;
};

class PolicyStore {
 public:
  explicit PolicyStore(std::string dir, LoadOptions options = {});

  // Compiles every file under the folder and, when it compiles, swaps it in.
  // Serialised: two reloads never run at once. Safe from any thread.
  ReloadOutcome reload();

  std::shared_ptr<const Snapshot> current() const { return current_.load(); }
  StoreStatus status() const;
  const std::string& dir() const { return dir_; }

  // A path as shown to clients: relative to the policies folder.
  std::string display_path(const std::string& path) const;

 private:
  std::string dir_;
  LoadOptions options_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::mutex reload_mutex_;          // one reload at a time
  mutable std::mutex status_mutex_;  // guards the fields below
  std::optional<ReloadError> last_error_;
  std::string last_attempt_at_;
  uint64_t attempts_ = 0;
  uint64_t reloads_ = 0;
  uint64_t failed_reloads_ = 0;
};

// Now as ISO 8601 UTC with milliseconds: 2026-03-02T09:15:00.123Z.
std::string now_iso_utc();

}  // namespace rulebook::server
