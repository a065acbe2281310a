// SPDX-License-Identifier: Apache-2.0
// routerd's Fib against DPDK's rte_lpm on the same table, in one run on one CPU: build time,
// memory, single and batched lookups (inside the table and uniform), update rate. The last line
// is `ratio routerd/rte_lpm lookups: R` (batched, addresses inside the table). Run it through
// bench/fib-compare, which makes the table and pins the CPU.
#include "bench/fib_table.hh"
#include "router/base/qsbr.hh"
#include "router/fib/fib.hh"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <pthread.h>
#include <random>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_malloc.h>
#include <sched.h>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

namespace {

using routerd::Ip4Addr;
using routerd::Ip4Prefix;
using routerd::Qsbr;
using routerd::bench::TableRoute;
using routerd::fib::Fib;
using routerd::fib::NhIndex;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatch = 32;
std::atomic<std::uint64_t> sink{0};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of this thread: the build figures are also given this way, as wall time on a shared
// machine includes whatever else ran on the CPU.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double mib(std::size_t bytes) {
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

struct Options {
    std::string table;
    unsigned cpu = 1;
    int reader_cpu = -1;  // >= 0: also measure updates with a lookup thread on this CPU
    std::size_t addrs = std::size_t{1} << 22;
    int rounds = 7;  // lookup passes per variant; the median is reported
    double update_seconds = 2.0;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: fib_compare TABLE [--cpu N] [--reader-cpu N] [--addrs N] [--rounds N]"
                 " [--update-seconds S]\n");
    std::exit(2);  // NOLINT(concurrency-mt-unsafe)
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                usage();
            }
            return argv[++i];
        };
        if (a == "--cpu") {
            o.cpu = static_cast<unsigned>(std::atoi(next()));
        } else if (a == "--reader-cpu") {
            o.reader_cpu = std::atoi(next());
        } else if (a == "--addrs") {
            o.addrs = static_cast<std::size_t>(std::atoll(next()));
        } else if (a == "--rounds") {
            o.rounds = std::max(1, std::atoi(next()));
        } else if (a == "--update-seconds") {
            o.update_seconds = std::atof(next());
        } else if (!a.empty() && a[0] != '-' && o.table.empty()) {
            o.table = a;
        } else {
            usage();
        }
    }
    if (o.table.empty() || o.addrs < 256) {
        usage();
    }
    o.addrs -= o.addrs % 256;
    return o;
}

