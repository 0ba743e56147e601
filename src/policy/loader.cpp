// Loads a policy folder: reads every .rules file, parses each, resolves `use`
// between modules (rejecting cycles), checks and compiles every policy
// version, proves conflicts where it can, validates version date ranges and
// hashes each version's source set.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "check/checker.hpp"
#include "check/lint.hpp"
#include "check/overlap.hpp"
#include "lang/parser.hpp"
#include "policy/call_order.hpp"
#include "rulebook/policy_set.hpp"
#include "util/sha256.hpp"

namespace rulebook {

namespace fs = std::filesystem;

PolicySet::Lookup PolicySet::find(std::string_view id, Date as_of) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return {Status::unknown_policy, nullptr};
  for (const Program* p : it->second) {
    if (p->in_force_on(as_of)) return {Status::ok, p};
  }
  return {Status::not_in_force, nullptr};
}

std::vector<const Program*> PolicySet::versions_of(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? std::vector<const Program*>{} : it->second;
}

std::vector<std::string> PolicySet::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, _] : by_id_) out.push_back(id);
  return out;
}

struct PolicySetBuilder {
  static std::shared_ptr<const PolicySet> build(std::vector<std::shared_ptr<const Program>> programs) {
    auto set = std::make_shared<PolicySet>();
    std::sort(programs.begin(), programs.end(), [](const auto& a, const auto& b) {
      return std::tie(a->header.id, a->header.in_force_from) < std::tie(b->header.id, b->header.in_force_from);
    });
    set->versions_ = std::move(programs);
    for (const auto& p : set->versions_) set->by_id_[p->header.id].push_back(p.get());
    return set;
  }
};

namespace {

Diagnostic make(Severity sev, const char* code, SourcePos pos, std::string message, const std::string* text) {
  Diagnostic d;
  d.severity = sev;
  d.code = code;
  d.pos = std::move(pos);
  d.message = std::move(message);
  if (text && d.pos.line > 0) d.source_line = line_at(*text, d.pos.byte);
  return d;
}

// An error about a path as a whole (no line): "path: error: message".
void path_error(std::vector<Diagnostic>& diags, const char* code, const std::string& path, std::string message) {
  diags.push_back(make(Severity::error, code, SourcePos{path, 0, 0, 0}, std::move(message), nullptr));
}

// How deep folders may nest under the policies folder (links to folders are
// not followed, so this only stops absurd trees).
constexpr int kMaxFolderDepth = 64;

// Walks one folder for .rules files. Every filesystem call reports its error
// as a diagnostic: a symlink loop, a dangling link, a folder it may not read
// or an entry named *.rules that is not a regular file is an error, so that a
// folder caught mid-deploy never compiles into a smaller set than intended.
// Links to folders are not followed; names starting with '.' are skipped.
void walk_folder(const fs::path& dir, int depth, std::vector<std::string>& out, std::vector<Diagnostic>& diags) {
  if (depth > kMaxFolderDepth) {
    return path_error(diags, "unreadable", dir.string(),
                      "folders nest more than " + std::to_string(kMaxFolderDepth) + " levels deep here");
  }
  // Entries in name order, so diagnostics come out in the same order every time.
  std::vector<fs::path> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) return path_error(diags, "unreadable", dir.string(), "cannot read this folder: " + ec.message());
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    const std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code se;
    const fs::file_status own = fs::symlink_status(p, se);
    if (se) {
      path_error(diags, "unreadable", p.string(), "cannot read this entry: " + se.message());
      continue;
    }
    const bool rules = p.extension() == ".rules";
    if (fs::is_directory(own)) {
      // A rule file replaced by a folder for a moment (mid-deploy) must not
      // compile into a set without it.
      if (rules) path_error(diags, "unreadable", p.string(), "this is a folder, not a rule file");
      else walk_folder(p, depth + 1, out, diags);
      continue;
    }
    const fs::file_status target = fs::status(p, se);  // follows links
    if (se) {  // a dangling link, a loop of links, a link it may not follow
      path_error(diags, "unreadable", p.string(), "cannot read this entry: " + se.message());
      continue;
    }
    if (!rules) continue;
    if (fs::is_directory(target)) {
      path_error(diags, "unreadable", p.string(), "this is a folder, not a rule file");
    } else if (!fs::is_regular_file(target)) {
      path_error(diags, "unreadable", p.string(), "this is not a regular file");
    } else {
      out.push_back(p.string());
    }
  }
}

void collect_files(const std::string& path, std::vector<std::string>& out, std::vector<Diagnostic>& diags) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st)) {
    std::vector<std::string> found;
    walk_folder(path, 0, found, diags);
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  } else if (fs::is_regular_file(st)) {
    out.push_back(path);
  } else if (st.type() == fs::file_type::not_found) {
    path_error(diags, "no-such-path", path, "no such file or folder");
  } else {
    path_error(diags, "unreadable", path,
               ec ? "cannot read this path: " + ec.message() : std::string("this is not a file or folder"));
  }
}

