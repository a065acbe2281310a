// SPDX-License-Identifier: Apache-2.0
// Tests for PrefixMap: insert, replace, erase with backward shift, growth; against std::map.
#include "router/fib/prefix_map.hh"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>

namespace routerd::fib {
namespace {

TEST(PrefixMap, InsertFindReplaceErase) {
    PrefixMap m;
    EXPECT_FALSE(m.find(0, 0).has_value());
    EXPECT_TRUE(m.insert_or_assign(0, 0, 5));
    EXPECT_TRUE(m.insert_or_assign(0, 8, 6));  // same address, another length
    EXPECT_FALSE(m.insert_or_assign(0, 0, 7));
    EXPECT_EQ(m.find(0, 0), NhIndex{7});
    EXPECT_EQ(m.find(0, 8), NhIndex{6});
    EXPECT_EQ(m.size(), 2u);
    EXPECT_EQ(m.count_of_length(0), 1u);
    EXPECT_TRUE(m.erase(0, 0));
    EXPECT_FALSE(m.erase(0, 0));
    EXPECT_FALSE(m.find(0, 0).has_value());
    EXPECT_EQ(m.find(0, 8), NhIndex{6});
    EXPECT_EQ(m.count_of_length(0), 0u);
}

TEST(PrefixMap, RandomOperationsMatchStdMap) {
    PrefixMap m;
    std::map<std::pair<std::uint32_t, std::uint8_t>, NhIndex> want;
    std::mt19937 rng(5);
    for (int i = 0; i < 200000; ++i) {
        // A small key space so that erases hit and probe runs wrap and shift.
        const std::uint32_t a = (rng() % 4096) << 20;
        const auto len = static_cast<std::uint8_t>(rng() % 33);
        const auto nh = static_cast<NhIndex>(1 + rng() % 1000);
        if (rng() % 3 == 0) {
            EXPECT_EQ(m.erase(a, len), want.erase({a, len}) == 1);
        } else {
            EXPECT_EQ(m.insert_or_assign(a, len, nh), !want.count({a, len}));
            want[{a, len}] = nh;
        }
    }
    ASSERT_EQ(m.size(), want.size());
    for (const auto& [k, nh] : want) {
        ASSERT_EQ(m.find(k.first, k.second), nh);
    }
    std::size_t seen = 0;
    m.for_each([&](Ip4Prefix p, NhIndex nh) {
        ++seen;
        EXPECT_EQ(want.at({p.addr.value(), p.len}), nh);
    });
    EXPECT_EQ(seen, want.size());
}

}  // namespace
}  // namespace routerd::fib