// One pass over addrs with a lookup function; returns lookups per second.
template <typename F>
double rate(const std::vector<std::uint32_t>& addrs, F&& pass) {
    const auto t0 = Clock::now();
    const std::uint64_t sum = pass(addrs);
    const double s = seconds_since(t0);
    sink.fetch_add(sum, std::memory_order_relaxed);  // keeps the lookups from being optimised out
    return static_cast<double>(addrs.size()) / s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::uint32_t rte_next_hop(std::uint32_t raw) {
    return (raw & RTE_LPM_LOOKUP_SUCCESS) != 0 ? (raw & 0x00ffffffu) : 0u;
}

struct Variant {
    const char* name;
    std::uint64_t (*pass)(const void* table, const std::vector<std::uint32_t>& addrs);
    const void* table;
};

std::uint64_t ours_single(const void* t, const std::vector<std::uint32_t>& addrs) {
    const auto& fib = *static_cast<const Fib*>(t);
    std::uint64_t sum = 0;
    for (const std::uint32_t a : addrs) {
        sum += fib.lookup(a);
    }
    return sum;
}

template <std::size_t B>
std::uint64_t ours_batch(const void* t, const std::vector<std::uint32_t>& addrs) {
    const auto& fib = *static_cast<const Fib*>(t);
    std::uint64_t sum = 0;
    NhIndex out[B];
    for (std::size_t i = 0; i + B <= addrs.size(); i += B) {
        fib.lookup_batch({addrs.data() + i, B}, out);
        for (const NhIndex nh : out) {
            sum += nh;
        }
    }
    return sum;
}

std::uint64_t rte_single(const void* t, const std::vector<std::uint32_t>& addrs) {
    const auto* lpm = static_cast<const rte_lpm*>(t);
    std::uint64_t sum = 0;
    for (const std::uint32_t a : addrs) {
        std::uint32_t nh = 0;
        if (rte_lpm_lookup(lpm, a, &nh) == 0) {
            sum += nh;
        }
    }
    return sum;
}

template <std::size_t B>
std::uint64_t rte_bulk(const void* t, const std::vector<std::uint32_t>& addrs) {
    const auto* lpm = static_cast<const rte_lpm*>(t);
    std::uint64_t sum = 0;
    std::uint32_t out[B];
    for (std::size_t i = 0; i + B <= addrs.size(); i += B) {
        rte_lpm_lookup_bulk(lpm, addrs.data() + i, out, B);
        for (const std::uint32_t raw : out) {
            sum += rte_next_hop(raw);
        }
    }
    return sum;
}

std::uint64_t rte_x4(const void* t, const std::vector<std::uint32_t>& addrs) {
    const auto* lpm = static_cast<const rte_lpm*>(t);
    std::uint64_t sum = 0;
    std::uint32_t hop[4];
    for (std::size_t i = 0; i < addrs.size(); i += 4) {
        const xmm_t ip = _mm_loadu_si128(reinterpret_cast<const __m128i*>(addrs.data() + i));
        rte_lpm_lookupx4(lpm, ip, hop, 0);
        sum += hop[0] + hop[1] + hop[2] + hop[3];
    }
    return sum;
}

std::size_t rte_heap_bytes() {
    rte_malloc_socket_stats st{};
    std::size_t total = 0;
    for (unsigned s = 0; s < RTE_MAX_NUMA_NODES; ++s) {
        if (rte_malloc_get_socket_stats(static_cast<int>(s), &st) == 0) {
            total += st.heap_allocsz_bytes;
        }
    }
    return total;
}

void pin_this_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        std::fprintf(stderr, "fib_compare: cannot pin the reader to CPU %d\n", cpu);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    auto loaded = routerd::bench::load_table(opt.table);
    if (!loaded || loaded->empty()) {
        std::fprintf(stderr, "fib_compare: cannot read table %s\n", opt.table.c_str());
        return 1;
    }
    const std::vector<TableRoute>& routes = *loaded;

    // EAL without hugepages or devices: rte_lpm only needs rte_malloc's heap. Both tables then
    // live on ordinary 4 KiB pages (transparent huge pages are madvise-only here).
    const std::string lcore = std::to_string(opt.cpu);
    const char* eal_args[] = {
        "fib_compare", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry",
        "-m",          "512",       "-l",       lcore.c_str(), "--log-level=error"};
    if (rte_eal_init(static_cast<int>(std::size(eal_args)), const_cast<char**>(eal_args)) < 0) {
        std::fprintf(stderr, "fib_compare: rte_eal_init: %s\n", rte_strerror(rte_errno));
        return 1;
    }

    std::printf("table: %s, %zu prefixes; %zu addresses per pass, median of %d passes, CPU %u\n",
                opt.table.c_str(), routes.size(), opt.addrs, opt.rounds, opt.cpu);

    // ---- build ----
    auto t0 = Clock::now();
    double c0 = thread_cpu_seconds();
    auto fib = std::make_unique<Fib>();
    fib->reserve(routes.size());
    for (const auto& r : routes) {
        if (auto st = fib->add(Ip4Prefix{Ip4Addr(r.addr), r.len}, r.nh); !st) {
            std::fprintf(stderr, "fib_compare: routerd add: %s\n", st.error().message.c_str());
            return 1;
        }
    }
    const double ours_build = seconds_since(t0);
    const double ours_build_cpu = thread_cpu_seconds() - c0;
    const auto ours_mem = fib->memory();

    // Same number of tbl8 groups as routerd ended with (a power of two), so neither table is
    // given memory the other lacks.
    rte_lpm_config cfg{};
    cfg.max_rules = static_cast<std::uint32_t>(routes.size());
    cfg.number_tbl8s = fib->tbl8_groups_capacity();
    const std::size_t heap0 = rte_heap_bytes();
    t0 = Clock::now();
    c0 = thread_cpu_seconds();
    rte_lpm* lpm = rte_lpm_create("fib_compare", 0, &cfg);
    if (lpm == nullptr) {
        std::fprintf(stderr, "fib_compare: rte_lpm_create: %s\n", rte_strerror(rte_errno));
        return 1;
    }
    for (const auto& r : routes) {
        if (rte_lpm_add(lpm, r.addr, r.len, r.nh) != 0) {
            std::fprintf(stderr, "fib_compare: rte_lpm_add failed\n");
            return 1;
        }
    }
    const double rte_build = seconds_since(t0);
    const double rte_build_cpu = thread_cpu_seconds() - c0;
    const std::size_t rte_alloc = rte_heap_bytes() - heap0;
    const std::size_t rte_lookup_bytes =
        sizeof(rte_lpm::tbl24) +
        std::size_t{cfg.number_tbl8s} * RTE_LPM_TBL8_GROUP_NUM_ENTRIES * sizeof(rte_lpm_tbl_entry);

    // ---- correctness: both must agree everywhere we look ----
    const auto inside = routerd::bench::addresses_inside(routes, opt.addrs, 11);
    const auto uniform = routerd::bench::addresses_uniform(opt.addrs, 12);
    std::size_t checked = 0;
    std::size_t mismatches = 0;
    for (const auto* set : {&inside, &uniform}) {
        for (std::size_t i = 0; i < set->size(); i += 3) {
            const std::uint32_t a = (*set)[i];
            std::uint32_t theirs = 0;
            if (rte_lpm_lookup(lpm, a, &theirs) != 0) {
                theirs = 0;
            }
            if (fib->lookup(a) != theirs) {
                if (++mismatches <= 5) {
                    std::fprintf(stderr, "mismatch at %s: routerd %u rte_lpm %u\n",
                                 Ip4Addr(a).to_string().c_str(), fib->lookup(a), theirs);
                }
            }
            ++checked;
        }
    }

    // ---- lookups: every variant once a round, rounds interleaved, median kept ----
    const Variant variants[] = {
        {"routerd lookup", ours_single, fib.get()},
        {"routerd lookup_batch(32)", ours_batch<kBatch>, fib.get()},
        {"rte_lpm_lookup", rte_single, lpm},
        {"rte_lpm_lookup_bulk(32)", rte_bulk<kBatch>, lpm},
        {"rte_lpm_lookupx4", rte_x4, lpm},
        {"routerd lookup_batch(256)", ours_batch<256>, fib.get()},
        {"rte_lpm_lookup_bulk(256)", rte_bulk<256>, lpm},
    };
    constexpr std::size_t kVariants = std::size(variants);
    std::vector<double> results[2][kVariants];
    for (int round = 0; round < opt.rounds + 1; ++round) {
        for (int s = 0; s < 2; ++s) {
            const auto& set = s == 0 ? inside : uniform;
            for (std::size_t v = 0; v < kVariants; ++v) {
                const double r = rate(
                    set, [&](const auto& a) { return variants[v].pass(variants[v].table, a); });
                if (round > 0) {  // round 0 warms caches and page tables
                    results[s][v].push_back(r);
                }
            }
        }
    }
    double med[2][kVariants];
    for (int s = 0; s < 2; ++s) {
        for (std::size_t v = 0; v < kVariants; ++v) {
            med[s][v] = median(results[s][v]);
        }
    }

    // ---- updates: delete a random prefix of the table and add it back ----
    auto update_rate = [&](auto&& one_pair) {
        std::mt19937_64 rng(21);
        std::uint64_t pairs = 0;
        const auto start = Clock::now();
        double elapsed = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                one_pair(routes[rng() % routes.size()]);
            }
            pairs += 64;
            elapsed = seconds_since(start);
        } while (elapsed < opt.update_seconds);
        return 2.0 * static_cast<double>(pairs) / elapsed;
    };
    const double ours_updates = update_rate([&](const TableRoute& r) {
        const Ip4Prefix p{Ip4Addr(r.addr), r.len};
        if (!fib->remove(p) || !fib->add(p, r.nh)) {
            std::abort();
        }
    });
    const double rte_updates = update_rate([&](const TableRoute& r) {
        if (rte_lpm_delete(lpm, r.addr, r.len) != 0 || rte_lpm_add(lpm, r.addr, r.len, r.nh) != 0) {
            std::abort();
        }
    });

    // routerd again, with a reader thread doing batched lookups on another CPU (QSBR).
    double conc_updates = 0;
    double conc_lookups = 0;
    if (opt.reader_cpu >= 0) {
        Qsbr qsbr;
        Fib shared({}, &qsbr);
        for (const auto& r : routes) {
            (void)shared.add(Ip4Prefix{Ip4Addr(r.addr), r.len}, r.nh);
        }
        std::atomic<bool> stop{false};
        std::atomic<std::uint64_t> looked{0};
        std::thread reader([&] {
            pin_this_thread(opt.reader_cpu);
            auto id = qsbr.register_reader();
            NhIndex out[kBatch];
            std::uint64_t n = 0;
            std::uint64_t sum = 0;
            std::size_t pos = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                for (int k = 0; k < 32; ++k) {
                    shared.lookup_batch({inside.data() + pos, kBatch}, out);
                    sum += out[0];
                    pos = (pos + kBatch) % inside.size();
                }
                n += 32 * kBatch;
                qsbr.quiescent(*id);
            }
            looked.store(n + (sum & 1));
            qsbr.unregister_reader(*id);
        });
        const auto start = Clock::now();
        conc_updates = update_rate([&](const TableRoute& r) {
            const Ip4Prefix p{Ip4Addr(r.addr), r.len};
            if (!shared.remove(p) || !shared.add(p, r.nh)) {
                std::abort();
            }
        });
        stop.store(true);
        reader.join();
        conc_lookups = static_cast<double>(looked.load()) / seconds_since(start);
    }

    // ---- report ----
    std::printf("\ncorrectness: %zu addresses compared, %zu mismatches\n", checked, mismatches);
    std::printf("\n%-28s %14s %14s\n", "", "routerd Fib", "rte_lpm");
    std::printf("%-28s %14.3f %14.3f\n", "build the table (s)", ours_build, rte_build);
    std::printf("%-28s %14.3f %14.3f\n", "  of which CPU time (s)", ours_build_cpu, rte_build_cpu);
    std::printf("%-28s %14.1f %14.1f\n", "lookup tables (MiB)", mib(ours_mem.lookup_bytes()),
                mib(rte_lookup_bytes));
    std::printf("%-28s %14.1f %14.1f\n", "all memory (MiB)", mib(ours_mem.total_bytes()),
                mib(rte_alloc));
    std::printf("%-28s %14u %14u\n", "tbl8 groups (used/config)", fib->tbl8_groups_in_use(),
                cfg.number_tbl8s);
    std::printf("%-28s %14.0f %14.0f\n", "updates/s (delete+add)", ours_updates, rte_updates);
    std::printf("\nlookups, million/s          %14s %14s\n", "inside", "uniform");
    for (std::size_t v = 0; v < kVariants; ++v) {
        std::printf("%-28s %14.1f %14.1f\n", variants[v].name, med[0][v] / 1e6, med[1][v] / 1e6);
    }
    if (opt.reader_cpu >= 0) {
        std::printf(
            "\nrouterd updates/s with a lookup thread on CPU %d: %.0f (reader: %.1f M "
            "lookups/s)\n",
            opt.reader_cpu, conc_updates, conc_lookups / 1e6);
    }
    std::printf(
        "ratio routerd/rte_lpm single lookups inside: %.3f, uniform: %.3f; batched "
        "uniform: %.3f\n",
        med[0][0] / med[0][2], med[1][0] / med[1][2], med[1][1] / med[1][3]);

    rte_lpm_free(lpm);
    fib.reset();
    rte_eal_cleanup();
    std::printf("ratio routerd/rte_lpm lookups: %.3f\n", med[0][1] / med[0][3]);
    std::fflush(stdout);
    return mismatches == 0 ? 0 : 3;
}
