// SPDX-License-Identifier: Apache-2.0
// Tests for FakePort: the test double must keep the Port contract the stages rely on.
#include "tests/support/fake_port.hh"

#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace routerd::test {
namespace {

using packet::L2Class;
using packet::Packet;
using Bytes = std::vector<std::uint8_t>;

constexpr MacAddr kMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0xfe}};
constexpr MacAddr kPeer{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

Bytes frame_to(const MacAddr& dst, std::uint8_t tag) {
    Bytes f(60, tag);
    packet::build_ether(f, dst, kPeer, ETHERTYPE_IP);
    return f;
}

TEST(FakePort, Identity) {
    FakePort port(3, "eth1", kMac, 1400);
    packet::Port& p = port;
    EXPECT_EQ(p.ifindex(), 3);
    EXPECT_EQ(p.name(), "eth1");
    EXPECT_EQ(p.mac(), kMac);
    EXPECT_EQ(p.mtu(), 1400u);
}

TEST(FakePort, RxBatchHandsOutInjectedFramesInOrder) {
    FakePort port(3, "eth1", kMac);
    port.set_rx_time(MonoTime{std::chrono::seconds(9)});
    for (std::uint8_t i = 0; i < 5; ++i) {
        port.inject(frame_to(kMac, i));
    }
    std::array<Packet, 2> batch;
    ASSERT_EQ(port.rx_batch(batch), 2u);
    EXPECT_EQ(port.pending_rx(), 3u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(batch[i].len(), 60u);
        EXPECT_EQ(batch[i].data()[59], i);
        EXPECT_EQ(batch[i].meta.ifindex, 3);
        EXPECT_EQ(batch[i].meta.l2_class, L2Class::to_us);
        EXPECT_EQ(batch[i].meta.rx_time, MonoTime{std::chrono::seconds(9)});
        EXPECT_GE(batch[i].headroom(), packet::kEtherHeaderLen);
        // TPACKET_V3 places the network header aligned; so does the fake.
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(batch[i].data() + 14) % 16, 0u);
    }
    ASSERT_EQ(port.rx_batch(batch), 2u);
    EXPECT_EQ(batch[0].data()[59], 2);
    ASSERT_EQ(port.rx_batch(batch), 1u);
    EXPECT_EQ(batch[0].data()[59], 4);
    EXPECT_EQ(port.rx_batch(batch), 0u);
}

TEST(FakePort, ReleaseEndsTheBatchOnly) {
    FakePort port(3, "eth1", kMac);
    port.inject(frame_to(kMac, 0x11));
    port.inject(frame_to(kMac, 0x22));
    std::array<Packet, 1> batch;
    ASSERT_EQ(port.rx_batch(batch), 1u);
    EXPECT_EQ(batch[0].data()[59], 0x11);
    port.rx_release();  // batch[0] is invalid now (ASan reports any further use)
    EXPECT_EQ(port.pending_rx(), 1u);
    ASSERT_EQ(port.rx_batch(batch), 1u);
    EXPECT_EQ(batch[0].data()[59], 0x22);
    port.rx_release();
    EXPECT_EQ(port.rx_batch(batch), 0u);
}

TEST(FakePort, ClassifiesLikeSllPkttype) {
    FakePort port(3, "eth1", kMac);
    port.inject(frame_to(kMac, 0));
    port.inject(frame_to(MacAddr::broadcast(), 0));
    port.inject(frame_to(MacAddr::from_ip4_multicast(Ip4Addr::from_octets(224, 0, 0, 1)), 0));
    port.inject(frame_to(kPeer, 0));
    port.inject_outgoing(frame_to(kPeer, 0));
    port.inject(frame_to(kMac, 0), L2Class::other_host);  // explicit wins
    std::array<Packet, 8> batch;
    ASSERT_EQ(port.rx_batch(batch), 6u);
    EXPECT_EQ(batch[0].meta.l2_class, L2Class::to_us);
    EXPECT_EQ(batch[1].meta.l2_class, L2Class::broadcast);
    EXPECT_EQ(batch[2].meta.l2_class, L2Class::multicast);
    EXPECT_EQ(batch[3].meta.l2_class, L2Class::other_host);
    EXPECT_EQ(batch[4].meta.l2_class, L2Class::own_outgoing);
    EXPECT_EQ(batch[5].meta.l2_class, L2Class::other_host);
}

