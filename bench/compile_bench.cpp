// compile: parse + check + conflict analysis of generated policies of 10 to
// 10,000 rules, with memory per rule; scaling: evaluation time against rule
// count, and against file size at a fixed rule count.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include "check/checker.hpp"
#include "check/overlap.hpp"
#include "generate.hpp"
#include "lang/parser.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/facts.hpp"
#include "rulebook/policy_set.hpp"

namespace {

std::unique_ptr<rulebook::Program> compile(const std::string& text) {
  rulebook::Limits limits;
  limits.max_rule_file_bytes = 64 << 20;  // 10,000 generated rules are about 1.3 MiB
  auto parsed = rulebook::parse_rules("gen.rules", text, limits);
  auto checked = rulebook::check_policy(parsed.file, {}, limits);
  if (!checked.program) return nullptr;
  auto conflicts = rulebook::find_conflicts(*checked.program, {}, [](const rulebook::SourcePos&) { return ""; });
  if (rulebook::has_errors(conflicts)) return nullptr;
  return std::move(checked.program);
}

void BM_compile(benchmark::State& state) {
  const std::string text = bench::generate_policy(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto before = mallinfo2().uordblks;
    auto p = compile(text);
    if (!p) state.SkipWithError("generated policy does not compile");
    bytes = mallinfo2().uordblks - before;  // what the compiled program keeps
    benchmark::DoNotOptimize(p.get());
  }
  state.counters["rules"] = static_cast<double>(state.range(0));
  state.counters["bytes_per_rule"] = static_cast<double>(bytes) / static_cast<double>(state.range(0));
}
BENCHMARK(BM_compile)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void evaluate_generated(benchmark::State& state, int rules, int padding) {
  auto p = compile(bench::generate_policy(rules, "gen", padding));
  if (!p) {
    state.SkipWithError("generated policy does not compile");
    return;
  }
  // A handful of fact sets that make different rules fire.
  std::vector<rulebook::Facts> facts(8);
  for (int k = 0; k < 8; ++k) {
    nlohmann::json f = {{"f", nlohmann::json::object()}};
    for (int e = 0; e < 16; ++e) f["f"]["e" + std::to_string(e)] = "v" + std::to_string((e + k) % 8);
    for (int b = 0; b < 16; ++b) f["f"]["b" + std::to_string(b)] = (b + k) % 3 == 0;
    rulebook::read_facts(*p, f, rulebook::Limits{}, facts[k]);
  }
  rulebook::Decision d;
  std::size_t k = 0;
  for (auto _ : state) {
    rulebook::evaluate_into(*p, facts[k++ % facts.size()], d);
    benchmark::DoNotOptimize(d.slots.data());
  }
  state.counters["rules"] = rules;
  state.counters["ns_per_rule"] = benchmark::Counter(static_cast<double>(rules),
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

void BM_scaling_rules(benchmark::State& state) { evaluate_generated(state, static_cast<int>(state.range(0)), 0); }
BENCHMARK(BM_scaling_rules)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// Same 100 rules, files padded with comments to 10x and 100x the size: time should not move.
void BM_scaling_file_size(benchmark::State& state) { evaluate_generated(state, 100, static_cast<int>(state.range(0))); }
BENCHMARK(BM_scaling_file_size)->Arg(0)->Arg(1000)->Arg(10000);

}  // namespace

namespace {
// A reload: read, parse, check and compile every shipped policy and module.
void BM_reload_shipped_policies(benchmark::State& state) {
  for (auto _ : state) {
    auto r = rulebook::load_policies({std::string(RULEBOOK_SOURCE_DIR) + "/policies"});
    if (!r.set) state.SkipWithError("shipped policies do not load");
    benchmark::DoNotOptimize(r.set.get());
  }
}
BENCHMARK(BM_reload_shipped_policies)->Unit(benchmark::kMillisecond);
}  // namespace
