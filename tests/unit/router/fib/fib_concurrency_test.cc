// SPDX-License-Identifier: Apache-2.0
// Concurrency tests (label concurrency, meant for the TSan build): lookups on one thread while
// another applies a stream of updates; every answer must be one the address had during the
// lookup. Also a Qsbr stress test: nothing retired is freed while a reader may hold it.
#include "router/base/qsbr.hh"
#include "router/fib/fib.hh"
#include "router/fib/fib_reference.hh"
#include "router/fib/rib.hh"
#include "tests/unit/router/fib/fib_test_util.hh"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace routerd::fib {
namespace {

using testing::edge_addresses;
using testing::PrefixGen;
using testing::test_scale;

// What a set of probe addresses answered after each applied update: for each probe, the list of
// (version, answer) changes. Version v is the state after the first v updates.
class History {
public:
    explicit History(std::vector<std::uint32_t> probes) : probes_(std::move(probes)) {
        std::sort(probes_.begin(), probes_.end());
        probes_.erase(std::unique(probes_.begin(), probes_.end()), probes_.end());
        changes_.resize(probes_.size());
    }

    const std::vector<std::uint32_t>& probes() const { return probes_; }

    template <typename Answer>  // Answer(addr) → std::uint32_t
    void record_all(std::uint32_t version, Answer&& answer) {
        for (std::size_t k = 0; k < probes_.size(); ++k) {
            record(k, version, answer(probes_[k]));
        }
    }
    // Re-evaluates the probes inside p after update `version` was applied.
    template <typename Answer>
    void record_range(std::uint32_t version, const Ip4Prefix& p, Answer&& answer) {
        auto lo = std::lower_bound(probes_.begin(), probes_.end(), p.addr.value());
        auto hi = std::upper_bound(probes_.begin(), probes_.end(), p.broadcast().value());
        for (auto it = lo; it != hi; ++it) {
            const auto k = static_cast<std::size_t>(it - probes_.begin());
            record(k, version, answer(*it));
        }
    }

    // Whether probe k answered `got` in some version in [first, last].
    bool allowed(std::size_t k, std::uint32_t first, std::uint32_t last, std::uint32_t got) const {
        const auto& c = changes_[k];
        auto it =
            std::upper_bound(c.begin(), c.end(), first,
                             [](std::uint32_t v, const Change& ch) { return v < ch.version; });
        RD_CHECK(it != c.begin());
        for (--it; it != c.end() && it->version <= last; ++it) {
            if (it->answer == got) {
                return true;
            }
        }
        return false;
    }

private:
    struct Change {
        std::uint32_t version;
        std::uint32_t answer;
    };
    void record(std::size_t k, std::uint32_t version, std::uint32_t answer) {
        auto& c = changes_[k];
        if (c.empty() || c.back().answer != answer) {
            c.push_back({version, answer});
        }
    }

