// `rulebook lsp` driven in-process through scripted sessions: every answer is
// checked value by value (ranges in UTF-16 code units, names, codes).
#include <catch2/catch.hpp>
#include <set>

#include "authoring/format.hpp"
#include "authoring/lsp_workspace.hpp"
#include "lang/grammar.hpp"
#include "lsp_session.hpp"

using namespace rulebook::test;
using rulebook::lsp::json;

namespace {

// UTF-16 code units of UTF-8 text: the test's own count, to type text in.
int utf16_length(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

json location(const std::string& uri, json r) { return json{{"uri", uri}, {"range", std::move(r)}}; }

std::vector<std::string> labels(const json& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i["label"]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("lsp: initialize announces UTF-16 positions, incremental sync and every feature", "[lsp]") {
  Session s;
  const json r = s.initialize();
  const json& caps = r["capabilities"];
  CHECK(caps["positionEncoding"] == "utf-16");
  CHECK(caps["textDocumentSync"]["openClose"] == true);
  CHECK(caps["textDocumentSync"]["change"] == 2);
  for (const char* p : {"hoverProvider", "definitionProvider", "referencesProvider", "renameProvider", "documentSymbolProvider"}) {
    CHECK(caps[p] == true);
  }
  CHECK(caps["completionProvider"]["triggerCharacters"] == json::array({"."}));
  CHECK(r["serverInfo"]["name"] == "rulebook");
  CHECK(s.server.workspace().folder == s.dir.string());
}

TEST_CASE("lsp: a clean policy gets empty diagnostics on open", "[lsp]") {
  Session s;
  s.initialize();
  const auto out = s.open(s.policy_uri, kPolicy, 7);
  const json d = diagnostics_for(out, s.policy_uri);
  REQUIRE(d.is_object());
  CHECK(d["version"] == 7);
  CHECK(d["diagnostics"] == json::array());
}

TEST_CASE("lsp: typing a mangled rule character by character: diagnostics at every step, never a crash", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy, 1);
  const std::string typed = "rule mangled \"Zo\xC3\xAB \xF0\x9F\x8E\x89\" when person.agee > 3 then band = hgh";
  int version = 1;
  int character = 0;
  bool saw_syntax_error = false;
  // Code point by code point (a code point is never split: the protocol sends whole characters).
  for (std::size_t k = 0; k < typed.size();) {
    std::size_t n = 1;
    while (k + n < typed.size() && (static_cast<unsigned char>(typed[k + n]) & 0xC0) == 0x80) ++n;
    const std::string piece = typed.substr(k, n);
    k += n;
    ++version;
    const auto out = s.notify("textDocument/didChange",
                              {{"textDocument", {{"uri", s.policy_uri}, {"version", version}}},
                               {"contentChanges", {{{"range", range(20, character, 20, character)}, {"text", piece}}}}});
    character += utf16_length(piece);
    const json d = diagnostics_for(out, s.policy_uri);
    INFO("after typing " << typed.substr(0, k));
    REQUIRE(d.is_object());
    CHECK(d["version"] == version);
    for (const auto& diag : d["diagnostics"]) {
      CHECK(diag["source"] == "rulebook");
      CHECK((diag["severity"] == 1 || diag["severity"] == 2));
      CHECK(diag["code"].is_string());
      CHECK(diag["range"]["start"]["line"].get<int>() <= 20);
      if (diag["code"] == "syntax") saw_syntax_error = true;
    }
    if (k == 5) {  // "rule " and nothing after it
      REQUIRE(d["diagnostics"].size() == 1);
      CHECK(d["diagnostics"][0]["code"] == "syntax");
      CHECK(d["diagnostics"][0]["message"] == "expected a rule name after 'rule', like ongoing-move-agreed");
      CHECK(d["diagnostics"][0]["range"] == range(20, 5, 20, 5));
    }
  }
  CHECK(saw_syntax_error);
  const auto doc = s.server.workspace().documents.find(s.policy_uri);
  REQUIRE(doc);
  CHECK(doc->text == std::string(kPolicy) + typed);

  // The finished line: a warning (no citation) at the rule and two unknown
  // names, placed after "Zoë 🎉" in UTF-16 units.
  const json last = diagnostics_for(
      s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", ++version}}},
                                          {"contentChanges", {{{"range", range(20, character, 20, character)}, {"text", "\n"}}}}}),
      s.policy_uri);
  INFO(last.dump());
  REQUIRE(last["diagnostics"].size() == 3);
  const json& cite = last["diagnostics"][0];
  CHECK(cite["code"] == "missing-cite");
  CHECK(cite["severity"] == 2);
  CHECK(cite["range"] == range(20, 0, 20, 4));
  const json& agee = last["diagnostics"][1];
  CHECK(agee["code"] == "unknown-name");
  CHECK(agee["severity"] == 1);
  CHECK(agee["message"] == "nothing called 'person.agee' is declared; did you mean 'person.age'?");
  // "rule mangled \"Zoë 🎉\" when " is 30 bytes but 27 UTF-16 units.
  CHECK(agee["range"] == range(20, 27, 20, 38));
  const json& hgh = last["diagnostics"][2];
  CHECK(hgh["code"] == "unknown-value");
  CHECK(hgh["severity"] == 1);
  CHECK(hgh["range"] == range(20, 55, 20, 58));

