// SPDX-License-Identifier: Apache-2.0
#include "router/inet/arp.hh"

#include "tests/unit/router/inet/inet_test.hh"

#include <chrono>

namespace routerd::test {
namespace {

using namespace std::chrono_literals;

class Arp : public InetTest {
protected:
    std::vector<std::uint8_t> arp_frame(const MacAddr& eth_dst, std::uint16_t op,
                                        const MacAddr& sha, Ip4Addr spa, const MacAddr& tha,
                                        Ip4Addr tpa) {
        std::vector<std::uint8_t> f(64);
        f.resize(packet::build_arp(f, eth_dst, op, sha, spa, tha, tpa));
        return f;
    }
    std::vector<api::ArpEntry> dump() {
        std::vector<api::ArpEntry> v;
        h.ctx().arp.dump(v, h.ctx().now);
        return v;
    }
    std::optional<api::ArpEntry> entry(Ip4Addr a) {
        for (const auto& e : dump()) {
            if (e.addr == a) {
                return e;
            }
        }
        return std::nullopt;
    }
    // UDP h1 -> dst with a distinguishing IP ID.
    std::vector<std::uint8_t> to(Ip4Addr dst, std::uint16_t id) {
        auto p = params(kH1, dst);
        p.id = id;
        return udp_frame(H::kMacR1, H::kMacH1, p);
    }
    std::size_t arp_requests(std::size_t slot, Ip4Addr tpa) {
        std::size_t n = 0;
        for (const auto& f : h.sent(slot)) {
            const Out o = out(f);
            if (o.is_arp() && o.arp().ar_op() == ARPOP_REQUEST && o.arp().arp_tpa() == tpa) {
                ++n;
            }
        }
        return n;
    }

    const Ip4Addr kGhost = ip4("198.19.0.77");
    const MacAddr kMacGhost{{0x02, 0, 0, 0, 0x02, 0x77}};
};

TEST_F(Arp, RequestForOurAddressIsAnsweredAndTheSenderLearnt) {  // RFC 826
    const MacAddr mac{{0x02, 0, 0, 0, 0x01, 0x20}};
    h.inject(0, arp_frame(MacAddr::broadcast(), ARPOP_REQUEST, mac, ip4("198.18.0.20"), {}, kR1));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), mac);
    EXPECT_EQ(o.arp().ar_op(), ARPOP_REPLY);
    EXPECT_EQ(o.arp().arp_sha(), H::kMacR1);
    EXPECT_EQ(o.arp().arp_spa(), kR1);
    EXPECT_EQ(o.arp().arp_tha(), mac);
    EXPECT_EQ(o.arp().arp_tpa(), ip4("198.18.0.20"));
    const auto e = entry(ip4("198.18.0.20"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->mac, mac);
    EXPECT_EQ(e->state, api::ArpState::reachable);
    EXPECT_EQ(e->ifindex, 11u);
}

TEST_F(Arp, RequestForAnotherHostIsNeitherAnsweredNorLearnt) {  // RFC 826
    h.inject(
        0, arp_frame(MacAddr::broadcast(), ARPOP_REQUEST, H::kMacG1, kG1, {}, ip4("198.18.0.33")));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_FALSE(entry(kG1));
}

TEST_F(Arp, A02_BroadcastOrMulticastMacNeverAccepted) {  // conformance A02
    const std::size_t before = h.ctx().arp.size();
    for (const MacAddr bad :
         {MacAddr::broadcast(), MacAddr::from_ip4_multicast(ip4("224.0.0.1"))}) {
        h.inject(0, arp_frame(H::kMacR1, ARPOP_REPLY, bad, kH1, H::kMacR1, kR1));
        h.inject(0,
                 arp_frame(MacAddr::broadcast(), ARPOP_REQUEST, bad, ip4("198.18.0.21"), {}, kR1));
    }
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);  // not even a reply to such a request
    EXPECT_EQ(h.ctx().arp.size(), before);
    EXPECT_EQ(entry(kH1)->mac, H::kMacH1);
    // The next datagram to h1 still goes to its real MAC.
    h.inject(1, udp_frame(H::kMacR2, H::kMacH2, params(kH2, kH1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).eth().ether_dhost(), H::kMacH1);
}

TEST_F(Arp, A03_OneRequestPerSecondAndDatagramsHeld) {  // conformance A03
    // ping -i 0.05 for 2 s to an address nobody answers: at most one request a second.
    for (int i = 0; i < 40; ++i) {
        h.inject(0, to(kGhost, static_cast<std::uint16_t>(i)));
        h.run();
        h.tick();
        h.advance(50ms);
    }
    EXPECT_EQ(arp_requests(1, kGhost), 2u);  // at 0 s and 1 s
    EXPECT_LE(arp_requests(1, kGhost), 3u);
    // The request asks from our address on that subnet, to broadcast.
    const Out req = out(h.sent(1)[0]);
    EXPECT_EQ(req.eth().ether_dhost(), MacAddr::broadcast());
    EXPECT_EQ(req.arp().arp_spa(), kR2);
    EXPECT_EQ(req.arp().arp_sha(), H::kMacR2);
}

TEST_F(Arp, A03_QueuedDatagramDeliveredWhenTheHostAnswers) {  // conformance A03
    h.inject(0, to(kGhost, 1));
    h.run();
    EXPECT_EQ(arp_requests(1, kGhost), 1u);
    h.clear_sent();
    h.advance(500ms);
    h.inject(1, arp_frame(H::kMacR2, ARPOP_REPLY, kMacGhost, kGhost, H::kMacR2, kR2));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), kMacGhost);
    EXPECT_EQ(o.ip().ip_id(), 1);
    EXPECT_EQ(o.ip().ip_ttl(), 63);
    EXPECT_TRUE(o.ip().cksum_ok());
    EXPECT_EQ(entry(kGhost)->state, api::ArpState::reachable);
    EXPECT_EQ(h.ctx().arp.hold_in_use(), 0u);
}

