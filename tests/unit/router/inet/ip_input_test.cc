// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_input.hh"

#include "tests/unit/router/inet/inet_test.hh"

namespace routerd::test {
namespace {

class IpInput : public InetTest {
protected:
    // A UDP datagram h1 -> h2 (transit) as bytes.
    std::vector<std::uint8_t> transit(std::uint8_t ttl = 64, std::size_t payload = 32) {
        std::vector<std::uint8_t> p(payload, 0x11);
        return raw_datagram(params(kH1, kH2, ttl), IPPROTO_UDP, p);
    }
    static void resum(std::vector<std::uint8_t>& d) { packet::Ip4View::parse(d)->update_sum(); }

    // Sends a malformed datagram both to R and through R; expects nothing out and `counter`
    // up by one per datagram (besides ips_total).
    void expect_silent_drop(std::vector<std::uint8_t> to_r, std::vector<std::uint8_t> through,
                            const char* counter) {
        const C before = h.counters();
        h.inject(0, from_h1(to_r));
        h.inject(0, from_h1(through));
        h.run();
        EXPECT_EQ(h.total_sent(), 0u);
        EXPECT_EQ(h.delta(before), (C{{"ips_total", 2}, {counter, 2}}));
    }
};

TEST_F(IpInput, B01_FewerThanTwentyOctets) {  // conformance B01
    std::vector<std::uint8_t> d{0x45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const C before = h.counters();
    h.inject(0, from_h1(d));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_toosmall", 1}}));
}

TEST_F(IpInput, B02_VersionNotFour) {  // conformance B02: no Parameter Problem either
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    auto through = transit();
    to_r[0] = 0x65;
    through[0] = 0x65;
    resum(to_r);
    resum(through);
    expect_silent_drop(to_r, through, "ips_badvers");
}

TEST_F(IpInput, B03_HeaderLengthBelowFive) {  // conformance B03
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    auto through = transit();
    to_r[0] = 0x44;
    through[0] = 0x44;
    resum(to_r);
    resum(through);
    expect_silent_drop(to_r, through, "ips_badhlen");
}

TEST_F(IpInput, B03_HeaderLengthBeyondTheData) {  // conformance B03: IHL 15, 20 octets
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, {});
    auto through = raw_datagram(params(kH1, kH2), IPPROTO_UDP, {});
    to_r[0] = 0x4f;
    through[0] = 0x4f;
    resum(to_r);
    resum(through);
    expect_silent_drop(to_r, through, "ips_badhlen");
}

TEST_F(IpInput, B04_BadHeaderChecksum) {  // conformance B04: transit included
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    auto through = transit();
    to_r[10] ^= 0x5a;
    through[11] ^= 0x01;
    expect_silent_drop(to_r, through, "ips_badsum");
}

TEST_F(IpInput, B05_TotalLengthBelowHeaderLength) {  // conformance B05
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    auto through = transit();
    packet::Ip4View::parse(to_r)->set_ip_len(16);
    packet::Ip4View::parse(through)->set_ip_len(19);
    resum(to_r);
    resum(through);
    expect_silent_drop(to_r, through, "ips_badlen");
}

TEST_F(IpInput, B06_TotalLengthBeyondTheData) {  // conformance B06
    auto to_r = raw_datagram(params(kH1, kR1), IPPROTO_UDP, std::vector<std::uint8_t>(80));
    auto through = transit(64, 80);
    packet::Ip4View::parse(to_r)->set_ip_len(1000);
    packet::Ip4View::parse(through)->set_ip_len(1000);
    resum(to_r);
    resum(through);
    expect_silent_drop(to_r, through, "ips_tooshort");
}

TEST_F(IpInput, B07_TrailingOctetsTrimmedBeforeForwarding) {  // conformance B07
    auto d = transit(64, 32);
    const std::size_t ip_len = d.size();
    d.insert(d.end(), 30, 0xee);
    const C before = h.counters();
    h.inject(0, from_h1(d));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.bytes.size(), packet::kEtherHeaderLen + ip_len);
    EXPECT_EQ(o.ip().ip_len(), ip_len);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_forward", 1}}));
}

TEST_F(IpInput, B07_TrailingOctetsTrimmedBeforeEchoReply) {  // conformance B07 / A09
    auto f = echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1), 9, 3, {1, 2, 3, 4, 5, 6});
    f.insert(f.end(), 20, 0xee);
    h.inject(0, f);
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_len(), 20u + 8u + 6u);
    EXPECT_EQ(o.bytes.size(), packet::kEtherHeaderLen + 34u);
    EXPECT_TRUE(o.icmp().cksum_ok());
}

