// SPDX-License-Identifier: Apache-2.0
#include "router/inet/icmp_error.hh"

#include "tests/unit/router/inet/inet_test.hh"

#include <chrono>

namespace routerd::test {
namespace {

using namespace std::chrono_literals;

class IcmpError : public InetTest {};

// An ICMP message h1 -> h2 with TTL 1 (so forwarding would draw Time Exceeded).
std::vector<std::uint8_t> icmp_ttl1(Ip4Addr src, Ip4Addr dst, std::uint8_t type,
                                    std::uint8_t code) {
    std::vector<std::uint8_t> msg(8 + 28, 0);
    msg[0] = type;
    msg[1] = code;
    packet::IcmpView::parse(msg)->update_sum();
    return raw_datagram(params(src, dst, 1), IPPROTO_ICMP, msg);
}

TEST_F(IcmpError, E01_NeverAboutAnIcmpError) {  // conformance E01
    for (std::uint8_t type :
         {ICMP_UNREACH, ICMP_SOURCEQUENCH, ICMP_REDIRECT, ICMP_TIMXCEED, ICMP_PARAMPROB}) {
        const C before = h.counters();
        h.inject(0, from_h1(icmp_ttl1(kH1, kH2, type, 3)));
        h.run();
        EXPECT_EQ(h.total_sent(), 0u) << int{type};
        EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"icps_error", 1}, {"icps_oldicmp", 1}}));
    }
}

TEST_F(IcmpError, E01_QueriesMayDrawErrors) {  // conformance E01: traceroute -I
    h.inject(0, from_h1(icmp_ttl1(kH1, kH2, ICMP_ECHO, 0)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_TIMXCEED);
}

TEST_F(IcmpError, E02_NoErrorAboutBroadcastsMulticastsOrLaterFragments) {  // conformance E02
    auto s = h.edit();
    s.interfaces[1].settings.directed_broadcast = true;  // so 198.19.0.255 reaches ip_forward
    h.publish(s);
    h.clear_sent();
    // Directed broadcast with TTL 1; a group with TTL 1; B11 frames with TTL 1; fragment 185.
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, ip4("198.19.0.255"), 1)));
    h.inject(0, udp_frame(MacAddr::from_ip4_multicast(ip4("239.1.1.1")), H::kMacH1,
                          params(kH1, ip4("239.1.1.1"), 1)));
    h.inject(0, udp_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, kH2, 1)));
    auto frag = raw_datagram(params(kH1, kH2, 1), IPPROTO_UDP, std::vector<std::uint8_t>(64));
    packet::Ip4View::parse(frag)->set_ip_off(185);
    packet::Ip4View::parse(frag)->update_sum();
    h.inject(0, from_h1(frag));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    // The first fragment with TTL 1 does draw 11/0.
    auto first = raw_datagram(params(kH1, kH2, 1), IPPROTO_UDP, std::vector<std::uint8_t>(64));
    packet::Ip4View::parse(first)->set_ip_off(IP_MF);
    packet::Ip4View::parse(first)->update_sum();
    h.inject(0, from_h1(first));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_type(), ICMP_TIMXCEED);
}

TEST_F(IcmpError, E03_NoErrorToAnInvalidSource) {  // conformance E03 (guard itself)
    using inet::IcmpErrorGuard;
    for (const char* s : {"0.0.0.0", "127.0.0.1", "224.1.1.1", "240.0.0.1", "255.255.255.255",
                          "198.18.0.255", "198.18.0.254"}) {
        auto d = raw_datagram(params(ip4(s), kH2, 1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
        packet::Packet p(d, 0, d.size());
        p.set_l3(0);
        EXPECT_EQ(inet::icmp_error_allowed(h.snap(), p), IcmpErrorGuard::bad_src) << s;
    }
}

TEST_F(IcmpError, E03_SilentlyDiscardedDatagramsNeverDrawIcmp) {  // conformance E03
    // B01-B07 failures with TTL 1 or an unroutable destination.
    auto bad_sum = raw_datagram(params(kH1, kH2, 1), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    bad_sum[10] ^= 1;
    auto bad_vers =
        raw_datagram(params(kH1, ip4("198.51.100.1")), IPPROTO_UDP, std::vector<std::uint8_t>(8));
    bad_vers[0] = 0x55;
    packet::Ip4View::parse(bad_vers)->update_sum();
    h.inject(0, from_h1(bad_sum));
    h.inject(0, from_h1(bad_vers));
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(ip4("127.0.0.1"), kH2, 1)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
}

TEST_F(IcmpError, E04_QuotesAsMuchAsFitsIn576) {  // conformance E04
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1), 1400 - 28));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_len(), 576u);
    EXPECT_EQ(o.icmp().icmp_ip()->ip_len(), 1400u);  // the quoted header as sent
    EXPECT_EQ(o.icmp().icmp_ip()->ip_src(), kH1);
    EXPECT_TRUE(o.icmp().cksum_ok());
}