TEST(FakePort, TxBatchCopiesAndHonoursTheLimit) {
    FakePort port(3, "eth1", kMac);
    std::array<Bytes, 3> frames{frame_to(kPeer, 1), frame_to(kPeer, 2), frame_to(kPeer, 3)};
    std::array<Packet, 3> pkts;
    for (std::size_t i = 0; i < 3; ++i) {
        pkts[i] = Packet(frames[i], 0, frames[i].size());
    }
    EXPECT_EQ(port.tx_batch(pkts), 3u);
    frames[0][59] = 0x99;  // the port copied: the caller's memory is free on return
    ASSERT_EQ(port.sent().size(), 3u);
    EXPECT_EQ(port.sent()[0][59], 1);
    port.clear_sent();
    port.set_tx_limit(2);
    EXPECT_EQ(port.tx_batch(pkts), 2u);  // a prefix accepted: the rest are output drops
    EXPECT_EQ(port.sent().size(), 2u);
    port.tx_flush();
    EXPECT_EQ(port.flushes(), 1u);
    port.clear();
    EXPECT_TRUE(port.sent().empty());
    EXPECT_EQ(port.flushes(), 0u);
}

TEST(FakePort, TxBufferAndCommitBuildInPlace) {
    FakePort port(3, "eth1", kMac);
    EXPECT_FALSE(port.tx_commit(0, 42));  // no slot lent
    std::span<std::uint8_t> slot = port.tx_buffer();
    ASSERT_GE(slot.size(), port.mtu() + packet::kEtherHeaderLen);
    const std::size_t n = packet::build_arp_request(
        slot, kMac, Ip4Addr::from_octets(198, 18, 0, 254), Ip4Addr::from_octets(198, 18, 0, 1));
    ASSERT_EQ(n, 42u);
    EXPECT_FALSE(port.tx_commit(slot.size() - 1, 2));  // past the slot
    EXPECT_TRUE(port.tx_commit(0, n));
    ASSERT_EQ(port.sent().size(), 1u);
    EXPECT_EQ(port.sent()[0].size(), 42u);
    EXPECT_FALSE(port.tx_commit(0, n));  // the slot went with the frame
    port.set_tx_limit(0);
    EXPECT_TRUE(port.tx_buffer().empty());  // ring full
}

TEST(FakePort, TxBufferKeepsTheNetworkHeaderAligned) {
    FakePort port(3, "eth1", kMac);
    std::span<std::uint8_t> slot = port.tx_buffer();
    const std::size_t off = packet::ip4_offset(slot);
    packet::Ip4Params ip;
    ip.src = Ip4Addr::from_octets(198, 18, 0, 254);
    ip.dst = Ip4Addr::from_octets(198, 18, 0, 1);
    const std::size_t n = packet::build_icmp_echo_request(slot.subspan(off), ip, 1, 1, {});
    ASSERT_GT(n, 0u);
    packet::build_ether(slot.subspan(off - packet::kEtherHeaderLen), kPeer, kMac, ETHERTYPE_IP);
    EXPECT_TRUE(port.tx_commit(off - packet::kEtherHeaderLen, n + packet::kEtherHeaderLen));
    ASSERT_EQ(port.sent().size(), 1u);
    auto eh = packet::ConstEtherView::parse(port.sent()[0]);
    EXPECT_EQ(eh->payload().ether_type, ETHERTYPE_IP);
    auto ipv = packet::ConstIp4View::parse(std::span(port.sent()[0]).subspan(14));
    EXPECT_TRUE(ipv->cksum_ok());
}

}  // namespace
}  // namespace routerd::test
