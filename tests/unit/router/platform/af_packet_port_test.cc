// SPDX-License-Identifier: Apache-2.0
// AfPacketPort against a real veth pair in a private network namespace.
#include "router/platform/af_packet_port.hh"

#include "tests/unit/router/platform/netns_fixture.hh"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstring>
#include <netinet/in.h>
#include <thread>
#include <utility>
#include <vector>

namespace routerd::platform {
namespace {

using packet::L2Class;
using packet::Packet;

class AfPacketPortTest : public test::NetnsTest {
protected:
    // Drains the port for up to `ms`, returning copies of the frames' tag bytes and classes.
    std::vector<std::pair<std::uint8_t, L2Class>> drain(AfPacketPort& port, std::size_t want,
                                                        int ms = 2000) {
        std::vector<std::pair<std::uint8_t, L2Class>> got;
        std::array<Packet, 32> batch;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (got.size() < want && std::chrono::steady_clock::now() < deadline) {
            std::size_t n = port.rx_batch(batch);
            for (std::size_t i = 0; i < n; ++i) {
                if (batch[i].len() >= 15 && batch[i].data()[12] == 0x88) {
                    got.emplace_back(batch[i].data()[14], batch[i].meta.l2_class);
                }
            }
            if (n == 0) {
                pollfd p{port.fd(), POLLIN, 0};
                ::poll(&p, 1, 10);
            }
        }
        return got;
    }
};

TEST_F(AfPacketPortTest, OpensWithInterfaceFacts) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    EXPECT_EQ((*port)->name(), "v0");
    EXPECT_EQ((*port)->ifindex(), static_cast<int>(if_nametoindex("v0")));
    EXPECT_EQ((*port)->mac().to_string(), "02:00:00:00:00:01");
    EXPECT_EQ((*port)->mtu(), 1500u);
}

TEST_F(AfPacketPortTest, MissingInterfaceIsAClearError) {
    auto port = AfPacketPort::open("nosuch0");
    ASSERT_FALSE(port);
    EXPECT_NE(port.error().message.find("nosuch0"), std::string::npos);
}

TEST_F(AfPacketPortTest, ReceivesAndClassifiesFrames) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t ours[6] = {0x02, 0, 0, 0, 0, 0x01};
    const std::uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const std::uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03};  // 239.1.2.3
    const std::uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x77};
    peer_send(frame(ours, 1));
    peer_send(frame(bcast, 2));
    peer_send(frame(mcast, 3));  // seen thanks to PACKET_MR_ALLMULTI
    peer_send(frame(other, 4));
    auto got = drain(**port, 3);
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(got[0], std::make_pair(std::uint8_t{1}, L2Class::to_us));
    EXPECT_EQ(got[1], std::make_pair(std::uint8_t{2}, L2Class::broadcast));
    EXPECT_EQ(got[2], std::make_pair(std::uint8_t{3}, L2Class::multicast));
    // veth delivers other-host frames only in promiscuous mode: if it came, it is classed so.
    if (got.size() > 3) {
        EXPECT_EQ(got[3], std::make_pair(std::uint8_t{4}, L2Class::other_host));
    }
}

TEST_F(AfPacketPortTest, TransmitsBatchesAndBuiltFrames) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
    auto f1 = frame(peer_mac, 11);
    auto f2 = frame(peer_mac, 12, 1514);
    std::array<Packet, 2> out = {Packet(f1, 0, f1.size()), Packet(f2, 0, f2.size())};
    EXPECT_EQ((*port)->tx_batch(out), 2u);
    auto slot = (*port)->tx_buffer();
    ASSERT_GE(slot.size(), 1514u);
    auto f3 = frame(peer_mac, 13);
    std::memcpy(slot.data() + 2, f3.data(), f3.size());
    EXPECT_TRUE((*port)->tx_commit(2, f3.size()));
    (*port)->tx_flush();
    EXPECT_EQ((*port)->tx_errors(), 0u);
    auto r1 = peer_recv();
    auto r2 = peer_recv();
    auto r3 = peer_recv();
    ASSERT_EQ(r1.size(), 60u);
    ASSERT_EQ(r2.size(), 1514u);
    ASSERT_EQ(r3.size(), 60u);
    EXPECT_EQ(r1[14], 11);
    EXPECT_EQ(r2[14], 12);
    EXPECT_EQ(r3[14], 13);
}

TEST_F(AfPacketPortTest, OwnTransmissionsDoNotComeBack) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
    auto f = frame(peer_mac, 21);
    std::array<Packet, 1> out = {Packet(f, 0, f.size())};
    ASSERT_EQ((*port)->tx_batch(out), 1u);
    (*port)->tx_flush();
    EXPECT_EQ(drain(**port, 1, 200).size(), 0u);
}

TEST_F(AfPacketPortTest, RingWrapsWithoutLosingFrames) {
    // Small blocks so that thousands of frames cycle the ring several times.
    AfPacketOptions opts;
    opts.block_size = 1u << 16;
    opts.block_count = 4;
    auto port = AfPacketPort::open("v0", opts);
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t ours[6] = {0x02, 0, 0, 0, 0, 0x01};
    constexpr int kFrames = 3000;
    std::size_t received = 0;
    std::array<Packet, 32> batch;
    // Send in bursts smaller than the ring and read between them: nothing may be lost.
    for (int sent = 0; sent < kFrames;) {
        for (int i = 0; i < 100 && sent < kFrames; ++i, ++sent) {
            peer_send(frame(ours, static_cast<std::uint8_t>(sent)));
        }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (received < static_cast<std::size_t>(sent) &&
               std::chrono::steady_clock::now() < deadline) {
            std::size_t n = (*port)->rx_batch(batch);
            for (std::size_t i = 0; i < n; ++i) {
                ASSERT_EQ(batch[i].data()[14], static_cast<std::uint8_t>(received));
                ++received;
            }
            if (n == 0) {
                pollfd p{(*port)->fd(), POLLIN, 0};
                ::poll(&p, 1, 5);
            }
        }
    }
    EXPECT_EQ(received, static_cast<std::size_t>(kFrames));
    EXPECT_EQ((*port)->ring_stats().drops, 0u);
}

