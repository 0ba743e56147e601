// The formatter (src/authoring/format.hpp) and `rulebook fmt`: golden files for
// every construct, idempotence on every shipped and fuzz-seed file, files that
// do not parse left alone with their diagnostics, and the verb's exit codes.
#include "authoring/format.hpp"

#include "support.hpp"

using namespace rulebook;
using namespace authoring_test;
using authoring::FileKind;

namespace {

FileKind kind_of(const fs::path& p) {
  const auto k = authoring::file_kind(p.string());
  REQUIRE(k);
  return *k;
}

}  // namespace

TEST_CASE("format: each golden .in file formats to its .out, and the .out formats to itself") {
  const auto inputs = files_under(source_dir() + "/tests/authoring/format", ".in");
  REQUIRE(inputs.size() >= 7);
  for (const auto& in : inputs) {
    const fs::path out = fs::path(in).replace_extension(".out");
    const fs::path named = fs::path(in).replace_extension("");  // x.rules, x.scenarios
    INFO(in.string());
    const auto r = authoring::format_text(kind_of(named), read(in), named.string());
    REQUIRE(r.ok());
    CHECK(r.text == read(out));
    CHECK(r.changed);
    const auto again = authoring::format_text(kind_of(named), r.text, named.string());
    REQUIRE(again.ok());
    CHECK_FALSE(again.changed);
    CHECK(again.text == r.text);
  }
}

TEST_CASE("format: formatting twice changes nothing, for every shipped file, fixture and fuzz seed") {
  std::vector<fs::path> files;
  for (const char* dir : {"/policies", "/examples", "/tests", "/fuzz/seeds"}) {
    for (const char* ext : {".rules", ".scenarios"}) {
      for (auto& f : files_under(source_dir() + dir, ext)) files.push_back(f);
    }
  }
  REQUIRE(files.size() >= 20);
  std::size_t formatted = 0;
  for (const auto& f : files) {
    INFO(f.string());
    const std::string text = read(f);
    const auto once = authoring::format_text(kind_of(f), text, f.string());
    if (!once.ok()) {
      // A file with errors is never touched.
      CHECK(once.text == text);
      CHECK_FALSE(once.changed);
      CHECK_FALSE(once.diagnostics.empty());
      continue;
    }
    ++formatted;
    const auto twice = authoring::format_text(kind_of(f), once.text, f.string());
    REQUIRE(twice.ok());
    CHECK(twice.text == once.text);
    CHECK_FALSE(twice.changed);
  }
  CHECK(formatted >= 15);
}

TEST_CASE("format: the shipped policies and suites are already formatted") {
  for (const char* ext : {".rules", ".scenarios"}) {
    for (const auto& f : files_under(source_dir() + "/policies", ext)) {
      INFO(f.string());
      const auto r = authoring::format_text(kind_of(f), read(f), f.string());
      REQUIRE(r.ok());
      CHECK_FALSE(r.changed);
    }
  }
}

TEST_CASE("format: text that does not parse comes back unchanged, with the error at file:line:col") {
  const std::string broken = "policy p\n  version 1\n  in force from 2024-01-01\n\nrule r\n  when x >\n  then o = 1\n";
  const auto r = authoring::format_rules(broken, "broken.rules");
  CHECK_FALSE(r.ok());
  CHECK_FALSE(r.changed);
  CHECK(r.text == broken);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "syntax");
  CHECK(r.diagnostics[0].pos.file == "broken.rules");
  CHECK(r.diagnostics[0].pos.line == 7);
  CHECK(r.diagnostics[0].pos.column == 3);

  const std::string bad_suite = "suite \"S\" for p\n\nscenario \"x\"\n  given a = \n  expect o = 1\n";
  const auto s = authoring::format_scenarios(bad_suite, "bad.scenarios");
  CHECK_FALSE(s.ok());
  CHECK(s.text == bad_suite);
  REQUIRE_FALSE(s.diagnostics.empty());
  CHECK(s.diagnostics[0].pos.line == 6);  // `expect` was read as the value of a; the scenario has no expect
}

