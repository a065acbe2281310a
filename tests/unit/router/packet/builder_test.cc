// SPDX-License-Identifier: Apache-2.0
// Tests for the builders: every frame parsed back with the views, checksums, too-small buffers.
#include "router/packet/builder.hh"

#include "router/packet/headers.hh"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace routerd::packet {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Build = std::function<std::size_t(std::span<std::uint8_t>)>;

constexpr Ip4Addr kSrc = Ip4Addr::from_octets(198, 18, 0, 254);
constexpr Ip4Addr kDst = Ip4Addr::from_octets(198, 18, 0, 1);
constexpr Ip4Addr kGroup = Ip4Addr::from_octets(239, 1, 2, 3);
constexpr MacAddr kMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0xfe}};
constexpr MacAddr kPeer{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

// A TX buffer whose start is 16-byte aligned, as a port's slot is.
struct TxBuf {
    alignas(16) std::array<std::uint8_t, 2048> b{};
    std::span<std::uint8_t> all() { return b; }
    std::span<std::uint8_t> first(std::size_t n) { return std::span(b).first(n); }
};

// Builds with a buffer of every size below the needed one (each must return 0), then with
// exactly the needed size (must succeed). Returns the length.
std::size_t expect_exact_fit(const Build& build) {
    TxBuf tx;
    const std::size_t need = build(tx.all());
    EXPECT_GT(need, 0u);
    for (std::size_t n = 0; n < need; ++n) {
        TxBuf small;
        EXPECT_EQ(build(small.first(n)), 0u) << "buffer " << n << " of " << need;
    }
    TxBuf exact;
    EXPECT_EQ(build(exact.first(need)), need);
    return need;
}

Ip4Params params(std::uint8_t ttl = 64) {
    Ip4Params ip;
    ip.src = kSrc;
    ip.dst = kDst;
    ip.ttl = ttl;
    ip.id = 0x4242;
    return ip;
}

// The IPv4 header checks every IP-level frame must pass.
ConstIp4View check_ip(std::span<const std::uint8_t> d, std::uint8_t proto) {
    auto ip = ConstIp4View::parse(d);
    EXPECT_TRUE(ip);
    EXPECT_EQ(ip->ip_v(), IPVERSION);
    EXPECT_TRUE(ip->header_complete());
    EXPECT_EQ(ip->ip_len(), d.size());
    EXPECT_EQ(ip->ip_p(), proto);
    EXPECT_TRUE(ip->cksum_ok());
    EXPECT_EQ(ip4_options_check(ip->header()).error, Ip4OptError::none);
    return *ip;
}

bool has_router_alert(ConstIp4View ip) {
    Ip4OptionIter it = ip.options_iter();
    while (auto o = it.next()) {
        if (o->type == IPOPT_RA && o->length == 4 && o->data[0] == 0 && o->data[1] == 0) {
            return true;
        }
    }
    return false;
}

// ---- link level ----------------------------------------------------------------------------

TEST(BuildEther, WritesTheHeader) {
    TxBuf tx;
    ASSERT_EQ(build_ether(tx.all(), kPeer, kMac, ETHERTYPE_IP), kEtherHeaderLen);
    auto eh = ConstEtherView::parse(tx.first(kEtherHeaderLen));
    EXPECT_EQ(eh->ether_dhost(), kPeer);
    EXPECT_EQ(eh->ether_shost(), kMac);
    EXPECT_EQ(eh->payload().ether_type, ETHERTYPE_IP);
    expect_exact_fit([](auto b) { return build_ether(b, kPeer, kMac, ETHERTYPE_IP); });
}

TEST(BuildArp, RequestIsBroadcastWhoHas) {
    TxBuf tx;
    const std::size_t n = build_arp_request(tx.all(), kMac, kSrc, kDst);
    ASSERT_EQ(n, 42u);
    auto eh = ConstEtherView::parse(tx.first(n));
    EXPECT_TRUE(eh->ether_dhost().is_broadcast());
    EXPECT_EQ(eh->ether_shost(), kMac);
    EXPECT_EQ(eh->ether_type(), ETHERTYPE_ARP);
    auto arp = ConstArpView::parse(tx.first(n).subspan(kEtherHeaderLen));
    ASSERT_TRUE(arp);
    EXPECT_TRUE(arp->is_ether_ip4());
    EXPECT_EQ(arp->ar_op(), ARPOP_REQUEST);
    EXPECT_EQ(arp->arp_sha(), kMac);
    EXPECT_EQ(arp->arp_spa(), kSrc);
    EXPECT_TRUE(arp->arp_tha().is_zero());
    EXPECT_EQ(arp->arp_tpa(), kDst);
    expect_exact_fit([](auto b) { return build_arp_request(b, kMac, kSrc, kDst); });
}

TEST(BuildArp, ReplyIsUnicastToTheAsker) {
    TxBuf tx;
    const std::size_t n = build_arp_reply(tx.all(), kMac, kSrc, kPeer, kDst);
    ASSERT_EQ(n, 42u);
    EXPECT_EQ(ConstEtherView::parse(tx.first(n))->ether_dhost(), kPeer);
    auto arp = ConstArpView::parse(tx.first(n).subspan(kEtherHeaderLen));
    EXPECT_EQ(arp->ar_op(), ARPOP_REPLY);
    EXPECT_EQ(arp->arp_sha(), kMac);
    EXPECT_EQ(arp->arp_spa(), kSrc);
    EXPECT_EQ(arp->arp_tha(), kPeer);
    EXPECT_EQ(arp->arp_tpa(), kDst);
    expect_exact_fit([](auto b) { return build_arp_reply(b, kMac, kSrc, kPeer, kDst); });
}

TEST(BuildArp, GratuitousAnnouncesOurOwnAddress) {
    TxBuf tx;
    const std::size_t n = build_arp_gratuitous(tx.all(), kMac, kSrc);
    ASSERT_EQ(n, 42u);
    EXPECT_TRUE(ConstEtherView::parse(tx.first(n))->ether_dhost().is_broadcast());
    auto arp = ConstArpView::parse(tx.first(n).subspan(kEtherHeaderLen));
    EXPECT_EQ(arp->ar_op(), ARPOP_REQUEST);
    EXPECT_EQ(arp->arp_spa(), kSrc);
    EXPECT_EQ(arp->arp_tpa(), kSrc);  // RFC 5227 3
    EXPECT_TRUE(arp->arp_tha().is_zero());
}

// ---- IPv4 ------------------------------------------------------------------------------------

TEST(Ip4Offset, AlignsTheNetworkHeader) {
    TxBuf tx;
    for (std::size_t skew = 0; skew < 8; ++skew) {
        auto buf = tx.all().subspan(skew);
        const std::size_t off = ip4_offset(buf);
        EXPECT_GE(off, kEtherHeaderLen);
        EXPECT_LT(off, kEtherHeaderLen + 4);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buf.data() + off) % 4, 0u) << skew;
    }
    EXPECT_EQ(ip4_offset(tx.all()), 16u);
    EXPECT_EQ(ip4_offset(tx.first(15)), 0u);
}

