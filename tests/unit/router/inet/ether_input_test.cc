// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ether_input.hh"

#include "tests/unit/router/inet/inet_test.hh"

namespace routerd::test {
namespace {

class EtherInput : public InetTest {};

// The echo request h1 -> R as an IEEE 802.3 + LLC/SNAP frame (RFC 1042).
std::vector<std::uint8_t> snap_frame(const MacAddr& dst, const MacAddr& src,
                                     std::span<const std::uint8_t> payload,
                                     std::uint16_t ether_type = ETHERTYPE_IP) {
    std::vector<std::uint8_t> f(14 + 8);
    packet::store_mac(f.data(), dst);
    packet::store_mac(f.data() + 6, src);
    packet::store_be16(f.data() + 12, static_cast<std::uint16_t>(8 + payload.size()));
    const std::uint8_t llc_snap[] = {0xaa, 0xaa, 0x03, 0, 0, 0};
    std::copy(std::begin(llc_snap), std::end(llc_snap), f.begin() + 14);
    packet::store_be16(f.data() + 20, ether_type);
    f.insert(f.end(), payload.begin(), payload.end());
    return f;
}

TEST_F(EtherInput, A01_EthernetTwoEchoIsAnswered) {  // conformance A01
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.eth().ether_type(), ETHERTYPE_IP);
    EXPECT_EQ(o.eth().ether_dhost(), H::kMacH1);
    EXPECT_EQ(o.eth().ether_shost(), H::kMacR1);
}

TEST_F(EtherInput, A01_SnapEchoIsAnsweredAndPaddingIgnored) {  // conformance A01, RFC 1042
    std::vector<std::uint8_t> d(64);
    d.resize(packet::build_icmp_echo_request(d, params(kH1, kR1), 3, 4,
                                             std::vector<std::uint8_t>{9, 9}));
    auto f = snap_frame(H::kMacR1, H::kMacH1, d);
    f.insert(f.end(), 10, 0x77);  // padding after the 802.3 length
    const C before = h.counters();
    h.inject(0, f);
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.eth().ether_type(), ETHERTYPE_IP);  // we answer in Ethernet II (RFC 1122 2.3.3)
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_ECHOREPLY);
    EXPECT_EQ(o.icmp().icmp_id(), 3);
    EXPECT_EQ(h.delta(before)["icps_reflect"], 1u);
}

TEST_F(EtherInput, A01_SnapArpIsAnswered) {  // conformance A01, RFC 1042
    std::vector<std::uint8_t> arp(64);
    arp.resize(packet::build_arp_request(arp, H::kMacH1, kH1, kR1));
    // The ARP part of the Ethernet II frame goes into a SNAP frame.
    std::vector<std::uint8_t> body(arp.begin() + 14, arp.end());
    h.inject(0, snap_frame(MacAddr::broadcast(), H::kMacH1, body, ETHERTYPE_ARP));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).arp().ar_op(), ARPOP_REPLY);
}

TEST_F(EtherInput, A01_OtherLlcAndBadLengthsAreCountedNotMisread) {  // conformance A01
    const C before = h.counters();
    // 802.3 with a non-SNAP LLC (STP-like), a length of 1501 (neither length nor type) and a
    // length beyond the frame: never read as an EtherType.
    std::vector<std::uint8_t> llc(14 + 40, 0x42);
    packet::store_mac(llc.data(), H::kMacR1);
    packet::store_mac(llc.data() + 6, H::kMacH1);
    packet::store_be16(llc.data() + 12, 40);
    auto bad = llc;
    packet::store_be16(bad.data() + 12, 1501);
    auto past = llc;
    packet::store_be16(past.data() + 12, 1000);
    h.inject(0, llc);
    h.inject(0, bad);
    h.inject(0, past);
    h.inject(0, std::vector<std::uint8_t>{1, 2, 3});  // a runt
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth1.ifs_noproto"), 1u);
    EXPECT_EQ(d.at("eth1.ifs_ierrors"), 3u);
    EXPECT_EQ(d.at("eth1.ifs_ipackets"), 4u);
    EXPECT_EQ(d.count("ips_total"), 0u);
}

TEST_F(EtherInput, A08_OtherHostFrameNeverRouted) {  // conformance A08
    const MacAddr other{{0x02, 0, 0, 0, 0, 0x99}};
    const C before = h.counters();
    h.inject(0, udp_frame(other, H::kMacH1, params(kH1, kH2, 1)));
    h.inject(0, echo_frame(other, H::kMacH1, params(kH1, kR1)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    const C d = h.delta(before, true);
    EXPECT_EQ(d, (C{{"eth1.ifs_ipackets", 2},
                    {"eth1.ifs_ibytes", d.at("eth1.ifs_ibytes")},
                    {"eth1.ifs_iqdrops", 2}}));
}

TEST_F(EtherInput, A08_OwnOutgoingFramesIgnored) {  // conformance A08
    const C before = h.counters();
    h.port(0).inject_outgoing(echo_frame(H::kMacH1, H::kMacR1, params(kR1, kH1)));
    h.port(0).inject_outgoing(echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before, true), C{});
}

TEST_F(EtherInput, BroadcastAndMulticastCounted) {
    const C before = h.counters();
    h.inject(0, udp_frame(MacAddr::broadcast(), H::kMacH1, params(kH1, ip4("198.18.0.255"))));
    h.inject(0, udp_frame(MacAddr::from_ip4_multicast(ip4("224.0.0.9")), H::kMacH1,
                          params(kH1, ip4("224.0.0.9"))));
    h.run();
    const C d = h.delta(before, true);
    EXPECT_EQ(d.at("eth1.ifs_ibcasts"), 1u);
    EXPECT_EQ(d.at("eth1.ifs_imcasts"), 1u);
    EXPECT_EQ(d.at("eth1.ifs_ipackets"), 2u);
}

TEST_F(EtherInput, DownInterfaceReceivesNothing) {
    for (bool admin : {false, true}) {
        auto s = h.edit();
        s.interfaces[0].admin_up = admin;
        s.interfaces[0].oper_up = !admin;
        h.publish(s);
        h.clear_sent();
        const C before = h.counters();
        h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1)));
        h.run();
        EXPECT_EQ(h.total_sent(), 0u);
        EXPECT_EQ(h.delta(before, true), (C{{"eth1.ifs_iqdrops", 1}}));
    }
}

TEST_F(EtherInput, Ipv6IsNotOurs) {
    const C before = h.counters();
    h.inject(0, ether_frame(
                    H::kMacR1, H::kMacH1,
                    [](std::span<std::uint8_t> b) {
                        std::fill_n(b.begin(), 40, 0x60);
                        return std::size_t{40};
                    },
                    0x86dd));
    h.run();
    EXPECT_EQ(h.delta(before, true).at("eth1.ifs_noproto"), 1u);
}

TEST(EtherInputPure, L2Classify) {
    const MacAddr ours{{2, 0, 0, 0, 0, 1}};
    using packet::L2Class;
    EXPECT_EQ(inet::l2_classify(ours, ours), L2Class::to_us);
    EXPECT_EQ(inet::l2_classify(MacAddr::broadcast(), ours), L2Class::broadcast);
    EXPECT_EQ(inet::l2_classify(MacAddr::from_ip4_multicast(ip4("224.0.0.1")), ours),
              L2Class::multicast);
    EXPECT_EQ(inet::l2_classify(MacAddr{{2, 0, 0, 0, 0, 2}}, ours), L2Class::other_host);
}

}  // namespace
}  // namespace routerd::test
