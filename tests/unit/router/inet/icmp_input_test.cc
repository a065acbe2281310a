// SPDX-License-Identifier: Apache-2.0
#include "router/inet/icmp_input.hh"

#include "tests/unit/router/inet/inet_test.hh"

#include <chrono>

namespace routerd::test {
namespace {

using namespace std::chrono_literals;

class IcmpInput : public InetTest {
protected:
    // An ICMP message of `len` octets (type, code, zeroed rest, checksum set).
    static std::vector<std::uint8_t> msg(std::uint8_t type, std::size_t len,
                                         std::uint8_t code = 0) {
        std::vector<std::uint8_t> m(len, 0);
        m[0] = type;
        m[1] = code;
        if (len >= 8) {
            m[4] = 0x12;  // id
            m[5] = 0x34;
            m[7] = 9;  // seq
            packet::IcmpView::parse(m)->update_sum();
        }
        return m;
    }
    std::vector<std::uint8_t> icmp_to(Ip4Addr dst, const std::vector<std::uint8_t>& m,
                                      Ip4Addr src = {}) {
        return from_h1(raw_datagram(params(src.is_zero() ? kH1 : src, dst), IPPROTO_ICMP, m));
    }
};

TEST_F(IcmpInput, F01_EchoReplyIsByteExact) {  // conformance F01
    std::vector<std::uint8_t> data(57);
    for (std::size_t i = 0; i < data.size(); ++i) {
        data[i] = static_cast<std::uint8_t>(0xde + i);
    }
    auto req_params = params(kH1, kR1, 5);
    const auto req = echo_frame(H::kMacR1, H::kMacH1, req_params, 0xbeef, 0x0102, data);
    const C before = h.counters();
    h.inject(0, req);
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    // The reply a host would build: same id, seq and data, addresses swapped, fresh TTL.
    packet::Ip4Params rp = params(kR1, kH1, 64);
    rp.id = o.ip().ip_id();
    std::vector<std::uint8_t> want(2048);
    want.resize(packet::build_icmp_echo_reply(want, rp, 0xbeef, 0x0102, data));
    ASSERT_EQ(o.l3().size(), want.size());
    EXPECT_TRUE(std::equal(want.begin(), want.end(), o.l3().begin()));
    EXPECT_EQ(o.eth().ether_dhost(), H::kMacH1);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1},
                                  {"ips_delivered", 1},
                                  {"ips_localout", 1},
                                  {"icps_inhist[8]", 1},
                                  {"icps_reflect", 1},
                                  {"icps_outhist[0]", 1}}));
}

TEST_F(IcmpInput, F01_LargeEchoAnswered) {  // conformance F01: up to the attached MTU
    std::vector<std::uint8_t> data(1472, 0xa5);
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1), 1, 2, data));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_len(), 1500u);
}

TEST_F(IcmpInput, F02_ReplySourceIsTheAddressAsked) {  // conformance F02
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR2)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_src(), kR2);
}

TEST_F(IcmpInput, E07_ReplyKeepsTheRequestsPrecedence) {  // conformance E07
    auto p = params(kH1, kR1);
    p.tos = 0xe0;
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, p));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_EQ(out(h.sent(0)[0]).ip().ip_tos(), 0xe0);
}

TEST_F(IcmpInput, F05_EchoToBroadcastOrMulticastIgnored) {  // conformance F05 / X06
    const C before = h.counters();
    h.inject(0, frame_of(MacAddr::broadcast(), H::kMacH1,
                         raw_datagram(params(kH1, ip4("198.18.0.255")), IPPROTO_ICMP,
                                      msg(ICMP_ECHO, 16))));
    h.inject(
        0, frame_of(MacAddr::from_ip4_multicast(ip4("224.0.0.1")), H::kMacH1,
                    raw_datagram(params(kH1, ip4("224.0.0.1")), IPPROTO_ICMP, msg(ICMP_ECHO, 16))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before)["icps_bmcastecho"], 2u);
}