    std::vector<std::uint32_t> probes_;
    std::vector<std::vector<Change>> changes_;
};

struct Update {
    Ip4Prefix prefix;
    NhIndex nh;  // kNoRoute: delete
};

// Collects the first few failures from the reader thread.
class Failures {
public:
    void add(const std::string& what) {
        std::lock_guard<std::mutex> g(mu_);
        if (++count_ <= 5) {
            messages_ += what + "\n";
        }
    }
    int count() const {
        std::lock_guard<std::mutex> g(mu_);
        return count_;
    }
    std::string messages() const {
        std::lock_guard<std::mutex> g(mu_);
        return messages_;
    }

private:
    mutable std::mutex mu_;
    int count_ = 0;
    std::string messages_;
};

// Reader loop shared by both tests: lookups of random probes, single and batched, each checked
// against the versions that were current while it ran; a quiescent state after each round.
template <typename Lookup>  // Lookup(addrs, answers) fills answers, both of size kRound
void run_reader(Qsbr& qsbr, const History& history, const std::atomic<std::uint32_t>& applied,
                const std::atomic<bool>& done, Failures& failures, std::uint64_t& lookups,
                Lookup&& lookup) {
    constexpr std::size_t kRound = 24;
    auto id = qsbr.register_reader();
    RD_CHECK(id.has_value());
    std::mt19937 rng(99);
    std::vector<std::size_t> ks(kRound);
    std::vector<std::uint32_t> addrs(kRound);
    std::vector<std::uint32_t> answers(kRound);
    while (!done.load(std::memory_order_acquire)) {
        for (std::size_t i = 0; i < kRound; ++i) {
            ks[i] = rng() % history.probes().size();
            addrs[i] = history.probes()[ks[i]];
        }
        const std::uint32_t first = applied.load(std::memory_order_acquire);
        lookup(addrs, answers);
        // The update after `last` may have been half applied while we looked.
        const std::uint32_t last = applied.load(std::memory_order_acquire) + 1;
        for (std::size_t i = 0; i < kRound; ++i) {
            if (!history.allowed(ks[i], first, last, answers[i])) {
                failures.add(Ip4Addr(addrs[i]).to_string() + " answered " +
                             std::to_string(answers[i]) + " outside versions " +
                             std::to_string(first) + ".." + std::to_string(last));
            }
        }
        lookups += kRound;
        qsbr.quiescent(*id);
    }
    qsbr.unregister_reader(*id);
}

TEST(FibConcurrency, LookupsSeeOldOrNewAnswersWhileUpdatesRun) {
    PrefixGen gen(7, 4, 200, 12);
    Qsbr qsbr;
    // A small tbl8 pool that must grow while the reader runs.
    Fib fib(FibConfig{32768, 1}, &qsbr);
    FibReference ref;
    std::vector<Ip4Prefix> present;
    for (int i = 0; i < 3000; ++i) {
        const Ip4Prefix p = gen.prefix();
        const NhIndex nh = gen.next_hop();
        ASSERT_TRUE(fib.add(p, nh));
        if (ref.add(p, nh)) {
            present.push_back(p);
        }
    }
    // The update stream, and probes at its edges and inside its prefixes.
    const int n_updates = 20000 * static_cast<int>(test_scale());
    std::vector<Update> updates;
    std::vector<std::uint32_t> probes;
    {
        std::vector<Ip4Prefix> live = present;
        FibReference model = ref;
        for (int u = 0; u < n_updates; ++u) {
            Update up{};
            if (gen.rng()() % 2 == 0 && !live.empty()) {
                const std::size_t k = gen.rng()() % live.size();
                up = Update{live[k], kNoRoute};
                live[k] = live.back();
                live.pop_back();
                model.remove(up.prefix);
            } else {
                up = Update{gen.prefix(), gen.next_hop()};
                if (model.add(up.prefix, up.nh)) {
                    live.push_back(up.prefix);
                }
            }
            updates.push_back(up);
            if (u % 8 == 0) {
                for (auto a : edge_addresses(up.prefix)) {
                    probes.push_back(a);
                }
                probes.push_back(gen.address_in(up.prefix));
            }
        }
    }
    History history(std::move(probes));
    history.record_all(0, [&](std::uint32_t a) { return ref.lookup(Ip4Addr(a)); });
    for (int u = 0; u < n_updates; ++u) {
        const Update& up = updates[static_cast<std::size_t>(u)];
        if (up.nh == kNoRoute) {
            ref.remove(up.prefix);
        } else {
            ref.add(up.prefix, up.nh);
        }
        history.record_range(static_cast<std::uint32_t>(u + 1), up.prefix,
                             [&](std::uint32_t a) { return ref.lookup(Ip4Addr(a)); });
    }

    std::atomic<std::uint32_t> applied{0};
    std::atomic<bool> done{false};
    Failures failures;
    std::uint64_t lookups = 0;
    std::thread reader([&] {
        bool batch = false;
        run_reader(qsbr, history, applied, done, failures, lookups,
                   [&](const std::vector<std::uint32_t>& addrs, std::vector<std::uint32_t>& out) {
                       batch = !batch;
                       if (batch) {
                           NhIndex tmp[32];
                           fib.lookup_batch(addrs, std::span<NhIndex>(tmp, addrs.size()));
                           std::copy(tmp, tmp + addrs.size(), out.begin());
                       } else {
                           for (std::size_t i = 0; i < addrs.size(); ++i) {
                               out[i] = fib.lookup(addrs[i]);
                           }
                       }
                   });
    });
    for (int u = 0; u < n_updates; ++u) {
        const Update& up = updates[static_cast<std::size_t>(u)];
        const Status st = up.nh == kNoRoute ? fib.remove(up.prefix) : fib.add(up.prefix, up.nh);
        ASSERT_TRUE(st) << st.error().message;
        applied.store(static_cast<std::uint32_t>(u + 1), std::memory_order_release);
    }
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_EQ(failures.count(), 0) << failures.messages();
    EXPECT_GT(lookups, 0u);
    // Once the reader is gone everything retired becomes reusable.
    fib.reclaim();
    for (std::uint32_t a : history.probes()) {
        ASSERT_EQ(fib.lookup(a), ref.lookup(Ip4Addr(a)));
    }
    RecordProperty("lookups_checked", static_cast<int>(lookups));
}

// Through the Rib: the reader dereferences NextHop slots that are freed and reused (every route
// has its own gateway, so deleting or replacing a route frees its slot).
TEST(FibConcurrency, RibNextHopSlotsAreReusedOnlyAfterReadersMovedOn) {
    PrefixGen gen(8, 4, 200, 12);
    Qsbr qsbr;
    Rib rib(&qsbr);
    FibReference model;  // prefix → gateway's low 15 bits + 1 (a stand-in for the next hop)
    const int n_updates = 10000 * static_cast<int>(test_scale());
    std::vector<Update> updates;
    std::vector<std::uint32_t> probes;
    std::vector<Ip4Prefix> live;
    for (int u = 0; u < n_updates; ++u) {
        Update up{};
        if (gen.rng()() % 3 == 0 && !live.empty()) {
            const std::size_t k = gen.rng()() % live.size();
            up = Update{live[k], kNoRoute};
            live[k] = live.back();
            live.pop_back();
        } else {
            up = Update{gen.prefix(), static_cast<NhIndex>(1 + gen.rng()() % 5000)};
            if (!model.find(up.prefix)) {
                live.push_back(up.prefix);
            }
            model.add(up.prefix, up.nh);
        }
        if (up.nh == kNoRoute) {
            model.remove(up.prefix);
        }
        updates.push_back(up);
        for (auto a : edge_addresses(up.prefix)) {
            probes.push_back(a);
        }
    }
    // Answers are gateways: 198.51.0.0 + nh, or 0 for no route.
    auto gateway_of = [](NhIndex nh) { return Ip4Addr(0xc6330000u + nh); };
    FibReference ref;
    History history(std::move(probes));
    history.record_all(0, [](std::uint32_t) { return 0u; });
    for (int u = 0; u < n_updates; ++u) {
        const Update& up = updates[static_cast<std::size_t>(u)];
        if (up.nh == kNoRoute) {
            ref.remove(up.prefix);
        } else {
            ref.add(up.prefix, up.nh);
        }
        history.record_range(static_cast<std::uint32_t>(u + 1), up.prefix, [&](std::uint32_t a) {
            const NhIndex nh = ref.lookup(Ip4Addr(a));
            return nh == kNoRoute ? 0u : gateway_of(nh).value();
        });
    }

    std::atomic<std::uint32_t> applied{0};
    std::atomic<bool> done{false};
    Failures failures;
    std::uint64_t lookups = 0;
    std::thread reader([&] {
        run_reader(qsbr, history, applied, done, failures, lookups,
                   [&](const std::vector<std::uint32_t>& addrs, std::vector<std::uint32_t>& out) {
                       for (std::size_t i = 0; i < addrs.size(); ++i) {
                           const NextHop* nh = rib.lookup(Ip4Addr(addrs[i]));
                           out[i] = nh == nullptr ? 0u : nh->gateway.value();
                       }
                   });
    });
    for (int u = 0; u < n_updates; ++u) {
        const Update& up = updates[static_cast<std::size_t>(u)];
        const Status st =
            up.nh == kNoRoute
                ? rib.delete_route(up.prefix)
                : rib.add_route(Route{up.prefix, RouteSource::static_route,
                                      NextHop{NextHopKind::forward, 1, gateway_of(up.nh)}});
        ASSERT_TRUE(st) << st.error().message;
        applied.store(static_cast<std::uint32_t>(u + 1), std::memory_order_release);
    }
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_EQ(failures.count(), 0) << failures.messages();
    EXPECT_GT(lookups, 0u);
}

// Qsbr alone: a writer keeps replacing a published object and retiring the old one; readers
// check every object they can reach is intact. A premature free shows up as a TSan race, an
// ASan use-after-free, or a poisoned value.
TEST(QsbrConcurrency, RetiredObjectsOutliveEveryReaderThatCouldHoldThem) {
    struct Obj {
        std::uint64_t value;
        std::uint64_t check;  // ~value while alive
    };
    Qsbr qsbr;
    std::atomic<Obj*> current{new Obj{0, ~std::uint64_t{0}}};
    std::atomic<bool> done{false};
    std::atomic<int> bad{0};
    std::vector<std::thread> readers;
    readers.reserve(2);
    for (int r = 0; r < 2; ++r) {
        readers.emplace_back([&] {
            auto id = qsbr.register_reader();
            RD_CHECK(id.has_value());
            std::uint64_t last = 0;
            std::uint64_t rounds = 0;
            while (!done.load(std::memory_order_acquire)) {
                const Obj* o = current.load(std::memory_order_acquire);
                if (o->check != ~o->value || o->value < last) {
                    bad.fetch_add(1);
                }
                last = o->value;
                // Go offline now and then, as a worker sleeping in epoll would.
                if (++rounds % 64 == 0) {
                    qsbr.offline(*id);
                    std::this_thread::yield();
                    qsbr.online(*id);
                } else {
                    qsbr.quiescent(*id);
                }
            }
            qsbr.unregister_reader(*id);
        });
    }
    const std::uint64_t n = std::uint64_t{20000} * test_scale();
    for (std::uint64_t i = 1; i <= n; ++i) {
        Obj* old = current.exchange(new Obj{i, ~i}, std::memory_order_acq_rel);
        qsbr.retire([old] {
            old->check = 0;  // poison first: a reader still holding it would notice
            delete old;
        });
        qsbr.poll();
        if (i % 1000 == 0) {
            qsbr.synchronize();
        }
    }
    done.store(true, std::memory_order_release);
    for (auto& t : readers) {
        t.join();
    }
    qsbr.synchronize();
    EXPECT_EQ(qsbr.pending(), 0u);
    EXPECT_EQ(bad.load(), 0);
    delete current.load();
}

}  // namespace
}  // namespace routerd::fib
