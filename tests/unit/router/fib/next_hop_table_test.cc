// SPDX-License-Identifier: Apache-2.0
// Tests for NextHopTable: dedup, refcounts, exhaustion and grace-period reuse.
#include "router/fib/next_hop_table.hh"

#include <gtest/gtest.h>

#include <cerrno>

namespace routerd::fib {
namespace {

const NextHop kViaA{NextHopKind::forward, 2, *Ip4Addr::parse("198.18.0.1")};
const NextHop kViaB{NextHopKind::forward, 3, *Ip4Addr::parse("198.18.1.1")};

TEST(NextHopTable, IdenticalNextHopsShareOneIndex) {
    NextHopTable t;
    auto a1 = t.acquire(kViaA);
    auto a2 = t.acquire(kViaA);
    auto b = t.acquire(kViaB);
    ASSERT_TRUE(a1 && a2 && b);
    EXPECT_EQ(*a1, *a2);
    EXPECT_NE(*a1, *b);
    EXPECT_NE(*a1, kNoRoute);
    EXPECT_EQ(t.refcount(*a1), 2u);
    EXPECT_EQ(t.get(*a1), kViaA);
    EXPECT_EQ(t.get(*b), kViaB);
    EXPECT_EQ(t.size(), 2u);
    t.release(*a1);
    EXPECT_EQ(t.size(), 2u);
    t.release(*a2);
    EXPECT_EQ(t.size(), 1u);
}

TEST(NextHopTable, ExhaustionIsENOSPC) {
    NextHopTable t(nullptr, 2);
    ASSERT_TRUE(t.acquire(kViaA));
    auto b = t.acquire(kViaB);
    ASSERT_TRUE(b);
    auto c = t.acquire(NextHop::reject_route());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ENOSPC);
    t.release(*b);
    EXPECT_TRUE(t.acquire(NextHop::reject_route()));
}

TEST(NextHopTable, FreedSlotIsReusedOnlyAfterTheGracePeriod) {
    Qsbr qsbr;
    auto reader = qsbr.register_reader();
    ASSERT_TRUE(reader);
    NextHopTable t(&qsbr, 1);
    auto a = t.acquire(kViaA);
    ASSERT_TRUE(a);
    t.release(*a);
    // A reader may still hold the index: the slot must keep kViaA.
    EXPECT_EQ(t.acquire(kViaB).error().code, ENOSPC);
    EXPECT_EQ(t.get(*a), kViaA);
    qsbr.quiescent(*reader);
    auto b = t.acquire(kViaB);
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, *a);
    EXPECT_EQ(t.get(*b), kViaB);
}

}  // namespace
}  // namespace routerd::fib