TEST_F(IpInput, B08_ReservedFlagAndTosPassThroughUnchanged) {  // conformance B08
    auto d = transit();
    auto ip = packet::Ip4View::parse(d);
    ip->set_ip_off(0x8000 | IP_DF);  // the reserved ("evil") bit
    ip->set_ip_tos(0xb8 | 0x03);     // DSCP EF + ECN bits
    ip->update_sum();
    h.inject(0, from_h1(d));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.ip().ip_off(), 0x8000 | IP_DF);
    EXPECT_EQ(o.ip().ip_tos(), 0xbb);
    EXPECT_TRUE(o.ip().cksum_ok());
}

TEST_F(IpInput, B09_MartianSourcesDroppedSilently) {  // conformance B09 (and E03)
    const char* sources[] = {"0.1.2.3",         "127.0.0.1",    "224.0.0.5",    "240.0.0.1",
                             "255.255.255.255", "198.19.0.255", "198.18.0.255", "198.19.0.254"};
    for (const char* s : sources) {
        SCOPED_TRACE(s);
        const C before = h.counters();
        // To R (echo) and through R (UDP with TTL 1, which would otherwise draw ICMP 11).
        h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(ip4(s), kR1)));
        h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(ip4(s), kH2, 1)));
        h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(ip4(s), kH2, 64)));
        h.run();
        EXPECT_EQ(h.total_sent(), 0u);
        EXPECT_EQ(h.delta(before), (C{{"ips_total", 3}, {"ips_badaddr", 3}}));
    }
    // RFC 1812 5.3.7: kept for the control thread's log line.
    EXPECT_GE(h.ctx().martian_count, 24u);
    EXPECT_EQ(h.ctx().martians[0].ifindex, 11);
    EXPECT_EQ(h.ctx().martians[0].mac, H::kMacH1);
}

TEST_F(IpInput, B09_MartianDestinationsDroppedSilently) {  // conformance B09
    for (const char* d : {"127.0.0.1", "0.1.2.3", "0.0.0.0", "240.0.0.1"}) {
        SCOPED_TRACE(d);
        const C before = h.counters();
        h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, ip4(d))));
        h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4(d), 1)));
        h.run();
        EXPECT_EQ(h.total_sent(), 0u);
        EXPECT_EQ(h.delta(before), (C{{"ips_total", 2}, {"ips_badaddr", 2}}));
    }
}

TEST_F(IpInput, B09_SourceZeroAllowedForLocalIgmp) {  // conformance B09 exception (I05)
    // An IGMPv2 report for 239.1.2.3 (sent to the group itself) from a host with no address.
    std::vector<std::uint8_t> d(64);
    d.resize(packet::build_igmp_v2_report(d, ip4("0.0.0.0"), 1, ip4("239.1.2.3")));
    const C before = h.counters();
    h.inject(0, frame_of(MacAddr::from_ip4_multicast(ip4("239.1.2.3")), H::kMacH1, d));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"igps_rcv_total", 1}}));
}

TEST_F(IpInput, B10_LimitedBroadcastIsLocalOnly) {  // conformance B10
    const C before = h.counters();
    h.inject(0, frame_of(MacAddr::broadcast(), H::kMacH1,
                         raw_datagram(params(kH1, ip4("255.255.255.255")), IPPROTO_UDP,
                                      std::vector<std::uint8_t>(16))));
    h.run();
    EXPECT_EQ(h.sent(1).size(), 0u);
    EXPECT_EQ(h.total_sent(), 0u);  // and no port unreachable about a broadcast (E02)
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_error", 1}}));
}

TEST_F(IpInput, B11_LinkBroadcastWithUnicastDestinationDiscarded) {  // conformance B11
    const C before = h.counters();
    // Transit with TTL 1 (no Time Exceeded), to R (no echo reply), in a group MAC frame.
    h.inject(0, udp_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, kH2, 1)));
    h.inject(0, echo_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, kR1)));
    h.inject(0,
             udp_frame(MacAddr::from_ip4_multicast(ip4("239.1.2.3")), H::kMacH1, params(kH1, kH2)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 3}, {"ips_cantforward", 3}}));
}

TEST_F(IpInput, B12_TtlZeroAndOneToUsAreReceived) {  // conformance B12
    for (std::uint8_t ttl : {0, 1}) {
        h.clear_sent();
        h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1, ttl)));
        h.run();
        ASSERT_EQ(h.sent(0).size(), 1u) << int{ttl};
        EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_ECHOREPLY);
    }
}