  // Deleting the line (an incremental change spanning two lines) makes it clean again.
  const json clean = diagnostics_for(
      s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", ++version}}},
                                          {"contentChanges", {{{"range", range(20, 0, 21, 0)}, {"text", ""}}}}}),
      s.policy_uri);
  CHECK(clean["diagnostics"] == json::array());
  CHECK(s.server.workspace().documents.find(s.policy_uri)->text == kPolicy);
}

TEST_CASE("lsp: a change to a module gives diagnostics to the files that use it", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy);
  s.open(s.people_uri, kPeople);
  // Rename the fact in the module's buffer only (full-text sync): the policy breaks where it reads it.
  std::string broken = kPeople;
  broken.replace(broken.find("person.grade"), 12, "person.rank ");
  const auto out = s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.people_uri}, {"version", 2}}},
                                                       {"contentChanges", {{{"text", broken}}}}});
  const json module = diagnostics_for(out, s.people_uri);
  REQUIRE(module.is_object());
  CHECK(module["diagnostics"] == json::array());
  const json policy = diagnostics_for(out, s.policy_uri);
  REQUIRE(policy.is_object());
  REQUIRE(policy["diagnostics"].size() == 2);
  CHECK(policy["diagnostics"][0]["code"] == "unknown-name");
  CHECK(policy["diagnostics"][0]["range"] == range(10, 25, 10, 37));
  CHECK(policy["diagnostics"][1]["range"] == range(10, 51, 10, 63));
  // Undone: the policy's diagnostics are cleared.
  const auto fixed = s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.people_uri}, {"version", 3}}},
                                                         {"contentChanges", {{{"text", kPeople}}}}});
  CHECK(diagnostics_for(fixed, s.policy_uri)["diagnostics"] == json::array());
}

TEST_CASE("lsp: hover shows the type, description, citation and where a name is declared", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy);

  // A rule named in `exception to`, after "Zoë 🎉" on its line: UTF-16 column 41.
  json h = s.result("textDocument/hover", s.at(s.policy_uri, 16, 42));
  CHECK(h["contents"]["kind"] == "markdown");
  CHECK(h["contents"]["value"] ==
        "**rule** `base` \"Everyone starts low\"\n\nCite: Pay Act s1\n\nDeclared in policy.rules line 13.");
  CHECK(h["range"] == range(16, 41, 16, 45));

  h = s.result("textDocument/hover", s.at(s.policy_uri, 10, 30));
  CHECK(h["contents"]["value"] == "**fact** `person.grade`: grade\n\nthe grade held today\n\nDeclared in people.rules line 8.");
  CHECK(h["range"] == range(10, 25, 10, 37));

  h = s.result("textDocument/hover", s.at(s.policy_uri, 10, 41));
  CHECK(h["contents"]["value"] ==
        "**enum word** `senior` of `grade`: one of junior < senior < principal\n\nDeclared in people.rules line 4.");

  h = s.result("textDocument/hover", s.at(s.policy_uri, 18, 9));
  CHECK(h["contents"]["value"] ==
        "**define** `senior_or_above`: yes/no\n\n= `person.grade is senior or person.grade is principal`\n\nDeclared in "
        "policy.rules line 11.");

  h = s.result("textDocument/hover", s.at(s.policy_uri, 19, 8));
  CHECK(h["contents"]["value"] == "**output** `band`: one of low, high\n\nthe pay band\n\nDeclared in policy.rules line 9.");

  h = s.result("textDocument/hover", s.at(s.policy_uri, 16, 8));  // the rule's own name
  CHECK(h["contents"]["value"] ==
        "**rule** `promoted` \"Zo\xC3\xAB \xF0\x9F\x8E\x89 pays\"\n\nCite: Pay Act s2\n\nException to: base\n\nDeclared in "
        "policy.rules line 17.");

  h = s.result("textDocument/hover", s.at(s.policy_uri, 5, 6));  // use test.people
  CHECK(h["contents"]["value"] == "**module** `test.people` \"People\"\n\nDeclared in people.rules line 2.");

  // Nothing there (a comment, a keyword): null.
  CHECK(s.result("textDocument/hover", s.at(s.policy_uri, 0, 3)).is_null());
  CHECK(s.result("textDocument/hover", s.at(s.policy_uri, 12, 1)).is_null());
}