TEST_F(IcmpInput, F06_TimestampReply) {  // conformance F06
    h.ctx().wall_offset = std::chrono::hours(24 * 365 * 56) + 3h + 25min;
    auto m = msg(ICMP_TSTAMP, 20);
    packet::IcmpView::parse(m)->set_icmp_otime(123456);
    packet::IcmpView::parse(m)->update_sum();
    h.inject(0, icmp_to(kR2, m));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.ip().ip_src(), kR2);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_TSTAMPREPLY);
    EXPECT_EQ(o.icmp().icmp_id(), 0x1234);
    EXPECT_EQ(*o.icmp().icmp_otime(), 123456u);
    EXPECT_LT(*o.icmp().icmp_rtime(), 86'400'000u);
    EXPECT_EQ(*o.icmp().icmp_rtime(), *o.icmp().icmp_ttime());
    EXPECT_TRUE(o.icmp().cksum_ok());
    const auto want = inet::icmp_timestamp(h.clock().now(), h.ctx().wall_offset);
    EXPECT_EQ(*o.icmp().icmp_rtime(), want);
}

TEST(IcmpTimestamp, HighBitWhenTheWallClockIsUnknown) {  // RFC 792
    EXPECT_NE(inet::icmp_timestamp(MonoTime{std::chrono::seconds(5)}, {}) & 0x80000000u, 0u);
    // Midnight UT plus 1.5 s.
    const Duration off = std::chrono::hours(24 * 1000) - std::chrono::seconds(5);
    EXPECT_EQ(inet::icmp_timestamp(MonoTime{std::chrono::milliseconds(6500)}, off), 1500u);
}

TEST_F(IcmpInput, F06_ShortTimestampIgnored) {
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(ICMP_TSTAMP, 12)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before)["icps_badlen"], 1u);
}

TEST_F(IcmpInput, F07_MaskReplyOnlyWhereConfigured) {  // conformance F07
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(ICMP_MASKREQ, 12)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);  // mask-reply defaults to off (DESIGN.md)
    EXPECT_EQ(h.delta(before)["icps_inhist[17]"], 1u);
    auto s = h.edit();
    s.interfaces[0].settings.mask_reply = true;
    h.publish(s);
    h.clear_sent();
    h.inject(0, icmp_to(kR1, msg(ICMP_MASKREQ, 12)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.icmp().icmp_type(), ICMP_MASKREPLY);
    EXPECT_EQ(*o.icmp().icmp_mask(), ip4("255.255.255.0"));
    EXPECT_EQ(o.icmp().icmp_id(), 0x1234);
    EXPECT_EQ(o.icmp().icmp_seq(), 9);
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(o.ip().ip_dst(), kH1);
}

TEST_F(IcmpInput, F07_RequestFromZeroAnsweredToTheSubnetBroadcast) {  // conformance F07
    auto s = h.edit();
    s.interfaces[0].settings.mask_reply = true;
    h.publish(s);
    h.clear_sent();
    h.inject(0, frame_of(MacAddr::broadcast(), H::kMacH1,
                         raw_datagram(params(ip4("0.0.0.0"), ip4("255.255.255.255")), IPPROTO_ICMP,
                                      msg(ICMP_MASKREQ, 12))));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    const Out o = out(h.sent(0)[0]);
    EXPECT_EQ(o.eth().ether_dhost(), MacAddr::broadcast());
    EXPECT_EQ(o.ip().ip_dst(), ip4("198.18.0.255"));
    EXPECT_EQ(o.ip().ip_src(), kR1);
    EXPECT_EQ(*o.icmp().icmp_mask(), ip4("255.255.255.0"));
}

