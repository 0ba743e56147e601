// Decimal arithmetic: `+ - *` on 6-place and on 18-place values, directly and
// through the evaluator (a policy computing a * b + c - d). The target:
// 18 places cost at most 2x what 6 places cost before 18 were possible (run
// the 6-place figures on the old build for that baseline; bench/run prints both).
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "check/checker.hpp"
#include "lang/parser.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/facts.hpp"

namespace {

// Eight values of each shape, cycled so the branch predictor cannot learn one.
const char* kSix[] = {"1234.567891", "0.000123", "98765.4321", "-42.5", "7.000001", "123456.789012", "-0.5", "3.141593"};
const char* kEighteen[] = {"1234.567891234567891234", "0.000123456789012345", "98765.432109876543210987",
                           "-42.500000000000000001", "7.000000000000000001", "123456.789012345678901234",
                           "-0.555555555555555555", "3.141592653589793238"};

std::vector<rulebook::Decimal> parsed(const char* const* texts) {
  std::vector<rulebook::Decimal> out;
  for (int k = 0; k < 8; ++k) {
    auto d = rulebook::parse_decimal(texts[k]);
    if (!d) return {};
    out.push_back(*d);
  }
  return out;
}

void run_direct(benchmark::State& state, const char* const* texts) {
  const auto v = parsed(texts);
  if (v.empty()) {
    state.SkipWithError("these decimals do not parse in this build");
    return;
  }
  std::size_t k = 0;
  for (auto _ : state) {
    const auto& a = v[k & 7];
    const auto& b = v[(k + 3) & 7];
    auto s = rulebook::decimal_add(a, b);
    auto d = rulebook::decimal_sub(a, b);
    auto m = rulebook::decimal_mul(a, b);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(d);
    benchmark::DoNotOptimize(m);
    ++k;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 3);
}

void BM_decimal_6_places(benchmark::State& state) { run_direct(state, kSix); }
BENCHMARK(BM_decimal_6_places);
void BM_decimal_18_places(benchmark::State& state) { run_direct(state, kEighteen); }
BENCHMARK(BM_decimal_18_places);

void run_policy(benchmark::State& state, const char* const* texts) {
  auto parsed_file = rulebook::parse_rules("bench.rules",
                                           "policy b \"bench\"\n  version 1\n  in force from 2020-01-01\n"
                                           "facts\n  f.a : decimal\n  f.b : decimal\n  f.c : decimal\n  f.d : decimal\n"
                                           "outputs\n  v : decimal\n"
                                           "rule r \"r\"\n  cite \"c\"\n  then v = f.a * f.b + f.c - f.d\n");
  auto checked = rulebook::check_policy(parsed_file.file, {});
  if (!checked.program) {
    state.SkipWithError("the bench policy does not check");
    return;
  }
  std::vector<rulebook::Facts> facts(8);
  for (int k = 0; k < 8; ++k) {
    nlohmann::json j = {{"f", {{"a", texts[k]}, {"b", texts[(k + 1) & 7]}, {"c", texts[(k + 2) & 7]}, {"d", texts[(k + 5) & 7]}}}};
    if (!rulebook::read_facts(*checked.program, j, rulebook::Limits{}, facts[k]).empty()) {
      state.SkipWithError("these decimals are not facts this build can hold");
      return;
    }
  }
  rulebook::Decision d;
  std::size_t k = 0;
  for (auto _ : state) {
    rulebook::evaluate_into(*checked.program, facts[k++ & 7], d);
    benchmark::DoNotOptimize(d.slots.data());
  }
}

void BM_decimal_policy_6_places(benchmark::State& state) { run_policy(state, kSix); }
BENCHMARK(BM_decimal_policy_6_places);
void BM_decimal_policy_18_places(benchmark::State& state) { run_policy(state, kEighteen); }
BENCHMARK(BM_decimal_policy_18_places);

}  // namespace