TEST(BuildIp4Header, FieldsPaddingAndChecksum) {
    TxBuf tx;
    Ip4Params ip = params(17);
    ip.proto = IPPROTO_UDP;
    ip.tos = 0x10;
    ip.df = true;
    const std::uint8_t opts[] = {IPOPT_NOP, IPOPT_RA, 4, 0, 0};  // 5 octets: padded to 8
    ip.options = opts;
    ASSERT_EQ(ip4_header_len(ip), 28u);
    tx.b[27] = 0xee;  // a pad octet must come back as EOL
    ASSERT_EQ(build_ip4_header(tx.all(), ip, 100), 28u);
    auto v = ConstIp4View::parse(tx.first(128));
    EXPECT_EQ(v->ip_hl(), 7);
    EXPECT_EQ(v->ip_len(), 128);
    EXPECT_EQ(v->ip_tos(), 0x10);
    EXPECT_EQ(v->ip_id(), 0x4242);
    EXPECT_TRUE(v->ip_df());
    EXPECT_FALSE(v->is_fragment());
    EXPECT_EQ(v->ip_ttl(), 17);
    EXPECT_EQ(v->ip_src(), kSrc);
    EXPECT_EQ(v->ip_dst(), kDst);
    EXPECT_EQ(tx.b[20], IPOPT_NOP);
    EXPECT_EQ(tx.b[21], IPOPT_RA);
    EXPECT_EQ(tx.b[25], IPOPT_EOL);
    EXPECT_EQ(tx.b[26], IPOPT_EOL);
    EXPECT_EQ(tx.b[27], IPOPT_EOL);
    EXPECT_TRUE(v->cksum_ok());
    EXPECT_EQ(ip4_options_check(v->header()).error, Ip4OptError::none);
}