TEST_CASE("lsp: definition and references across files, `use` and `exception to`", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy);

  CHECK(s.result("textDocument/definition", s.at(s.policy_uri, 10, 55)) ==
        json::array({location(s.people_uri, range(7, 2, 7, 14))}));
  CHECK(s.result("textDocument/definition", s.at(s.policy_uri, 16, 43)) ==
        json::array({location(s.policy_uri, range(12, 5, 12, 9))}));
  CHECK(s.result("textDocument/definition", s.at(s.policy_uri, 5, 10)) ==
        json::array({location(s.people_uri, range(1, 7, 1, 18))}));
  CHECK(s.result("textDocument/definition", s.at(s.policy_uri, 10, 68)) ==  // principal
        json::array({location(s.people_uri, range(3, 38, 3, 47))}));
  CHECK(s.result("textDocument/definition", s.at(s.policy_uri, 3, 5)) == json::array());

  json params = s.at(s.policy_uri, 10, 26);
  params["context"] = {{"includeDeclaration", true}};
  CHECK(s.result("textDocument/references", params) ==
        json::array({location(s.people_uri, range(7, 2, 7, 14)), location(s.policy_uri, range(10, 25, 10, 37)),
                     location(s.policy_uri, range(10, 51, 10, 63))}));
  params["context"] = {{"includeDeclaration", false}};
  CHECK(s.result("textDocument/references", params) ==
        json::array({location(s.policy_uri, range(10, 25, 10, 37)), location(s.policy_uri, range(10, 51, 10, 63))}));

  // A rule: its declaration and `exception to`.
  params = s.at(s.policy_uri, 12, 6);
  params["context"] = {{"includeDeclaration", true}};
  CHECK(s.result("textDocument/references", params) ==
        json::array({location(s.policy_uri, range(12, 5, 12, 9)), location(s.policy_uri, range(16, 41, 16, 45))}));

  // An output: its declaration and both rules' assignments.
  params = s.at(s.policy_uri, 8, 3);
  params["context"] = {{"includeDeclaration", true}};
  CHECK(s.result("textDocument/references", params) ==
        json::array({location(s.policy_uri, range(8, 2, 8, 6)), location(s.policy_uri, range(14, 7, 14, 11)),
                     location(s.policy_uri, range(19, 7, 19, 11))}));
}

