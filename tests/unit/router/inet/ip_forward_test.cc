// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_forward.hh"

#include "router/base/checksum.hh"
#include "tests/unit/router/inet/inet_test.hh"

namespace routerd::test {
namespace {

class IpForward : public InetTest {
protected:
    void SetUp() override {
        InetTest::SetUp();
        h.learn(0, kG1, H::kMacG1);
    }
    // Expects one ICMP error to h1 on eth1 and returns it.
    Out one_error_to_h1() {
        EXPECT_EQ(h.sent(0).size(), 1u);
        EXPECT_EQ(h.total_sent(), 1u);
        return out(h.sent(0).at(0));
    }
};

TEST_F(IpForward, ForwardsWithTtlDecrementedAndNewLinkHeader) {
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 64), 100));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), H::kMacH2);
    EXPECT_EQ(o.eth().ether_shost(), H::kMacR2);
    EXPECT_EQ(o.ip().ip_ttl(), 63);
    EXPECT_TRUE(o.ip().cksum_ok());
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_forward", 1}}));
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth2.ifs_opackets"), 1u);
    EXPECT_EQ(d.at("eth2.ifs_obytes"), o.bytes.size());
    EXPECT_EQ(d.at("eth1.ifs_ipackets"), 1u);
}

TEST_F(IpForward, B13_TtlOneDrawsTimeExceeded) {  // conformance B13
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));
    h.run();
    EXPECT_EQ(h.sent(1).size(), 0u);
    const Out o = one_error_to_h1();
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_TIMXCEED);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_TIMXCEED_INTRANS);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(
        h.delta(before),
        (C{{"ips_total", 1}, {"ips_localout", 1}, {"icps_error", 1}, {"icps_outhist[11]", 1}}));
}

TEST_F(IpForward, B13_TtlTwoArrivesWithOne) {  // conformance B13
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 2)));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_ttl(), 1);
}

TEST_F(IpForward, B13_TtlZeroInTransitIsNeverSent) {  // conformance B13
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 0)));
    h.run();
    EXPECT_EQ(h.sent(1).size(), 0u);
    EXPECT_EQ(one_error_to_h1().icmp().icmp_type(), ICMP_TIMXCEED);
}

// The IP ID that makes the header checksum of `p` equal `target`: the ID is one 16-bit word
// of the sum, so walk it with the RFC 1624 update instead of rebuilding the header.
std::optional<std::uint16_t> id_for_sum(packet::Ip4Params p, std::uint16_t target) {
    p.id = 0;
    const auto d = raw_datagram(p, IPPROTO_UDP, std::vector<std::uint8_t>(8, 0x33));
    const std::uint16_t sum0 = packet::ConstIp4View::parse(std::span(d))->ip_sum();
    for (std::uint32_t id = 0; id <= 0xffff; ++id) {
        if (cksum_update16(sum0, 0, static_cast<std::uint16_t>(id)) == target) {
            return static_cast<std::uint16_t>(id);
        }
    }
    return std::nullopt;
}

TEST_F(IpForward, B14_ChecksumStaysValidAtTheCorners) {  // conformance B14, RFC 1624
    std::size_t sent = 0;
    std::size_t corners = 0;
    for (unsigned ttl = 2; ttl <= 255; ++ttl) {
        auto p = params(kH1, kH2, static_cast<std::uint8_t>(ttl));
        // 0xffff is not reachable by a valid header (it would need an all-zero sum).
        for (std::uint16_t target : {0x0000, 0x0001, 0xfffe, 0x8000}) {
            const auto id = id_for_sum(p, target);
            if (!id) {
                continue;
            }
            ++corners;
            p.id = *id;
            std::vector<std::uint8_t> pl(8, 0x33);
            h.inject(0, from_h1(raw_datagram(p, IPPROTO_UDP, pl)));
        }
        h.run();
        for (const auto& f : h.sent(1)) {
            const Out o = out(f);
            ASSERT_TRUE(o.ip().cksum_ok()) << "ttl " << ttl << " sum " << o.ip().ip_sum();
            ASSERT_EQ(o.ip().ip_ttl(), ttl - 1);
            ASSERT_EQ(o.ip().ip_sum(), o.ip().compute_sum());
            ++sent;
        }
        h.clear_sent();
    }
    EXPECT_GE(corners, 254u * 3);
    EXPECT_EQ(sent, corners);
}

