// SPDX-License-Identifier: Apache-2.0
// Tests for FibReference, the oracle: it must be right by inspection, these pin the contract.
#include "router/fib/fib_reference.hh"

#include <gtest/gtest.h>

namespace routerd::fib {
namespace {

Ip4Prefix pfx(const char* text) {
    return *Ip4Prefix::parse(text);
}
Ip4Addr addr(const char* text) {
    return *Ip4Addr::parse(text);
}

TEST(FibReference, LongestPrefixWins) {
    FibReference ref;
    EXPECT_EQ(ref.lookup(addr("198.51.100.1")), kNoRoute);
    EXPECT_TRUE(ref.add(pfx("0.0.0.0/0"), 1));
    EXPECT_TRUE(ref.add(pfx("198.51.100.0/24"), 2));
    EXPECT_TRUE(ref.add(pfx("198.51.100.128/25"), 3));
    EXPECT_TRUE(ref.add(pfx("198.51.100.129/32"), 4));
    EXPECT_EQ(ref.lookup(addr("203.0.113.1")), 1);
    EXPECT_EQ(ref.lookup(addr("198.51.100.1")), 2);
    EXPECT_EQ(ref.lookup(addr("198.51.100.130")), 3);
    EXPECT_EQ(ref.lookup(addr("198.51.100.129")), 4);
    EXPECT_EQ(ref.size(), 4u);
}

TEST(FibReference, ReplaceAndRemove) {
    FibReference ref;
    EXPECT_TRUE(ref.add(pfx("198.18.0.0/15"), 1));
    EXPECT_FALSE(ref.add(pfx("198.18.0.0/15"), 2));
    EXPECT_EQ(ref.find(pfx("198.18.0.0/15")), NhIndex{2});
    EXPECT_EQ(ref.lookup(addr("198.19.1.1")), 2);
    EXPECT_TRUE(ref.remove(pfx("198.18.0.0/15")));
    EXPECT_FALSE(ref.remove(pfx("198.18.0.0/15")));
    EXPECT_EQ(ref.lookup(addr("198.19.1.1")), kNoRoute);
    EXPECT_EQ(ref.size(), 0u);
}

}  // namespace
}  // namespace routerd::fib