TEST_CASE("lsp: rename a define, a rule and a fact across files", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy);

  json params = s.at(s.policy_uri, 18, 10);
  params["newName"] = "is_senior";
  CHECK(s.result("textDocument/rename", params) ==
        json{{"changes",
              {{s.policy_uri, json::array({{{"range", range(10, 7, 10, 22)}, {"newText", "is_senior"}},
                                           {{"range", range(18, 7, 18, 22)}, {"newText", "is_senior"}}})}}}});

  params = s.at(s.policy_uri, 16, 44);
  params["newName"] = "everyone-low";
  CHECK(s.result("textDocument/rename", params) ==
        json{{"changes",
              {{s.policy_uri, json::array({{{"range", range(12, 5, 12, 9)}, {"newText", "everyone-low"}},
                                           {{"range", range(16, 41, 16, 45)}, {"newText", "everyone-low"}}})}}}});

  params = s.at(s.policy_uri, 10, 55);
  params["newName"] = "person.level";
  CHECK(s.result("textDocument/rename", params) ==
        json{{"changes",
              {{s.people_uri, json::array({{{"range", range(7, 2, 7, 14)}, {"newText", "person.level"}}})},
               {s.policy_uri, json::array({{{"range", range(10, 25, 10, 37)}, {"newText", "person.level"}},
                                           {{"range", range(10, 51, 10, 63)}, {"newText", "person.level"}}})}}}});

  // Refused: a keyword, a malformed name, a name already taken, something not renameable.
  params["newName"] = "when";
  json r = s.request("textDocument/rename", params);
  CHECK(r["error"]["code"] == -32803);
  CHECK(r["error"]["message"] == "cannot rename to 'when': 'when' is a keyword");
  params["newName"] = "person grade";
  CHECK(s.request("textDocument/rename", params)["error"]["message"] ==
        "cannot rename to 'person grade': a name is words of letters, digits and '_' joined by '.'");
  params["newName"] = "person.age";
  CHECK(s.request("textDocument/rename", params)["error"]["message"] ==
        "cannot rename to 'person.age': fact 'person.age' is already declared in people.rules");
  params = s.at(s.policy_uri, 10, 41);  // an enum word
  params["newName"] = "middle";
  CHECK(s.request("textDocument/rename", params)["error"]["code"] == -32803);
}

TEST_CASE("lsp: completion offers what fits where the cursor is", "[lsp]") {
  Session s;
  s.initialize();
  std::string text = std::string(kPolicy) + "define probe = person.";
  s.open(s.policy_uri, text);
  // Record fields after "person.".
  json items = s.result("textDocument/completion", s.at(s.policy_uri, 20, 22));
  CHECK(labels(items) == std::vector<std::string>{"age", "grade", "name"});
  for (const auto& i : items) {
    if (i["label"] == "grade") {
      CHECK(i["kind"] == 5);
      CHECK(i["detail"] == "fact: grade");
    }
  }

  // Enum words valid after "person.grade is ".
  text = std::string(kPolicy) + "define probe = person.grade is ";
  s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", 2}}}, {"contentChanges", {{{"text", text}}}}});
  items = s.result("textDocument/completion", s.at(s.policy_uri, 20, 31));
  CHECK(labels(items) == std::vector<std::string>{"junior", "principal", "senior"});
  CHECK(items[0]["kind"] == 20);

  // An output's words after "band = ", in a rule.
  text = std::string(kPolicy) + "rule r\n  then band = ";
  s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", 3}}}, {"contentChanges", {{{"text", text}}}}});
  CHECK(labels(s.result("textDocument/completion", s.at(s.policy_uri, 21, 14))) == std::vector<std::string>{"high", "low"});

  // Rules after "exception to" (the rule being written does not parse yet, so is not among them).
  text = std::string(kPolicy) + "rule r exception to ";
  s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", 4}}}, {"contentChanges", {{{"text", text}}}}});
  CHECK(labels(s.result("textDocument/completion", s.at(s.policy_uri, 20, 20))) ==
        std::vector<std::string>{"base", "promoted"});

  // Anywhere else: declared names and keywords.
  text = std::string(kPolicy) + "define probe = ";
  s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", 5}}}, {"contentChanges", {{{"text", text}}}}});
  const auto all = labels(s.result("textDocument/completion", s.at(s.policy_uri, 20, 15)));
  for (const char* want : {"person.grade", "person.age", "person.name", "senior_or_above", "band", "when", "then", "is"}) {
    CHECK(std::find(all.begin(), all.end(), want) != all.end());
  }
  CHECK(std::find(all.begin(), all.end(), "junior") == all.end());
  CHECK(all.size() == 5 + rulebook::lsp::completion_keywords().size());
}

TEST_CASE("lsp: every keyword completion offers is a keyword of the grammar", "[lsp]") {
  namespace pegtl = tao::pegtl;
  for (const auto& word : rulebook::lsp::completion_keywords()) {
    pegtl::memory_input<> in(word, "");
    INFO(word);
    CHECK(pegtl::parse<pegtl::seq<rulebook::grammar::keyword, pegtl::eof>>(in));
  }
}

