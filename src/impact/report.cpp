#include "impact/report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rulebook::impact {

namespace {

using json = nlohmann::json;
using Pair = std::pair<const std::pair<std::string, std::string>*, const Change*>;

// The kept pairs, the most frequent first, then by old and new value.
std::vector<Pair> ordered(const OutputChanges& oc) {
  std::vector<Pair> out;
  for (const auto& [key, change] : oc.pairs) out.emplace_back(&key, &change);
  std::stable_sort(out.begin(), out.end(), [](const Pair& a, const Pair& b) { return a.second->count > b.second->count; });
  return out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string versions(const Example& e) {
  if (e.old_version == e.new_version) return e.old_version.empty() ? "" : ", version " + e.old_version;
  return ", version " + (e.old_version.empty() ? "none" : e.old_version) + " → " +
         (e.new_version.empty() ? "none" : e.new_version);
}

// Why the two sides differ, in one line: the rules that set the output and the rules that fired on one side only.
std::string why(const Example& e) {
  std::vector<std::string> parts;
  if (!e.decided_by_old.empty() || !e.decided_by_new.empty()) {
    if (e.decided_by_old == e.decided_by_new) {
      parts.push_back("set by " + e.decided_by_old + " on both sides");
    } else {
      parts.push_back("set by " + (e.decided_by_old.empty() ? std::string("no rule") : e.decided_by_old) +
                      " before, by " + (e.decided_by_new.empty() ? std::string("no rule") : e.decided_by_new) +
                      " now");
    }
  }
  if (!e.fired_only_old.empty()) parts.push_back("fired before only: " + join(e.fired_only_old));
  if (!e.fired_only_new.empty()) parts.push_back("fired now only: " + join(e.fired_only_new));
  if (parts.empty()) return "";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string cases_line(const DiffReport& r) {
  const Tally& t = *r.tally;
  const std::size_t total = t.cases[0] + t.cases[1] + t.cases[2];
  return "replayed " + plural(total, "case", "cases") + " (" + plural(t.cases[0], "scenario", "scenarios") + ", " +
         plural(t.cases[1], "logged decision", "logged decisions") + ", " +
         plural(t.cases[2], "generated case", "generated cases") + "): " + std::to_string(t.changed) + " changed";
}

std::string rule_line(const RuleChange& c) {
  std::string out = c.policy + " " + c.version + ": ";
  if (c.rule.empty()) return out + "version " + c.kind + " (" + c.where + ")";
  return out + c.item + " " + c.rule + " " + c.kind + " (" + c.where + ")";
}

}  // namespace

std::string report_text(const DiffReport& r) {
  std::string out = "rulebook diff: " + r.base_label + " → " + r.new_label + "\n";
  if (r.rules.empty()) out += "rules: no rule added, removed or edited\n";
  for (const auto& c : r.rules) {
    out += rule_line(c) + "\n";
    for (const auto& d : c.details) out += "    " + d + "\n";
  }
  out += cases_line(r) + "\n";
  if (r.log.unreadable) {
    out += "skipped " + plural(r.log.unreadable, "log line that is", "log lines that are") +
           " not a decision; the first: " + r.log.first_problem + "\n";
  }
  for (const auto& [policy, pc] : r.tally->policies) {
    if (!pc.changed) continue;
    out += "\n" + policy + ": " + std::to_string(pc.changed) + " of " + plural(pc.decisions, "decision", "decisions") +
           " changed\n";
    for (const auto& [output, oc] : pc.outputs) {
      for (const auto& [key, change] : ordered(oc)) {
        const Example& e = change->example;
        out += "  " + output + ": " + key->first + " → " + key->second + ": " +
               plural(change->count, "decision", "decisions") + "\n";
        out += "    e.g. " + e.origin + " (as of " + e.as_of + versions(e) + ")\n";
        out += "      facts " + e.facts + "\n";
        const std::string w = why(e);
        if (!w.empty()) out += "      " + w + "\n";
      }
      if (oc.other_pairs) {
        out += "  " + output + ": " + plural(oc.other_pairs, "more change", "more changes") + " (" +
               plural(oc.other_decisions, "decision", "decisions") + ") not listed\n";
      }
    }
  }
  return out;
}

std::string report_json(const DiffReport& r) {
  const Tally& t = *r.tally;
  json j;
  j["base"] = r.base_label;
  j["new"] = r.new_label;
  j["cases"] = {{"scenarios", t.cases[0]}, {"logged", t.cases[1]}, {"generated", t.cases[2]}};
  j["changed"] = t.changed;
  j["rules"] = json::array();
  for (const auto& c : r.rules) {
    j["rules"].push_back({{"policy", c.policy}, {"version", c.version}, {"rule", c.rule.empty() ? json() : json(c.rule)},
                          {"item", c.rule.empty() ? json("version") : json(c.item)}, {"change", c.kind}, {"where", c.where}, {"details", c.details}});
  }
  j["log_lines_skipped"] = r.log.unreadable;
  j["first_log_problem"] = r.log.first_problem.empty() ? json() : json(r.log.first_problem);
  j["policies"] = json::array();
  for (const auto& [policy, pc] : t.policies) {
    json p = {{"policy", policy}, {"decisions", pc.decisions}, {"changed", pc.changed}, {"outputs", json::array()}};
    for (const auto& [output, oc] : pc.outputs) {
      json o = {{"output", output}, {"changes", json::array()}, {"other_changes", oc.other_pairs},
                {"other_decisions", oc.other_decisions}};
      for (const auto& [key, change] : ordered(oc)) {
        const Example& e = change->example;
        json facts = json::parse(e.facts, nullptr, false);
        o["changes"].push_back(
            {{"old", key->first},
             {"new", key->second},
             {"count", change->count},
             {"example",
              {{"origin", e.origin},
               {"as_of", e.as_of},
               {"old_version", e.old_version.empty() ? json() : json(e.old_version)},
               {"new_version", e.new_version.empty() ? json() : json(e.new_version)},
               {"facts", facts.is_discarded() ? json(e.facts) : facts},
               {"set_by_old", e.decided_by_old.empty() ? json() : json(e.decided_by_old)},
               {"set_by_new", e.decided_by_new.empty() ? json() : json(e.decided_by_new)},
               {"fired_only_old", e.fired_only_old},
               {"fired_only_new", e.fired_only_new}}}});
      }
      p["outputs"].push_back(std::move(o));
    }
    j["policies"].push_back(std::move(p));
  }
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

// Text for a Markdown table cell: no pipes or line breaks, code spans kept short.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else if (c == '`') out += '\'';
    else out += c;
  }
  return out;
}

}  // namespace

