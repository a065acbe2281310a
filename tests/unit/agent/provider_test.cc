// SPDX-License-Identifier: Apache-2.0
// CachedRows: GETNEXT order, cache lifetime, no data when the load fails, SET targets.
#include "agent/mib/provider.hh"

#include <gtest/gtest.h>

#include <thread>

namespace routerd::agent {
namespace {

TEST(CachedRows, NextFollowsOidOrder) {
    CachedRows p(
        [] {
            return std::optional<Rows>(Rows{{{1, 3, 1, 0}, Value::integer(1)},
                                            {{1, 3, 2, 0}, Value::integer(2)},
                                            {{1, 3, 10, 0}, Value::integer(10)}});
        },
        std::chrono::seconds(1));
    EXPECT_EQ(p.next({1, 3}, false)->oid, (Oid{1, 3, 1, 0}));
    EXPECT_EQ(p.next({1, 3, 1, 0}, false)->oid, (Oid{1, 3, 2, 0}));
    EXPECT_EQ(p.next({1, 3, 1, 0}, true)->oid, (Oid{1, 3, 1, 0}));
    EXPECT_EQ(p.next({1, 3, 2, 0}, false)->oid, (Oid{1, 3, 10, 0}));  // 10 after 2, not "10"<"2"
    EXPECT_FALSE(p.next({1, 3, 10, 0}, false));
    EXPECT_EQ(p.get({1, 3, 2, 0}), Value::integer(2));
    EXPECT_FALSE(p.get({1, 3, 2}));
}

TEST(CachedRows, KeepsOneSnapshotForItsLifetimeThenReloads) {
    int loads = 0;
    CachedRows p(
        [&] {
            ++loads;
            return std::optional<Rows>(Rows{{{1, 0}, Value::integer(loads)}});
        },
        std::chrono::milliseconds(200));
    EXPECT_EQ(p.get({1, 0}), Value::integer(1));
    EXPECT_EQ(p.get({1, 0}), Value::integer(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    EXPECT_EQ(p.get({1, 0}), Value::integer(2));
    p.invalidate();
    EXPECT_EQ(p.get({1, 0}), Value::integer(3));
}

TEST(CachedRows, ZeroLifetimeLoadsEveryTime) {
    int loads = 0;
    CachedRows p(
        [&] {
            ++loads;
            return std::optional<Rows>(Rows{{{1, 0}, Value::integer(loads)}});
        },
        std::chrono::milliseconds(0));
    EXPECT_EQ(p.get({1, 0}), Value::integer(1));
    EXPECT_EQ(p.get({1, 0}), Value::integer(2));
}

TEST(CachedRows, NoDataWhenTheLoadFailsEvenAfterAGoodOne) {
    bool up = true;
    CachedRows p(
        [&] {
            return up ? std::optional<Rows>(Rows{{{1, 0}, Value::integer(5)}}) : std::nullopt;
        },
        std::chrono::milliseconds(0));
    EXPECT_TRUE(p.get({1, 0}));
    up = false;
    EXPECT_FALSE(p.get({1, 0}));
    EXPECT_FALSE(p.next({1}, false));
}

TEST(CachedRows, SetTargets) {
    CachedRows p(
        [] {
            return std::optional<Rows>(Rows{{{1, 1, 0}, Value::integer(1)},
                                            {{1, 2, 0}, Value::integer(2)},
                                            {{1, 7, 5}, Value::integer(1)}});
        },
        std::chrono::seconds(1));
    Writer w{Asn::integer, check_truth, nullptr, [](std::int64_t) { return ok_status(); }};
    p.add_writer({1, 1}, [&](const Oid& s) {
        return s == Oid{0} ? std::optional<Writer>(w) : std::nullopt;
    });
    p.add_writer({1, 7}, [&](const Oid&) { return std::optional<Writer>(w); });
    EXPECT_EQ(p.set_target({1, 1, 0}).error, SnmpErr::no_error);
    EXPECT_EQ(p.set_target({1, 1, 1}).error, SnmpErr::no_creation);
    EXPECT_EQ(p.set_target({1, 2, 0}).error, SnmpErr::not_writable);  // read-only, exists
    EXPECT_EQ(p.set_target({1, 3, 0}).error, SnmpErr::no_creation);   // nothing there
    EXPECT_EQ(p.set_target({1, 7, 5}).error, SnmpErr::no_error);
    EXPECT_EQ(p.set_target({1, 7, 6}).error, SnmpErr::no_creation);  // no such row
}

TEST(SetChecks, RangesAndTruthValues) {
    EXPECT_EQ(check_range(5, 1, 5), SnmpErr::no_error);
    EXPECT_EQ(check_range(6, 1, 5), SnmpErr::wrong_value);
    EXPECT_EQ(check_truth(1), SnmpErr::no_error);
    EXPECT_EQ(check_truth(2), SnmpErr::no_error);
    EXPECT_EQ(check_truth(0), SnmpErr::wrong_value);
    EXPECT_EQ(check_truth(3), SnmpErr::wrong_value);
    EXPECT_TRUE(truth_of(1));
    EXPECT_FALSE(truth_of(2));
}

}  // namespace
}  // namespace routerd::agent