TEST_F(IcmpError, E04_ShortDatagramQuotedWhole) {  // conformance E04: from ip_len, not padding
    auto f = udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1), 0);  // 28 octets
    f.insert(f.end(), 18, 0xee);                                       // Ethernet padding
    h.inject(0, f);
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_len(), 20u + 8u + 28u);
}

TEST_F(IcmpError, E04_LessThanEightOctetsOfDataQuotedWhole) {  // RFC 1812 4.3.2.3
    // "the IP header and up to 8 octets of data": four octets are quoted as they are.
    const C before = h.counters();
    h.inject(0, from_h1(raw_datagram(params(kH1, kR1), 253, std::vector<std::uint8_t>(4))));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_len(), 20u + 8u + 24u);
    EXPECT_EQ(h.delta(before).count("icps_oldshort"), 0u);
}

TEST_F(IcmpError, E05_SourceIsTheEgressAddressOnTheDestinationsSubnet) {  // conformance E05
    auto s = h.edit();
    s.interfaces[0].addrs[s.interfaces[0].naddrs++] = pfx("198.51.100.1/24");
    ASSERT_TRUE(h.rib().add_address(11, pfx("198.51.100.1/24")).has_value());
    h.publish(s);
    h.learn(0, ip4("198.51.100.30"), H::kMacH3);
    h.clear_sent();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));
    h.inject(0, udp_frame(H::kMacR1, H::kMacH3, params(ip4("198.51.100.30"), kH2, 1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 2u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_src(), kR1);
    EXPECT_EQ(out(h.sent(0)[1]).ip().ip_src(), ip4("198.51.100.1"));
    EXPECT_EQ(out(h.sent(0)[1]).eth().ether_dhost(), H::kMacH3);
}

TEST_F(IcmpError, E05_SourceOfTheEgressInterfaceNotTheIngress) {  // conformance E05
    // h2 sends to 203.0.113.10 (static via g1 on eth1) with TTL 1: the error leaves by eth2.
    h.inject(1, udp_frame(H::kMacR2, H::kMacH2, params(kH2, ip4("203.0.113.10"), 1)));
    h.run();
    ASSERT_EQ(h.sent(1).size(), 1u);
    EXPECT_EQ(out(h.sent(1)[0]).ip().ip_src(), kR2);
}

TEST_F(IcmpError, E06_FreshTtlFromTheDefault) {  // conformance E06
    auto s = h.edit();
    s.ip.default_ttl = 200;
    h.publish(s);
    h.clear_sent();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_ttl(), 200);
}

TEST_F(IcmpError, E07_ErrorsCarryPrecedenceSix) {  // conformance E07
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_tos(), 0xc0);
}

TEST_F(IcmpError, E08_RateLimitedWithABurst) {  // conformance E08
    // 1000 TTL-1 datagrams within 100 ms: at most burst + rate x 0.1 s errors go out.
    const inet::IcmpRateLimit lim;
    for (int i = 0; i < 1000; ++i) {
        h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1)));
        if (i % 100 == 99) {
            h.run();
            h.advance(10ms);
        }
    }
    const std::size_t n = h.sent(0).size();
    EXPECT_LE(n, lim.burst + lim.per_second / 10);
    EXPECT_GE(n, lim.burst);
    EXPECT_EQ(h.icmp(api::IcmpStatId::icps_error), 1000u);
}

TEST_F(IcmpError, E08_TracerouteThreeProbesPerHopAnswered) {  // conformance E08
    for (int hop = 0; hop < 10; ++hop) {
        h.clear_sent();
        for (int probe = 0; probe < 3; ++probe) {
            h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kH2, 1), 32,
                                  static_cast<std::uint16_t>(33434 + hop * 3 + probe)));
        }
        h.run();
        EXPECT_EQ(h.sent(0).size(), 3u) << hop;
        h.advance(5ms);
    }
}

TEST(IcmpLimiterTest, BucketRefillsAtTheRate) {
    inet::IcmpLimiter l(inet::IcmpRateLimit{10, 3});
    MonoTime t{std::chrono::seconds(5)};
    EXPECT_TRUE(l.allow(t));
    EXPECT_TRUE(l.allow(t));
    EXPECT_TRUE(l.allow(t));
    EXPECT_FALSE(l.allow(t));
    t = t + 100ms;
    EXPECT_TRUE(l.allow(t));
    EXPECT_FALSE(l.allow(t));
    t = t + 10s;
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(l.allow(t));
    }
    EXPECT_FALSE(l.allow(t));
}

}  // namespace
}  // namespace routerd::test
