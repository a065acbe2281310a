// SPDX-License-Identifier: Apache-2.0
// Tests for Result<T> / Status.
#include "router/base/result.hh"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace routerd {
namespace {

Result<int> parse_positive(int v) {
    if (v <= 0) {
        return make_error(EINVAL, "not positive");
    }
    return v;
}

TEST(Result, ValueAndError) {
    auto ok = parse_positive(3);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok.has_value());
    EXPECT_EQ(*ok, 3);
    EXPECT_EQ(ok.value_or(9), 3);

    auto bad = parse_positive(-1);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, EINVAL);
    EXPECT_EQ(bad.error().message, "not positive");
    EXPECT_EQ(bad.value_or(9), 9);
}

TEST(Result, AndThenChainsAndShortCircuits) {
    auto twice = [](int v) -> Result<std::string> { return std::to_string(v * 2); };
    EXPECT_EQ(*parse_positive(4).and_then(twice), "8");
    auto r = parse_positive(0).and_then(twice);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
}

TEST(Result, MoveOnlyValues) {
    Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
    ASSERT_TRUE(r);
    std::unique_ptr<int> p = std::move(r).value();
    EXPECT_EQ(*p, 5);
}

TEST(Status, OkAndError) {
    Status s = ok_status();
    EXPECT_TRUE(s);
    Status e = make_error(ENOMEM, "full");
    EXPECT_FALSE(e);
    EXPECT_EQ(e.error().code, ENOMEM);
}

}  // namespace
}  // namespace routerd
