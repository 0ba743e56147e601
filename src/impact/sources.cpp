#include "impact/sources.hpp"

#include "facts/json_reader.hpp"

namespace rulebook::impact {

void replay_log(std::istream& in, const std::string& name, Replayer& replayer, LogStats& stats, const Limits& limits) {
  JsonDocument doc;
  std::string line;
  std::size_t number = 0;
  auto problem = [&](const std::string& why) {
    if (stats.unreadable++ == 0) stats.first_problem = name + ":" + std::to_string(number) + ": " + why;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++stats.lines;
    if (line.size() > limits.max_body_bytes * 2) {  // a line is a request's facts and its answer
      problem("a line of " + std::to_string(line.size()) + " bytes, longer than any logged decision");
      continue;
    }
    if (!doc.parse(line, limits.max_json_depth + 2)) {
      problem("not JSON: column " + std::to_string(doc.error_column) + ": " + doc.error_message);
      continue;
    }
    const JsonValue& root = doc.root();
    const JsonValue* policy = doc.member(root, "policy");
    const JsonValue* as_of = doc.member(root, "as_of");
    const JsonValue* facts = doc.member(root, "facts");
    if (!policy || !policy->is_string() || !as_of || !as_of->is_string() || !facts || !facts->is_object()) {
      problem("not a decision log entry (it needs \"policy\", \"as_of\" and \"facts\")");
      continue;
    }
    const auto date = parse_iso_date(as_of->text);
    if (!date) {
      problem("as_of is not a date: " + std::string(as_of->text));
      continue;
    }
    CaseView c;
    c.source = Source::log;
    c.policy = policy->text;
    c.as_of = *date;
    c.doc = &doc;
    c.doc_facts = facts;
    c.origin_file = name;
    c.origin_line = number;
    replayer.replay(c);
  }
}

void replay_suites(const std::vector<scenario::Suite>& suites, Replayer& replayer, Date today) {
  for (const auto& suite : suites) {
    for (const auto& sc : suite.scenarios) {
      CaseView c;
      c.source = Source::suite;
      c.policy = sc.policy;
      c.as_of = sc.as_of.value_or(today);
      c.facts = &sc.facts;
      c.origin_file = suite.path;
      c.origin_line = sc.pos.line;
      c.origin_name = sc.name;
      replayer.replay(c);
    }
  }
}

}  // namespace rulebook::impact
