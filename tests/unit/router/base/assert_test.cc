// SPDX-License-Identifier: Apache-2.0
// Tests for RD_CHECK / RD_ASSERT / RD_BUG.
#include "router/base/assert.hh"

#include <gtest/gtest.h>

namespace routerd {
namespace {

TEST(AssertDeathTest, CheckAbortsWithExpressionAndPlace) {
    EXPECT_DEATH(RD_CHECK(1 + 1 == 3), "check failed: 1 \\+ 1 == 3 at .*assert_test.cc");
}

TEST(Assert, PassingChecksDoNothing) {
    RD_CHECK(true);
    RD_ASSERT(2 > 1);
    RD_BUG(true);
    SUCCEED();
}

#ifdef NDEBUG
TEST(Assert, BugCountsInRelease) {
    auto before = detail::routerd_bugs().load();
    RD_BUG(false);
    EXPECT_EQ(detail::routerd_bugs().load(), before + 1);
}
#else
TEST(AssertDeathTest, BugAbortsInDebug) {
    EXPECT_DEATH(RD_BUG(false), "check failed");
}
#endif

}  // namespace
}  // namespace routerd
