// SPDX-License-Identifier: Apache-2.0
// Tests for MonoTime arithmetic, SteadyClock and the test FakeClock.
#include "router/base/clock.hh"

#include "tests/support/fake_clock.hh"

#include <gtest/gtest.h>

namespace routerd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(MonoTime, Arithmetic) {
    MonoTime t{seconds(10)};
    EXPECT_EQ((t + milliseconds(500)) - t, milliseconds(500));
    EXPECT_LT(t, t + milliseconds(1));
    EXPECT_EQ((t - seconds(1)).since_epoch, seconds(9));
}

TEST(SteadyClock, NeverGoesBackwards) {
    SteadyClock c;
    MonoTime a = c.now();
    MonoTime b = c.now();
    EXPECT_LE(a, b);
}

TEST(FakeClock, MovesOnlyWhenAdvanced) {
    test::FakeClock c;
    MonoTime start = c.now();
    EXPECT_EQ(c.now(), start);
    c.advance(seconds(125));
    EXPECT_EQ(c.now() - start, seconds(125));
}

}  // namespace
}  // namespace routerd