std::string report_markdown(const DiffReport& r) {
  const Tally& t = *r.tally;
  std::string out = "### rulebook diff: `" + cell(r.base_label) + "` → `" + cell(r.new_label) + "`\n\n";
  out += cases_line(r) + ".\n\n";
  if (r.rules.empty()) {
    out += "No rule was added, removed or edited.\n";
  } else {
    out += "| policy | version | rule | change | where |\n|---|---|---|---|---|\n";
    for (const auto& c : r.rules) {
      std::string change = c.kind;
      for (const auto& d : c.details) change += "<br>" + cell(d);
      out += "| " + cell(c.policy) + " | " + cell(c.version) + " | " + (c.rule.empty() ? "(version)" : cell(c.item == "rule" ? c.rule : c.item + " " + c.rule)) +
             " | " + change + " | `" + cell(c.where) + "` |\n";
    }
  }
  if (r.log.unreadable) {
    out += "\nSkipped " + plural(r.log.unreadable, "log line", "log lines") + " that are not decisions (first: `" +
           cell(r.log.first_problem) + "`).\n";
  }
  for (const auto& [policy, pc] : t.policies) {
    if (!pc.changed) continue;
    out += "\n#### " + cell(policy) + ": " + std::to_string(pc.changed) + " of " +
           plural(pc.decisions, "decision", "decisions") + " changed\n\n";
    out += "| output | old | new | decisions | example |\n|---|---|---|---:|---|\n";
    for (const auto& [output, oc] : pc.outputs) {
      for (const auto& [key, change] : ordered(oc)) {
        const Example& e = change->example;
        std::string example = cell(e.origin) + " (as of " + e.as_of + versions(e) + ")";
        const std::string w = why(e);
        if (!w.empty()) example += "<br>" + cell(w);
        example += "<br><code>" + cell(e.facts) + "</code>";
        out += "| `" + cell(output) + "` | `" + cell(key->first) + "` | `" + cell(key->second) + "` | " +
               std::to_string(change->count) + " | " + example + " |\n";
      }
      if (oc.other_pairs) {
        out += "| `" + cell(output) + "` | … | … | " + std::to_string(oc.other_decisions) + " | " +
               plural(oc.other_pairs, "more change", "more changes") + " not listed |\n";
      }
    }
  }
  if (t.changed == 0) out += "\nNo decision changed.\n";
  return out;
}

}  // namespace rulebook::impact
