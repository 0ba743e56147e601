// The project's strict JSON reader (src/facts/json_reader.hpp) against
// simdjson's On-Demand API (libsimdjson-dev 3.0.1) on the same request bodies
// decide_json reads: aps.s26's twenty fact sets. Each side reads the whole
// body and touches every value (the facts reader needs them all); simdjson is
// given the padded copy it requires, made outside the timed loop. The
// decision to keep the hand-written reader is in the README ("Performance").
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <vector>

#include "facts/json_reader.hpp"
#include "fact_sets.hpp"

namespace {

const std::vector<bench::Case>& bodies() {
  static const std::vector<bench::Case> cases = bench::cases();
  return cases;
}

void BM_json_reader(benchmark::State& state) {
  const auto& cases = bodies();
  rulebook::JsonDocument doc;
  std::size_t k = 0;
  for (auto _ : state) {
    if (!doc.parse(cases[k++ % cases.size()].json)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(doc.root());
  }
}
BENCHMARK(BM_json_reader);

// Counts every scalar and visits every key, recursively, as a consumer must.
std::size_t visit(simdjson::ondemand::value v) {
  using simdjson::ondemand::json_type;
  switch (v.type().value()) {
    case json_type::object: {
      std::size_t n = 0;
      for (auto field : v.get_object()) {
        benchmark::DoNotOptimize(field.unescaped_key().value());
        n += visit(field.value().value());
      }
      return n;
    }
    case json_type::array: {
      std::size_t n = 0;
      for (auto item : v.get_array()) n += visit(item.value());
      return n;
    }
    case json_type::string: benchmark::DoNotOptimize(v.get_string().value()); return 1;
    case json_type::number: benchmark::DoNotOptimize(v.get_double().value()); return 1;
    case json_type::boolean: benchmark::DoNotOptimize(v.get_bool().value()); return 1;
    case json_type::null: benchmark::DoNotOptimize(v.is_null().value()); return 1;
  }
  return 0;
}

void BM_json_simdjson_ondemand(benchmark::State& state) {
  std::vector<simdjson::padded_string> padded;
  for (const auto& c : bodies()) padded.emplace_back(c.json);
  simdjson::ondemand::parser parser;
  std::size_t k = 0;
  for (auto _ : state) {
    auto doc = parser.iterate(padded[k++ % padded.size()]);
    simdjson::ondemand::value root;
    if (doc.get_value().get(root)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(visit(root));
  }
}
BENCHMARK(BM_json_simdjson_ondemand);

}  // namespace
