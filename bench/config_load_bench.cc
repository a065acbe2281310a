// SPDX-License-Identifier: Apache-2.0
// routerd.yaml load time (parse + schema + validation) and reload diff, up to 100,000 routes.
#include "router/config/diff.hh"
#include "router/config/load.hh"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

// Two ports and `routes` host routes from 198.18.0.0/15 (RFC 2544), next hop on eth2; the same
// shape as the file docs/configuration.md times with routerd --check-config.
std::string routes_yaml(std::int64_t routes) {
    std::string y =
        "interfaces:\n"
        "  - name: eth1\n"
        "    addresses: [198.51.100.254/24]\n"
        "  - name: eth2\n"
        "    addresses: [203.0.113.254/24]\n"
        "routes:\n";
    y.reserve(static_cast<std::size_t>(routes) * 48 + y.size());
    for (std::int64_t i = 0; i < routes; ++i) {
        std::uint32_t a = 0xc6120000u + static_cast<std::uint32_t>(i);  // 198.18.0.0 + i
        y += "  - {prefix: " + std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) +
             "." + std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255) +
             "/32, via: 203.0.113.1}\n";
    }
    return y;
}

void BM_load_routes(benchmark::State& state) {
    const std::string yaml = routes_yaml(state.range(0));
    for (auto _ : state) {
        auto r = routerd::config::load_from_string(yaml, "bench.yaml");
        if (!r.ok() || r.config.routes.size() != static_cast<std::size_t>(state.range(0))) {
            state.SkipWithError("load failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(yaml.size()));
}
BENCHMARK(BM_load_routes)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_diff_routes(benchmark::State& state) {
    auto a = routerd::config::load_from_string(routes_yaml(state.range(0)), "a.yaml").config;
    auto b = a;
    for (std::size_t i = 0; i < b.routes.size(); i += 10) {
        b.routes[i].kind = routerd::config::RouteKind::blackhole;
    }
    for (auto _ : state) {
        auto d = routerd::config::diff(a, b);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_diff_routes)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
