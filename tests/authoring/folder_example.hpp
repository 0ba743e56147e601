// The `folder` examples of docs/diagnostics.md: a description of files to
// create in a scratch folder, for the codes one rule file cannot show (several
// files, links, limits). One directive a line, content indented four spaces:
//
//   file NAME                    a file; its content is the indented lines below
//   file NAME for i in A..B      one such file for each i (NAME and content use {i})
//   link NAME -> TARGET          a symbolic link (TARGET as written, may dangle or loop)
//   folder NAME                  an empty folder
//   check PATH...                the paths given to the loader (default: the folder)
//
// In content, a line `for i in A..B: TEXT` is TEXT once for each i, where `\n`
// in TEXT is a line break. {i}, {prev} and {next} stand for i, i-1 and i+1.
#pragma once

#include <regex>

#include "support.hpp"

namespace authoring_test {

inline std::string substitute(std::string text, long i) {
  for (const auto& [key, value] :
       {std::pair<std::string, long>{"{i}", i}, {"{prev}", i - 1}, {"{next}", i + 1}}) {
    for (std::size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), std::to_string(value));
  }
  return text;
}

// Expands the `for i in A..B: TEXT` lines of a file's content.
inline std::string expand_content(const std::vector<std::string>& lines) {
  static const std::regex repeat(R"(for i in (\d+)\.\.(\d+): (.*))");
  std::string out;
  for (const auto& line : lines) {
    std::smatch m;
    if (!std::regex_match(line, m, repeat)) {
      out += line + "\n";
      continue;
    }
    std::string text = m[3];
    for (std::size_t at; (at = text.find("\\n")) != std::string::npos;) text.replace(at, 2, "\n");
    for (long i = std::stol(m[1]); i <= std::stol(m[2]); ++i) out += substitute(text, i) + "\n";
  }
  return out;
}

// Creates the example's files under `root`; the paths to give the loader.
// A line it does not understand fails the test (a typo in the page must not
// turn an example into an empty folder).
inline std::vector<std::string> build_folder_example(const fs::path& root, const std::string& example) {
  static const std::regex file_re(R"(file (\S+)(?: for i in (\d+)\.\.(\d+))?)");
  static const std::regex link_re(R"(link (\S+) -> (\S+))");
  static const std::regex folder_re(R"(folder (\S+))");
  std::vector<std::string> lines;
  std::istringstream in(example);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> check;
  for (std::size_t k = 0; k < lines.size();) {
    const std::string& line = lines[k++];
    std::smatch m;
    if (line.empty()) continue;
    if (std::regex_match(line, m, file_re)) {
      std::vector<std::string> content;
      for (; k < lines.size() && (lines[k].empty() || lines[k].rfind("    ", 0) == 0); ++k) {
        content.push_back(lines[k].empty() ? "" : lines[k].substr(4));
      }
      while (!content.empty() && content.back().empty()) content.pop_back();
      const std::string text = expand_content(content);
      const std::string name = m[1];
      const long from = m[2].matched ? std::stol(m[2]) : 0, to = m[3].matched ? std::stol(m[3]) : 0;
      for (long i = from; i <= to; ++i) {
        const fs::path p = root / substitute(name, i);
        fs::create_directories(p.parent_path());
        write(p, substitute(text, i));
      }
    } else if (std::regex_match(line, m, link_re)) {
      fs::create_symlink(std::string(m[2]), root / std::string(m[1]));
    } else if (std::regex_match(line, m, folder_re)) {
      fs::create_directories(root / std::string(m[1]));
    } else if (line.rfind("check ", 0) == 0) {
      std::istringstream paths(line.substr(6));
      for (std::string p; paths >> p;) check.push_back((root / p).string());
    } else {
      FAIL("a folder example line that is not a directive: " << line);
    }
  }
  if (check.empty()) check.push_back(root.string());
  return check;
}

}  // namespace authoring_test