TEST(BuildIp4Header, RejectsWhatCannotBeEncoded) {
    TxBuf tx;
    Ip4Params ip = params();
    std::array<std::uint8_t, 41> too_many{};
    ip.options = too_many;
    EXPECT_EQ(ip4_header_len(ip), 0u);
    EXPECT_EQ(build_ip4_header(tx.all(), ip, 0), 0u);
    ip.options = std::span(too_many).first(40);
    EXPECT_EQ(ip4_header_len(ip), 60u);
    EXPECT_EQ(build_ip4_header(tx.all(), ip, 0), 60u);
    ip.options = {};
    std::vector<std::uint8_t> big(70000);
    EXPECT_EQ(build_ip4_header(big, ip, 65515), 20u);  // ip_len 65535
    EXPECT_EQ(build_ip4_header(big, ip, 65516), 0u);   // RFC 791: 16-bit total length
    // The buffer must hold the payload too: 20 + 10 octets.
    for (std::size_t n = 0; n < 30; ++n) {
        EXPECT_EQ(build_ip4_header(tx.first(n), params(), 10), 0u) << n;
    }
    EXPECT_EQ(build_ip4_header(tx.first(30), params(), 10), 20u);
}

// ---- ICMP ------------------------------------------------------------------------------------

TEST(BuildIcmp, EchoRequestAndReply) {
    const Bytes data{'r', 'o', 'u', 't', 'e', 'r', 'd'};
    for (bool request : {true, false}) {
        TxBuf tx;
        const std::size_t n = request ? build_icmp_echo_request(tx.all(), params(), 0x77, 3, data)
                                      : build_icmp_echo_reply(tx.all(), params(), 0x77, 3, data);
        ASSERT_EQ(n, 20 + 8 + data.size());
        auto ip = check_ip(tx.first(n), IPPROTO_ICMP);
        auto icmp = ConstIcmpView::parse(ip.payload());
        EXPECT_EQ(icmp->icmp_type(), request ? ICMP_ECHO : ICMP_ECHOREPLY);
        EXPECT_EQ(icmp->icmp_code(), 0);
        EXPECT_EQ(icmp->icmp_id(), 0x77);
        EXPECT_EQ(icmp->icmp_seq(), 3);
        EXPECT_EQ(Bytes(icmp->icmp_data().begin(), icmp->icmp_data().end()), data);
        EXPECT_TRUE(icmp->cksum_ok());
    }
    const Bytes odd{1, 2, 3};  // odd-length data: the checksum pads (RFC 1071 4.1)
    TxBuf tx;
    const std::size_t n = build_icmp_echo_request(tx.all(), params(), 1, 1, odd);
    EXPECT_TRUE(ConstIcmpView::parse(tx.first(n).subspan(20))->cksum_ok());
    expect_exact_fit([&](auto b) { return build_icmp_echo_request(b, params(), 1, 2, data); });
}

// A 1500-octet UDP datagram to quote.
Bytes original_datagram(std::size_t payload = 1472) {
    Bytes body(payload);
    for (std::size_t i = 0; i < body.size(); ++i) {
        body[i] = static_cast<std::uint8_t>(i);
    }
    Ip4Params ip;
    ip.src = Ip4Addr::from_octets(203, 0, 113, 5);
    ip.dst = Ip4Addr::from_octets(198, 51, 100, 9);
    std::vector<std::uint8_t> buf(65536);
    const std::size_t n = build_udp(buf, ip, 4000, 33434, body);
    buf.resize(n);
    return buf;
}