// Reads a whole regular file; on failure, `error` says why.
bool read_file(const std::string& path, std::string& out, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (!ok) {
    error = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {  // replaced between the walk and the read
    ok = false;
    error = S_ISDIR(st.st_mode) ? "this is a folder, not a rule file" : "this is not a regular file";
  }
  char buf[65536];
  while (ok) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      ok = false;
      error = std::strerror(errno);
    }
  }
  ::close(fd);
  return ok;
}

struct Loader {
  const LoadOptions& options;
  std::vector<Diagnostic> diags;
  std::vector<std::unique_ptr<ast::File>> files;
  std::unordered_map<std::string, const ast::File*> modules;  // by module id
  std::unordered_map<std::string, const std::string*> texts;
  // Files with syntax errors: they are not checked, so one typo never adds
  // follow-on errors (a rule it broke "does not exist", a header line it broke
  // "is missing"); their syntax errors are all reported.
  std::unordered_set<std::string> broken{};

  // The source texts a policy quotes: the *.txt files of a `sources` folder
  // beside the policy's folder or in it (policies/sources/), read once each.
  std::unordered_map<std::string, std::vector<std::string>> sources_by_folder{};
  const std::vector<std::string>& source_texts_for(const std::string& policy_path) {
    const fs::path folder = fs::path(policy_path).parent_path();
    const std::string key = folder.string();
    auto found = sources_by_folder.find(key);
    if (found != sources_by_folder.end()) return found->second;
    std::vector<std::string>& texts = sources_by_folder[key];
    for (const fs::path& dir : {folder.parent_path() / "sources", folder / "sources"}) {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) continue;
      std::vector<std::string> names;
      for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code fe;
        if (it->path().extension() == ".txt" && it->is_regular_file(fe)) names.push_back(it->path().string());
      }
      std::sort(names.begin(), names.end());
      for (const auto& n : names) {
        std::string text, error;
        if (read_file(n, text, error)) texts.push_back(std::move(text));
      }
      if (!texts.empty()) break;
    }
    return texts;
  }

  void parse(const std::string& path, bool from_search_dir) {
    std::string text, error;
    const auto overlaid = options.overlay.find(path);
    if (overlaid != options.overlay.end()) {
      text = overlaid->second;
    } else if (!read_file(path, text, error)) {
      if (!from_search_dir) path_error(diags, "unreadable", path, "cannot read this file: " + error);
      return;
    }
    ParseResult r = parse_rules(path, std::move(text), options.limits);
    auto file = std::make_unique<ast::File>(std::move(r.file));
    if (from_search_dir) {
      // Only its modules are wanted; its own problems belong to another run.
      if (!has_errors(r.diagnostics) && file->header && file->header->is_module) {
        modules.emplace(file->header->id, file.get());
        texts[file->path] = &file->text;
        files.push_back(std::move(file));
      }
      return;
    }
    diags.insert(diags.end(), r.diagnostics.begin(), r.diagnostics.end());
    if (has_errors(r.diagnostics)) broken.insert(path);
    if (!file->header && !has_errors(r.diagnostics)) {
      diags.push_back(make(Severity::error, "no-header", SourcePos{path, 1, 1, 0},
                           "this file has no 'policy <id>' or 'module <id>' line; start it with one", &file->text));
    }
    if (file->header && file->header->is_module) {
      auto [it, inserted] = modules.emplace(file->header->id, file.get());
      if (!inserted) {
        diags.push_back(make(Severity::error, "duplicate-module", file->header->pos,
                             "module " + file->header->id + " is also defined in " + it->second->path, &file->text));
      }
    }
    texts[file->path] = &file->text;
    files.push_back(std::move(file));
  }

  // The modules `f` uses, directly or not, each once, dependencies first.
  bool resolve_uses(const ast::File& f, std::vector<const ast::File*>& order) {
    std::set<const ast::File*> done;
    std::vector<const ast::File*> path;
    bool ok = true;
    std::function<void(const ast::File&, std::size_t)> visit = [&](const ast::File& file, std::size_t depth) {
      path.push_back(&file);
      for (const auto& use : file.uses) {
        auto it = modules.find(use.name);
        if (it == modules.end()) {
          std::vector<std::string> known;
          for (const auto& [id, _] : modules) known.push_back(id);
          const std::string hint = did_you_mean(use.name, known);
          diags.push_back(make(Severity::error, "unknown-module", use.pos,
                               "no module called " + use.name + " was found" +
                                   (hint.empty() ? "" : "; did you mean " + hint + "?"),
                               texts[file.path]));
          ok = false;
          continue;
        }
        const ast::File* m = it->second;
        if (std::find(path.begin(), path.end(), m) != path.end()) {
          std::string cycle;
          for (auto p = std::find(path.begin(), path.end(), m); p != path.end(); ++p) cycle += (*p)->header->id + " -> ";
          diags.push_back(make(Severity::error, "use-cycle", use.pos, "modules use each other in a circle: " + cycle + use.name,
                               texts[file.path]));
          ok = false;
          continue;
        }
        if (depth + 1 > options.limits.max_use_depth) {
          diags.push_back(make(Severity::error, "use-too-deep", use.pos,
                               "modules are nested more than " + std::to_string(options.limits.max_use_depth) + " 'use' levels deep",
                               texts[file.path]));
          ok = false;
          continue;
        }
        if (done.count(m)) continue;
        visit(*m, depth + 1);
        done.insert(m);
        order.push_back(m);
      }
      path.pop_back();
    };
    visit(f, 0);
    return ok;
  }

  std::string line_of(const SourcePos& pos) {
    auto it = texts.find(pos.file);
    return it == texts.end() || pos.line == 0 ? "" : line_at(*it->second, pos.byte);
  }

  void check_versions(const std::vector<std::shared_ptr<const Program>>& programs) {
    std::map<std::string, std::vector<const Program*>> by_id;
    for (const auto& p : programs) by_id[p->header.id].push_back(p.get());
    for (auto& [id, versions] : by_id) {
      std::sort(versions.begin(), versions.end(), [](const Program* a, const Program* b) {
        return a->header.in_force_from < b->header.in_force_from;
      });
      for (std::size_t k = 0; k + 1 < versions.size(); ++k) {
        const Program& a = *versions[k];
        const Program& b = *versions[k + 1];
        if (a.header.version == b.header.version) {
          diags.push_back(make(Severity::error, "duplicate-version", b.header.pos,
                               "policy " + id + " version " + b.header.version + " is also defined in " + a.files[0],
                               texts[b.files[0]]));
        }
        if (!a.header.in_force_until || *a.header.in_force_until >= b.header.in_force_from) {
          diags.push_back(make(Severity::error, "overlapping-versions", b.header.pos,
                               "policy " + id + " version " + b.header.version + " (from " +
                                   format_iso_date(b.header.in_force_from) + ") overlaps version " + a.header.version +
                                   " (" + a.files[0] + ", " + format_iso_date(a.header.in_force_from) + " to " +
                                   (a.header.in_force_until ? format_iso_date(*a.header.in_force_until) : "open-ended") +
                                   "); give the earlier version an 'until' date before this one starts",
                               texts[b.files[0]]));
        } else if (add_duration(*a.header.in_force_until, Duration{0, 1}).value_or(Date{}) < b.header.in_force_from) {
          diags.push_back(make(Severity::warning, "version-gap", b.header.pos,
                               "no version of " + id + " is in force from " +
                                   format_iso_date(*add_duration(*a.header.in_force_until, Duration{0, 1})) + " to the day before " +
                                   format_iso_date(b.header.in_force_from),
                               texts[b.files[0]]));
        }
      }
    }
  }
};

