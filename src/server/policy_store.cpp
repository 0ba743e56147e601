#include "server/policy_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace rulebook::server {

namespace fs = std::filesystem;

std::string now_iso_utc() {
  const auto now = std::chrono::system_clock::now();
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

ReloadOutcome PolicyStore::reload() {
  std::lock_guard reload_lock(reload_mutex_);
  const std::string attempt_at = now_iso_utc();
  const auto started = std::chrono::system_clock::now();
  LoadResult loaded = load_policies({dir_}, options_);

  ReloadOutcome outcome;
  std::lock_guard status_lock(status_mutex_);
  const bool first = attempts_++ == 0;
  last_attempt_at_ = attempt_at;
  if (loaded.set) {
    auto snap = std::make_shared<Snapshot>();
    snap->set = std::move(loaded.set);
    snap->loaded_at = attempt_at;
    snap->loaded_at_unix = std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count();
    const auto previous = current_.load();
    snap->generation = previous ? previous->generation + 1 : 1;
    current_.store(snap);
    last_error_.reset();
    if (!first) ++reloads_;
    outcome.ok = true;
  } else {
    ReloadError error;
    error.at = attempt_at;
    for (Diagnostic& d : loaded.diagnostics) {
      if (d.severity != Severity::error) continue;
      d.pos.file = display_path(d.pos.file);
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

StoreStatus PolicyStore::status() const {
  std::lock_guard lock(status_mutex_);
  StoreStatus s;
  s.snapshot = current_.load();
  s.last_error = last_error_;
  s.last_attempt_at = last_attempt_at_;
  s.reloads = reloads_;
  s.failed_reloads = failed_reloads_;
  return s;
}

}  // namespace rulebook::server
