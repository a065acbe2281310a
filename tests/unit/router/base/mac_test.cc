// SPDX-License-Identifier: Apache-2.0
// Tests for MacAddr parsing, classification and the RFC 1112 6.4 multicast mapping.
#include "router/base/mac.hh"

#include <gtest/gtest.h>

namespace routerd {
namespace {

TEST(MacAddr, ParsesAndFormats) {
    auto m = MacAddr::parse("02:00:5E:10:00:0a");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->to_string(), "02:00:5e:10:00:0a");
    EXPECT_FALSE(m->is_multicast());
    EXPECT_FALSE(m->is_broadcast());
    for (const char* bad : {"", "02:00:5e:10:00", "02:00:5e:10:00:0a:01", "02-00-5e-10-00-0a",
                            "02:00:5e:10:00:0g", "2:00:5e:10:00:0a0", "02:00:5e:10:00:0a "}) {
        EXPECT_FALSE(MacAddr::parse(bad)) << '"' << bad << '"';
    }
}

TEST(MacAddr, BroadcastAndMulticast) {
    EXPECT_TRUE(MacAddr::broadcast().is_broadcast());
    EXPECT_TRUE(MacAddr::broadcast().is_multicast());
    EXPECT_TRUE(MacAddr::parse("01:00:5e:00:00:01")->is_multicast());
    EXPECT_TRUE(MacAddr{}.is_zero());
}

TEST(MacAddr, EqualityLooksAtEveryOctet) {
    const MacAddr a{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
    EXPECT_EQ(a, a);
    for (std::size_t i = 0; i < 6; ++i) {
        MacAddr b = a;
        b.bytes[i] ^= 0x80;
        EXPECT_NE(a, b) << "octet " << i;
    }
    static_assert(MacAddr::broadcast() == MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}});
}

TEST(MacAddr, Rfc1112MulticastMapping) {
    // RFC 1112 6.4: 01-00-5E-00-00-00 plus the low-order 23 bits of the group.
    EXPECT_EQ(MacAddr::from_ip4_multicast(*Ip4Addr::parse("224.0.0.1")).to_string(),
              "01:00:5e:00:00:01");
    EXPECT_EQ(MacAddr::from_ip4_multicast(*Ip4Addr::parse("239.1.2.3")).to_string(),
              "01:00:5e:01:02:03");
    // The 24th bit is dropped: 239.129.2.3 and 239.1.2.3 share a MAC.
    EXPECT_EQ(MacAddr::from_ip4_multicast(*Ip4Addr::parse("239.129.2.3")),
              MacAddr::from_ip4_multicast(*Ip4Addr::parse("239.1.2.3")));
    EXPECT_EQ(MacAddr::from_ip4_multicast(*Ip4Addr::parse("239.255.255.255")).to_string(),
              "01:00:5e:7f:ff:ff");
}

}  // namespace
}  // namespace routerd
