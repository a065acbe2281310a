// SPDX-License-Identifier: Apache-2.0
// Tests for Fib: the edges (/0, /32, /24-/25, overlaps, tbl8 exhaustion) and differential runs
// against FibReference over random tables and random add/delete sequences.
#include "router/fib/fib.hh"

#include "router/base/qsbr.hh"
#include "router/fib/fib_reference.hh"
#include "tests/unit/router/fib/fib_test_util.hh"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <random>
#include <vector>

namespace routerd::fib {
namespace {

using testing::edge_addresses;
using testing::PrefixGen;
using testing::test_scale;

Ip4Prefix pfx(const char* text) {
    auto p = Ip4Prefix::parse(text);
    RD_CHECK(p.has_value());
    return *p;
}

std::uint32_t addr(const char* text) {
    auto a = Ip4Addr::parse(text);
    RD_CHECK(a.has_value());
    return a->value();
}

// Fib and FibReference, updated together.
struct Pair {
    explicit Pair(FibConfig config = {}, Qsbr* qsbr = nullptr) : fib(config, qsbr) {}

    Status add(Ip4Prefix p, NhIndex nh) {
        auto st = fib.add(p, nh);
        if (st) {
            ref.add(p, nh);
        }
        return st;
    }
    Status remove(Ip4Prefix p) {
        auto st = fib.remove(p);
        if (st) {
            EXPECT_TRUE(ref.remove(p));
        }
        return st;
    }
    // Number of mismatches over addrs (single and batched lookups both checked).
    std::size_t mismatches(const std::vector<std::uint32_t>& addrs) const {
        std::size_t bad = 0;
        std::vector<NhIndex> batch(addrs.size());
        fib.lookup_batch(addrs, batch);
        for (std::size_t i = 0; i < addrs.size(); ++i) {
            const NhIndex want = ref.lookup(Ip4Addr(addrs[i]));
            const NhIndex got = fib.lookup(addrs[i]);
            if (got != want || batch[i] != want) {
                if (bad < 5) {
                    ADD_FAILURE() << Ip4Addr(addrs[i]).to_string() << ": fib " << got << " batch "
                                  << batch[i] << " reference " << want;
                }
                ++bad;
            }
        }
        return bad;
    }

    Fib fib;
    FibReference ref;
};

TEST(Fib, EmptyTableHasNoRoute) {
    Fib fib;
    EXPECT_EQ(fib.lookup(0u), kNoRoute);
    EXPECT_EQ(fib.lookup(0xffffffffu), kNoRoute);
    EXPECT_EQ(fib.lookup(Ip4Addr(addr("198.51.100.1"))), kNoRoute);
    EXPECT_EQ(fib.size(), 0u);
    EXPECT_EQ(fib.tbl8_groups_in_use(), 0u);
}

TEST(Fib, DefaultRouteCoversEverythingAndGoesAway) {
    Pair t;
    ASSERT_TRUE(t.add(pfx("0.0.0.0/0"), 7));
    EXPECT_EQ(t.fib.lookup(0u), 7);
    EXPECT_EQ(t.fib.lookup(0xffffffffu), 7);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.9")), 7);
    ASSERT_TRUE(t.add(pfx("198.18.0.0/15"), 3));
    EXPECT_EQ(t.fib.lookup(addr("198.19.255.255")), 3);
    EXPECT_EQ(t.fib.lookup(addr("198.20.0.0")), 7);
    ASSERT_TRUE(t.remove(pfx("0.0.0.0/0")));
    EXPECT_EQ(t.fib.lookup(addr("198.20.0.0")), kNoRoute);
    EXPECT_EQ(t.fib.lookup(addr("198.18.0.0")), 3);
}

TEST(Fib, HostRouteMatchesOneAddress) {
    Pair t;
    ASSERT_TRUE(t.add(pfx("198.51.100.7/32"), 9));
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.7")), 9);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.6")), kNoRoute);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.8")), kNoRoute);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 1u);
    ASSERT_TRUE(t.add(pfx("0.0.0.0/0"), 1));
    ASSERT_TRUE(t.add(pfx("255.255.255.255/32"), 2));
    EXPECT_EQ(t.fib.lookup(0xffffffffu), 2);
    EXPECT_EQ(t.fib.lookup(0xfffffffeu), 1);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.6")), 1);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.7")), 9);
    EXPECT_EQ(t.mismatches({0, 0xffffffffu, 0xfffffffeu, addr("198.51.100.7")}), 0u);
}