TEST_CASE("lsp: document symbols list the rules, defines, outputs and facts in order", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri, kPolicy);
  const json symbols = s.result("textDocument/documentSymbol", {{"textDocument", {{"uri", s.policy_uri}}}});
  const json want = json::array({
      {{"name", "band"}, {"detail", "output: one of low, high"}, {"kind", 8}, {"range", range(8, 2, 8, 6)}, {"selectionRange", range(8, 2, 8, 6)}},
      {{"name", "senior_or_above"}, {"detail", "person.grade is senior or person.grade is principal"}, {"kind", 14},
       {"range", range(10, 7, 10, 22)}, {"selectionRange", range(10, 7, 10, 22)}},
      {{"name", "base"}, {"detail", "Everyone starts low"}, {"kind", 12}, {"range", range(12, 0, 12, 9)}, {"selectionRange", range(12, 5, 12, 9)}},
      {{"name", "promoted"}, {"detail", "Zo\xC3\xAB \xF0\x9F\x8E\x89 pays"}, {"kind", 12}, {"range", range(16, 0, 16, 13)},
       {"selectionRange", range(16, 5, 16, 13)}},
  });
  CHECK(symbols == want);

  s.open(s.people_uri, kPeople);
  const json facts = s.result("textDocument/documentSymbol", {{"textDocument", {{"uri", s.people_uri}}}});
  REQUIRE(facts.size() == 3);
  CHECK(facts[0]["name"] == "person.name");
  CHECK(facts[0]["detail"] == "fact: text");
  CHECK(facts[0]["kind"] == 7);
  CHECK(facts[2]["range"] == range(8, 2, 8, 12));
}

TEST_CASE("lsp: a broken file still answers: hover, symbols and completion on what parsed", "[lsp]") {
  Session s;
  s.initialize();
  std::string text = kPolicy;
  text.replace(text.find("then band = low"), 15, "then band = = =");
  const auto out = s.open(s.policy_uri, text);
  const json d = diagnostics_for(out, s.policy_uri);
  REQUIRE(d["diagnostics"].size() >= 1);
  CHECK(d["diagnostics"][0]["code"] == "syntax");
  CHECK(d["diagnostics"][0]["range"]["start"] == pos(14, 14));
  // The rules after the broken one are still known.
  json h = s.result("textDocument/hover", s.at(s.policy_uri, 18, 9));
  CHECK(h["contents"]["value"].get<std::string>().rfind("**define** `senior_or_above`", 0) == 0);
  CHECK(s.result("textDocument/documentSymbol", {{"textDocument", {{"uri", s.policy_uri}}}}).size() >= 3);
  // Positions past the end of a line or the file are clamped, not trusted.
  CHECK(s.request("textDocument/hover", s.at(s.policy_uri, 999, 999)).contains("result"));
  CHECK(s.request("textDocument/completion", s.at(s.policy_uri, 14, 999)).contains("result"));

  // A megabyte on one line: completion at its end and a huge new name answer, not overflow the stack.
  const std::string line(1000000, 'a');  // the file stays under the 1 MiB limit
  s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}, {"version", 2}}},
                                      {"contentChanges", {{{"text", std::string(kPolicy) + "define x = [" + line}}}}});
  CHECK(s.result("textDocument/completion", s.at(s.policy_uri, 20, 1000000 + 12)).is_array());
  json params = s.at(s.policy_uri, 18, 9);
  params["newName"] = line;
  CHECK(s.request("textDocument/rename", params)["error"]["message"] ==
        "cannot rename to '" + line + "': names are at most 256 characters");
}

