// `rulebook decide POLICY_ID`: the same answer the server gives to
// POST /v1/decide/POLICY_ID, printed to stdout. Exit 0 on a decision,
// 2 on a problem with the request or facts, 1 when the policies do not load.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "rulebook/api.hpp"

namespace rulebook::cli {

int decide(const Args& args, std::ostream& out, std::ostream& err) {
  std::string policy_id, policies = "policies", facts_path = "-", as_of, format = "json";
  bool explain = false;
  CLI::App app{"Decide one request body ({\"facts\": {...}}) and print the answer POST /v1/decide/POLICY_ID gives; "
               "exit 2 on invalid facts, listing every problem by JSON path.",
               "rulebook decide"};
  app.add_option("POLICY_ID", policy_id, "the policy to decide, e.g. aps.s26")->required();
  app.add_option("--policies", policies, "the policies folder")->capture_default_str();
  app.add_option("--facts", facts_path, "the request body: a file, or - for standard input")->capture_default_str();
  app.add_option("--as-of", as_of, "the date that picks the version in force, YYYY-MM-DD (overrides the body's as_of)");
  app.add_flag("--explain", explain, "add the explanation: every rule, whether it applied and why");
  app.add_option("--format", format, "json: the HTTP body; text: the decision for people")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  if (const auto done = parse_options(app, args, out, err)) return *done;
  std::string body;
  if (facts_path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    body = s.str();
  } else {
    std::ifstream in(facts_path, std::ios::binary);
    if (!in) {
      err << "rulebook decide: cannot read " << facts_path << "\n";
      return kBadInput;
    }
    std::ostringstream s;
    s << in.rdbuf();
    body = s.str();
  }
  // --as-of and --explain override the body's own fields.
  if (!as_of.empty() || explain) {
    // A body nested past the limit is left as it is, for decide() to refuse:
    // keeping it whole would make dump() recurse that deep.
    const std::size_t max_depth = Limits{}.max_json_depth;
    bool too_deep = false;
    auto j = nlohmann::json::parse(
        body,
        [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (static_cast<std::size_t>(depth) > max_depth) too_deep = true;
          return !too_deep;
        },
        false);
    if (j.is_object() && !too_deep) {
      if (!as_of.empty()) j["as_of"] = as_of;
      if (explain) j["explain"] = true;
      body = j.dump();
    }
  }
  const LoadResult loaded = load_policies({policies});
  if (!loaded.set) {
    for (const auto& d : loaded.diagnostics) {
      if (d.severity == Severity::error) err << format_diagnostic(d);
    }
    err << "rulebook decide: the policies in " << policies << " do not compile\n";
    return kFailed;
  }
  RequestContext ctx;
  ctx.today = today_utc();
  ctx.request_id = "cli";
  ctx.want_text = format == "text";
  const DecideResult r = rulebook::decide(*loaded.set, policy_id, body, Limits{}, ctx);
  if (format == "text" && r.response.status == 200) {
    out << r.text;
  } else {
    out << r.response.body << "\n";
  }
  return r.response.status == 200 ? kOk : kBadInput;
}

}  // namespace rulebook::cli