TEST(BuildIcmpError, TimeExceededQuotesUpTo576) {
    const Bytes orig = original_datagram();
    ASSERT_EQ(orig.size(), 1500u);
    IcmpError e;
    e.type = ICMP_TIMXCEED;
    e.code = ICMP_TIMXCEED_INTRANS;
    TxBuf tx;
    const std::size_t n = build_icmp_error(tx.all(), params(255), e, orig);
    ASSERT_EQ(n, kIcmpErrorMaxLen);  // RFC 1812 4.3.2.3
    auto ip = check_ip(tx.first(n), IPPROTO_ICMP);
    auto icmp = ConstIcmpView::parse(ip.payload());
    EXPECT_EQ(icmp->icmp_type(), ICMP_TIMXCEED);
    EXPECT_EQ(icmp->icmp_code(), ICMP_TIMXCEED_INTRANS);
    EXPECT_EQ(icmp->icmp_void(), 0u);
    EXPECT_TRUE(icmp->cksum_ok());
    const std::size_t quote = 576 - 20 - 8;
    ASSERT_EQ(icmp->icmp_data().size(), quote);
    EXPECT_TRUE(std::equal(icmp->icmp_data().begin(), icmp->icmp_data().end(), orig.begin()));
    auto quoted = icmp->icmp_ip();
    ASSERT_TRUE(quoted);
    EXPECT_EQ(quoted->ip_dst(), Ip4Addr::from_octets(198, 51, 100, 9));
}

TEST(BuildIcmpError, QuotingHonoursMaxLenBufferAndHeaderOptions) {
    const Bytes orig = original_datagram();
    IcmpError e;
    e.type = ICMP_UNREACH;
    e.code = ICMP_UNREACH_PORT;
    for (std::size_t max_len : {56u, 57u, 100u, 575u, 576u, 1000u, 1528u, 2000u}) {
        e.max_len = max_len;
        TxBuf tx;
        const std::size_t n = build_icmp_error(tx.all(), params(), e, orig);
        EXPECT_EQ(n, std::min<std::size_t>(max_len, 1528)) << max_len;  // 20 + 8 + 1500 at most
        check_ip(tx.first(n), IPPROTO_ICMP);
        EXPECT_TRUE(ConstIcmpView::parse(tx.first(n).subspan(20))->cksum_ok());
    }
    // The minimum quote is the original header + 64 bits (RFC 792): 20 + 8 + 28 octets.
    e.max_len = 55;
    TxBuf tx;
    EXPECT_EQ(build_icmp_error(tx.all(), params(), e, orig), 0u);
    // A buffer smaller than max_len cuts the quote to the buffer.
    e.max_len = 576;
    EXPECT_EQ(build_icmp_error(tx.first(100), params(), e, orig), 100u);
    EXPECT_EQ(build_icmp_error(tx.first(55), params(), e, orig), 0u);
    // Options in our header leave less room for the quote.
    const std::uint8_t ra[] = {IPOPT_RA, 4, 0, 0};
    Ip4Params with_ra = params();
    with_ra.options = ra;
    const std::size_t n = build_icmp_error(tx.all(), with_ra, e, orig);
    ASSERT_EQ(n, 576u);
    EXPECT_EQ(ConstIcmpView::parse(tx.first(n).subspan(24))->icmp_data().size(), 576u - 32);
}

TEST(BuildIcmpError, ShortOriginalIsQuotedWhole) {
    const Bytes orig = original_datagram(0);  // 28 octets
    IcmpError e;
    e.type = ICMP_UNREACH;
    e.code = ICMP_UNREACH_PROTOCOL;
    const std::size_t n =
        expect_exact_fit([&](auto b) { return build_icmp_error(b, params(), e, orig); });
    EXPECT_EQ(n, 20u + 8 + 28);
}

TEST(BuildIcmpError, MinimumQuoteFollowsOriginalHeaderLength) {
    // An original with 8 octets of options: the minimum quote is 28 + 8 = 36 octets.
    Bytes orig = original_datagram(100);
    const Bytes opts{IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, IPOPT_NOP,
                     IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, IPOPT_EOL};
    orig.insert(orig.begin() + 20, opts.begin(), opts.end());
    orig[0] = 0x47;
    IcmpError e;
    e.max_len = 20 + 8 + 35;
    TxBuf tx;
    EXPECT_EQ(build_icmp_error(tx.all(), params(), e, orig), 0u);
    e.max_len = 20 + 8 + 36;
    EXPECT_EQ(build_icmp_error(tx.all(), params(), e, orig), 64u);
}