TEST(IpForwardChecksum, B14_IncrementalUpdateMatchesRecomputeForAllTtlAndSums) {
    // Exhaustive over TTL x the 16-bit word the ID contributes: every valid header stays valid
    // and equals a full recomputation (conformance B14).
    std::vector<std::uint8_t> d = raw_datagram(params(ip4("198.18.0.10"), ip4("198.19.0.10")),
                                               IPPROTO_UDP, std::vector<std::uint8_t>(8));
    auto ip = packet::Ip4View::parse(d);
    for (unsigned ttl = 1; ttl <= 255; ++ttl) {
        for (std::uint32_t id = 0; id <= 0xffff; id += 7) {
            ip->set_ip_ttl(static_cast<std::uint8_t>(ttl));
            ip->set_ip_id(static_cast<std::uint16_t>(id));
            ip->update_sum();
            ip->set_ip_ttl_and_sum(static_cast<std::uint8_t>(ttl - 1));
            ASSERT_TRUE(ip->cksum_ok()) << ttl << " " << id;
            ASSERT_EQ(ip->ip_sum(), ip->compute_sum()) << ttl << " " << id;
        }
    }
}

TEST_F(IpForward, C01_LongestPrefixMatchPicksTheNextHop) {  // conformance C01
    ASSERT_TRUE(h.rib()
                    .add_route({pfx("203.0.113.128/25"), fib::RouteSource::static_route,
                                fib::NextHop{fib::NextHopKind::forward, 12, kH2}})
                    .has_value());
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("203.0.113.10"))));
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("203.0.113.200"))));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).eth().ether_dhost(), H::kMacG1);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_dst(), ip4("203.0.113.10"));
    ASSERT_EQ(h.sent(1).size(), 1u);
    EXPECT_EQ(out(h.sent(1)[0]).eth().ether_dhost(), H::kMacH2);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_dst(), ip4("203.0.113.200"));
}

TEST_F(IpForward, C02_NoRouteDrawsNetUnreachable) {  // conformance C02
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.51.100.99"))));
    h.run();
    const Out o = one_error_to_h1();
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_NET);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1},
                                  {"ips_noroute", 1},
                                  {"ips_localout", 1},
                                  {"icps_error", 1},
                                  {"icps_outhist[3]", 1},
                                  {"rts_unreach", 1}}));
}

TEST_F(IpForward, C03_RejectRouteDrawsCodeZero) {  // conformance C03
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.128.1"))));
    h.run();
    const Out o = one_error_to_h1();
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), 0);
    EXPECT_EQ(h.delta(before)["ips_noroute"], 1u);
}

TEST_F(IpForward, C03_BlackholeRouteIsSilent) {  // conformance C03
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.129.1"))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_noroute", 1}}));
}

TEST_F(IpForward, C07_TransitFragmentsForwardedAsTheyAre) {  // conformance C07
    for (std::uint16_t off : {std::uint16_t{IP_MF}, std::uint16_t{185}}) {
        auto d = raw_datagram(params(kH1, kH2), IPPROTO_UDP, std::vector<std::uint8_t>(64, 1));
        packet::Ip4View::parse(d)->set_ip_off(off);
        packet::Ip4View::parse(d)->update_sum();
        h.inject(0, from_h1(d));
    }
    const C before = h.counters();
    h.run();
    ASSERT_EQ(h.sent(1).size(), 2u);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_off(), IP_MF);
    EXPECT_EQ(out(h.sent(1)[1]).ip().ip_off(), 185);
    EXPECT_EQ(out(h.sent(1)[1]).ip().ip_len(), 84u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 2}, {"ips_forward", 2}}));
}

