// The loaded policies as an immutable snapshot, swapped whole on reload.
// A request takes the snapshot once and uses it to the end, so it sees either
// the old set or the new one, never a mix. A reload compiles a complete new set
// first; one that does not compile never replaces the last good set.
#pragma once

#include <chrono>
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

// A policy version, by id and version: what a removal names.
struct VersionName {
  std::string id;
  std::string version;
  bool operator==(const VersionName&) const = default;
};

// Versions a reload would take away from the set being served.
struct Removal {
  std::vector<VersionName> versions;
  std::string at;              // ISO 8601 UTC: when it was first seen (pending) or took effect
  std::string takes_effect_at; // pending only: the end of the grace period
};

struct ReloadRules {
  // A reload that removes versions being served waits until the same removal
  // has been seen for this long (0: at once). `serve --watch` uses
  // --removal-grace; an explicit POST /v1/reload removes at once.
  std::chrono::seconds removal_grace{0};
};

struct ReloadError {
  std::string message;                  // the first error: "aps/s26-2022.rules:12:3: error: ..."
  std::vector<Diagnostic> diagnostics;  // every error, files relative to the policies folder
  std::string at;                       // when the reload was tried
};

struct ReloadOutcome {
  bool ok = false;                           // compiled (and swapped in, unless pending)
  bool removal_pending = false;              // compiled, but it removes versions: waiting for the grace period
  std::vector<VersionName> removed;          // versions this reload took away
  std::shared_ptr<const Snapshot> snapshot;  // the set now serving
  std::optional<ReloadError> error;          // when the newest files did not compile
};

struct StoreStatus {
  std::shared_ptr<const Snapshot> snapshot;
  std::optional<ReloadError> last_error;  // null once a reload succeeds again
  std::string last_attempt_at;
  uint64_t reloads = 0;                   // successful, not counting the first load
  uint64_t failed_reloads = 0;
  std::optional<Removal> pending_removal;  // compiled, waiting for its grace period to pass
  std::optional<Removal> last_removal;     // the last reload that took versions away
  uint64_t removed_versions = 0;           // versions taken away by reloads, in all
};

class PolicyStore {
 public:
  explicit PolicyStore(std::string dir, LoadOptions options = {});

  // Compiles every file under the folder and, when it compiles, swaps it in.
  // Serialised: two reloads never run at once. Safe from any thread.
  ReloadOutcome reload(const ReloadRules& rules = {});
  // Swaps in a set waiting on its removal grace period once that has passed;
  // true when it did. Cheap when nothing is pending.
  bool promote_pending();

  std::shared_ptr<const Snapshot> current() const { return current_.load(); }
  StoreStatus status() const;
  const std::string& dir() const { return dir_; }

  // A path as shown to clients: relative to the policies folder.
  std::string display_path(const std::string& path) const;

 private:
  std::string dir_;
  LoadOptions options_;
  // Not std::atomic<std::shared_ptr>: libstdc++ 12 releases its internal lock
  // with relaxed order after a load, a data race ThreadSanitizer reports (and
  // the C++ memory model agrees with). A mutex held for one pointer copy costs
  // about 20 ns uncontended, far below a decision.
  class SnapshotSlot {
   public:
    std::shared_ptr<const Snapshot> load() const {
      std::lock_guard lock(mutex_);
      return value_;
    }
    void store(std::shared_ptr<const Snapshot> next) {
      std::lock_guard lock(mutex_);
      value_.swap(next);  // the old snapshot is released after the lock, below
    }

   private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> value_;
  };
  SnapshotSlot current_;
  std::mutex reload_mutex_;          // one reload at a time
  mutable std::mutex status_mutex_;  // guards the fields below
  std::optional<ReloadError> last_error_;
  std::string last_attempt_at_;
  uint64_t attempts_ = 0;
  uint64_t reloads_ = 0;
  uint64_t failed_reloads_ = 0;
  struct Pending {
    std::shared_ptr<const PolicySet> set;
    Removal removal;
    std::chrono::steady_clock::time_point since;
    std::chrono::seconds grace{0};
    int64_t compiled_unix = 0;
  };
  std::optional<Pending> pending_;
  std::optional<Removal> last_removal_;
  uint64_t removed_versions_ = 0;

  // Makes `set` the one serving; called with status_mutex_ held.
  void swap_in(std::shared_ptr<const PolicySet> set, const std::string& at, int64_t at_unix,
               std::vector<VersionName> removed);
};

// Now as ISO 8601 UTC with milliseconds: 2026-03-02T09:15:00.123Z.
std::string now_iso_utc();
std::string iso_utc(std::chrono::system_clock::time_point t);

}  // namespace rulebook::server