TEST_F(IcmpInput, F08_NoReplyFromZeroWhenMasksDisagree) {  // conformance F08
    auto s = h.edit();
    s.interfaces[0].settings.mask_reply = true;
    s.interfaces[0].addrs[s.interfaces[0].naddrs++] = pfx("198.51.100.1/25");
    h.publish(s);
    h.clear_sent();
    const auto req = frame_of(MacAddr::broadcast(), H::kMacH1,
                              raw_datagram(params(ip4("0.0.0.0"), ip4("255.255.255.255")),
                                           IPPROTO_ICMP, msg(ICMP_MASKREQ, 12)));
    h.inject(0, req);
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    // Both /24: one reply.
    s.interfaces[0].addrs[1] = pfx("198.51.100.1/24");
    h.publish(s);
    h.clear_sent();
    h.inject(0, req);
    h.run();
    EXPECT_EQ(h.sent(0).size(), 1u);
}

TEST_F(IcmpInput, F08_ReceivedMaskReplyChangesNothing) {  // conformance F08
    auto m = msg(ICMP_MASKREPLY, 12);
    packet::IcmpView::parse(m)->set_icmp_mask(ip4("255.255.0.0"));
    packet::IcmpView::parse(m)->update_sum();
    h.inject(0, icmp_to(kR1, m));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.snap().interfaces[0].addrs[0].len, 24);
}

TEST_F(IcmpInput, E09_SourceQuenchIgnored) {  // conformance E09
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(ICMP_SOURCEQUENCH, 36)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_inhist[4]", 1}}));
}

TEST_F(IcmpInput, E10_UnknownTypesDiscarded) {  // conformance E10
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(42, 8)));
    h.inject(0, icmp_to(kR1, msg(99, 8)));
    h.inject(0, icmp_to(kR1, msg(39, 8)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 3}, {"ips_delivered", 3}, {"icps_inhist[39]", 1}}));
}

TEST_F(IcmpInput, E10_BadChecksumDropped) {  // conformance E10
    auto m = msg(ICMP_ECHO, 16);
    m[2] = 0xde;
    m[3] = 0xad;
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, m));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_checksum", 1}}));
}

TEST_F(IcmpInput, E10_ShorterThanEightDropped) {  // conformance E10
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(ICMP_ECHO, 7)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before), (C{{"ips_total", 1}, {"ips_delivered", 1}, {"icps_tooshort", 1}}));
}

TEST_F(IcmpInput, E10_OddLengthEchoAnswered) {  // conformance E10: ping -s 57
    h.inject(0, echo_frame(H::kMacR1, H::kMacH1, params(kH1, kR1), 1, 1,
                           std::vector<std::uint8_t>(57, 0x3c)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_TRUE(out(h.sent(0)[0]).icmp().cksum_ok());
    EXPECT_EQ(out(h.sent(0)[0]).icmp().icmp_data().size(), 57u);
}

TEST_F(IcmpInput, F10_InformationRequestNotAnswered) {  // conformance F10
    const C before = h.counters();
    h.inject(0, icmp_to(kR1, msg(ICMP_IREQ, 8)));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
    EXPECT_EQ(h.delta(before)["icps_inhist[15]"], 1u);
}

TEST_F(IcmpInput, EchoReplyWaitsForArpLikeAnyDatagram) {
    // A host we do not know yet: the reply is held and an ARP request goes out first.
    h.inject(0, echo_frame(H::kMacR1, H::kMacH3, params(ip4("198.18.0.50"), kR1)));
    h.run();
    ASSERT_EQ(h.sent(0).size(), 1u);
    EXPECT_TRUE(out(h.sent(0)[0]).is_arp());
}

TEST_F(IcmpInput, F08_NoReplyFromZeroWhenMasksDisagreeEvenIfSentToUs) {  // conformance F08
    auto s = h.edit();
    s.interfaces[0].settings.mask_reply = true;
    s.interfaces[0].addrs[s.interfaces[0].naddrs++] = pfx("198.51.100.1/25");
    h.publish(s);
    h.clear_sent();
    h.inject(0, frame_of(H::kMacR1, H::kMacH1,
                         raw_datagram(params(ip4("0.0.0.0"), kR1), IPPROTO_ICMP,
                                      msg(ICMP_MASKREQ, 12))));
    h.run();
    EXPECT_EQ(h.total_sent(), 0u);
}

}  // namespace
}  // namespace routerd::test
