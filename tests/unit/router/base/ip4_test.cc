// SPDX-License-Identifier: Apache-2.0
// Tests for Ip4Addr / Ip4Prefix parsing, formatting and mask helpers.
#include "router/base/ip4.hh"

#include <gtest/gtest.h>

namespace routerd {
namespace {

TEST(Ip4Addr, ParsesAndFormats) {
    auto a = Ip4Addr::parse("198.18.0.254");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value(), 0xc61200feu);
    EXPECT_EQ(a->to_string(), "198.18.0.254");
    EXPECT_EQ(Ip4Addr::parse("0.0.0.0")->value(), 0u);
    EXPECT_EQ(Ip4Addr::parse("255.255.255.255")->value(), 0xffffffffu);
    EXPECT_EQ(Ip4Addr(0).to_string(), "0.0.0.0");
    EXPECT_EQ(Ip4Addr::from_octets(203, 0, 113, 7).to_string(), "203.0.113.7");
}

TEST(Ip4Addr, RejectsMalformed) {
    for (const char* bad : {"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "01.2.3.4",
                            "1.2.3.4 ", " 1.2.3.4", "1..3.4", "1.2.3.", ".1.2.3", "a.b.c.d",
                            "1.2.3.4/24", "1000.1.1.1", "0x1.2.3.4", "1.2.3.4\n"}) {
        EXPECT_FALSE(Ip4Addr::parse(bad)) << '"' << bad << '"';
    }
}

TEST(Ip4Addr, Classification) {
    EXPECT_TRUE(Ip4Addr::parse("239.1.2.3")->is_multicast());
    EXPECT_TRUE(Ip4Addr::parse("224.0.0.1")->is_multicast());
    EXPECT_FALSE(Ip4Addr::parse("240.0.0.1")->is_multicast());
    EXPECT_TRUE(Ip4Addr::parse("240.0.0.1")->is_class_e());
    EXPECT_FALSE(Ip4Addr::parse("255.255.255.255")->is_class_e());
    EXPECT_TRUE(Ip4Addr::parse("255.255.255.255")->is_limited_broadcast());
    EXPECT_TRUE(Ip4Addr::parse("127.0.0.1")->is_loopback());
    EXPECT_TRUE(Ip4Addr::parse("0.1.2.3")->is_this_network());
    EXPECT_TRUE(Ip4Addr().is_zero());
    EXPECT_LT(*Ip4Addr::parse("198.18.0.1"), *Ip4Addr::parse("198.19.0.1"));
}

TEST(Ip4Mask, LengthsAndContiguity) {
    EXPECT_EQ(ip4_mask(0), 0u);
    EXPECT_EQ(ip4_mask(1), 0x80000000u);
    EXPECT_EQ(ip4_mask(24), 0xffffff00u);
    EXPECT_EQ(ip4_mask(32), 0xffffffffu);
    for (unsigned len = 0; len <= 32; ++len) {
        EXPECT_EQ(ip4_mask_len(ip4_mask(len)), len);
    }
    EXPECT_FALSE(ip4_mask_len(0xff00ff00u));
    EXPECT_FALSE(ip4_mask_len(0x00ffffffu));
}

TEST(Ip4Prefix, ParsesAndComputes) {
    auto p = Ip4Prefix::parse("198.18.0.254/24");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->len, 24);
    EXPECT_TRUE(p->has_host_bits());
    EXPECT_EQ(p->network().to_string(), "198.18.0.0");
    EXPECT_EQ(p->broadcast().to_string(), "198.18.0.255");
    EXPECT_EQ(p->mask(), 0xffffff00u);
    EXPECT_EQ(p->to_string(), "198.18.0.254/24");
    EXPECT_TRUE(p->contains(*Ip4Addr::parse("198.18.0.1")));
    EXPECT_FALSE(p->contains(*Ip4Addr::parse("198.18.1.1")));

    auto def = Ip4Prefix::parse("0.0.0.0/0");
    ASSERT_TRUE(def);
    EXPECT_FALSE(def->has_host_bits());
    EXPECT_TRUE(def->contains(*Ip4Addr::parse("203.0.113.9")));
    EXPECT_EQ(def->broadcast().value(), 0xffffffffu);

    auto host = Ip4Prefix::parse("203.0.113.9/32");
    ASSERT_TRUE(host);
    EXPECT_EQ(host->broadcast(), host->addr);
    EXPECT_TRUE(host->contains(host->addr));
}

TEST(Ip4Prefix, ContainmentAndOverlap) {
    auto p16 = *Ip4Prefix::parse("198.18.0.0/15");
    auto p24 = *Ip4Prefix::parse("198.19.7.0/24");
    auto other = *Ip4Prefix::parse("203.0.113.0/24");
    EXPECT_TRUE(p16.contains(p24));
    EXPECT_FALSE(p24.contains(p16));
    EXPECT_TRUE(p16.overlaps(p24));
    EXPECT_TRUE(p24.overlaps(p16));
    EXPECT_FALSE(p16.overlaps(other));
    // /24 and /25 boundaries.
    auto lo = *Ip4Prefix::parse("198.51.100.0/25");
    auto hi = *Ip4Prefix::parse("198.51.100.128/25");
    EXPECT_FALSE(lo.overlaps(hi));
    EXPECT_TRUE(lo.contains(*Ip4Addr::parse("198.51.100.127")));
    EXPECT_FALSE(lo.contains(*Ip4Addr::parse("198.51.100.128")));
}

TEST(Ip4Prefix, RejectsMalformed) {
    for (const char* bad :
         {"198.18.0.0", "198.18.0.0/", "198.18.0.0/33", "198.18.0.0/-1", "198.18.0.0/024",
          "198.18.0.0/2a", "/24", "198.18.0/24", "198.18.0.0/24/1", "198.18.0.0 /24"}) {
        EXPECT_FALSE(Ip4Prefix::parse(bad)) << '"' << bad << '"';
    }
}

}  // namespace
}  // namespace routerd