TEST(BuildIcmpError, RestOfHeaderByType) {
    const Bytes orig = original_datagram(8);
    TxBuf tx;
    auto build = [&](const IcmpError& e) {
        const std::size_t n = build_icmp_error(tx.all(), params(), e, orig);
        EXPECT_GT(n, 0u);
        auto icmp = ConstIcmpView::parse(tx.first(n).subspan(20));
        EXPECT_TRUE(icmp->cksum_ok());
        return *icmp;
    };
    IcmpError e;
    e.type = ICMP_UNREACH;
    e.code = ICMP_UNREACH_NEEDFRAG;
    e.next_mtu = 1400;
    auto needfrag = build(e);
    EXPECT_EQ(needfrag.icmp_nextmtu(), 1400);  // RFC 1191 4
    EXPECT_EQ(needfrag.icmp_void() >> 16, 0u);
    e.code = ICMP_UNREACH_HOST;  // the MTU belongs to code 4 only
    EXPECT_EQ(build(e).icmp_void(), 0u);

    IcmpError pp;
    pp.type = ICMP_PARAMPROB;
    pp.pointer = 22;
    auto param = build(pp);
    EXPECT_EQ(param.icmp_pptr(), 22);
    EXPECT_EQ(param.icmp_void() & 0xffffffu, 0u);

    IcmpError rd;
    rd.type = ICMP_REDIRECT;
    rd.code = ICMP_REDIRECT_HOST;
    rd.gateway = Ip4Addr::from_octets(198, 18, 0, 2);
    auto redirect = build(rd);
    EXPECT_EQ(redirect.icmp_gwaddr(), Ip4Addr::from_octets(198, 18, 0, 2));
    EXPECT_EQ(redirect.icmp_code(), ICMP_REDIRECT_HOST);
}

// ---- IGMP ------------------------------------------------------------------------------------

struct IgmpCase {
    const char* name;
    Build build;
    std::uint8_t type;
    std::uint8_t code;
    Ip4Addr dst;
    Ip4Addr group;
    bool router_alert;
};

TEST(BuildIgmp, V1V2MessagesParseBack) {
    const IgmpCase cases[] = {
        {"v1_query", [](auto b) { return build_igmp_v1_query(b, kSrc, 1); }, IGMP_MEMBERSHIP_QUERY,
         0, kAllHostsGroup, Ip4Addr{}, false},
        {"v2_general_query", [](auto b) { return build_igmp_v2_query(b, kSrc, 1, {}, 100); },
         IGMP_MEMBERSHIP_QUERY, 100, kAllHostsGroup, Ip4Addr{}, true},
        {"v2_group_query", [](auto b) { return build_igmp_v2_query(b, kSrc, 1, kGroup, 10); },
         IGMP_MEMBERSHIP_QUERY, 10, kGroup, kGroup, true},
        {"v1_report", [](auto b) { return build_igmp_v1_report(b, kSrc, 1, kGroup); },
         IGMP_V1_MEMBERSHIP_REPORT, 0, kGroup, kGroup, false},
        {"v2_report", [](auto b) { return build_igmp_v2_report(b, kSrc, 1, kGroup); },
         IGMP_V2_MEMBERSHIP_REPORT, 0, kGroup, kGroup, true},
        {"leave", [](auto b) { return build_igmp_leave(b, kSrc, 1, kGroup); }, IGMP_V2_LEAVE_GROUP,
         0, kAllRoutersGroup, kGroup, true},
    };
    for (const IgmpCase& c : cases) {
        SCOPED_TRACE(c.name);
        TxBuf tx;
        const std::size_t n = c.build(tx.all());
        ASSERT_EQ(n, (c.router_alert ? 24u : 20u) + 8);
        auto ip = check_ip(tx.first(n), IPPROTO_IGMP);
        EXPECT_EQ(ip.ip_ttl(), 1);  // RFC 1112 appendix I, RFC 2236 2
        EXPECT_EQ(ip.ip_src(), kSrc);
        EXPECT_EQ(ip.ip_dst(), c.dst);
        EXPECT_EQ(has_router_alert(ip), c.router_alert);
        auto igmp = ConstIgmpView::parse(ip.payload());
        ASSERT_TRUE(igmp);
        EXPECT_EQ(igmp->igmp_type(), c.type);
        EXPECT_EQ(igmp->igmp_code(), c.code);
        EXPECT_EQ(igmp->igmp_group(), c.group);
        EXPECT_TRUE(igmp->cksum_ok());
        if (c.type == IGMP_MEMBERSHIP_QUERY) {
            EXPECT_EQ(igmp->query_version(),
                      c.code == 0 ? IgmpQueryVersion::v1 : IgmpQueryVersion::v2);
        }
        expect_exact_fit(c.build);
    }
}

