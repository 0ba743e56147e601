#include "scenario/update.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

namespace rulebook::scenario {

namespace {

struct Edit {
  std::size_t begin = 0, end = 0;
  std::string text;
  std::size_t line = 0;
};

std::string line_text(const std::string& text, std::size_t line) {
  std::size_t start = 0;
  for (std::size_t k = 1; k < line && start != std::string::npos; ++k) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return "";
  const std::size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool failed_on(const ScenarioResult& r, const std::string& output, const char* what) {
  const std::string needle = "\": " + output + ": " + what;
  return std::any_of(r.failures.begin(), r.failures.end(),
                     [&](const std::string& f) { return f.find(needle) != std::string::npos; });
}

std::vector<Edit> edits_for(const std::string& text, const SuiteResult& sr) {
  std::vector<Edit> edits;
  for (const auto& r : sr.results) {
    if (r.status != Status::failed || r.actual.empty()) continue;
    const Scenario& sc = *r.scenario;
    auto actual = [&](const std::string& name) -> const std::string* {
      for (const auto& [n, v] : r.actual) {
        if (n == name) return &v;
      }
      return nullptr;
    };
    for (const auto& e : sc.outputs) {
      const std::string* v = actual(e.output);
      if (!v || e.value_end <= e.value_begin || e.value_end > text.size()) continue;
      if (!failed_on(r, e.output, "expected ")) continue;
      edits.push_back({e.value_begin, e.value_end, *v, e.pos.line});
    }
    if (sc.expect_all && sc.expect_all->byte <= text.size()) {
      // New lines go just before `all`, indented like it.
      const std::size_t at = sc.expect_all->byte;
      const std::size_t line_start = text.rfind('\n', at ? at - 1 : 0) == std::string::npos ? 0 : text.rfind('\n', at - 1) + 1;
      const std::string indent = text.substr(line_start, at - line_start);
      const bool only_space = indent.find_first_not_of(" \t") == std::string::npos;
      std::string added;
      for (const auto& [name, value] : r.actual) {
        if (!failed_on(r, name, "not listed")) continue;
        added += name + " = " + value + "\n" + (only_space ? indent : std::string("    "));
      }
      if (!added.empty()) edits.push_back({at, at, added, sc.expect_all->line});
    }
  }
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  return edits;
}

}  // namespace

int update_suites(const std::vector<SuiteResult>& results, bool yes, std::istream& in, std::ostream& out,
                  std::ostream& err) {
  int written = 0;
  for (const auto& sr : results) {
    const std::string& path = sr.suite->path;
    if (!is_suite_file(path) || (path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0)) continue;
    std::ifstream f(path, std::ios::binary);
    if (!f) continue;
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    const auto edits = edits_for(text, sr);
    if (edits.empty()) continue;
    std::string updated = text;
    for (const auto& e : edits) updated.replace(e.begin, e.end - e.begin, e.text);

    out << "--- " << path << "\n+++ " << path << " (actual outputs)\n";
    std::vector<Edit> in_order(edits.rbegin(), edits.rend());
    long shift = 0;  // lines added by the edits before this one
    for (const auto& e : in_order) {
      const long added = std::count(e.text.begin(), e.text.end(), '\n') -
                         std::count(text.begin() + static_cast<long>(e.begin), text.begin() + static_cast<long>(e.end), '\n');
      out << "@@ line " << e.line << " @@\n-" << line_text(text, e.line) << "\n";
      for (long k = 0; k <= added; ++k) {
        out << "+" << line_text(updated, static_cast<std::size_t>(static_cast<long>(e.line) + shift + k)) << "\n";
      }
      shift += added;
    }
    if (!yes) {
      out << "write these changes to " << path << "? [y/N] " << std::flush;
      std::string answer;
      if (!std::getline(in, answer) || answer.empty() || (answer[0] != 'y' && answer[0] != 'Y')) {
        out << "not written\n";
        continue;
      }
    }
    const std::string temp = path + ".rulebook-update";
    {
      std::ofstream o(temp, std::ios::binary | std::ios::trunc);
      o << updated;
      if (!o) {
        err << "rulebook test --update: cannot write " << temp << "\n";
        std::remove(temp.c_str());
        return -1;
      }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
      err << "rulebook test --update: cannot replace " << path << ": " << ec.message() << "\n";
      std::remove(temp.c_str());
      return -1;
    }
    out << "updated " << path << "\n";
    ++written;
  }
  return written;
}

}  // namespace rulebook::scenario