TEST(Fib, Boundary24And25) {
    Pair t;
    ASSERT_TRUE(t.add(pfx("203.0.113.0/24"), 1));
    ASSERT_TRUE(t.add(pfx("203.0.113.128/25"), 2));
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.0")), 1);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.127")), 1);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.128")), 2);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.255")), 2);
    EXPECT_EQ(t.fib.lookup(addr("203.0.112.255")), kNoRoute);
    EXPECT_EQ(t.fib.lookup(addr("203.0.114.0")), kNoRoute);
    // The /24 goes: its half falls to nothing, the /25 stays.
    ASSERT_TRUE(t.remove(pfx("203.0.113.0/24")));
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.0")), kNoRoute);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.200")), 2);
    // The /24 comes back under the /25, then the /25 goes: the group collapses.
    ASSERT_TRUE(t.add(pfx("203.0.113.0/24"), 4));
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.5")), 4);
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.200")), 2);
    ASSERT_TRUE(t.remove(pfx("203.0.113.128/25")));
    EXPECT_EQ(t.fib.lookup(addr("203.0.113.200")), 4);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 0u);
}

TEST(Fib, NestedPrefixesLongestWinsAndDeleteUncoversTheCover) {
    Pair t;
    const char* nested[] = {"198.0.0.0/8",    "198.18.0.0/15",  "198.18.0.0/16",  "198.18.7.0/24",
                            "198.18.7.64/26", "198.18.7.80/28", "198.18.7.85/32", "198.18.7.84/31"};
    NhIndex nh = 1;
    for (const char* p : nested) {
        ASSERT_TRUE(t.add(pfx(p), nh++));
    }
    EXPECT_EQ(t.fib.lookup(addr("198.18.7.85")), 7);
    EXPECT_EQ(t.fib.lookup(addr("198.18.7.84")), 8);
    EXPECT_EQ(t.fib.lookup(addr("198.18.7.86")), 6);
    EXPECT_EQ(t.fib.lookup(addr("198.18.7.64")), 5);
    EXPECT_EQ(t.fib.lookup(addr("198.18.7.1")), 4);
    EXPECT_EQ(t.fib.lookup(addr("198.18.8.1")), 3);
    EXPECT_EQ(t.fib.lookup(addr("198.19.8.1")), 2);
    EXPECT_EQ(t.fib.lookup(addr("198.20.0.1")), 1);
    std::vector<std::uint32_t> probes;
    for (const char* p : nested) {
        for (auto a : edge_addresses(pfx(p))) {
            probes.push_back(a);
        }
    }
    // Delete in every position: middle first, then the rest; compare after each.
    const char* order[] = {"198.18.7.0/24",  "198.18.7.80/28", "198.18.0.0/16",  "198.0.0.0/8",
                           "198.18.7.85/32", "198.18.0.0/15",  "198.18.7.64/26", "198.18.7.84/31"};
    for (const char* p : order) {
        ASSERT_TRUE(t.remove(pfx(p))) << p;
        EXPECT_EQ(t.mismatches(probes), 0u) << "after deleting " << p;
    }
    EXPECT_EQ(t.fib.size(), 0u);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 0u);
}

TEST(Fib, ReplaceChangesTheNextHopOnlyWhereThePrefixWins) {
    Pair t;
    ASSERT_TRUE(t.add(pfx("198.51.100.0/24"), 1));
    ASSERT_TRUE(t.add(pfx("198.51.100.0/26"), 2));
    ASSERT_TRUE(t.add(pfx("198.51.100.0/30"), 3));
    ASSERT_TRUE(t.add(pfx("198.51.100.0/24"), 5));
    ASSERT_TRUE(t.add(pfx("198.51.100.0/26"), 6));
    EXPECT_EQ(t.fib.size(), 3u);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.1")), 3);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.4")), 6);
    EXPECT_EQ(t.fib.lookup(addr("198.51.100.64")), 5);
    EXPECT_EQ(t.fib.find(pfx("198.51.100.0/26")), NhIndex{6});
    EXPECT_FALSE(t.fib.find(pfx("198.51.100.0/25")).has_value());
}

