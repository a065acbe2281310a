// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ether_output.hh"

#include "tests/unit/router/inet/inet_test.hh"

namespace routerd::test {
namespace {

class EtherOutput : public InetTest {
protected:
    std::vector<std::uint8_t> to_h2(std::uint16_t id) {
        auto p = params(kH1, kH2);
        p.id = id;
        return udp_frame(H::kMacR1, H::kMacH1, p);
    }
};

TEST_F(EtherOutput, OneFlushPerBatchInDecisionOrder) {
    const std::size_t flushes = h.port(1).flushes();
    const std::size_t idle_flushes = h.port(2).flushes();
    for (std::uint16_t id = 0; id < 20; ++id) {
        h.inject(0, to_h2(id));
    }
    h.run();  // one rx_batch of 20 frames
    ASSERT_EQ(h.sent(1).size(), 20u);
    for (std::uint16_t id = 0; id < 20; ++id) {
        EXPECT_EQ(out(h.sent(1)[id]).ip().ip_id(), id);
    }
    EXPECT_EQ(h.port(1).flushes(), flushes + 1);
    EXPECT_EQ(h.port(2).flushes(), idle_flushes);  // nothing queued there: no system call
}

TEST_F(EtherOutput, FullArrayGoesEarly) {
    // A batch larger than Context::kTxBatch: the per-port array is handed over when full.
    for (std::uint16_t id = 0; id < 150; ++id) {
        h.inject(0, to_h2(id));
    }
    h.ctx().now = h.clock().now();
    std::array<packet::Packet, 160> batch;
    const std::size_t n = h.port(0).rx_batch(batch);
    ASSERT_EQ(n, 150u);
    for (std::size_t i = 0; i < n; ++i) {
        h.on_frame(batch[i]);
    }
    EXPECT_EQ(h.sent(1).size(), 128u);  // two full arrays so far
    inet::tx_flush_all(h.ctx());
    ASSERT_EQ(h.sent(1).size(), 150u);
    for (std::uint16_t id = 0; id < 150; ++id) {
        ASSERT_EQ(out(h.sent(1)[id]).ip().ip_id(), id);
    }
}

TEST_F(EtherOutput, RefusedFramesAreOutputDrops) {
    h.port(1).set_tx_limit(2);
    const C before = h.counters();
    for (std::uint16_t id = 0; id < 5; ++id) {
        h.inject(0, to_h2(id));
    }
    h.run();
    EXPECT_EQ(h.sent(1).size(), 2u);
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth2.ifs_oqdrops"), 3u);
    EXPECT_EQ(d.at("eth2.ifs_opackets"), 2u);
    EXPECT_EQ(d.at("ips_odropped"), 3u);
    EXPECT_EQ(d.at("ips_forward"), 2u);  // BSD: the datagrams that went out
}

TEST_F(EtherOutput, NoTxSlotForALocalFrameIsCounted) {
    h.port(0).set_tx_limit(0);
    const C before = h.counters();
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth1.ifs_oqdrops"), 1u);
    EXPECT_EQ(d.at("ips_odropped"), 1u);
}

TEST_F(EtherOutput, LocalFramesLeaveAfterEarlierForwardedOnes) {
    h.learn(0, kG1, H::kMacG1);
    // Both leave by eth1: a forwarded datagram (queued) then our echo reply (TX slot).
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("203.0.113.10"))));
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 2u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_p(), IPPROTO_UDP);
    EXPECT_EQ(out(h.sent(0)[1]).icmp().icmp_type(), ICMP_ECHOREPLY);
}

TEST_F(EtherOutput, OutputCountersByDestination) {
    auto s = h.edit();
    s.interfaces[1].settings.directed_broadcast = true;
    h.publish(s);
    h.clear_sent();
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.0.255"))));
    h.inject(0, to_h2(1));
    h.run();
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth2.ifs_opackets"), 2u);
    EXPECT_EQ(d.at("eth2.ifs_obcasts"), 1u);
    EXPECT_EQ(d.count("eth2.ifs_omcasts"), 0u);
}

}  // namespace
}  // namespace routerd::test