TEST_CASE("lsp: the shipped policies: hover and references through a module, every truncation survived", "[lsp]") {
  const std::string folder = std::string(RULEBOOK_SOURCE_DIR) + "/policies";
  rulebook::lsp::Server server(rulebook::lsp::ServerOptions{folder});
  int id = 0;
  auto call = [&](const std::string& method, json params) {
    auto out = server.handle(json{{"jsonrpc", "2.0"}, {"id", ++id}, {"method", method}, {"params", std::move(params)}});
    REQUIRE(!out.empty());
    return out.back();
  };
  call("initialize", json::object());
  const std::string path = folder + "/aps/s26-2022.rules";
  const std::string uri = rulebook::lsp::path_to_uri(path);
  std::ifstream f(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto open = [&](const std::string& t, int version) {
    return server.handle(json{{"jsonrpc", "2.0"},
                              {"method", "textDocument/didOpen"},
                              {"params", {{"textDocument", {{"uri", uri}, {"version", version}, {"text", t}}}}}});
  };
  CHECK(diagnostics_for(open(text, 1), uri)["diagnostics"] == json::array());

  // `and employee.misconduct_alleged` (line 130): a fact of the module aps.s26.facts.
  // Its columns are read from the file (ASCII), so `rulebook fmt` may re-indent it.
  const std::string fact = "employee.misconduct_alleged";
  auto column_on = [&](const std::string& file_text, int line) {
    std::size_t at = 0;
    for (int l = 0; l < line; ++l) at = file_text.find('\n', at) + 1;
    return static_cast<int>(file_text.find(fact, at) - at);
  };
  const int col = column_on(text, 129);
  REQUIRE(col > 0);
  const json hover = call("textDocument/hover", {{"textDocument", {{"uri", uri}}}, {"position", pos(129, col + 3)}});
  CHECK(hover["result"]["contents"]["value"] ==
        "**fact** `employee.misconduct_alleged`: yes/no, default no\n\nan alleged breach of the Code of Conduct is "
        "unresolved\n\nDeclared in aps/s26-facts.rules line 20.");
  CHECK(hover["result"]["range"] == range(129, col, 129, col + static_cast<int>(fact.size())));
  // Its references: the declaration and the reads in both versions of aps.s26 (and no other policy).
  const json refs = call("textDocument/references", {{"textDocument", {{"uri", uri}}}, {"position", pos(129, col + 3)},
                                                     {"context", {{"includeDeclaration", true}}}});
  std::set<std::string> files;
  for (const auto& r : refs["result"]) files.insert(rulebook::lsp::uri_to_path(r["uri"].get<std::string>()).substr(folder.size() + 1));
  CHECK(files == std::set<std::string>{"aps/s26-2016.rules", "aps/s26-2022.rules", "aps/s26-facts.rules"});
  std::ifstream f2016(folder + "/aps/s26-2016.rules", std::ios::binary);
  const std::string text2016((std::istreambuf_iterator<char>(f2016)), std::istreambuf_iterator<char>());
  const int col2016 = column_on(text2016, 159);
  CHECK(refs["result"][0] == json{{"uri", rulebook::lsp::path_to_uri(folder + "/aps/s26-2016.rules")},
                                  {"range", range(159, col2016, 159, col2016 + static_cast<int>(fact.size()))}});

  // Every truncation of the file, as if typed and cut anywhere: diagnostics each time, and answers.
  int version = 1;
  for (std::size_t cut = 0; cut < text.size(); cut += 331) {
    const auto out = open(text.substr(0, cut), ++version);
    const json d = diagnostics_for(out, uri);
    REQUIRE(d.is_object());
    CHECK(d["version"] == version);
    CHECK(call("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}}).contains("result"));
    CHECK(call("textDocument/completion", {{"textDocument", {{"uri", uri}}}, {"position", pos(1000, 0)}}).contains("result"));
  }
}

TEST_CASE("lsp: formatting replaces the buffer with what `rulebook fmt` gives, and leaves a broken one alone", "[lsp]") {
  Session s;
  const json caps = s.initialize()["capabilities"];
  CHECK(caps["documentFormattingProvider"] == true);
  const json params = {{"textDocument", {{"uri", s.policy_uri}}}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}};

  // Already canonical: nothing to change.
  const std::string canonical = rulebook::authoring::format_rules(kPolicy).text;
  s.open(s.policy_uri, canonical);
  CHECK(s.result("textDocument/formatting", params) == json::array());

  // Misplaced spaces and indentation, with non-ASCII text on the last line:
  // one edit over the whole buffer, its end in UTF-16 code units.
  std::string messy = canonical;
  messy.replace(messy.find("  then band = high"), 18, "      then   band=high");
  messy.replace(messy.find("rule base"), 9, "rule    base");
  messy += "# Zo\xC3\xAB \xF0\x9F\x8E\x89";
  s.open(s.policy_uri, messy, 2);
  const json edits = s.result("textDocument/formatting", params);
  REQUIRE(edits.size() == 1);
  const auto lines = std::count(messy.begin(), messy.end(), '\n');
  CHECK(edits[0]["range"] == range(0, 0, static_cast<int>(lines), utf16_length("# Zo\xC3\xAB \xF0\x9F\x8E\x89")));
  const std::string expected = rulebook::authoring::format_rules(messy).text;
  CHECK(edits[0]["newText"] == expected);
  CHECK(expected.find("  then band = high\n") != std::string::npos);
  CHECK(expected.find("rule base \"Everyone starts low\"") != std::string::npos);

  // A buffer that does not parse: no edits (its errors are diagnostics).
  std::string broken = canonical;
  broken.replace(broken.find("then band = low"), 15, "then band = = =");
  s.open(s.policy_uri, broken, 3);
  CHECK(s.result("textDocument/formatting", params) == json::array());
}

TEST_CASE("lsp: completion offers the fields of a record fact, through lists and nested records", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = rulebook::lsp::path_to_uri((s.dir / "records.rules").string());
  const std::string head =
      "policy test.records \"Records\"\n"                                      // 0
      "  version 1\n"                                                          // 1
      "  in force from 2024-01-01\n"                                           // 2
      "\n"                                                                     // 3
      "type period = record \"a period\"\n"                                    // 4
      "  start : date\n"                                                       // 5
      "  kind  : one of paid, unpaid, default paid\n"                         // 6
      "\n"                                                                     // 7
      "type job = record\n"                                                    // 8
      "  title   : text\n"                                                     // 9
      "  current : period\n"                                                   // 10
      "\n"                                                                     // 11
      "facts\n"                                                                // 12
      "  employee.service : list of period, default []\n"                     // 13
      "  employee.job     : job\n"                                             // 14
      "\n"                                                                     // 15
      "outputs\n"                                                              // 16
      "  n : number\n";                                                        // 17
  auto complete_after = [&](const std::string& typed, int version) {
    const std::string text = head + "define probe = " + typed;  // line 18
    if (version == 1) s.open(uri, text, 1);
    else s.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}}}, {"contentChanges", {{{"text", text}}}}});
    return s.result("textDocument/completion", s.at(uri, 18, 15 + static_cast<int>(typed.size())));
  };
  // A list of records: the record's fields, each with its type.
  json items = complete_after("employee.service.", 1);
  CHECK(labels(items) == std::vector<std::string>{"kind", "start"});
  for (const auto& i : items) {
    CHECK(i["kind"] == 5);
    if (i["label"] == "start") CHECK(i["detail"] == "field: date");
  }
  // A record, then a field that is itself a record.
  CHECK(labels(complete_after("employee.job.", 2)) == std::vector<std::string>{"current", "title"});
  CHECK(labels(complete_after("employee.job.current.", 3)) == std::vector<std::string>{"kind", "start"});
  // Not a record: no fields (the facts under `employee.` are still offered there).
  CHECK(labels(complete_after("employee.job.title.", 4)).empty());
  CHECK(labels(complete_after("employee.", 5)) == std::vector<std::string>{"job", "service"});
}

TEST_CASE("lsp: hover on a dated parameter shows its title, citation and entries (issue 14)", "[lsp]") {
  Session s;
  s.initialize();
  s.open(s.policy_uri,
         "policy test.pay \"Pay\"\n  version 1\n  in force from 2020-01-01\n"
         "facts\n  age : number\noutputs\n  old : yes/no, default no\n"
         "parameter age_limit \"Age limit\"\n  cite \"Act s1\"\n  from 2020-01-01: 65\n  from 2027-01-01: 67\n"
         "rule r \"R\"\n  cite \"c\"\n  when age >= age_limit\n  then old = yes\n");
  const json h = s.result("textDocument/hover", s.at(s.policy_uri, 13, 16));
  CHECK(h["contents"]["value"] ==
        "**parameter** `age_limit`: number \"Age limit\"\n\nCite: Act s1\n\n- from 2020-01-01: `65`\n"
        "- from 2027-01-01: `67`\n\nDeclared in policy.rules line 8.");
  CHECK(h["range"] == range(13, 14, 13, 23));
}