TEST(Fib, DeletingTheLastRouteLeavesNoRoute) {
    Pair t;
    ASSERT_TRUE(t.add(pfx("198.18.0.0/16"), 1));
    ASSERT_TRUE(t.remove(pfx("198.18.0.0/16")));
    EXPECT_EQ(t.fib.lookup(addr("198.18.1.1")), kNoRoute);
    ASSERT_TRUE(t.add(pfx("198.18.1.128/25"), 1));
    ASSERT_TRUE(t.remove(pfx("198.18.1.128/25")));
    EXPECT_EQ(t.fib.lookup(addr("198.18.1.129")), kNoRoute);
    EXPECT_EQ(t.fib.size(), 0u);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 0u);
}

TEST(Fib, RejectsBadInputWithoutChangingAnything) {
    Fib fib;
    ASSERT_TRUE(fib.add(pfx("198.51.100.0/24"), 1));
    auto st = fib.add(pfx("198.51.100.1/24"), 2);  // host bits
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, EINVAL);
    EXPECT_EQ(fib.add(Ip4Prefix{Ip4Addr(0), 33}, 2).error().code, EINVAL);
    EXPECT_EQ(fib.add(pfx("198.51.100.0/25"), kNoRoute).error().code, EINVAL);
    EXPECT_EQ(fib.add(pfx("198.51.100.0/25"), kMaxNhIndex + 1).error().code, EINVAL);
    EXPECT_EQ(fib.remove(pfx("198.51.100.0/25")).error().code, ENOENT);
    EXPECT_EQ(fib.remove(Ip4Prefix{Ip4Addr(0), 40}).error().code, EINVAL);
    EXPECT_TRUE(fib.add(pfx("198.51.100.0/25"), kMaxNhIndex));
    EXPECT_EQ(fib.lookup(addr("198.51.100.1")), kMaxNhIndex);
    EXPECT_EQ(fib.lookup(addr("198.51.100.129")), 1);
    EXPECT_EQ(fib.size(), 2u);
}

TEST(Fib, Tbl8ExhaustionIsAnErrorAndLeavesTheTableUnchanged) {
    Pair t(FibConfig{4, 1});
    ASSERT_TRUE(t.add(pfx("0.0.0.0/0"), 1));
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(t.add(Ip4Prefix{Ip4Addr(addr("198.18.0.128") + (i << 8)), 25}, 2));
    }
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 4u);
    auto st = t.fib.add(pfx("198.18.9.0/30"), 3);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ENOSPC);
    EXPECT_FALSE(t.fib.find(pfx("198.18.9.0/30")).has_value());
    EXPECT_EQ(t.fib.size(), 5u);
    EXPECT_EQ(t.fib.lookup(addr("198.18.9.1")), 1);
    // A /24 already extended takes more long prefixes; short prefixes never need a group.
    EXPECT_TRUE(t.add(pfx("198.18.0.4/30"), 5));
    EXPECT_TRUE(t.add(pfx("198.18.9.0/24"), 6));
    // Freeing a group makes room.
    ASSERT_TRUE(t.remove(pfx("198.18.3.128/25")));
    EXPECT_TRUE(t.add(pfx("198.18.9.0/30"), 3));
    std::vector<std::uint32_t> probes;
    for (std::uint32_t a = addr("198.18.0.0"); a < addr("198.18.10.0"); a += 3) {
        probes.push_back(a);
    }
    EXPECT_EQ(t.mismatches(probes), 0u);
}

TEST(Fib, RetiredGroupsWaitForTheGracePeriod) {
    Qsbr qsbr;
    auto reader = qsbr.register_reader();
    ASSERT_TRUE(reader);
    Pair t(FibConfig{2, 2}, &qsbr);
    ASSERT_TRUE(t.add(pfx("198.18.0.0/25"), 1));
    ASSERT_TRUE(t.add(pfx("198.18.1.0/25"), 1));
    ASSERT_TRUE(t.remove(pfx("198.18.1.0/25")));
    // The reader has not announced a quiescent state: the group may still be in use.
    EXPECT_EQ(t.fib.add(pfx("198.18.2.0/25"), 1).error().code, ENOSPC);
    qsbr.quiescent(*reader);
    EXPECT_TRUE(t.add(pfx("198.18.2.0/25"), 1));
    EXPECT_EQ(t.mismatches({addr("198.18.0.1"), addr("198.18.1.1"), addr("198.18.2.1")}), 0u);
}

