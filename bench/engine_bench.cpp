// evaluate and decide_json: aps.s26 on twenty varied fact sets, against the
// hand-written floor measured in the same binary. Each run prints the ratios.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "fact_sets.hpp"
#include "hand_written.hpp"
#include "rulebook/api.hpp"
#include "rulebook/facts.hpp"
#include "rulebook/policy_set.hpp"

namespace {

struct Fixture {
  std::shared_ptr<const rulebook::PolicySet> set;
  const rulebook::Program* program = nullptr;
  std::vector<bench::Case> cases;
  std::vector<rulebook::Facts> facts;

  Fixture() {
    auto loaded = rulebook::load_policies({std::string(RULEBOOK_SOURCE_DIR) + "/policies"});
    if (!loaded.set) {
      std::cerr << "policies do not load\n";
      std::exit(1);
    }
    set = loaded.set;
    program = set->find("aps.s26", *rulebook::parse_iso_date("2026-03-02")).program;
    cases = bench::cases();
    for (const auto& c : cases) {
      rulebook::Facts f;
      auto body = nlohmann::json::parse(c.json);
      if (!rulebook::read_facts(*program, body["facts"], rulebook::Limits{}, f).empty()) std::exit(1);
      f.as_of = *rulebook::parse_iso_date(body["as_of"].get<std::string>());  // the case's date, as the API takes it
      // The engine and the floor must agree on every case, or the ratio means nothing.
      rulebook::Decision d = rulebook::evaluate(*program, f);
      const std::string engine = rulebook::decision_object_json(*program, d);
      const std::string hand = bench::hand_output_json(bench::decide_by_hand(c));
      if (engine != hand) {
        std::cerr << "engine and hand-written disagree on\n" << c.json << "\nengine: " << engine << "\nhand:   " << hand << "\n";
        std::exit(1);
      }
      facts.push_back(std::move(f));
    }
  }
};

const Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_hand_written(benchmark::State& state) {
  const auto& cases = fixture().cases;
  std::size_t k = 0;
  for (auto _ : state) {
    auto out = bench::decide_by_hand(cases[k++ % cases.size()]);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_hand_written);

void BM_evaluate(benchmark::State& state) {
  const auto& f = fixture();
  rulebook::Decision d;
  std::size_t k = 0;
  for (auto _ : state) {
    rulebook::evaluate_into(*f.program, f.facts[k++ % f.facts.size()], d);
    benchmark::DoNotOptimize(d.slots.data());
  }
}
BENCHMARK(BM_evaluate);

void BM_decide_json(benchmark::State& state) {
  const auto& f = fixture();
  rulebook::RequestContext ctx;
  ctx.today = *rulebook::parse_iso_date("2026-03-02");
  ctx.request_id = "bench";
  const rulebook::Limits limits;
  std::size_t k = 0;
  for (auto _ : state) {
    auto r = rulebook::decide(*f.set, "aps.s26", f.cases[k++ % f.cases.size()].json, limits, ctx);
    if (r.response.status != 200) state.SkipWithError("decision failed");
    benchmark::DoNotOptimize(r.response.body.data());
  }
}
BENCHMARK(BM_decide_json);

}  // namespace