TEST_F(Arp, A04_HostUnreachableWhenResolutionFails) {  // conformance A04
    h.inject(0, to(kGhost, 5));
    h.run();
    const C before = h.counters();
    for (int i = 0; i < 50; ++i) {  // 5 s of 100 ms ticks
        h.advance(100ms);
        h.tick();
    }
    EXPECT_EQ(arp_requests(1, kGhost), 3u);  // max_requests, one per second
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(o.ip().ip_dst(), kH1);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_HOST);
    EXPECT_EQ(o.icmp().icmp_ip()->ip_id(), 5);  // quotes the datagram that waited
    EXPECT_EQ(h.delta(before), (C{{"ips_odropped", 1},
                                  {"ips_localout", 1},
                                  {"icps_error", 1},
                                  {"icps_outhist[3]", 1},
                                  {"rts_unreach", 1}}));
    EXPECT_FALSE(entry(kGhost));
}

TEST_F(Arp, A04_UnreachableAboutTheSilentHostItselfEnds) {  // conformance A04
    // A datagram from a host we cannot resolve, sent back to its own address: the host
    // unreachable would wait for that same host again; it is dropped instead.
    const Ip4Addr silent = ip4("198.18.0.50");
    for (std::uint16_t id = 0; id < 3; ++id) {
        auto p = params(silent, silent);
        p.id = id;
        h.inject(0, udp_frame(H::kMacR1, H::kMacH3, p));
    }
    h.run();
    const C before = h.counters();
    for (int i = 0; i < 40; ++i) {
        h.advance(100ms);
        h.tick();
    }
    EXPECT_FALSE(entry(silent));
    EXPECT_EQ(h.ctx().arp.hold_in_use(), 0u);
    const C d = h.delta(before);
    EXPECT_EQ(d.at("ips_odropped"), 6u);  // 3 held datagrams, 3 errors that could not wait
    EXPECT_EQ(d.at("icps_outhist[3]"), 3u);
}

TEST_F(Arp, HoldQueueKeepsTheLatestFew) {  // RFC 1122 2.3.2.2
    const C before = h.counters();
    for (std::uint16_t id = 1; id <= 10; ++id) {
        h.inject(0, to(kGhost, id));
    }
    h.run();
    EXPECT_EQ(h.ctx().arp.hold_in_use(), 3u);  // ArpLimits::hold_per_entry
    EXPECT_EQ(h.delta(before)["ips_odropped"], 7u);
    // BSD counts ips_forward for datagrams that went out: the held ones when they leave.
    EXPECT_EQ(h.delta(before).count("ips_forward"), 0u);
    h.clear_sent();
    h.inject(1, arp_frame(H::kMacR2, ARPOP_REPLY, kMacGhost, kGhost, H::kMacR2, kR2));
    h.run();
    EXPECT_EQ(h.delta(before)["ips_forward"], 3u);
    ASSERT_EQ(h.sent(1).size(), 3u);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_id(), 8);
    EXPECT_EQ(out(h.sent(1)[1]).ip().ip_id(), 9);
    EXPECT_EQ(out(h.sent(1)[2]).ip().ip_id(), 10);
}

TEST(ArpLimitsTest, HoldPoolIsShared) {  // fixed pool: exhaustion is a counted drop
    inet::ContextLimits lim;
    lim.arp.hold_pool = 4;
    InetHarness h(lim);
    h.learn_hosts();
    const auto before = h.counters();
    for (std::uint8_t host = 70; host < 73; ++host) {
        for (std::uint16_t id = 0; id < 3; ++id) {
            auto p = params(ip4("198.18.0.10"), Ip4Addr::from_octets(198, 19, 0, host));
            p.id = id;
            h.inject(0, udp_frame(InetHarness::kMacR1, InetHarness::kMacH1, p));
        }
    }
    h.run();
    EXPECT_EQ(h.ctx().arp.hold_in_use(), 4u);
    EXPECT_EQ(h.delta(before)["ips_odropped"], 5u);
}

