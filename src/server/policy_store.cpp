#include "server/policy_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace rulebook::server {

namespace fs = std::filesystem;

std::string now_iso_utc() { return iso_utc(std::chrono::system_clock::now()); }

std::string iso_utc(std::chrono::system_clock::time_point now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

namespace {
// "./policies/" and "policies" name one folder; files are shown relative to it.
std::string normal_dir(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.has_parent_path() && p.filename().empty()) p = p.parent_path();
  return p.empty() ? std::string(".") : p.string();
}
}  // namespace

PolicyStore::PolicyStore(std::string dir, LoadOptions options)
    : dir_(normal_dir(dir)), options_(std::move(options)) {}

std::string PolicyStore::display_path(const std::string& path) const {
  const fs::path rel = fs::path(path).lexically_relative(dir_);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.generic_string();
}

namespace {

// Versions in `before` that `after` no longer has.
std::vector<VersionName> removed_versions(const PolicySet* before, const PolicySet& after) {
  std::vector<VersionName> out;
  if (!before) return out;
  for (const auto& p : before->versions()) {
    bool kept = false;
    for (const Program* q : after.versions_of(p->header.id)) kept |= q->header.version == p->header.version;
    if (!kept) out.push_back({p->header.id, p->header.version});
  }
  return out;
}

// Messages quote other files by the path they were loaded from; show them
// relative to the policies folder, as the diagnostics' own positions are.
void strip_folder(std::string& text, const std::string& dir) {
  const std::string prefix = dir + "/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
}

}  // namespace

void PolicyStore::swap_in(std::shared_ptr<const PolicySet> set, const std::string& at, int64_t at_unix,
                          std::vector<VersionName> removed) {
  auto snap = std::make_shared<Snapshot>();
  snap->set = std::move(set);
  snap->loaded_at = at;
  snap->loaded_at_unix = at_unix;
  const auto previous = current_.load();
  snap->generation = previous ? previous->generation + 1 : 1;
  current_.store(snap);
  pending_.reset();
  if (!removed.empty()) {
    removed_versions_ += removed.size();
    last_removal_ = Removal{std::move(removed), now_iso_utc(), {}};
  }
}

ReloadOutcome PolicyStore::reload(const ReloadRules& rules) {
  std::lock_guard reload_lock(reload_mutex_);
  const std::string attempt_at = now_iso_utc();
  const auto started = std::chrono::system_clock::now();
  const int64_t started_unix = std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count();
  LoadResult loaded = load_policies({dir_}, options_);

  ReloadOutcome outcome;
  std::lock_guard status_lock(status_mutex_);
  const bool first = attempts_++ == 0;
  last_attempt_at_ = attempt_at;
  if (loaded.set) {
    const auto previous = current_.load();
    std::vector<VersionName> removed = removed_versions(previous ? previous->set.get() : nullptr, *loaded.set);
    last_error_.reset();
    outcome.ok = true;
    if (!removed.empty() && rules.removal_grace.count() > 0) {
      // The same removal seen again keeps its start; a different one starts over.
      const auto now = std::chrono::steady_clock::now();
      if (!pending_ || pending_->removal.versions != removed) {
        pending_ = Pending{nullptr, Removal{removed, attempt_at, iso_utc(std::chrono::system_clock::now() + rules.removal_grace)}, now,
                           rules.removal_grace, started_unix};
      }
      pending_->set = std::move(loaded.set);
      pending_->compiled_unix = started_unix;
      if (now - pending_->since < pending_->grace) {
        outcome.removal_pending = true;
        outcome.removed = std::move(removed);
        outcome.snapshot = current_.load();
        return outcome;
      }
      loaded.set = std::move(pending_->set);
    }
    outcome.removed = removed;
    swap_in(std::move(loaded.set), attempt_at, started_unix, std::move(removed));
    if (!first) ++reloads_;
  } else {
    pending_.reset();  // the folder no longer compiles into what was waiting
    ReloadError error;
    error.at = attempt_at;
    for (Diagnostic& d : loaded.diagnostics) {
      if (d.severity != Severity::error) continue;
      d.pos.file = display_path(d.pos.file);
      strip_folder(d.message, dir_);
      error.diagnostics.push_back(std::move(d));
    }
    if (error.diagnostics.empty()) {
      Diagnostic d;
      d.pos.file = dir_;
      d.message = "the policies did not load";
      error.diagnostics.push_back(std::move(d));
    }
    error.message = format_headline(error.diagnostics.front());
    last_error_ = error;
    if (!first) ++failed_reloads_;
    outcome.error = std::move(error);
  }
  outcome.snapshot = current_.load();
  return outcome;
}

bool PolicyStore::promote_pending() {
  std::lock_guard reload_lock(reload_mutex_);
  std::lock_guard status_lock(status_mutex_);
  if (!pending_ || std::chrono::steady_clock::now() - pending_->since < pending_->grace) return false;
  Pending p = std::move(*pending_);
  swap_in(std::move(p.set), now_iso_utc(), p.compiled_unix, std::move(p.removal.versions));
  ++reloads_;
  return true;
}

StoreStatus PolicyStore::status() const {
  std::lock_guard lock(status_mutex_);
  StoreStatus s;
  s.snapshot = current_.load();
  s.last_error = last_error_;
  s.last_attempt_at = last_attempt_at_;
  s.reloads = reloads_;
  s.failed_reloads = failed_reloads_;
  if (pending_) s.pending_removal = pending_->removal;
  s.last_removal = last_removal_;
  s.removed_versions = removed_versions_;
  return s;
}

}  // namespace rulebook::server
