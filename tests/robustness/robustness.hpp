// Helpers for the robustness tests (issue 8): policies written to a temp
// folder and loaded as the server would, request bodies, and running deep
// input on a thread with a known stack size.
#pragma once

#include <pthread.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "rulebook/api.hpp"
#include "rulebook/policy_set.hpp"

namespace robust {

using namespace rulebook;
namespace fs = std::filesystem;

inline std::string source_dir() { return RULEBOOK_SOURCE_DIR; }

// A temp folder of .rules files, removed on destruction.
class Folder {
 public:
  Folder() {
    std::string pattern = (fs::temp_directory_path() / "rulebook-robust-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

inline LoadResult load(const Folder& f, const Limits& limits = {}) {
  LoadOptions o;
  o.limits = limits;
  return load_policies({f.str()}, o);
}

inline const Diagnostic* find(const std::vector<Diagnostic>& ds, const std::string& code) {
  for (const auto& d : ds) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

inline std::string messages(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += format_headline(d) + "\n";
  return out;
}

// A policy header to put in front of test rules.
inline std::string header(const std::string& id = "t") {
  return "policy " + id + " \"Test\"\n  version 1\n  in force from 2020-01-01\n";
}

inline RequestContext context() {
  RequestContext ctx;
  ctx.request_id = "test";
  ctx.today = *parse_iso_date("2026-03-02");
  return ctx;
}

// The shipped policies, loaded once.
inline std::shared_ptr<const PolicySet> shipped() {
  static std::shared_ptr<const PolicySet> set = [] {
    LoadResult r = load_policies({source_dir() + "/policies"});
    if (!r.set) throw std::runtime_error("policies do not load:\n" + messages(r.diagnostics));
    return r.set;
  }();
  return set;
}

// Sarah's request (the worked example of aps.s26), as text.
inline const char* kSarah =
    R"({"as_of": "2026-03-02", "facts": {)"
    R"("employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": true},)"
    R"("move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"},)"
    R"("agreement": {"employee": true, "gaining_head": true},)"
    R"("dates": {"notice_given_on": "2026-03-02"}}})";

inline std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t k = 0; k < n; ++k) out += s;
  return out;
}

// Runs `f` on a thread with a given stack size, as a stand-in for a server
// worker: what passes here passes with room to spare on the 8 MiB default.
// A failed REQUIRE inside is carried back to the test's thread.
template <typename F>
void on_stack(std::size_t bytes, F f) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  struct Call {
    F* f;
    std::exception_ptr error;
    static void* run(void* self) {
      auto* call = static_cast<Call*>(self);
      try {
        (*call->f)();
      } catch (...) {
        call->error = std::current_exception();
      }
      return nullptr;
    }
  } call{&f, nullptr};
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attr, &Call::run, &call) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  if (call.error) std::rethrow_exception(call.error);
}

// The plain build runs on 4 MiB, half the default thread stack (the deepest
// policy needs about 1.8 MiB at -O2). Sanitizers make frames up to 15 times
// larger (AddressSanitizer gives every local its own redzones): their builds
// run with 64 MiB, and .ci/hardening raises the main thread's limit to match.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t kStack = 64u << 20;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr std::size_t kStack = 64u << 20;
#else
constexpr std::size_t kStack = 4u << 20;
#endif
#else
constexpr std::size_t kStack = 4u << 20;
#endif

}  // namespace robust
