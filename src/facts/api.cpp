// Request bodies in, response bodies out: the decision contract of
// docs/contract/http-api.md, shared by the server and the CLI.
#include <chrono>

#include "facts/json_reader.hpp"
#include "facts/json_writer.hpp"
#include "facts/log_mask.hpp"
#include "rulebook/api.hpp"
#include "rulebook/facts.hpp"

namespace rulebook {

Date today_utc() {
  const auto now = std::chrono::system_clock::now();
  const auto days = std::chrono::floor<std::chrono::days>(now);
  return Date{static_cast<int32_t>(days.time_since_epoch().count())};
}

std::string error_body(std::string_view code, std::string_view message, std::string_view details_json) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object();
  w.key("code").string(code);
  w.key("message").string(message);
  w.key("details").raw(details_json);
  w.end_object().end_object();
  return out;
}

namespace {

struct Outcome {
  int status = 200;
  std::string code;
  std::string body;  // the 200 body, or the {"error": ...} body
  std::string log_line;
  std::string text;
};

Outcome failure(int status, std::string code, const std::string& message, const std::string& details = "[]") {
  Outcome o;
  o.status = status;
  o.body = error_body(code, message, details);
  o.code = std::move(code);
  return o;
}

// Per-thread buffers for the request path: a JSON document, facts and a
// decision are reused from one request to the next, so a warm thread decides
// without allocating. They are scratch space, never shared between threads.
struct Scratch {
  JsonDocument doc;
  Facts facts;
  Decision decision;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// A huge body leaves big buffers behind; give them back rather than hold them per thread.
void release_if_large(JsonDocument& doc) {
  if (doc.capacity_bytes() > (4u << 20)) doc.release();
}

// Parses a body as JSON, or explains where it is not.
bool parse_body(std::string_view body, const Limits& limits, JsonDocument& doc, Outcome& error) {
  if (doc.parse(body, limits.max_json_depth)) return true;
  const std::string where = "line " + std::to_string(doc.error_line) + ", column " + std::to_string(doc.error_column);
  if (doc.error == JsonDocument::Error::too_deep) {
    error = failure(400, "invalid_request",
                    "the body nests objects and lists more than " + std::to_string(limits.max_json_depth) +
                        " levels deep (" + where + ")");
  } else {
    error = failure(400, "invalid_json", "the body is not valid JSON: " + where + ": " + doc.error_message);
  }
  return false;
}

std::string details_json(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& [path, problem] : items) {
    w.begin_object().key("path").string(path).key("problem").string(problem).end_object();
  }
  w.end_array();
  return out;
}

// 422 invalid_facts: one {"path", "problem"} per problem; a broken require's
// also has "paths", every fact its condition read (issue 14, law-require).
Outcome invalid_facts(const Program& p, const std::vector<FactProblem>& problems) {
  std::string details;
  JsonWriter w(details);
  w.begin_array();
  for (const auto& pr : problems) {
    w.begin_object().key("path").string(pr.path).key("problem").string(pr.problem);
    if (pr.require != kNone) {
      w.key("paths").begin_array();
      for (const auto& path : pr.paths) w.string(path);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  return failure(422, "invalid_facts",
                 std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                     " with the facts for " + p.header.id,
                 details);
}

// One request object (a single decide body, or one case of a batch).
// ---- sub-decisions (issue 14) ----
// `fired` after the policy's own rules: each sub-decision's, named policy/rule
// (a sub-decision's own sub-decisions: outer/inner/rule), in the order they were made.
void write_sub_fired(JsonWriter& w, const Decision& d, const std::string& prefix, bool names_only) {
  for (const SubDecisionRecord& s : d.sub_decisions) {
    const Program& callee = *s.program;
    const std::string qualifier = prefix + callee.header.id + "/";
    for (uint32_t r : s.decision->fired) {
      if (names_only) {
        w.string(qualifier + callee.rules[r].name);
      } else {
        w.begin_object().key("rule").string(qualifier + callee.rules[r].name);
        w.key("cite").string(callee.rules[r].cite).end_object();
      }
    }
    write_sub_fired(w, *s.decision, qualifier, names_only);
  }
}

Outcome decide_one(const PolicySet& set, std::string_view policy_id, const JsonDocument& doc, const JsonValue& request,
                   const Limits& limits, const RequestContext& ctx, const std::string& request_id) {
  std::vector<std::pair<std::string, std::string>> shape;
  if (!request.is_object()) {
    return failure(400, "invalid_request", "the request must be a JSON object like {\"facts\": {...}}");
  }
  const JsonValue* facts = nullptr;
  Date as_of = ctx.today;
  bool explain = false;
  bool seen_facts = false, seen_as_of = false, seen_explain = false;
  for (const JsonValue& value : doc.children(request)) {
    const std::string_view key = value.key;
    bool* seen = key == "facts" ? &seen_facts : key == "as_of" ? &seen_as_of : key == "explain" ? &seen_explain : nullptr;
    if (seen && *seen) {
      shape.emplace_back(std::string(key), "is given twice");
      continue;
    }
    if (seen) *seen = true;
    if (key == "facts") {
      if (value.is_object()) facts = &value;
      else shape.emplace_back("facts", "must be an object of facts");
    } else if (key == "as_of") {
      if (value.is_null()) continue;
      auto d = value.is_string() ? parse_iso_date(value.text) : std::nullopt;
      if (d) {
        as_of = *d;
      } else {
        shape.emplace_back("as_of", "must be a real date as \"YYYY-MM-DD\"");
      }
    } else if (key == "explain") {
      if (value.is_boolean()) explain = value.boolean;
      else if (!value.is_null()) shape.emplace_back("explain", "must be true or false");
    } else {
      shape.emplace_back(std::string(key), "unknown field; a request has facts, as_of and explain");
    }
  }
  if (!seen_facts) shape.emplace(shape.begin(), "facts", "is missing");
  if (!shape.empty()) {
    std::string message = "the request is not of the expected shape: ";
    for (std::size_t k = 0; k < shape.size(); ++k) message += (k ? "; " : "") + shape[k].first + " " + shape[k].second;
    return failure(400, "invalid_request", message, details_json(shape));
  }

  const auto found = set.find(policy_id, as_of);
  if (found.status == PolicySet::Status::unknown_policy) {
    return failure(404, "unknown_policy", "there is no policy called " + std::string(policy_id));
  }
  if (found.status == PolicySet::Status::not_in_force) {
    std::string ranges;
    for (const Program* v : set.versions_of(policy_id)) {
      ranges += (ranges.empty() ? "" : ", ") + v->header.version + " from " + format_iso_date(v->header.in_force_from) +
                (v->header.in_force_until ? " to " + format_iso_date(*v->header.in_force_until) : "");
    }
    return failure(422, "not_in_force",
                   "no version of " + std::string(policy_id) + " is in force on " + format_iso_date(as_of) +
                       " (versions: " + ranges + ")");
  }
  const Program& p = *found.program;

  Facts& values = scratch().facts;
  values.as_of = as_of;
  auto problems = read_facts(p, doc, *facts, limits, values);
  if (!problems.empty()) {
    add_require_problems(p, values, problems);  // require (issue 14): those the facts that read can judge
    return invalid_facts(p, problems);
  }

  Decision& d = scratch().decision;
  evaluate_into(p, values, d);
  if (!d.failed_requires.empty()) {  // ---- require (issue 14, law-require) ----
    for (uint32_t k : d.failed_requires) problems.push_back(require_problem(p, k));
    return invalid_facts(p, problems);
  }
  if (d.error) {
    std::string details = "[]";
    if (!d.error->rules.empty()) {
      details.clear();
      JsonWriter w(details);
      w.begin_array();
      for (const auto& r : d.error->rules) w.begin_object().key("rule").string(r).end_object();
      w.end_array();
    }
    return failure(422, d.error->code, d.error->message, details);
  }

  Outcome ok;
  const std::string decision = decision_object_json(p, d);
  JsonWriter w(ok.body);
  w.begin_object();
  w.key("policy").begin_object();
  w.key("id").string(p.header.id).key("version").string(p.header.version).key("hash").string(p.hash);
  w.key("title").string(p.header.title);
  w.end_object();
  w.key("as_of").string(format_iso_date(as_of));
  w.key("decision").raw(decision);
  w.key("fired").begin_array();
  for (uint32_t r : d.fired) {
    w.begin_object().key("rule").string(p.rules[r].name).key("cite").string(p.rules[r].cite).end_object();
  }
  if (!d.sub_decisions.empty()) write_sub_fired(w, d, "", false);  // sub-decisions (issue 14)
  w.end_array();
  if (explain) w.key("explanation").raw(explanation_json(p, d));
  w.key("request_id").string(request_id);
  w.end_object();

  if (ctx.want_text) {
    ok.text = p.header.id + " version " + p.header.version + " as of " + format_iso_date(as_of) + "\n" +
              explanation_text(p, d);
  }
  if (ctx.want_log_line) {
    JsonWriter l(ok.log_line);
    l.begin_object();
    l.key("time").string(ctx.now_iso);
    l.key("request_id").string(request_id);
    if (!ctx.trace_id.empty()) l.key("trace_id").string(ctx.trace_id);
    l.key("policy").string(p.header.id);
    l.key("version").string(p.header.version);
    l.key("hash").string(p.hash);
    l.key("as_of").string(format_iso_date(as_of));
    l.key("facts");
    std::string facts_json;
    if (ctx.log_mask) {
      ctx.log_mask->write_facts(doc, *facts, facts_json);
    } else {
      doc.write(*facts, facts_json);
    }
    l.raw(facts_json);
    l.key("decision").raw(decision);
    l.key("fired").begin_array();
    for (uint32_t r : d.fired) l.string(p.rules[r].name);
    if (!d.sub_decisions.empty()) write_sub_fired(l, d, "", true);  // sub-decisions (issue 14)
    l.end_array();
    l.end_object();
  }
  return ok;
}

}  // namespace

DecideResult decide(const PolicySet& set, std::string_view policy_id, std::string_view body, const Limits& limits,
                    const RequestContext& ctx) {
  DecideResult result;
  Outcome o;
  JsonDocument& doc = scratch().doc;
  if (parse_body(body, limits, doc, o)) o = decide_one(set, policy_id, doc, doc.root(), limits, ctx, ctx.request_id);
  result.response.status = o.status;
  result.response.body = std::move(o.body);
  result.response.error_code = std::move(o.code);
  if (!o.log_line.empty()) result.log_lines.push_back(std::move(o.log_line));
  result.text = std::move(o.text);
  release_if_large(doc);
  return result;
}

DecideResult decide_batch(const PolicySet& set, std::string_view policy_id, std::string_view body,
                          const Limits& limits, const RequestContext& ctx) {
  DecideResult result;
  Outcome o;
  JsonDocument& doc = scratch().doc;
  auto fail = [&](Outcome f) {
    result.response.status = f.status;
    result.response.body = std::move(f.body);
    result.response.error_code = std::move(f.code);
    release_if_large(doc);
    return result;
  };
  if (!parse_body(body, limits, doc, o)) return fail(std::move(o));
  if (set.versions_of(policy_id).empty()) {
    return fail(failure(404, "unknown_policy", "there is no policy called " + std::string(policy_id)));
  }
  const JsonValue& request = doc.root();
  const JsonValue* cases = request.is_object() ? doc.member(request, "cases") : nullptr;
  if (!cases || !cases->is_array()) {
    return fail(failure(400, "invalid_request", "a batch request is {\"cases\": [{\"facts\": {...}}, ...]}"));
  }
  for (const JsonValue& field : doc.children(request)) {
    if (field.key != "cases") {
      return fail(failure(400, "invalid_request",
                          "unknown field " + std::string(field.key) + "; a batch request has only cases"));
    }
  }
  if (request.child_count > 1) return fail(failure(400, "invalid_request", "cases is given twice"));
  if (cases->child_count > limits.max_batch_cases) {
    return fail(failure(413, "payload_too_large",
                        "a batch holds at most " + std::to_string(limits.max_batch_cases) + " cases"));
  }
  std::string& out = result.response.body;
  out = "{\"results\":[";
  std::size_t k = 0;
  for (const JsonValue& one : doc.children(*cases)) {
    Outcome c = decide_one(set, policy_id, doc, one, limits, ctx, ctx.request_id + "/" + std::to_string(k));
    if (k++) out += ',';
    out += c.body;  // the 200 body, or {"error": ...}
    if (!c.log_line.empty()) result.log_lines.push_back(std::move(c.log_line));
  }
  out += "],\"request_id\":";
  append_json_string(out, ctx.request_id);
  out += "}";
  release_if_large(doc);
  return result;
}

}  // namespace rulebook
