// Lint in `rulebook check` (src/check/lint.*), --strict and --format json, the
// 15 newcomer mistakes as golden messages, no follow-on errors after a syntax
// error, and did-you-mean in suites.
#include <nlohmann/json.hpp>

#include "check/lint.hpp"
#include "rulebook/policy_set.hpp"
#include "support.hpp"

using namespace rulebook;
using namespace authoring_test;

namespace {

const std::string kHead = "policy demo \"Demo\"\n  version 1\n  in force from 2024-01-01\n\n";

LoadResult load_text(const ScratchDir& dir, const std::string& name, const std::string& text) {
  write(dir.path / name, text);
  return load_policies({(dir.path / name).string()}, LoadOptions{});
}

const Diagnostic* find(const LoadResult& r, const std::string& code) {
  for (const auto& d : r.diagnostics) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("newcomer mistakes: each gives its golden message (file:line:col, text, caret)") {
  const fs::path dir = source_dir() + "/tests/authoring/newcomer";
  const auto cases = files_under(dir, ".rules");
  REQUIRE(cases.size() == 15);
  for (const auto& f : cases) {
    INFO(f.filename().string());
    std::string out;
    const int code = run_cli("check --policies " + dir.string() + " " + f.string(), out);
    const std::string expected = read(fs::path(f).replace_extension(".expected"));
    // The golden files name the file as it is given from inside the folder.
    std::string shown = out;
    for (std::size_t at; (at = shown.find(dir.string() + "/")) != std::string::npos;) {
      shown.erase(at, dir.string().size() + 1);
    }
    CHECK(shown == expected);
    CHECK(code == (expected.find(": error: ") != std::string::npos ? 1 : 0));
  }
  // Layout means nothing to the language: the badly indented policy checks clean, and fmt would fix it.
  std::string out;
  CHECK(run_cli("fmt --check " + (dir / "09-bad-indentation.rules").string(), out) == 1);
}

TEST_CASE("lint: an unmentioned enum member, an output never set, a cite quoting text not in the source") {
  ScratchDir dir("lint");
  fs::create_directories(dir.path / "sources");
  fs::create_directories(dir.path / "demo");
  write(dir.path / "sources" / "guide.txt",
        "Moves\n\n- the employee\xE2\x80\x99s written agreement is needed;\n- and the head\xE2\x80\x99s agreement.\n");
  const std::string text = kHead +
                           "facts\n  kind : one of ongoing, temporary, casual\n  level : one of APS1 < APS2\n\n"
                           "outputs\n  outcome : one of approved, refused, default refused\n  note : text, optional\n\n"
                           "rule ok \"OK\"\n  cite \"Guide: 'The employee's written agreement is needed ... and the "
                           "head's agreement.'\"\n  when kind is ongoing and level >= APS1\n  then outcome = approved\n\n"
                           "rule no \"No\"\n  exception to ok\n  cite \"Guide: 'Temporary moves are refused.'\"\n"
                           "  when kind is temporary\n  then outcome = refused\n";
  const auto r = load_text(dir, "demo/demo.rules", text);
  INFO(test_messages(r.diagnostics));
  CHECK_FALSE(has_errors(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 3);
  const auto* member = find(r, "unused-member");
  REQUIRE(member);
  CHECK(member->severity == Severity::warning);
  CHECK(member->pos.line == 6);
  CHECK(member->message.find("'casual' (a value of fact kind)") == 0);
  const auto* never = find(r, "output-never-set");
  REQUIRE(never);
  CHECK(never->pos.line == 11);
  CHECK(never->message == "no rule sets 'note', so it is always null; add the rule that sets it or remove it");
  const auto* cite = find(r, "cite-not-in-source");
  REQUIRE(cite);
  CHECK(cite->pos.line == 18);
  CHECK(cite->message.find("rule no quotes 'Temporary moves are refused'") == 0);

  // Without a sources folder, cites are not compared.
  ScratchDir bare("lint-bare");
  const auto b = load_text(bare, "demo.rules", text);
  CHECK_FALSE(find(b, "cite-not-in-source"));
}

TEST_CASE("lint: quoted passages are split at '...' and exclude apostrophes inside words") {
  CHECK(quoted_passages("A: 'one two ... three four.'") == std::vector<std::string>{"one two", "three four"});
  CHECK(quoted_passages("the employee's agreement") == std::vector<std::string>{});
  CHECK(quoted_passages("s26; 'a' and 'b c'") == std::vector<std::string>{"a", "b c"});
  CHECK(quoted_passages("'never closed").empty());
}

TEST_CASE("check --strict fails on warnings; --format json prints every diagnostic with its place and code") {
  ScratchDir dir("strict");
  write(dir.path / "w.rules", kHead + "facts\n  x : number\n\noutputs\n  o : number, default 0\n\nrule r\n  when x > 1\n  then o = 1\n");
  std::string out;
  CHECK(run_cli("check --policies " + dir.path.string() + " " + (dir.path / "w.rules").string(), out) == 0);
  CHECK(run_cli("check --strict --policies " + dir.path.string() + " " + (dir.path / "w.rules").string(), out) == 1);
  CHECK(out.find("1 warning (--strict: warnings fail)") != std::string::npos);

  CHECK(run_cli("check --format json --policies " + dir.path.string() + " " + (dir.path / "w.rules").string(), out) == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["errors"] == 0);
  CHECK(j["warnings"] == 1);
  CHECK(j["ok"] == true);
  REQUIRE(j["diagnostics"].size() == 1);
  const auto& d = j["diagnostics"][0];
  CHECK(d["file"] == (dir.path / "w.rules").string());
  CHECK(d["line"] == 11);
  CHECK(d["col"] == 1);
  CHECK(d["end"] == nlohmann::json{{"line", 11}, {"col", 5}});  // under the word `rule`
  CHECK(d["severity"] == "warning");
  CHECK(d["code"] == "missing-cite");
  CHECK(run_cli("check --format xml", out) == 2);
}

TEST_CASE("errors: a syntax error brings no follow-on errors from the checker") {
  ScratchDir dir("follow-on");
  // The first rule is broken; the second is an exception to it. Only the syntax error is reported.
  const auto r = load_text(dir, "p.rules",
                           kHead + "facts\n  x : number\n\noutputs\n  o : number, default 0\n\n"
                                   "rule base\n  cite \"s\"\n  when x >\n  then o = 1\n\n"
                                   "rule other\n  exception to base\n  cite \"s\"\n  when x > 5\n  then o = 2\n");
  INFO(test_messages(r.diagnostics));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "syntax");
  CHECK(r.diagnostics[0].pos.line == 14);
  // A typo in the head's `in force` line: the syntax error only, no "no 'in force from' line".
  const auto h = load_text(dir, "h.rules",
                           "policy demo\n  version 1\n  in forse from 2024-01-01\n\noutputs\n  o : number, default 0\n");
  INFO(test_messages(h.diagnostics));
  REQUIRE(h.diagnostics.size() == 1);
  CHECK(h.diagnostics[0].code == "syntax");
  CHECK(h.diagnostics[0].pos.line == 3);
}

TEST_CASE("suites: a misspelt rule or output gets a did-you-mean") {
  ScratchDir dir("suite-hint");
  fs::create_directories(dir.path / "p");
  write(dir.path / "p" / "demo.rules",
        kHead + "facts\n  x : number\n\noutputs\n  outcome : one of approved, refused, default refused\n\n"
                "rule approve-it\n  cite \"s\"\n  when x > 1\n  then outcome = approved\n");
  write(dir.path / "s.scenarios",
        "suite \"S\" for demo\n\nscenario \"one\"\n  given x = 2\n  expect\n    outcom = approved\n"
        "    fired aprove-it\n");
  std::string out;
  CHECK(run_cli("test " + (dir.path / "s.scenarios").string() + " --policies " + (dir.path / "p").string(), out) == 1);
  CHECK(out.find("outcom: demo 1 has no output called outcom; did you mean outcome? (its outputs: outcome)") !=
        std::string::npos);
  CHECK(out.find("fired aprove-it: demo 1 has no rule called aprove-it; did you mean approve-it?") != std::string::npos);
}