TEST(BuildIgmp, V3GeneralQuery) {
    IgmpV3Query q;
    q.qrv = 2;
    q.qqi = 125;
    q.max_resp_time = 100;
    TxBuf tx;
    const std::size_t n = build_igmp_v3_query(tx.all(), kSrc, 9, q);
    ASSERT_EQ(n, 24u + 12);
    auto ip = check_ip(tx.first(n), IPPROTO_IGMP);
    EXPECT_EQ(ip.ip_dst(), kAllHostsGroup);
    EXPECT_EQ(ip.ip_ttl(), 1);     // RFC 3376 4
    EXPECT_EQ(ip.ip_tos(), 0xc0);  // RFC 3376 4: Internetwork Control
    EXPECT_TRUE(has_router_alert(ip));
    auto igmp = ConstIgmpView::parse(ip.payload());
    EXPECT_TRUE(igmp->cksum_ok());
    EXPECT_EQ(igmp->query_version(), IgmpQueryVersion::v3);
    auto v3 = ConstIgmpV3QueryView::parse(ip.payload());
    ASSERT_TRUE(v3);
    EXPECT_TRUE(v3->igmp_group().is_zero());
    EXPECT_FALSE(v3->s_flag());
    EXPECT_EQ(v3->qrv(), 2);
    EXPECT_EQ(v3->qqic(), 125);
    EXPECT_EQ(v3->igmp_code(), 100);
    EXPECT_EQ(v3->num_sources(), 0);
    expect_exact_fit([&](auto b) { return build_igmp_v3_query(b, kSrc, 9, q); });
}

TEST(BuildIgmp, V3GroupAndSourceQueryEncodesExponentialCodes) {
    const Ip4Addr sources[] = {Ip4Addr::from_octets(198, 18, 0, 1),
                               Ip4Addr::from_octets(198, 18, 0, 2)};
    IgmpV3Query q;
    q.group = kGroup;
    q.sources = sources;
    q.s_flag = true;
    q.qrv = 9;               // RFC 3376 4.1.6: above 7 is sent as 0
    q.qqi = 300;             // 4.1.7: exp 1, mant 2 -> 288 (rounded down)
    q.max_resp_time = 1000;  // 4.1.1: exp 2, mant 15 -> 992
    TxBuf tx;
    const std::size_t n = build_igmp_v3_query(tx.all(), kSrc, 9, q);
    ASSERT_EQ(n, 24u + 12 + 8);
    auto ip = check_ip(tx.first(n), IPPROTO_IGMP);
    EXPECT_EQ(ip.ip_dst(), kGroup);  // RFC 3376 4.1.12
    auto v3 = ConstIgmpV3QueryView::parse(ip.payload());
    ASSERT_TRUE(v3);
    EXPECT_TRUE(ConstIgmpView::parse(ip.payload())->cksum_ok());
    EXPECT_EQ(v3->igmp_group(), kGroup);
    EXPECT_TRUE(v3->s_flag());
    EXPECT_EQ(v3->qrv(), 0);
    EXPECT_EQ(v3->qqic(), 0x92);
    EXPECT_EQ(v3->qqi(), 288u);
    EXPECT_EQ(v3->igmp_code(), 0xaf);
    EXPECT_EQ(v3->max_resp_time(), 992u);
    ASSERT_EQ(v3->num_sources(), 2);
    EXPECT_EQ(v3->source(0), sources[0]);
    EXPECT_EQ(v3->source(1), sources[1]);
    expect_exact_fit([&](auto b) { return build_igmp_v3_query(b, kSrc, 9, q); });
}

// ---- UDP and TCP -----------------------------------------------------------------------------

TEST(BuildUdp, PseudoHeaderChecksumVerifies) {
    const Bytes payload{'h', 'e', 'l', 'l', 'o'};
    TxBuf tx;
    const std::size_t n = build_udp(tx.all(), params(), 5353, 53, payload);
    ASSERT_EQ(n, 20u + 8 + 5);
    auto ip = check_ip(tx.first(n), IPPROTO_UDP);
    auto udp = ConstUdpView::parse(ip.payload());
    EXPECT_EQ(udp->uh_sport(), 5353);
    EXPECT_EQ(udp->uh_dport(), 53);
    EXPECT_EQ(udp->uh_ulen(), 13);
    EXPECT_NE(udp->uh_sum(), 0);
    EXPECT_EQ(ip4_pseudo_cksum(kSrc, kDst, IPPROTO_UDP, ip.payload()), 0);
    expect_exact_fit([&](auto b) { return build_udp(b, params(), 5353, 53, payload); });
}

