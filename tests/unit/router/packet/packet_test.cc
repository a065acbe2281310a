// SPDX-License-Identifier: Apache-2.0
// Tests for Packet: the frame view, headroom, pull/prepend/trim and the L3 mark.
#include "router/packet/packet.hh"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace routerd::packet {
namespace {

TEST(Packet, DefaultIsEmpty) {
    Packet p;
    EXPECT_EQ(p.len(), 0u);
    EXPECT_TRUE(p.empty());
    EXPECT_EQ(p.capacity(), 0u);
    EXPECT_FALSE(p.has_l3());
    EXPECT_TRUE(p.l2().empty());
    EXPECT_TRUE(p.l3().empty());
    EXPECT_EQ(p.meta.ifindex, 0);
    EXPECT_EQ(p.meta.l2_class, L2Class::to_us);
}

TEST(Packet, ViewsTheGivenRange) {
    std::array<std::uint8_t, 128> buf{};
    Packet p(buf, 32, 60);
    EXPECT_EQ(p.data(), buf.data() + 32);
    EXPECT_EQ(p.len(), 60u);
    EXPECT_EQ(p.headroom(), 32u);
    EXPECT_EQ(p.tailroom(), 36u);
    EXPECT_EQ(p.capacity(), 128u);
    EXPECT_EQ(p.bytes().data(), buf.data() + 32);
    EXPECT_EQ(p.bytes().size(), 60u);
    const Packet& c = p;
    EXPECT_EQ(c.data(), buf.data() + 32);
    EXPECT_EQ(c.bytes().size(), 60u);
}

TEST(Packet, PrependUsesHeadroomOnly) {
    std::array<std::uint8_t, 128> buf{};
    Packet p(buf, 14, 20);
    EXPECT_EQ(p.prepend(15), nullptr);  // too little headroom: unchanged
    EXPECT_EQ(p.len(), 20u);
    EXPECT_EQ(p.prepend(14), buf.data());
    EXPECT_EQ(p.headroom(), 0u);
    EXPECT_EQ(p.len(), 34u);
    EXPECT_EQ(p.prepend(1), nullptr);
    EXPECT_EQ(p.prepend(0), buf.data());
}

TEST(Packet, PullTrimExtend) {
    std::array<std::uint8_t, 128> buf{};
    Packet p(buf, 0, 100);
    EXPECT_FALSE(p.pull(101));
    EXPECT_TRUE(p.pull(14));
    EXPECT_EQ(p.data(), buf.data() + 14);
    EXPECT_EQ(p.len(), 86u);
    EXPECT_EQ(p.headroom(), 14u);
    EXPECT_FALSE(p.trim(87));  // trimming never grows
    EXPECT_TRUE(p.trim(40));
    EXPECT_EQ(p.len(), 40u);
    EXPECT_EQ(p.tailroom(), 128u - 14 - 40);
    EXPECT_FALSE(p.extend(p.tailroom() + 1));
    EXPECT_TRUE(p.extend(p.tailroom()));
    EXPECT_EQ(p.tailroom(), 0u);
    EXPECT_TRUE(p.pull(p.len()));
    EXPECT_TRUE(p.empty());
}

TEST(Packet, L3MarkSurvivesPrependAndPull) {
    std::array<std::uint8_t, 128> buf{};
    Packet p(buf, 2, 60);  // Ethernet at 2, IPv4 at 16
    p.set_l3(14);
    ASSERT_TRUE(p.has_l3());
    EXPECT_EQ(p.l3_offset(), 14u);
    EXPECT_EQ(p.l2().data(), buf.data() + 2);
    EXPECT_EQ(p.l2().size(), 14u);
    EXPECT_EQ(p.l3().data(), buf.data() + 16);
    EXPECT_EQ(p.l3_len(), 46u);
    EXPECT_EQ(p.l3().size(), 46u);

    ASSERT_TRUE(p.pull(14));  // the link header consumed: the mark stays on the IP header
    EXPECT_EQ(p.l3_offset(), 0u);
    EXPECT_TRUE(p.l2().empty());
    EXPECT_EQ(p.l3().data(), buf.data() + 16);
    ASSERT_NE(p.prepend(14), nullptr);  // a new link header for output
    EXPECT_EQ(p.l3_offset(), 14u);
    EXPECT_EQ(p.l3().data(), buf.data() + 16);

    ASSERT_TRUE(p.pull(15));  // pulled past the mark: no L3 any more
    EXPECT_FALSE(p.has_l3());
    EXPECT_TRUE(p.l3().empty());
    EXPECT_EQ(p.l3_len(), 0u);
    EXPECT_TRUE(p.l2().empty());
    p.clear_l3();
    EXPECT_FALSE(p.has_l3());
}

TEST(Packet, TrimL3CutsLinkPadding) {
    // RFC 1812 5.2.2: a 60-octet minimum frame carrying a 28-octet datagram is trimmed to it.
    std::array<std::uint8_t, 128> buf{};
    Packet p(buf, 0, 60);
    EXPECT_FALSE(p.trim_l3(28));  // no mark yet
    p.set_l3(14);
    EXPECT_FALSE(p.trim_l3(47));  // more than there is
    EXPECT_TRUE(p.trim_l3(28));
    EXPECT_EQ(p.len(), 42u);
    EXPECT_EQ(p.l3_len(), 28u);
    EXPECT_TRUE(p.trim(13));  // a trim before the mark invalidates it
    EXPECT_FALSE(p.has_l3());
}

TEST(Packet, CopyIsAView) {
    std::array<std::uint8_t, 16> buf{};
    Packet a(buf, 0, 16);
    a.meta.ifindex = 7;
    a.meta.l2_class = L2Class::multicast;
    a.meta.rx_time = MonoTime{std::chrono::seconds(5)};
    Packet b = a;
    b.data()[0] = 0x45;
    EXPECT_EQ(a.data()[0], 0x45);
    EXPECT_EQ(b.meta.ifindex, 7);
    EXPECT_EQ(b.meta.l2_class, L2Class::multicast);
    EXPECT_EQ(b.meta.rx_time, MonoTime{std::chrono::seconds(5)});
}

}  // namespace
}  // namespace routerd::packet