TEST(Fib, Tbl8PoolGrowsByDoubling) {
    Pair t(FibConfig{64, 1});
    std::vector<std::uint32_t> probes;
    for (std::uint32_t i = 0; i < 64; ++i) {
        const Ip4Prefix p{Ip4Addr(addr("203.0.113.0") - (i << 8) + 64), 26};
        ASSERT_TRUE(t.add(p, static_cast<NhIndex>(i + 1)));
        for (auto a : edge_addresses(p)) {
            probes.push_back(a);
        }
    }
    EXPECT_EQ(t.fib.tbl8_groups_capacity(), 64u);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 64u);
    EXPECT_EQ(t.mismatches(probes), 0u);
    EXPECT_EQ(t.fib.memory().tbl8_bytes, 64u * 512u);
    EXPECT_EQ(t.fib.memory().tbl24_bytes, std::size_t{32} << 20);
}

TEST(Fib, BatchAgreesWithSingleForEverySize) {
    Pair t;
    PrefixGen gen(11);
    for (int i = 0; i < 2000; ++i) {
        ASSERT_TRUE(t.add(gen.prefix(), gen.next_hop()));
    }
    for (std::size_t n : {0u, 1u, 7u, 15u, 16u, 17u, 31u, 32u, 33u, 1000u}) {
        std::vector<std::uint32_t> addrs(n);
        for (auto& a : addrs) {
            a = gen.rng()() % 2 ? gen.any_address() : gen.address_in(gen.prefix());
        }
        std::vector<NhIndex> out(n, 0xffff);
        t.fib.lookup_batch(addrs, out);
        for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(out[i], t.fib.lookup(addrs[i])) << "batch of " << n << " index " << i;
        }
    }
}

// Random clustered tables, then random add/replace/delete sequences: after every operation the
// edges of the touched prefix are compared, and a large random sample at checkpoints.
class FibDifferential : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(FibDifferential, RandomTablesAndUpdatesMatchTheReference) {
    const std::uint32_t seed = GetParam();
    const unsigned scale = test_scale();
    PrefixGen gen(seed);
    Pair t(FibConfig{32768, 1});
    std::vector<Ip4Prefix> present;

    const int initial = 20000;
    for (int i = 0; i < initial; ++i) {
        const Ip4Prefix p = gen.prefix();
        if (!t.fib.find(p)) {
            present.push_back(p);
        }
        ASSERT_TRUE(t.add(p, gen.next_hop()));
    }
    auto sample = [&](std::size_t n) {
        std::vector<std::uint32_t> addrs;
        addrs.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 2 == 0 && !present.empty()) {
                addrs.push_back(gen.address_in(present[gen.rng()() % present.size()]));
            } else {
                addrs.push_back(gen.any_address());
            }
        }
        return addrs;
    };
    ASSERT_EQ(t.mismatches(sample(std::size_t{500000} * scale)), 0u);

    const int ops = 20000 * static_cast<int>(scale);
    for (int op = 0; op < ops; ++op) {
        const unsigned r = gen.rng()() % 100;
        Ip4Prefix p;
        if (r < 45 && !present.empty()) {
            const std::size_t k = gen.rng()() % present.size();
            p = present[k];
            present[k] = present.back();
            present.pop_back();
            ASSERT_TRUE(t.remove(p));
        } else if (r < 55 && !present.empty()) {
            p = present[gen.rng()() % present.size()];
            ASSERT_TRUE(t.add(p, gen.next_hop()));
        } else {
            p = gen.prefix();
            if (!t.fib.find(p)) {
                present.push_back(p);
            }
            ASSERT_TRUE(t.add(p, gen.next_hop()));
        }
        std::vector<std::uint32_t> probes = edge_addresses(p);
        probes.push_back(gen.address_in(p));
        ASSERT_EQ(t.mismatches(probes), 0u) << "after op " << op << " on " << p.to_string();
        if (op % 5000 == 4999) {
            ASSERT_EQ(t.mismatches(sample(50000)), 0u) << "checkpoint after op " << op;
        }
    }
    ASSERT_EQ(t.fib.size(), t.ref.size());
    ASSERT_EQ(t.mismatches(sample(std::size_t{500000} * scale)), 0u);

    // Delete everything, in random order: no route anywhere, no group left.
    std::shuffle(present.begin(), present.end(), gen.rng());
    for (const auto& p : present) {
        ASSERT_TRUE(t.remove(p));
    }
    EXPECT_EQ(t.fib.size(), 0u);
    EXPECT_EQ(t.fib.tbl8_groups_in_use(), 0u);
    ASSERT_EQ(t.mismatches(sample(20000)), 0u);
    for (auto a : sample(2000)) {
        ASSERT_EQ(t.fib.lookup(a), kNoRoute);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, FibDifferential, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace routerd::fib
