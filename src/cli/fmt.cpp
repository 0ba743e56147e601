// `rulebook fmt [--check] [PATH...]`: lays out .rules and .scenarios files in
// the canonical layout (src/authoring/format.hpp). Without --check it rewrites
// each file that changes (atomically: a temporary file renamed over it);
// with --check it only lists them. A file that does not parse is reported with
// file:line:col and left as it is. Exit 0: nothing to do (or all done);
// 1: --check found files to change, or a file does not parse or cannot be
// read or written; 2: a bad command line.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "authoring/format.hpp"
#include "cli/cli.hpp"
#include "cli/options.hpp"

namespace rulebook::cli {

namespace fs = std::filesystem;

namespace {

// The files to format under `path` (or `path` itself), in a stable order.
// Folders are walked without following links to folders, so a loop of links ends.
bool collect(const std::string& path, std::vector<std::string>& out, std::ostream& err) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    if (!authoring::file_kind(path)) {
      err << path << ": not a .rules or .scenarios file\n";
      return false;
    }
    out.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) {
    err << path << ": no such file or folder\n";
    return false;
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code fe;
    if (it->is_regular_file(fe) && authoring::file_kind(it->path().filename().string())) {
      found.push_back(it->path().generic_string());
    }
  }
  if (ec) {
    err << path << ": cannot read this folder: " << ec.message() << "\n";
    return false;
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

bool read_whole(const std::string& path, std::string& text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  text = std::move(s).str();
  return !f.bad();
}

// Writes `text` to a temporary file beside `path`, then renames it over `path`,
// so a full disk or a crash never leaves half a policy.
bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  const std::string tmp = path + ".fmt-tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      error = "cannot write " + tmp;
      std::error_code ignore;
      fs::remove(tmp, ignore);
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(tmp, fs::status(path, ec).permissions(), ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    error = "cannot replace the file: " + ec.message();
    std::error_code ignore;
    fs::remove(tmp, ignore);
    return false;
  }
  return true;
}

}  // namespace

int fmt(const Args& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  bool check_only = false;
  CLI::App app{"Lay out .rules and .scenarios files in the canonical layout (docs/language.md, Layout).",
               "rulebook fmt"};
  app.add_option("PATH", paths, "files or folders to format (default: the policies folder)");
  app.add_flag("--check", check_only, "change nothing; list the files that are not formatted and exit 1 if any");
  if (const auto done = parse_options(app, args, out, err)) return *done;
  if (paths.empty()) paths.push_back("policies");

  bool failed = false;
  std::vector<std::string> files;
  for (const auto& p : paths) failed |= !collect(p, files, err);
  std::size_t changed = 0;
  for (const auto& file : files) {
    std::string text;
    if (!read_whole(file, text)) {
      err << file << ": cannot read this file\n";
      failed = true;
      continue;
    }
    const auto r = authoring::format_text(*authoring::file_kind(file), text, file);
    if (!r.ok()) {
      for (const auto& d : r.diagnostics) err << format_diagnostic(d);
      err << file << ": not formatted: fix the errors above first\n";
      failed = true;
      continue;
    }
    if (!r.changed) continue;
    ++changed;
    if (check_only) {
      out << file << "\n";
      continue;
    }
    std::string error;
    if (!write_atomically(file, r.text, error)) {
      err << file << ": " << error << "\n";
      failed = true;
      continue;
    }
    out << "formatted " << file << "\n";
  }
  if (check_only && changed > 0) {
    err << changed << " file" << (changed == 1 ? "" : "s") << " would be reformatted by 'rulebook fmt'\n";
    return kFailed;
  }
  return failed ? kFailed : kOk;
}

}  // namespace rulebook::cli
