// docs/diagnostics.md and `rulebook explain`: every code the sources can emit
// (found by reading the sources, not from a list kept by hand) has an entry,
// every `rules` or `scenarios` example in an entry emits exactly its code, and
// the binary explains each code from its embedded copy of the page.
//
// Every code is tested: its entry's example (rules, scenarios, a JSON suite or
// a folder of files, see folder_example.hpp) runs through the real loader and
// proofs (as `rulebook check` runs them) or suite reader and must emit exactly that code (and the ones the entry says it
// also emits), or the code is in kUnreachable below with the reason no input
// can trigger it.
#include <map>
#include <regex>
#include <set>

#include "analysis/proofs.hpp"
#include "authoring/explain.hpp"
#include "rulebook/policy_set.hpp"
#include "scenario/scenario.hpp"
#include "folder_example.hpp"
#include "support.hpp"

using namespace rulebook;
using namespace authoring_test;

namespace {

// Every diagnostic code in the sources of the parser, checker, loader, lint,
// formatter and suite reader: the string given as a diagnostic's code.
std::set<std::string> codes_in_sources() {
  static const std::regex call(
      R"re(\b(?:error|warning|warn|path_error|make)\((?:diags, |Severity::\w+, |\w+, )?"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")re");
  static const std::regex assigned(R"re(\bcode = "([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")re");
  // The parsers' error(node, message, "code"): the code is the last argument.
  static const std::regex last_argument(R"re("([a-z]+(?:-[a-z]+)*)"\);)re");
  std::set<std::string> codes;
  for (const char* dir : {"/src/lang", "/src/check", "/src/policy", "/src/scenario", "/src/authoring", "/src/util",
                          "/src/analysis"}) {
    for (const char* ext : {".cpp", ".hpp"}) {
      for (const auto& f : files_under(source_dir() + dir, ext)) {
        const std::string text = read(f);
        for (const auto* re : {&call, &assigned}) {
          for (auto it = std::sregex_iterator(text.begin(), text.end(), *re); it != std::sregex_iterator(); ++it) {
            codes.insert((*it)[1]);
          }
        }
        const std::string name = f.filename().string();
        if (name == "parser.cpp" || name == "scenario_parser.cpp") {
          for (auto it = std::sregex_iterator(text.begin(), text.end(), last_argument); it != std::sregex_iterator();
               ++it) {
            codes.insert((*it)[1]);
          }
        }
      }
    }
  }
  return codes;
}

struct Example {
  std::string lang;  // rules, scenarios, json (a JSON suite) or folder
  std::string text;
};

// The first fenced example of an entry, when it is one the test can run.
std::optional<Example> example_of(const std::string& entry) {
  static const std::regex fence("```(rules|scenarios|json|folder)\n([\\s\\S]*?)```");
  std::smatch m;
  if (!std::regex_search(entry, m, fence)) return std::nullopt;
  return Example{m[1], m[2]};
}

// The codes an entry says its example emits besides its own: a line
// "**Also emits:** `a`, `b`." (a file with hundreds of errors has errors too).
std::set<std::string> also_emitted(const std::string& entry) {
  static const std::regex line(R"(\*\*Also emits:\*\*([^\n]*))");
  static const std::regex code("`([a-z0-9-]+)`");
  std::set<std::string> out;
  std::smatch m;
  if (!std::regex_search(entry, m, line)) return out;
  const std::string codes = m[1];
  for (auto it = std::sregex_iterator(codes.begin(), codes.end(), code); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

// The codes no input can trigger, each with the reason; their entries say so
// ("No input triggers it") and have a text example only. A new code with no
// runnable example fails the test until it has one or a reason here.
const std::map<std::string, std::string> kUnreachable = {
    {"internal",
     "a guard for the grammar and the parser (a syntax node the converter does not know) or the parser and the "
     "checker (a list item outside a list) disagreeing; the grammar produces neither"},
    {"module-version",
     "the grammar refuses 'version' and 'in force' after 'module' (as syntax) before the checker sees the file"},
    {"format-failed", "a guard that the formatter's output parses again; every layout it makes parses"},
    {"scenario",
     "the default code of the suite reader's error(); every call names its own code, so no problem uses it"},
    {"dotted-field", "the grammar reads a record field's name as one word: a dotted one is a syntax error first"},
    {"else-not-allowed", "the grammar takes no 'else' after 'count of', 'every' or 'some': a syntax error first"},
    {"no-policy",
     "a suite header must say 'for POLICY' (syntax otherwise), and without a header the suite reader reports "
     "no-suite instead, so no scenario is ever left without a policy"},
};

// The policy the scenario examples run against.
const char* kDemoPolicy =
    "policy demo \"Demo\"\n  version 1\n  in force from 2024-01-01\n\nfacts\n  grade : number\n\noutputs\n"
    "  outcome : one of approved, refused, default refused\n\nrule approve \"Approve\"\n  cite \"s1\"\n"
    "  when grade >= 5\n  then outcome = approved\n";

std::set<std::string> codes_of(const std::vector<Diagnostic>& ds) {
  std::set<std::string> out;
  for (const auto& d : ds) out.insert(d.code);
  return out;
}

}  // namespace

TEST_CASE("diagnostics: every code the sources can emit has an entry in docs/diagnostics.md") {
  const std::string doc = read(source_dir() + "/docs/diagnostics.md");
  const auto documented = authoring::documented_codes(doc);
  const std::set<std::string> documented_set(documented.begin(), documented.end());
  CHECK(documented_set.size() == documented.size());  // no code documented twice
  const auto codes = codes_in_sources();
  REQUIRE(codes.size() >= 60);
  for (const auto& code : codes) {
    INFO(code);
    CHECK(documented_set.count(code) == 1);
  }
  // And nothing documented that no source emits (a renamed code leaves no stale entry).
  for (const auto& code : documented) {
    INFO(code);
    CHECK(codes.count(code) == 1);
  }
}

TEST_CASE("diagnostics: each code's example emits exactly its code, or the code is unreachable") {
  const std::string doc = read(source_dir() + "/docs/diagnostics.md");
  ScratchDir dir("examples");
  std::size_t checked = 0;
  for (const auto& code : authoring::documented_codes(doc)) {
    const auto entry = authoring::explain_entry(doc, code);
    REQUIRE(entry);
    INFO(code);
    CHECK(entry->find("**Fix:**") != std::string::npos);
    const auto example = example_of(*entry);
    const bool unreachable = kUnreachable.count(code) > 0;
    CHECK(unreachable == (entry->find("No input triggers it") != std::string::npos));
    if (!example) {
      CHECK(unreachable);  // every reachable code has an example that runs
      continue;
    }
    CHECK_FALSE(unreachable);
    ++checked;
    std::set<std::string> expected = also_emitted(*entry);
    expected.insert(code);
    const fs::path folder = dir.path / code;
    fs::create_directories(folder);
    std::vector<Diagnostic> diagnostics;
    if (example->lang == "rules") {
      write(folder / "example.rules", example->text);
      diagnostics = analysis::check_policies({(folder / "example.rules").string()}, LoadOptions{}, {}).diagnostics;
    } else if (example->lang == "folder") {
      diagnostics = analysis::check_policies(build_folder_example(folder, example->text), LoadOptions{}, {}).diagnostics;
    } else if (example->lang == "json") {
      diagnostics = scenario::parse_json_suite((folder / "example.scenarios.json").string(), example->text).diagnostics;
    } else {
      write(folder / "demo.rules", kDemoPolicy);
      diagnostics = scenario::parse_scenarios((folder / "example.scenarios").string(), example->text).diagnostics;
    }
    INFO(test_messages(diagnostics));
    CHECK(codes_of(diagnostics) == expected);
  }
  CHECK(checked + kUnreachable.size() == authoring::documented_codes(doc).size());
  const auto sources = codes_in_sources();
  for (const auto& [code, reason] : kUnreachable) {
    INFO(code);
    CHECK(sources.count(code) == 1);  // no stale reason for a code that is gone
    CHECK(reason.size() > 20);
  }
}

TEST_CASE("rulebook explain prints a code's entry from the binary, and lists the codes for an unknown one") {
  std::string out;
  CHECK(run_cli("explain unknown-name", out) == 0);
  const auto entry = authoring::explain_entry(read(source_dir() + "/docs/diagnostics.md"), "unknown-name");
  REQUIRE(entry);
  CHECK(out == *entry);
  CHECK(out.rfind("## `unknown-name`\n", 0) == 0);
  CHECK(out.find("**Fix:**") != std::string::npos);
  // A code that starts like another one gets its own entry.
  CHECK(run_cli("explain unknown", out) == 1);
  CHECK(out.rfind("rulebook explain: no diagnostic is called 'unknown'; did you mean one of unknown-module, unknown-name, ", 0) == 0);
  CHECK(out.find("\nthe codes are: syntax ") != std::string::npos);
  CHECK(out.find(" unknown-rule") != std::string::npos);
  CHECK(run_cli("explain", out) == 2);
}

TEST_CASE("rulebook explain suggests the nearest code for a misspelt one") {
  std::string out;
  CHECK(run_cli("explain unknwn-name", out) == 1);
  CHECK(out.rfind("rulebook explain: no diagnostic is called 'unknwn-name'; did you mean unknown-name?\n", 0) == 0);
  CHECK(out.find("the codes are: ") != std::string::npos);
  CHECK(out.find("\nthe codes are: syntax ") != std::string::npos);
  // Nothing near: the message and the list, no guess.
  CHECK(run_cli("explain zzzzzzzz", out) == 1);
  CHECK(out.rfind("rulebook explain: no diagnostic is called 'zzzzzzzz'\nthe codes are: syntax ", 0) == 0);
}

TEST_CASE("rulebook explain --help describes the verb and its argument") {
  std::string out;
  CHECK(run_cli("explain --help", out) == 0);
  CHECK(out.find("Explain a diagnostic code: what it means, an example, how to fix it.") != std::string::npos);
  CHECK(out.find("CODE") != std::string::npos);
  CHECK(out.find("e.g. unknown-name") != std::string::npos);
  CHECK(run_cli("explain unknown-name extra", out) == 2);
}

TEST_CASE("explain_entry finds whole codes only and ends at the next entry") {
  const std::string doc = "# D\n\n## `a-b`\n\nlong\n\n## `a`\n\nshort\n";
  CHECK(authoring::explain_entry(doc, "a") == std::optional<std::string>("## `a`\n\nshort\n"));
  CHECK(authoring::explain_entry(doc, "a-b") == std::optional<std::string>("## `a-b`\n\nlong\n"));
  CHECK_FALSE(authoring::explain_entry(doc, "b"));
  CHECK(authoring::documented_codes(doc) == std::vector<std::string>{"a-b", "a"});
}
