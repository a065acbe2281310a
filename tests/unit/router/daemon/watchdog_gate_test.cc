// SPDX-License-Identifier: Apache-2.0
// WatchdogGate: WATCHDOG=1 only while every worker's wake-up count advances.
#include "router/daemon/watchdog_gate.hh"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace routerd::daemon {
namespace {

using V = WatchdogGate::Verdict;
using Counts = std::vector<std::uint64_t>;

TEST(WatchdogGate, PingsWhileEveryWorkerAdvances) {
    WatchdogGate g(Counts{10, 20});
    EXPECT_EQ(g.check(Counts{11, 25}), V::ping);
    EXPECT_EQ(g.check(Counts{12, 26}), V::ping);
}

TEST(WatchdogGate, AStuckWorkerStopsThePingAndIsReportedOnceUntilItMovesAgain) {
    WatchdogGate g(Counts{10, 20});
    EXPECT_EQ(g.check(Counts{11, 20}), V::stalled);
    EXPECT_EQ(g.stalled_worker(), 1u);
    EXPECT_EQ(g.check(Counts{12, 20}), V::still_stalled);
    EXPECT_EQ(g.check(Counts{13, 20}), V::still_stalled);
    // Progress is measured against the last ping, so one wake-up is enough to resume.
    EXPECT_EQ(g.check(Counts{14, 21}), V::ping_recovered);
    EXPECT_EQ(g.check(Counts{15, 22}), V::ping);
    EXPECT_EQ(g.check(Counts{15, 23}), V::stalled);
    EXPECT_EQ(g.stalled_worker(), 0u);
}

TEST(WatchdogGate, NoProgressSinceTheStartIsAStall) {
    WatchdogGate g(Counts{5});
    EXPECT_EQ(g.check(Counts{5}), V::stalled);
}

TEST(WatchdogGate, AWrappedCountStillMoved) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    WatchdogGate g(Counts{kMax});
    EXPECT_EQ(g.check(Counts{0}), V::ping);
}

TEST(WatchdogGate, NoWorkersAlwaysPingsAndADifferentSizeStartsOver) {
    WatchdogGate none(Counts{});
    EXPECT_EQ(none.check(Counts{}), V::ping);
    WatchdogGate g(Counts{1});
    EXPECT_EQ(g.check(Counts{1, 1}), V::ping);
    EXPECT_EQ(g.check(Counts{1, 1}), V::stalled);
}

}  // namespace
}  // namespace routerd::daemon