TEST_F(IpInput, B15_UnsupportedProtocolDrawsProtocolUnreachable) {  // conformance B15
    const C before = h.counters();
    h.inject(0, from_h1(raw_datagram(params(kH1, kR1), 253, std::vector<std::uint8_t>(12))));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_PROTOCOL);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(o.ip().ip_dst(), kH1);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1},
                                  {"ips_noproto", 1},
                                  {"ips_localout", 1},
                                  {"icps_error", 1},
                                  {"icps_outhist[3]", 1}}));  // rts_unreach: lookups only
}

TEST_F(IpInput, B15_NoPayloadStillDrawsProtocolUnreachable) {  // conformance B15, RFC 1812 4.3.2.3
    // scapy IP(dst=R, proto=253): a bare header. The quote is the header plus what data there is.
    h.inject(0, from_h1(raw_datagram(params(kH1, kR1), 253, {})));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_PROTOCOL);
    EXPECT_EQ(o.ip().ip_len(), 20u + 8u + 20u);
    EXPECT_TRUE(o.icmp().cksum_ok());
}

TEST_F(IpInput, B13_ZeroPayloadTtlOneDrawsTimeExceeded) {  // conformance B13, RFC 1812 4.3.2.3
    h.inject(0, from_h1(raw_datagram(params(kH1, kH2, 1), 253, {})));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_TIMXCEED);
    EXPECT_EQ(h.sent(1).size(), 0u);
}

TEST_F(IpInput, C04_DirectedBroadcastToAnotherSubnetDroppedByDefault) {  // conformance C04
    const C before = h.counters();
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.0.255"))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_cantforward", 1}}));
}

