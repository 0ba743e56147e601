// Helpers for the robustness tests (issue 8): policies written to a temp
// folder and loaded as the server would, and request bodies built by size.
#pragma once

#include <unistd.h>

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

}  // namespace robust
