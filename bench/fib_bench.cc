// SPDX-License-Identifier: Apache-2.0
// Fib benchmarks on a full-size table: single and batched lookups, load time, update rate alone
// and with a lookup thread running (QSBR). Table: the file named by ROUTERD_FIB_TABLE
// (../shared/tools/gen-prefixes output), else a synthetic 1 M-prefix table made in-process.
#include "bench/fib_table.hh"
#include "router/base/qsbr.hh"
#include "router/fib/fib.hh"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace {

using routerd::Ip4Addr;
using routerd::Ip4Prefix;
using routerd::Qsbr;
using routerd::bench::TableRoute;
using routerd::fib::Fib;
using routerd::fib::NhIndex;

constexpr std::size_t kAddrs = std::size_t{1} << 22;
constexpr std::size_t kPerIteration = 1024;

const std::vector<TableRoute>& table() {
    static const std::vector<TableRoute> t = [] {
        const char* path = std::getenv("ROUTERD_FIB_TABLE");  // NOLINT(concurrency-mt-unsafe)
        if (path != nullptr) {
            if (auto loaded = routerd::bench::load_table(path)) {
                return *loaded;
            }
            std::fprintf(stderr, "fib_bench: cannot read %s, using a synthetic table\n", path);
        }
        return routerd::bench::synthetic_table(1000000, 1);
    }();
    return t;
}

Ip4Prefix prefix_of(const TableRoute& r) {
    return Ip4Prefix{Ip4Addr(r.addr), r.len};
}

void load(Fib& fib, const std::vector<TableRoute>& routes) {
    fib.reserve(routes.size());
    for (const auto& r : routes) {
        if (!fib.add(prefix_of(r), r.nh)) {
            std::abort();
        }
    }
}

const Fib& loaded_fib() {
    static const std::unique_ptr<Fib> fib = [] {
        auto f = std::make_unique<Fib>();
        load(*f, table());
        return f;
    }();
    return *fib;
}

const std::vector<std::uint32_t>& addrs(bool inside) {
    static const auto in = routerd::bench::addresses_inside(table(), kAddrs, 2);
    static const auto uni = routerd::bench::addresses_uniform(kAddrs, 3);
    return inside ? in : uni;
}

void BM_LookupSingle(benchmark::State& state) {
    const Fib& fib = loaded_fib();
    const auto& a = addrs(state.range(0) != 0);
    std::size_t pos = 0;
    for (auto _ : state) {
        unsigned sum = 0;
        for (std::size_t i = 0; i < kPerIteration; ++i) {
            sum += fib.lookup(a[pos + i]);
        }
        benchmark::DoNotOptimize(sum);
        pos = (pos + kPerIteration) % kAddrs;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPerIteration));
    state.SetLabel(state.range(0) != 0 ? "inside" : "uniform");
}
BENCHMARK(BM_LookupSingle)->Arg(1)->Arg(0);

void BM_LookupBatch(benchmark::State& state) {
    const Fib& fib = loaded_fib();
    const auto& a = addrs(state.range(0) != 0);
    const auto batch = static_cast<std::size_t>(state.range(1));
    std::vector<NhIndex> out(batch);
    std::size_t pos = 0;
    for (auto _ : state) {
        unsigned sum = 0;
        for (std::size_t i = 0; i < kPerIteration; i += batch) {
            fib.lookup_batch({a.data() + pos + i, batch}, out);
            sum += out[0] + out[batch - 1];
        }
        benchmark::DoNotOptimize(sum);
        pos = (pos + kPerIteration) % kAddrs;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPerIteration));
    state.SetLabel(state.range(0) != 0 ? "inside" : "uniform");
}
BENCHMARK(BM_LookupBatch)->ArgsProduct({{1, 0}, {8, 16, 32, 64}});

void BM_Load(benchmark::State& state) {
    const auto& routes = table();
    for (auto _ : state) {
        Fib fib;
        load(fib, routes);
        benchmark::DoNotOptimize(fib.size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * routes.size()));
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->Iterations(3);

// Delete a random prefix of the table and add it back: two updates an iteration.
void run_updates(benchmark::State& state, Fib& fib) {
    const auto& routes = table();
    std::mt19937_64 rng(4);
    for (auto _ : state) {
        const TableRoute& r = routes[rng() % routes.size()];
        if (!fib.remove(prefix_of(r)) || !fib.add(prefix_of(r), r.nh)) {
            std::abort();
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 2));
}

void BM_Update(benchmark::State& state) {
    static Fib* fib = [] {
        auto* f = new Fib();
        load(*f, table());
        return f;
    }();
    run_updates(state, *fib);
}
BENCHMARK(BM_Update);

// The same with a second thread doing batched lookups and announcing a quiescent state after
// every 1024 of them (run with two CPUs: taskset -c 0,1).
void BM_UpdateWithLookupThread(benchmark::State& state) {
    static Qsbr* qsbr = new Qsbr;
    static Fib* fib = [] {
        auto* f = new Fib({}, qsbr);
        load(*f, table());
        return f;
    }();
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> lookups{0};
    std::thread reader([&] {
        auto id = qsbr->register_reader();
        const auto& a = addrs(true);
        std::vector<NhIndex> out(32);
        std::size_t pos = 0;
        std::uint64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            for (std::size_t i = 0; i < kPerIteration; i += 32) {
                fib->lookup_batch({a.data() + pos + i, 32}, out);
            }
            benchmark::DoNotOptimize(out.data());
            pos = (pos + kPerIteration) % kAddrs;
            n += kPerIteration;
            qsbr->quiescent(*id);
        }
        lookups.store(n);
        qsbr->unregister_reader(*id);
    });
    run_updates(state, *fib);
    stop.store(true);
    reader.join();
    state.counters["reader_lookups_per_s"] =
        benchmark::Counter(static_cast<double>(lookups.load()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_UpdateWithLookupThread)->UseRealTime();

}  // namespace