TEST_F(IpInput, C04_DirectedBroadcastForwardedWhenEnabled) {  // conformance C04
    auto s = h.edit();
    s.interfaces[1].settings.directed_broadcast = true;
    h.publish(s);
    h.clear_sent();
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.0.255"))));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), MacAddr::broadcast());
    EXPECT_EQ(o.ip().ip_ttl(), 63);
    EXPECT_EQ(h.sent(0).size(), 0u);  // our copy answers nothing: no errors about broadcasts
    EXPECT_EQ(h.delta(before),
              (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_error", 1}, {"ips_forward", 1}}));
}

TEST_F(IpInput, C05_BroadcastOfTheIngressSubnetIsLocalAndNotRebroadcast) {  // conformance C05
    const C before = h.counters();
    h.inject(0, echo_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, ip4("198.18.0.255"))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);  // X06: broadcast echo ignored; never re-broadcast
    EXPECT_EQ(
        h.delta(before),
        (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_inhist[8]", 1}, {"icps_bmcastecho", 1}}));
}

TEST_F(IpInput, C06_EachAddressUsesItsOwnMask) {  // conformance C06
    auto s = h.edit();
    s.interfaces[1].addrs[s.interfaces[1].naddrs++] = pfx("198.19.1.1/25");
    ASSERT_TRUE(h.rib().add_address(12, pfx("198.19.1.1/25")).has_value());
    h.publish(s);
    h.learn(1, ip4("198.19.1.100"), H::kMacH3);
    const C before = h.counters();
    // 198.19.1.127 is the /25's broadcast: not forwarded as unicast (directed broadcast off).
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.1.127"))));
    // 198.19.1.100 is an ordinary host there; 198.19.1.200 is outside the /25: no route.
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.1.100"))));
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.1.200"))));
    // The all-zeros host 198.19.0.0 is treated as a broadcast (C06), never forwarded.
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.0.0"))));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_dst(), ip4("198.19.1.100"));
    EXPECT_EQ(out(h.sent(1)[0]).eth().ether_dhost(), H::kMacH3);
    ASSERT_EQ(h.sent(0).size(), 1u);  // net unreachable for .200
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(h.delta(before)["ips_cantforward"], 2u);
    EXPECT_EQ(h.delta(before)["ips_forward"], 1u);
    EXPECT_EQ(h.delta(before)["ips_noroute"], 1u);
}

TEST_F(IpInput, C06_SlashThirtyOneHasNoBroadcast) {  // conformance C06, RFC 3021
    auto s = h.edit();
    s.interfaces[2].addrs[0] = pfx("198.18.1.0/31");
    ASSERT_TRUE(h.rib().delete_address(13, pfx("198.18.1.254/24")).has_value());
    ASSERT_TRUE(h.rib().add_address(13, pfx("198.18.1.0/31")).has_value());
    h.publish(s);
    h.learn(2, ip4("198.18.1.1"), H::kMacH3);
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.18.1.1"))));
    h.run();
    ASSERT_EQ(h.sent(2).size(), 1u);
    EXPECT_EQ(out(h.sent(2)[0]).eth().ether_dhost(), H::kMacH3);
}

TEST_F(IpInput, MalformedOptionsDrawParameterProblemWithPointer) {  // conformance H01 (in scope)
    // RR (7) with length 2: too short for its structure; the pointer names the length octet.
    const std::uint8_t opts[] = {IPOPT_RR, 2, IPOPT_NOP, IPOPT_NOP};
    auto p = params(kH1, kH2);
    p.options = opts;
    const C before = h.counters();
    h.inject(0, from_h1(raw_datagram(p, IPPROTO_UDP, std::vector<std::uint8_t>(16))));
    h.run();
    EXPECT_EQ(h.sent(1).size(), 0u);
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_PARAMPROB);
    EXPECT_EQ(o.icmp().icmp_code(), 0);
    EXPECT_EQ(o.icmp().icmp_pptr(), 21);
    EXPECT_EQ(h.delta(before)["ips_badoptions"], 1u);
    EXPECT_EQ(h.delta(before).count("ips_forward"), 0u);
}

TEST_F(IpInput, SourceRouteDroppedWhenSourceRoutingIsOff) {  // conformance H09, DESIGN.md
    const std::uint8_t opts[] = {IPOPT_LSRR, 7, 4, 198, 19, 0, 10, IPOPT_EOL};
    auto p = params(kH1, kR1);
    p.options = opts;
    const C before = h.counters();
    h.inject(0, from_h1(raw_datagram(p, IPPROTO_UDP, std::vector<std::uint8_t>(16))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_badoptions", 1}}));
}

TEST_F(IpInput, UnknownOptionsForwardedUntouched) {  // conformance H02 (pass-through part)
    const std::uint8_t opts[] = {0x9e, 4, 0, 0};
    auto p = params(kH1, kH2);
    p.options = opts;
    h.inject(0, from_h1(raw_datagram(p, IPPROTO_UDP, std::vector<std::uint8_t>(16))));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    const Out o = out(h.sent(1)[0]);
    ASSERT_EQ(o.ip().header_len(), 24u);
    EXPECT_EQ(o.ip().options()[0], 0x9e);
    EXPECT_TRUE(o.ip().cksum_ok());
}

TEST_F(IpInput, MulticastIsNeverForwarded) {
    const C before = h.counters();
    h.inject(0, udp_frame(MacAddr::from_ip4_multicast(ip4("239.1.2.3")), H::kMacH1,
                          params(kH1, ip4("239.1.2.3"))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_notmember", 1}}));
}

TEST(IpInputPure, ClassifyDst) {
    InetHarness h;
    const auto& s = h.snap();
    const auto& eth1 = s.interfaces[0];
    using inet::DstKind;
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("198.19.0.254")), DstKind::ours);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("255.255.255.255")), DstKind::limited_broadcast);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("198.18.0.255")), DstKind::broadcast_here);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("198.19.0.255")), DstKind::broadcast_other);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("224.0.0.1")), DstKind::multicast);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("127.0.0.1")), DstKind::martian);
    EXPECT_EQ(inet::classify_dst(s, eth1, ip4("203.0.113.9")), DstKind::forward);
}

TEST(IpInputPure, MartianSources) {
    InetHarness h;
    const auto& s = h.snap();
    for (const char* a : {"0.0.0.0", "0.1.2.3", "127.1.1.1", "224.0.0.1", "239.1.1.1", "240.0.0.1",
                          "255.255.255.255", "198.18.0.255", "198.18.1.254"}) {
        EXPECT_TRUE(inet::martian_src(s, ip4(a))) << a;
    }
    for (const char* a : {"198.18.0.10", "203.0.113.10", "198.51.100.7"}) {
        EXPECT_FALSE(inet::martian_src(s, ip4(a))) << a;
    }
}