TEST(ArpLimitsTest, CacheSizeLimitEvictsTheOldestConfirmed) {
    inet::ContextLimits lim;
    lim.arp.max_entries = 4;
    InetHarness h(lim);
    for (std::uint8_t i = 1; i <= 6; ++i) {
        h.learn(0, Ip4Addr::from_octets(198, 18, 0, i), MacAddr{{2, 0, 0, 0, 9, i}});
        h.advance(std::chrono::seconds(1));
    }
    EXPECT_EQ(h.ctx().arp.size(), 4u);
    std::vector<api::ArpEntry> v;
    h.ctx().arp.dump(v, h.clock().now());
    for (const auto& e : v) {
        EXPECT_GE(e.addr, ip4("198.18.0.3"));
    }
}

TEST(ArpLimitsTest, IncompleteEntriesAreNotEvicted) {
    inet::ContextLimits lim;
    lim.arp.max_entries = 2;
    InetHarness h(lim);
    h.learn(0, ip4("198.18.0.10"), InetHarness::kMacH1);
    const auto before = h.counters();
    // .70 takes the free entry, .71 evicts h1 (the only resolved one), .72 finds only
    // incomplete entries, which are never evicted: dropped.
    for (std::uint8_t host : {70, 71, 72}) {
        h.inject(0, udp_frame(InetHarness::kMacR1, InetHarness::kMacH1,
                              params(ip4("198.18.0.10"), Ip4Addr::from_octets(198, 19, 0, host))));
    }
    h.run();
    EXPECT_EQ(h.ctx().arp.size(), 2u);
    EXPECT_EQ(h.delta(before)["ips_odropped"], 1u);
}

TEST_F(Arp, EntriesGoStaleAreRevalidatedAndExpire) {  // RFC 1122 2.3.2.1
    h.advance(6min);
    h.tick();
    EXPECT_EQ(entry(kH2)->state, api::ArpState::stale);
    // A stale entry is still used, and a request revalidates it.
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2)));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 2u);
    EXPECT_EQ(arp_requests(1, kH2), 1u);
    h.inject(1, arp_frame(H::kMacR2, ARPOP_REPLY, H::kMacH2, kH2, H::kMacR2, kR2));
    h.run();
    EXPECT_EQ(entry(kH2)->state, api::ArpState::reachable);
    // Unused for stale_max after going stale: removed.
    h.advance(30min);
    h.tick();
    h.advance(1s);
    h.tick();
    EXPECT_FALSE(entry(kH2));
}

TEST_F(Arp, GratuitousArpWhenAnAddressComesUp) {  // RFC 5227 3
    auto s = h.edit();
    s.interfaces[1].addrs[s.interfaces[1].naddrs++] = pfx("198.19.1.1/24");
    h.publish(s);
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), MacAddr::broadcast());
    EXPECT_EQ(o.arp().arp_spa(), ip4("198.19.1.1"));
    EXPECT_EQ(o.arp().arp_tpa(), ip4("198.19.1.1"));
    EXPECT_EQ(h.total_sent(), 1u);
    EXPECT_GE(h.port(1).flushes(), 1u);
}

TEST_F(Arp, InterfaceDownFlushesItsNeighboursAndUpAnnounces) {
    auto s = h.edit();
    s.interfaces[1].oper_up = false;
    h.publish(s);
    EXPECT_FALSE(entry(kH2));
    EXPECT_TRUE(entry(kH1));
    EXPECT_EQ(h.total_sent(), 0u);
    s.interfaces[1].oper_up = true;
    h.publish(s);
    ASSERT_EQ(h.sent(1).size(), 1u);
    EXPECT_EQ(out(h.sent(1)[0]).arp().arp_spa(), kR2);
}

TEST_F(Arp, LostSubnetFlushesItsNeighbours) {
    auto s = h.edit();
    s.interfaces[1].addrs[0] = pfx("198.19.5.254/24");
    h.publish(s);
    EXPECT_FALSE(entry(kH2));
}

TEST_F(Arp, SenderClaimingOurAddressIsNotBelieved) {
    h.inject(0, arp_frame(MacAddr::broadcast(), ARPOP_REQUEST, H::kMacH1, kR2, {}, kR1));
    h.run();
    EXPECT_FALSE(entry(kR2));
}

TEST_F(Arp, ProbeFromZeroIsAnsweredNotLearnt) {  // RFC 5227 2.1.1
    const std::size_t n = h.ctx().arp.size();
    h.inject(0, arp_frame(MacAddr::broadcast(), ARPOP_REQUEST, H::kMacH1, ip4("0.0.0.0"), {}, kR1));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(h.ctx().arp.size(), n);
}

}  // namespace
}  // namespace routerd::test
