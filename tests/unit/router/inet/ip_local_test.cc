// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_local.hh"

#include "tests/unit/router/inet/inet_test.hh"

namespace routerd::test {
namespace {

class IpLocal : public InetTest {};

TEST_F(IpLocal, UdpToUsDrawsPortUnreachable) {  // DESIGN.md; conformance X07
    const C before = h.counters();
    h.inject(0, udp_frame(H::kMacR1, H::kMacH1, params(kH1, kR2), 20, 33434));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_UNREACH);
    EXPECT_EQ(o.icmp().icmp_code(), ICMP_UNREACH_PORT);
    EXPECT_EQ(o.ip().ip_src(), kR1);  // RFC 1812 4.3.2.4: the egress interface's address
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1},
                                  {"ips_delivered", 1},
                                  {"ips_localout", 1},
                                  {"icps_error", 1},
                                  {"icps_outhist[3]", 1}}));  // rts_unreach: lookups only
}

TEST_F(IpLocal, UdpWithBadChecksumIgnored) {  // RFC 1122 4.1.3.4
    auto f = udp_frame(H::kMacR1, H::kMacH1, params(kH1, kR1), 20);
    f.back() ^= 0xff;
    h.inject(0, f);
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
}

TEST_F(IpLocal, TcpSynDrawsRst) {  // DESIGN.md; RFC 793 3.4
    std::vector<std::uint8_t> seg(20, 0);
    packet::store_be16(seg.data(), 40000);
    packet::store_be16(seg.data() + 2, 22);
    packet::store_be32(seg.data() + 4, 1000);
    seg[12] = 5 << 4;
    seg[13] = TH_SYN;
    const auto p = params(kH1, kR1);
    packet::store_be16(seg.data() + 16, packet::ip4_pseudo_cksum(kH1, kR1, IPPROTO_TCP, seg));
    h.inject(0, from_h1(raw_datagram(p, IPPROTO_TCP, seg)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_p(), IPPROTO_TCP);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    auto rst = packet::ConstTcpView::parse(o.ip().payload());
    ASSERT_TRUE(rst);
    EXPECT_EQ(rst->th_flags(), TH_RST | TH_ACK);
    EXPECT_EQ(rst->th_ack(), 1001u);
    EXPECT_EQ(rst->th_sport(), 22);
    EXPECT_EQ(rst->th_dport(), 40000);
    EXPECT_EQ(packet::ip4_pseudo_cksum(kR1, kH1, IPPROTO_TCP, o.ip().payload()), 0);
}

TEST_F(IpLocal, TcpRstIsNeverAnswered) {  // RFC 793 3.4
    std::vector<std::uint8_t> seg(20, 0);
    seg[12] = 5 << 4;
    seg[13] = TH_RST;
    packet::store_be16(seg.data() + 16, packet::ip4_pseudo_cksum(kH1, kR1, IPPROTO_TCP, seg));
    h.inject(0, from_h1(raw_datagram(params(kH1, kR1), IPPROTO_TCP, seg)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
}

TEST_F(IpLocal, IgmpCountedForTheIgmpIssue) {
    std::vector<std::uint8_t> d(64);
    d.resize(packet::build_igmp_v2_report(d, kH1, 1, ip4("239.1.2.3")));
    const C before = h.counters();
    h.inject(0, frame_of(MacAddr::from_ip4_multicast(ip4("239.1.2.3")), H::kMacH1, d));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"igps_rcv_total", 1}}));
}

TEST_F(IpLocal, FragmentsForUsDroppedUntilReassemblyExists) {
    auto d = raw_datagram(params(kH1, kR1), IPPROTO_ICMP, std::vector<std::uint8_t>(64));
    packet::Ip4View::parse(d)->set_ip_off(IP_MF);
    packet::Ip4View::parse(d)->update_sum();
    const C before = h.counters();
    h.inject(0, from_h1(d));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_fragments", 1}, {"ips_fragdropped", 1}}));
}

TEST_F(IpLocal, UnfinishedChecksumOfAnOffloadingSenderIsNotJudged) {  // platform/README.md
    // A veth/virtio peer with TX checksum offload sends UDP with only the pseudo-header sum
    // in place (TP_STATUS_CSUMNOTREADY): the datagram is still answered.
    auto f = udp_frame(H::kMacR1, H::kMacH1, params(kH1, kR1), 20);
    f.back() ^= 0xff;
    h.port(0).set_csum_partial(true);
    h.inject(0, f);
    h.port(0).set_csum_partial(false);
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_code(), ICMP_UNREACH_PORT);
}

}  // namespace
}  // namespace routerd::test
