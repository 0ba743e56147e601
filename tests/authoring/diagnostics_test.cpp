// docs/diagnostics.md and `rulebook explain`: every code the sources can emit
// (found by reading the sources, not from a list kept by hand) has an entry,
// every `rules` or `scenarios` example in an entry emits exactly its code, and
// the binary explains each code from its embedded copy of the page.
#include <regex>
#include <set>

#include "authoring/explain.hpp"
#include "rulebook/policy_set.hpp"
#include "scenario/scenario.hpp"
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
  for (const char* dir : {"/src/lang", "/src/check", "/src/policy", "/src/scenario", "/src/authoring", "/src/util"}) {
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
  std::string lang;  // rules or scenarios
  std::string text;
};

// The first fenced example of an entry, when it is a `rules` or `scenarios` one.
std::optional<Example> example_of(const std::string& entry) {
  static const std::regex fence("```(rules|scenarios)\n([\\s\\S]*?)```");
  std::smatch m;
  if (!std::regex_search(entry, m, fence)) return std::nullopt;
  return Example{m[1], m[2]};
}

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

TEST_CASE("diagnostics: each rules or scenarios example emits exactly its code") {
  const std::string doc = read(source_dir() + "/docs/diagnostics.md");
  ScratchDir dir("examples");
  std::size_t checked = 0;
  for (const auto& code : authoring::documented_codes(doc)) {
    const auto entry = authoring::explain_entry(doc, code);
    REQUIRE(entry);
    INFO(code);
    CHECK(entry->find("**Fix:**") != std::string::npos);
    const auto example = example_of(*entry);
    if (!example) continue;
    ++checked;
    const fs::path folder = dir.path / code;
    fs::create_directories(folder);
    if (example->lang == "rules") {
      write(folder / "example.rules", example->text);
      const auto r = load_policies({(folder / "example.rules").string()}, LoadOptions{});
      INFO(test_messages(r.diagnostics));
      CHECK(codes_of(r.diagnostics) == std::set<std::string>{code});
    } else {
      write(folder / "demo.rules", kDemoPolicy);
      const auto suite = scenario::parse_scenarios((folder / "example.scenarios").string(), example->text);
      INFO(test_messages(suite.diagnostics));
      CHECK(codes_of(suite.diagnostics) == std::set<std::string>{code});
    }
  }
  CHECK(checked >= 50);
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
  CHECK(out.find("no diagnostic is called 'unknown'") != std::string::npos);
  CHECK(out.find(" unknown-rule") != std::string::npos);
  CHECK(run_cli("explain", out) == 2);
}

TEST_CASE("explain_entry finds whole codes only and ends at the next entry") {
  const std::string doc = "# D\n\n## `a-b`\n\nlong\n\n## `a`\n\nshort\n";
  CHECK(authoring::explain_entry(doc, "a") == std::optional<std::string>("## `a`\n\nshort\n"));
  CHECK(authoring::explain_entry(doc, "a-b") == std::optional<std::string>("## `a-b`\n\nlong\n"));
  CHECK_FALSE(authoring::explain_entry(doc, "b"));
  CHECK(authoring::documented_codes(doc) == std::vector<std::string>{"a-b", "a"});
}