TEST(IpInputPure, IndexedAnswersAreTheWalksAnswers) {  // Snapshot::build_index
    // The O(1) tables give exactly what the walk over every interface's addresses gives,
    // with overlapping subnets, several masks, /31 and /32 in the mix.
    InetHarness h;
    inet::Snapshot s = h.edit();
    s.interfaces[0].addrs[s.interfaces[0].naddrs++] = pfx("198.51.100.1/25");
    s.interfaces[1].addrs[s.interfaces[1].naddrs++] = pfx("198.51.100.200/24");
    s.interfaces[1].addrs[s.interfaces[1].naddrs++] = pfx("203.0.113.0/31");
    s.interfaces[2].addrs[s.interfaces[2].naddrs++] = pfx("203.0.113.9/32");
    s.build_index();
    ASSERT_TRUE(s.indexed);
    inet::Snapshot walk = s;
    walk.indexed = false;
    std::vector<Ip4Addr> probes;
    for (const char* a :
         {"0.0.0.0",        "255.255.255.255", "224.0.0.1",      "127.0.0.1",      "240.0.0.1",
          "198.51.100.0",   "198.51.100.127",  "198.51.100.128", "198.51.100.255", "198.51.100.1",
          "198.51.100.200", "203.0.113.0",     "203.0.113.1",    "203.0.113.9",    "198.18.0.0",
          "198.18.0.255",   "198.19.0.255",    "198.18.1.255",   "198.18.1.0",     "198.19.0.10",
          "8.8.8.8"}) {
        probes.push_back(ip4(a));
    }
    for (const Ip4Addr a : probes) {
        for (const auto& in : s.interfaces) {
            EXPECT_EQ(inet::classify_dst(s, in, a), inet::classify_dst(walk, in, a))
                << a.to_string() << " on " << in.name;
        }
        EXPECT_EQ(inet::martian_src(s, a), inet::martian_src(walk, a)) << a.to_string();
        EXPECT_EQ(s.is_ours(a), walk.is_ours(a)) << a.to_string();
        const inet::Interface* o1 = inet::broadcast_owner(s, a);
        const inet::Interface* o2 = inet::broadcast_owner(walk, a);
        EXPECT_EQ(o1 == nullptr ? -1 : o1->ifindex, o2 == nullptr ? -1 : o2->ifindex)
            << a.to_string();
    }
    for (int ifindex : {0, 11, 12, 13, 14, 99999}) {
        EXPECT_EQ(s.by_ifindex(ifindex), walk.by_ifindex(ifindex) == nullptr
                                             ? nullptr
                                             : &s.interfaces[walk.by_ifindex(ifindex)->slot]);
    }
}

TEST_F(IpInput, EtherInputCarriesTheIngressSlot) {
    std::array<packet::Packet, 1> batch;
    h.inject(2, udp_frame(H::kMacR3, H::kMacH3, params(ip4("198.18.1.10"), kR3)));
    ASSERT_EQ(h.port(2).rx_batch(batch), 1u);
    h.ctx().now = h.clock().now();
    EXPECT_EQ(inet::ether_input(h.ctx(), batch[0]), inet::EtherNext::ip);
    EXPECT_EQ(batch[0].meta.slot, 2u);
    h.port(2).rx_release();
}

TEST_F(IpInput, B11_DirectedBroadcastAsLinkBroadcastIsNotForwarded) {  // conformance B11, C04
    // RFC 1812 5.3.4: a link-layer broadcast is never forwarded unless the IP destination is
    // multicast, even a directed broadcast where directed-broadcast is on; the copy stays.
    auto s = h.edit();
    s.interfaces[1].settings.directed_broadcast = true;
    h.publish(s);
    h.clear_sent();
    const C before = h.counters();
    h.inject(0, udp_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, ip4("198.19.0.255"))));
    h.inject(0, udp_frame(MacAddr::from_ip4_multicast(ip4("239.1.2.3")), H::kMacH1,
                          params(kH1, ip4("198.19.0.255"))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    const C d = h.delta(before);
    EXPECT_EQ(d.count("ips_forward"), 0u);
    EXPECT_EQ(d.at("ips_delivered"), 2u);
}

TEST_F(IpInput, C09_ForwardingOffIgnoresTransitOptionsSilently) {  // conformance C09
    // With forwarding off a transit datagram is dropped before its options are judged: no
    // Parameter Problem about a datagram we would never have forwarded.
    auto s = h.edit();
    s.ip.forwarding = false;
    h.publish(s);
    h.clear_sent();
    const std::uint8_t opts[] = {IPOPT_RR, 2, IPOPT_NOP, IPOPT_NOP};
    auto p = params(kH1, kH2);
    p.options = opts;
    const C before = h.counters();
    h.inject(0, from_h1(raw_datagram(p, IPPROTO_UDP, std::vector<std::uint8_t>(16))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_cantforward", 1}}));
}

}  // namespace
}  // namespace routerd::test