std::string source_hash(const ast::File& policy, const std::vector<const ast::File*>& modules) {
  // The policy's own file, then its modules by id; each length-prefixed so
  // moving text between files changes the hash.
  std::vector<const ast::File*> sorted = modules;
  std::sort(sorted.begin(), sorted.end(),
            [](const ast::File* a, const ast::File* b) { return a->header->id < b->header->id; });
  Sha256 h;
  auto add = [&](const ast::File& f) {
    h.update(std::to_string(f.text.size()) + ":");
    h.update(f.text);
  };
  add(policy);
  for (const auto* m : sorted) add(*m);
  return "sha256:" + to_hex(h.finish());
}

// The caller's hash covers its callees' (sub-decisions, issue 14): a change in
// a policy it decides changes its hash, and every cache keyed by it.
std::string with_callees(std::string own, const Program& p) {
  if (p.sub_decisions.empty()) return own;
  Sha256 h;
  h.update(own);
  for (const auto& site : p.sub_decisions) {
    for (const auto& v : site.versions) h.update("|" + site.policy_id + "=" + v.program->hash);
  }
  return "sha256:" + to_hex(h.finish());
}

}  // namespace

LoadResult load_policies(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  Loader loader{options, {}, {}, {}, {}};
  std::vector<std::string> files;
  for (const auto& p : paths) collect_files(p, files, loader.diags);
  for (const auto& [path, text] : options.overlay) {
    if (fs::path(path).extension() == ".rules") files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  if (files.size() > options.limits.max_files) {
    loader.diags.push_back(make(Severity::error, "too-many-files", SourcePos{paths.empty() ? "" : paths[0], 0, 0, 0},
                                std::to_string(files.size()) + " rule files found; the limit is " +
                                    std::to_string(options.limits.max_files),
                                nullptr));
    result.diagnostics = std::move(loader.diags);
    return result;
  }
  for (const auto& f : files) loader.parse(f, false);
  result.files = files.size();

  // Modules the given files use but do not contain may sit in the search folder.
  if (!options.module_search_dir.empty()) {
    bool missing = false;
    for (const auto& f : loader.files) {
      for (const auto& u : f->uses) missing |= !loader.modules.count(u.name);
    }
    if (missing) {
      std::vector<std::string> extra;
      std::vector<Diagnostic> ignored;
      collect_files(options.module_search_dir, extra, ignored);
      for (const auto& f : extra) {
        if (!std::binary_search(files.begin(), files.end(), f)) loader.parse(f, true);
      }
    }
  }

  std::vector<std::shared_ptr<const Program>> programs;
  const std::size_t own_files = loader.files.size();
  // Each file's diagnostics are gathered apart and reported in file order,
  // though policies are checked in call order (sub-decisions, issue 14).
  std::vector<std::vector<Diagnostic>> per_file(own_files);
  struct PolicyToCheck {
    std::size_t file;
    std::vector<const ast::File*> used;
  };
  std::vector<PolicyToCheck> policies;
  for (std::size_t k = 0; k < own_files; ++k) {
    const ast::File& f = *loader.files[k];
    if (!f.header) continue;
    std::swap(loader.diags, per_file[k]);
    std::vector<const ast::File*> used;
    const bool resolved = loader.resolve_uses(f, used);
    std::swap(loader.diags, per_file[k]);
    if (!resolved) continue;
    if (loader.broken.count(f.path) ||
        std::any_of(used.begin(), used.end(), [&](const ast::File* m) { return loader.broken.count(m->path) > 0; })) {
      continue;
    }
    if (f.header->is_module) {
      auto ds = check_module(f, used, options.limits);
      per_file[k].insert(per_file[k].end(), ds.begin(), ds.end());
      continue;
    }
    policies.push_back(PolicyToCheck{k, std::move(used)});
  }

  // ---- sub-decisions (issue 14): callees are checked before their callers ----
  std::vector<const ast::File*> policy_files;
  for (const auto& c : policies) policy_files.push_back(loader.files[c.file].get());
  CallOrder order = order_by_calls(policy_files, options.limits);
  for (auto& d : order.diagnostics) {
    for (std::size_t k = 0; k < own_files; ++k) {
      if (loader.files[k]->path == d.pos.file) {
        per_file[k].push_back(std::move(d));
        break;
      }
    }
  }
  CalleeVersions callees;
  for (const auto& id : order.ids) callees[id];  // known ids; filled once checked
  for (const auto& id : order.ids) {
    if (order.blocked.count(id)) continue;
    std::vector<std::shared_ptr<const Program>> versions;
    for (const auto& c : policies) {
      const ast::File& f = *loader.files[c.file];
      if (f.header->id != id) continue;
      auto& diags = per_file[c.file];
      CheckResult checked = check_policy(f, c.used, callees, options.limits);
      diags.insert(diags.end(), checked.diagnostics.begin(), checked.diagnostics.end());
      if (!checked.program) continue;
      auto lint = lint_policy(f, c.used, loader.source_texts_for(f.path));
      diags.insert(diags.end(), lint.begin(), lint.end());
      auto& program = *checked.program;
      program.files.push_back(f.path);
      for (const auto* m : c.used) program.files.push_back(m->path);
      program.hash = with_callees(source_hash(f, c.used), program);
      if (options.find_conflicts) {
        auto conflicts = find_conflicts(program, ConflictOptions{},
                                        [&](const SourcePos& pos) { return loader.line_of(pos); });
        diags.insert(diags.end(), conflicts.begin(), conflicts.end());
        if (has_errors(conflicts)) continue;
      }
      versions.push_back(std::shared_ptr<const Program>(std::move(checked.program)));
    }
    std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
      return a->header.in_force_from < b->header.in_force_from;
    });
    programs.insert(programs.end(), versions.begin(), versions.end());
    callees[id] = std::move(versions);
  }
  for (auto& diags : per_file) loader.diags.insert(loader.diags.end(), diags.begin(), diags.end());
  loader.check_versions(programs);
  result.diagnostics = std::move(loader.diags);
  if (!has_errors(result.diagnostics)) result.set = PolicySetBuilder::build(std::move(programs));
  return result;
}

}  // namespace rulebook