TEST_CASE("format: spacing that decides the meaning is kept") {
  // A call, an index path, a negative number, a rule name with hyphens, yes/no, a date.
  const auto r = authoring::format_rules(
      "policy p\n version 1\n in force from 2024-01-01\nfacts\n a:yes/no\n n : number\noutputs\n o:number\n"
      "rule a-b-2\n cite \"s\"\n when a and n is -1 and 2024-01-01 < 2025-02-03\n then o=round( n ,0)\n");
  REQUIRE(r.ok());
  CHECK(r.text ==
        "policy p\n  version 1\n  in force from 2024-01-01\n\nfacts\n  a : yes/no\n  n : number\n\noutputs\n"
        "  o : number\n\nrule a-b-2\n  cite \"s\"\n  when a and n is -1 and 2024-01-01 < 2025-02-03\n"
        "  then o = round(n, 0)\n");
  const auto s = authoring::format_scenarios(
      "suite \"S\" for p\nscenario \"x\"\n given n=-1   xs=[ -2 , 3 ]\n expect error invalid_facts at xs[0].a , n\n");
  REQUIRE(s.ok());
  CHECK(s.text ==
        "suite \"S\" for p\n\nscenario \"x\"\n  given n = -1 xs = [-2, 3]\n  expect error invalid_facts at xs[0].a, n\n");
}

TEST_CASE("format: line endings, tabs, a byte order mark and an empty file") {
  const auto crlf = authoring::format_rules("module m\r\ntype t = one of a,\tb\r\n\r\n\r\n");
  REQUIRE(crlf.ok());
  CHECK(crlf.text == "module m\ntype t = one of a, b\n");
  // The parser does not read a byte order mark, so neither does the formatter.
  const auto bom = authoring::format_rules("\xEF\xBB\xBFmodule  m\n");
  CHECK_FALSE(bom.ok());
  CHECK(bom.text == "\xEF\xBB\xBFmodule  m\n");
  const auto empty = authoring::format_rules("\n\n  \n");
  REQUIRE(empty.ok());
  CHECK(empty.text.empty());
}

TEST_CASE("rulebook fmt: --check lists the files it would change and exits 1; fmt rewrites them; bad files stay") {
  ScratchDir dir("fmt-verb");
  const std::string messy = "module m\ntype   t=one of a,b\n";
  const std::string tidy = "module m\ntype t = one of a, b\n";
  const std::string broken = "module m\ntype t = one of\n";
  write(dir.path / "messy.rules", messy);
  write(dir.path / "tidy.rules", tidy);
  write(dir.path / "broken.rules", broken);
  write(dir.path / "notes.txt", "not a rule file");
  std::string out;

  CHECK(run_cli("fmt --check " + dir.path.string(), out) == 1);
  CHECK(out.find((dir.path / "messy.rules").string() + "\n") != std::string::npos);
  CHECK(out.find((dir.path / "tidy.rules").string() + "\n") == std::string::npos);
  CHECK(out.find((dir.path / "broken.rules").string() + ":3:1: error:") != std::string::npos);
  CHECK(read(dir.path / "messy.rules") == messy);  // --check changes nothing

  CHECK(run_cli("fmt " + dir.path.string(), out) == 1);  // the broken file is still broken
  CHECK(out.find("formatted " + (dir.path / "messy.rules").string()) != std::string::npos);
  CHECK(read(dir.path / "messy.rules") == tidy);
  CHECK(read(dir.path / "broken.rules") == broken);
  CHECK_FALSE(fs::exists(dir.path / "messy.rules.fmt-tmp"));

  fs::remove(dir.path / "broken.rules");
  CHECK(run_cli("fmt --check " + dir.path.string(), out) == 0);
  CHECK(out.empty());
  CHECK(run_cli("fmt --check " + (dir.path / "notes.txt").string(), out) == 1);
  CHECK(out.find("not a .rules or .scenarios file") != std::string::npos);
  CHECK(run_cli("fmt --bogus", out) == 2);
  CHECK(run_cli("fmt " + (dir.path / "nowhere").string(), out) == 1);
  CHECK(out.find("no such file or folder") != std::string::npos);
}