TEST(BuildUdp, ComputedZeroIsSentAsAllOnes) {
    // Choose a payload word that makes the computed checksum 0 (RFC 768: sent as 0xffff).
    TxBuf tx;
    Bytes payload{0, 0};
    std::size_t n = build_udp(tx.all(), params(), 1, 2, payload);
    const std::uint16_t c = ConstUdpView::parse(tx.first(n).subspan(20))->uh_sum();
    payload = {static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
    n = build_udp(tx.all(), params(), 1, 2, payload);
    auto seg = tx.first(n).subspan(20);
    EXPECT_EQ(ConstUdpView::parse(seg)->uh_sum(), 0xffff);
    EXPECT_EQ(ip4_pseudo_cksum(kSrc, kDst, IPPROTO_UDP, seg), 0);
}

Bytes tcp_segment(std::uint32_t seq, std::uint32_t ack, std::uint8_t flags) {
    Bytes t(20, 0);
    auto v = TcpView::parse(t);
    v->set_th_sport(40000);
    v->set_th_dport(22);
    v->set_th_seq(seq);
    v->set_th_ack(ack);
    v->set_th_off(5);
    v->set_th_flags(flags);
    return t;
}

ConstTcpView rst_for(TxBuf& tx, const Bytes& seg, std::size_t payload_len, std::size_t* len) {
    *len = build_tcp_rst(tx.all(), params(), *ConstTcpView::parse(seg), payload_len);
    EXPECT_EQ(*len, 40u);
    auto ip = check_ip(tx.first(*len), IPPROTO_TCP);
    EXPECT_EQ(ip4_pseudo_cksum(kSrc, kDst, IPPROTO_TCP, ip.payload()), 0);
    auto t = ConstTcpView::parse(ip.payload());
    EXPECT_EQ(t->th_sport(), 22);
    EXPECT_EQ(t->th_dport(), 40000);
    EXPECT_EQ(t->th_off(), 5);
    EXPECT_EQ(t->th_win(), 0);
    return *t;
}

TEST(BuildTcpRst, AnswersASynWithRstAck) {
    // RFC 793 3.4: no ACK in the segment -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    TxBuf tx;
    std::size_t n = 0;
    auto t = rst_for(tx, tcp_segment(1000, 0, TH_SYN), 0, &n);
    EXPECT_EQ(t.th_flags(), TH_RST | TH_ACK);
    EXPECT_EQ(t.th_seq(), 0u);
    EXPECT_EQ(t.th_ack(), 1001u);  // SYN occupies one sequence number
    // With data and FIN: both count.
    t = rst_for(tx, tcp_segment(0xfffffff0, 0, TH_FIN | TH_PUSH), 100, &n);
    EXPECT_EQ(t.th_ack(), 0xfffffff0u + 101);  // wraps modulo 2^32
}

TEST(BuildTcpRst, AnswersAnAckWithItsAckNumber) {
    // RFC 793 3.4: ACK in the segment -> <SEQ=SEG.ACK><CTL=RST>.
    TxBuf tx;
    std::size_t n = 0;
    auto t = rst_for(tx, tcp_segment(7, 5000, TH_SYN | TH_ACK), 0, &n);
    EXPECT_EQ(t.th_flags(), TH_RST);
    EXPECT_EQ(t.th_seq(), 5000u);
    EXPECT_EQ(t.th_ack(), 0u);
    const Bytes seg = tcp_segment(7, 5000, TH_ACK);
    expect_exact_fit(
        [&](auto b) { return build_tcp_rst(b, params(), *ConstTcpView::parse(seg), 0); });
}

TEST(BuildTcpRst, NeverAnswersAReset) {
    TxBuf tx;
    const Bytes seg = tcp_segment(7, 5000, TH_RST | TH_ACK);
    EXPECT_EQ(build_tcp_rst(tx.all(), params(), *ConstTcpView::parse(seg), 0), 0u);
}

}  // namespace
}  // namespace routerd::packet