TEST_F(AfPacketPortTest, RefusedFrameDoesNotTakeTheFramesBehindIt) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
    // The second frame is longer than the link (MTU 1500 + header): the kernel refuses it
    // with EMSGSIZE; the ones before and after it must still leave.
    for (auto [tag, len] :
         {std::pair{31, 60}, std::pair{32, 1600}, std::pair{33, 60}, std::pair{34, 60}}) {
        auto f = frame(peer_mac, static_cast<std::uint8_t>(tag), static_cast<std::size_t>(len));
        auto slot = (*port)->tx_buffer();
        ASSERT_GE(slot.size(), f.size());
        std::memcpy(slot.data(), f.data(), f.size());
        ASSERT_TRUE((*port)->tx_commit(0, f.size()));
    }
    (*port)->tx_flush();
    EXPECT_EQ((*port)->tx_errors(), 1u);
    EXPECT_EQ((*port)->tx_drops(), 0u);
    std::vector<std::uint8_t> tags;
    for (int i = 0; i < 3; ++i) {
        auto r = peer_recv();
        if (r.size() > 14) {
            tags.push_back(r[14]);
        }
    }
    EXPECT_EQ(tags, (std::vector<std::uint8_t>{31, 33, 34}));
    EXPECT_EQ((*port)->drops().tx_errors, 1u);
}

TEST_F(AfPacketPortTest, OversizeFrameIsNotAccepted) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
    auto f1 = frame(peer_mac, 41);
    auto big = frame(peer_mac, 42, 4000);  // larger than any TX slot
    std::array<Packet, 2> out = {Packet(f1, 0, f1.size()), Packet(big, 0, big.size())};
    // Not accepted: the caller counts it as an output drop instead of as sent.
    EXPECT_EQ((*port)->tx_batch(out), 1u);
    (*port)->tx_flush();
    auto r = peer_recv();
    ASSERT_EQ(r.size(), 60u);
    EXPECT_EQ(r[14], 41);
}

TEST_F(AfPacketPortTest, TaggedFramesAreCountedNotReceived) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    const std::uint8_t ours[6] = {0x02, 0, 0, 0, 0, 0x01};
    // An 802.1Q tag inserted after the addresses: TPID 0x8100, TCI.
    auto tagged = [&](std::uint16_t tci, std::uint8_t tag) {
        auto f = frame(ours, tag);
        const std::uint8_t q[4] = {0x81, 0x00, static_cast<std::uint8_t>(tci >> 8),
                                   static_cast<std::uint8_t>(tci & 0xff)};
        f.insert(f.begin() + 12, q, q + 4);
        return f;
    };
    peer_send(tagged(5, 51));       // VLAN 5: not this (untagged) link
    peer_send(tagged(0x6000, 52));  // VID 0, priority 3: a priority tag, kept
    peer_send(frame(ours, 53));
    auto got = drain(**port, 2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].first, 52);
    EXPECT_EQ(got[1].first, 53);
    EXPECT_EQ((*port)->rx_vlan(), 1u);
    EXPECT_EQ((*port)->drops().rx_vlan, 1u);
}

TEST_F(AfPacketPortTest, PartialChecksumIsFlagged) {
    auto port = AfPacketPort::open("v0");
    ASSERT_TRUE(port) << port.error().message;
    // The peer's own stack sends UDP with TX checksum offload (veth's default): the frame
    // arrives with the checksum unfinished (TP_STATUS_CSUMNOTREADY).
    ASSERT_EQ(test::sh("ip addr add 198.51.100.2/24 dev v1"), 0);
    ASSERT_EQ(test::sh("ip neigh replace 198.51.100.1 lladdr 02:00:00:00:00:01 dev v1"), 0);
    ASSERT_EQ(test::sh("ethtool -K v1 tx on"), 0);
    int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(s, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(0xc6336401);  // 198.51.100.1
    const char msg[32] = "partial";
    ASSERT_EQ(::sendto(s, msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(sizeof msg));
    ::close(s);
    std::array<Packet, 8> batch;
    bool seen = false;
    bool partial = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!seen && std::chrono::steady_clock::now() < deadline) {
        const std::size_t n = (*port)->rx_batch(batch);
        for (std::size_t i = 0; i < n; ++i) {
            if (batch[i].len() > 23 && batch[i].data()[12] == 0x08 && batch[i].data()[13] == 0 &&
                batch[i].data()[23] == 17) {
                seen = true;
                partial = batch[i].meta.csum_partial;
            }
        }
        if (n == 0) {
            pollfd p{(*port)->fd(), POLLIN, 0};
            ::poll(&p, 1, 10);
        }
    }
    ASSERT_TRUE(seen);
    EXPECT_TRUE(partial);
}

}  // namespace
}  // namespace routerd::platform
