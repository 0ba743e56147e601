// Fuzz target: any bytes as a .rules file, through the whole front end.
// parse -> resolve `use` against the shipped modules -> check -> conflict
// analysis -> evaluate the compiled program on two sets of facts -> render
// the decision and its explanation. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <climits>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check/checker.hpp"
#include "check/overlap.hpp"
#include "fuzz_common.hpp"
#include "lang/parser.hpp"
#include "rulebook/api.hpp"
#include "rulebook/evaluator.hpp"

namespace {

using namespace rulebook;

// Every module under policies/, parsed once, by id, so a fuzzed policy that
// says `use aps.s26.facts` reaches the checker with real declarations.
const std::map<std::string, std::unique_ptr<ast::File>>& shipped_modules() {
  static const auto modules = [] {
    std::map<std::string, std::unique_ptr<ast::File>> out;
    namespace fs = std::filesystem;
    for (const auto& e : fs::recursive_directory_iterator(fuzz::policies_dir())) {
      if (!e.is_regular_file() || e.path().extension() != ".rules") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      ParseResult r = parse_rules(e.path().string(), s.str());
      if (has_errors(r.diagnostics) || !r.file.header || !r.file.header->is_module) continue;
      const std::string id = r.file.header->id;
      out.emplace(id, std::make_unique<ast::File>(std::move(r.file)));
    }
    return out;
  }();
  return modules;
}

// The modules `f` uses, dependencies first, each once; false on a missing
// module, a cycle or too deep a chain (as the loader refuses them).
bool resolve(const ast::File& f, const Limits& limits, std::vector<const ast::File*>& order) {
  const auto& modules = shipped_modules();
  std::set<const ast::File*> done;
  std::vector<const ast::File*> path;
  std::function<bool(const ast::File&, std::size_t)> visit = [&](const ast::File& file, std::size_t depth) {
    path.push_back(&file);
    for (const auto& use : file.uses) {
      auto it = modules.find(use.name);
      if (it == modules.end()) return false;
      const ast::File* m = it->second.get();
      for (const auto* p : path) {
        if (p == m) return false;
      }
      if (depth + 1 > limits.max_use_depth) return false;
      if (done.count(m)) continue;
      if (!visit(*m, depth + 1)) return false;
      done.insert(m);
      order.push_back(m);
    }
    path.pop_back();
    return true;
  };
  return visit(f, 0);
}

// A value of `type` for every fact, in one of four sets: low (false, 0, the
// first member, an empty list, optional facts missing), high (true, 1, the
// last member, a one-item list, optional facts given), and the smallest and
// largest values a request can send, where overflow checks are tested.
enum class Sample { low, high, min, max };

Value sample(const Program& p, TypeId type, Sample s, Facts& facts, int depth = 0) {
  const TypeInfo& t = p.types[type];
  const bool high = s != Sample::low;
  switch (t.kind) {
    case TypeKind::boolean: return Value::boolean(high);
    case TypeKind::integer:
      return Value::integer(s == Sample::min ? INT64_MIN : s == Sample::max ? INT64_MAX : high ? 1 : 0);
    case TypeKind::decimal:
      return Value::decimal(Decimal{s == Sample::min   ? -((static_cast<__int128>(1) << 111) - 1)
                                    : s == Sample::max ? (static_cast<__int128>(1) << 111) - 1
                                    : high             ? 5
                                                       : 0,
                                    s == Sample::min || s == Sample::max ? 0 : 1});
    case TypeKind::text:
      facts.texts.push_back(s == Sample::max ? std::string(1000, '\xff') : high ? "x" : "");
      return Value::of_text(facts.texts.back());
    case TypeKind::date:
      return Value::of_date(*parse_iso_date(s == Sample::min   ? "0001-01-01"
                                            : s == Sample::max ? "9999-12-31"
                                            : high             ? "2026-03-02"
                                                               : "2022-02-01"));
    case TypeKind::duration:
      return Value::duration(s == Sample::max ? Duration{1000000, 10000000} : Duration{0, high ? 28 : 0});
    case TypeKind::enumeration:
      return Value::enumeration(t.members.empty() ? 0 : static_cast<uint32_t>(high ? t.members.size() - 1 : 0));
    case TypeKind::list: {
      if (!high || depth > 8) return Value::list_of(static_cast<uint32_t>(facts.arena.size()), 0);
      const Value item = sample(p, t.element, s, facts, depth + 1);
      facts.arena.push_back(item);
      return Value::list_of(static_cast<uint32_t>(facts.arena.size() - 1), 1);
    }
    case TypeKind::record: {  // the fields' values side by side in the arena, after anything they hold
      std::vector<Value> fields;
      for (const FieldInfo& field : t.fields) {
        fields.push_back(field.optional && s == Sample::low ? Value() : sample(p, field.type, s, facts, depth + 1));
      }
      const auto offset = static_cast<uint32_t>(facts.arena.size());
      facts.arena.insert(facts.arena.end(), fields.begin(), fields.end());
      return Value::record_of(offset, static_cast<uint32_t>(fields.size()));
    }
  }
  return Value();
}

void evaluate_with(const Program& p, Sample s) {
  Facts facts;
  facts.values.resize(p.facts.size());
  for (std::size_t f = 0; f < p.facts.size(); ++f) {
    const FieldInfo& info = p.facts[f];
    if (info.optional && s == Sample::low) continue;  // missing
    facts.values[f] = sample(p, info.type, s, facts);
  }
  const Decision d = evaluate(p, facts);
  if (!d.error) {
    (void)decision_object_json(p, d);
    (void)explanation_json(p, d);
    (void)explanation_text(p, d);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const Limits limits;
  ParseResult parsed = parse_rules("fuzz.rules", std::string(reinterpret_cast<const char*>(data), size), limits);
  for (const auto& d : parsed.diagnostics) (void)format_diagnostic(d);
  if (has_errors(parsed.diagnostics) || !parsed.file.header) return 0;

  std::vector<const ast::File*> used;
  if (!resolve(parsed.file, limits, used)) return 0;
  if (parsed.file.header->is_module) {
    for (const auto& d : check_module(parsed.file, used, limits)) (void)format_diagnostic(d);
    return 0;
  }
  CheckResult checked = check_policy(parsed.file, used, limits);
  for (const auto& d : checked.diagnostics) (void)format_diagnostic(d);
  if (!checked.program) return 0;
  const Program& p = *checked.program;
  const std::string& text = parsed.file.text;
  // The analysis's own code with a smaller budget: the default (a million
  // evaluations) would make one input take seconds here, under the sanitizers.
  ConflictOptions conflict_options;
  conflict_options.max_evaluations = 20000;
  const auto conflicts =
      find_conflicts(p, conflict_options, [&](const SourcePos& pos) { return line_at(text, pos.byte); });
  for (const auto& d : conflicts) (void)format_diagnostic(d);
  for (Sample s : {Sample::low, Sample::high, Sample::min, Sample::max}) evaluate_with(p, s);
  return 0;
}