TEST_F(IpForward, C09_ForwardingOffDropsTransitSilently) {  // conformance C09
    auto s = h.edit();
    s.ip.forwarding = false;
    h.publish(s);
    h.clear_sent();
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2)));
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));  // no Time Exceeded
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 2}, {"ips_cantforward", 2}}));
    // Local delivery unchanged.
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
    h.run();
    EXPECT_EQ(h.sent(0).size(), 1u);
}

TEST_F(IpForward, D04_DontFragmentAndTooBigDrawsNextHopMtu) {  // conformance D04
    h.learn(2, ip4("198.18.1.10"), H::kMacH3);
    auto p = params(kH1, ip4("198.18.1.10"));
    p.df = true;
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, p, 1401 - 28));
    h.run();
    const Out o = one_error_to_h1();
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_NEEDFRAG);
    EXPECT_EQ(o.icmp().icmp_nextmtu(), 1400);
    EXPECT_EQ(o.icmp().icmp_void() >> 16, 0u);
    EXPECT_EQ(o.icmp().icmp_ip()->ip_ttl(), 64);  // quoted as received
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1},
                                  {"ips_cantfrag", 1},
                                  {"ips_localout", 1},
                                  {"icps_error", 1},
                                  {"icps_outhist[3]", 1}}));  // no failed lookup: no rts_unreach
    // Exactly the MTU goes through.
    h.clear_sent();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, p, 1400 - 28));
    h.run();
    EXPECT_EQ(h.sent(2).size(), 1u);
}

TEST_F(IpForward, TooBigWithoutDontFragmentIsDroppedUntilFragmentationExists) {
    h.learn(2, ip4("198.18.1.10"), H::kMacH3);
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.18.1.10")), 1401 - 28));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_odropped", 1}}));
}

TEST_F(IpForward, EgressInterfaceDownIsNoRoute) {
    auto s = h.edit();
    s.interfaces[1].admin_up = false;
    h.publish(s);
    h.clear_sent();
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2)));
    h.run();
    const Out o = one_error_to_h1();
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_NET);
    EXPECT_EQ(h.delta(before)["ips_noroute"], 1u);
}

TEST_F(IpForward, StaticRouteGoesToTheGatewayMac) {
    h.inject(1, udp_frame(H::kMacR2, H::kMacH2, params(kH2, ip4("203.0.113.10"))));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).eth().ether_dhost(), H::kMacG1);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_dst(), ip4("203.0.113.10"));
}

TEST_F(IpForward, B12_TtlIsJudgedOnlyWhenTheLookupSaysForward) {  // conformance B12
    // A local route the Snapshot does not list (the FIB decides "local"): received, whatever
    // its TTL, so the UDP gets its port unreachable and no Time Exceeded.
    ASSERT_TRUE(h.rib().add_address(13, pfx("198.18.2.1/24")).has_value());
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.18.2.1"), 1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_code(), ICMP_UNREACH_PORT);
}

TEST_F(IpForward, ForwardedCountsOnlyWhatTheEgressPortTook) {  // BSD ips_forward
    h.port(1).set_tx_limit(0);                                 // eth2's ring is full
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2)));
    h.run();
    h.port(1).set_tx_limit(std::nullopt);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_odropped", 1}}));
}

TEST_F(IpForward, RtsUnreachCountsFailedLookupsOnly) {  // BSD rtstat "lookups which failed"
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.128.1"))));  // reject
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));  // port unreachable
    h.run();
    EXPECT_EQ(h.total_sent(), 2u);
    EXPECT_EQ(h.delta(before)["rts_unreach"], 1u);
}

}  // namespace
}  // namespace routerd::test
