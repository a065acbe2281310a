// SPDX-License-Identifier: Apache-2.0
// Tests for the header views: fields, every truncation, SNAP, IPv4 options, IGMPv3 walks.
#include "router/packet/headers.hh"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace routerd::packet {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(std::string_view text) {
    Bytes out;
    int hi = -1;
    for (char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9') {
            v = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v = c - 'a' + 10;
        }
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    return out;
}

// RFC 1071 4.1 reference, independent of base/checksum.
std::uint16_t reference_cksum(std::span<const std::uint8_t> d, std::uint32_t sum = 0) {
    std::size_t i = 0;
    for (; i + 1 < d.size(); i += 2) {
        sum += static_cast<std::uint32_t>(d[i] << 8 | d[i + 1]);
    }
    if (i < d.size()) {
        sum += static_cast<std::uint32_t>(d[i] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

constexpr Ip4Addr kSrc = Ip4Addr::from_octets(198, 18, 0, 1);
constexpr Ip4Addr kDst = Ip4Addr::from_octets(198, 19, 0, 1);
constexpr MacAddr kMacA{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
constexpr MacAddr kMacB{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}};

// A 20-octet header 198.18.0.1 -> 198.19.0.1, UDP, ip_len 0x73, DF, TTL 64, correct checksum.
Bytes ip_header() {
    Bytes h = hex("45 00 00 73 12 34 40 00 40 11 00 00 c6 12 00 01 c6 13 00 01");
    std::uint16_t s = reference_cksum(h);
    h[10] = static_cast<std::uint8_t>(s >> 8);
    h[11] = static_cast<std::uint8_t>(s);
    return h;
}

// A header carrying `opts`, padded with EOL to a 4-octet boundary, ip_hl set, checksum set.
Bytes ip_with_options(const Bytes& opts) {
    Bytes h = ip_header();
    h.insert(h.end(), opts.begin(), opts.end());
    while (h.size() % 4 != 0) {
        h.push_back(0);
    }
    h[0] = static_cast<std::uint8_t>(0x40 | h.size() / 4);
    h[10] = h[11] = 0;
    std::uint16_t s = reference_cksum(h);
    h[10] = static_cast<std::uint8_t>(s >> 8);
    h[11] = static_cast<std::uint8_t>(s);
    return h;
}

// ---- byte order ----------------------------------------------------------------------------

TEST(ByteOrder, LoadsAndStoresBigEndian) {
    std::uint8_t b[6] = {};
    store_be16(b, 0x1234);
    EXPECT_EQ(b[0], 0x12);
    EXPECT_EQ(b[1], 0x34);
    EXPECT_EQ(load_be16(b), 0x1234);
    store_be32(b, 0xc6120001);
    EXPECT_EQ(b[0], 0xc6);
    EXPECT_EQ(b[3], 0x01);
    EXPECT_EQ(load_ip4(b), kSrc);
    store_mac(b, kMacA);
    EXPECT_EQ(load_mac(b), kMacA);
}

// ---- Ethernet ------------------------------------------------------------------------------

TEST(EtherView, ReadsEthernetIIFields) {
    Bytes f = hex("02 00 00 00 00 0b 02 00 00 00 00 0a 08 00 45 00");
    auto eh = ConstEtherView::parse(f);
    ASSERT_TRUE(eh);
    EXPECT_EQ(eh->ether_dhost(), kMacB);
    EXPECT_EQ(eh->ether_shost(), kMacA);
    EXPECT_EQ(eh->ether_type(), ETHERTYPE_IP);
    EXPECT_FALSE(eh->is_8023_length());
    EtherPayload p = eh->payload();
    EXPECT_EQ(p.encap, EtherEncap::ethernet_ii);  // RFC 894
    EXPECT_EQ(p.ether_type, ETHERTYPE_IP);
    EXPECT_EQ(p.offset, kEtherHeaderLen);
    EXPECT_EQ(p.len, 2u);
}

TEST(EtherView, RejectsEveryTruncation) {
    Bytes f(kEtherHeaderLen, 0);
    for (std::size_t n = 0; n < kEtherHeaderLen; ++n) {
        EXPECT_FALSE(ConstEtherView::parse(std::span(f).first(n))) << n;
    }
    EXPECT_TRUE(ConstEtherView::parse(f));
}

TEST(EtherView, SettersWriteNetworkOrder) {
    Bytes f(kEtherHeaderLen, 0);
    auto eh = EtherView::parse(f);
    eh->set_ether_dhost(kMacB);
    eh->set_ether_shost(kMacA);
    eh->set_ether_type(ETHERTYPE_ARP);
    EXPECT_EQ(f, hex("02 00 00 00 00 0b 02 00 00 00 00 0a 08 06"));
}

TEST(EtherView, LengthFieldIsNeverReadAsAType) {
    // IEEE 802.3 3.2.6: every value below 0x0600 is a length (or invalid), never an EtherType.
    Bytes f(kEtherHeaderLen + 1500, 0);
    for (std::uint32_t v = 0; v < kEtherTypeMin; ++v) {
        store_be16(f.data() + 12, static_cast<std::uint16_t>(v));
        auto p = ConstEtherView::parse(f)->payload();
        EXPECT_NE(p.encap, EtherEncap::ethernet_ii) << v;
        EXPECT_NE(p.encap, EtherEncap::snap) << v;  // the LLC octets are zero here
        EXPECT_EQ(p.ether_type, 0) << v;
        if (v <= 1500) {
            EXPECT_EQ(p.encap, EtherEncap::llc) << v;
            EXPECT_EQ(p.len, v);
        } else {
            EXPECT_EQ(p.encap, EtherEncap::invalid) << v;  // 1501-1535: neither
        }
    }
    store_be16(f.data() + 12, kEtherTypeMin);
    EXPECT_EQ(ConstEtherView::parse(f)->payload().encap, EtherEncap::ethernet_ii);
}

TEST(EtherView, DetectsRfc1042Snap) {
    // 802.3 length 28 = 8 (LLC/SNAP) + 20 (IP header), then 4 octets of padding.
    Bytes f = hex("02 00 00 00 00 0b 02 00 00 00 00 0a 00 1c aa aa 03 00 00 00 08 00");
    Bytes ip = ip_header();
    f.insert(f.end(), ip.begin(), ip.end());
    f.insert(f.end(), 4, 0);
    auto eh = ConstEtherView::parse(f);
    EXPECT_TRUE(eh->is_8023_length());
    EtherPayload p = eh->payload();
    EXPECT_EQ(p.encap, EtherEncap::snap);
    EXPECT_EQ(p.ether_type, ETHERTYPE_IP);
    EXPECT_EQ(p.offset, 22u);
    EXPECT_EQ(p.len, 20u);  // from the length field, padding excluded
}

TEST(EtherView, SnapVariantsThatAreNotOurs) {
    Bytes base = hex("02 00 00 00 00 0b 02 00 00 00 00 0a 00 1c aa aa 03 00 00 00 08 00");
    base.resize(kEtherHeaderLen + 28, 0);
    auto encap = [](const Bytes& f) { return ConstEtherView::parse(f)->payload(); };

    Bytes f = base;
    f[16] = 0x13;  // control other than UI
    EXPECT_EQ(encap(f).encap, EtherEncap::llc);
    f = base;
    f[19] = 0x01;  // OUI not zero (RFC 1042: 0 means the EtherType follows)
    EXPECT_EQ(encap(f).encap, EtherEncap::llc);
    f = base;
    f[14] = 0x42;  // another SAP (spanning tree)
    EXPECT_EQ(encap(f).encap, EtherEncap::llc);
    f = base;
    f[13] = 7;  // SNAP SAPs but a length too short for the SNAP header
    EXPECT_EQ(encap(f).encap, EtherEncap::invalid);
    f = base;
    f[13] = 29;  // a length past the frame
    EXPECT_EQ(encap(f).encap, EtherEncap::invalid);
    // A SNAP frame cut inside its SNAP header: the length field runs past the frame.
    for (std::size_t n = kEtherHeaderLen; n < 22; ++n) {
        Bytes cut(base.begin(), base.begin() + static_cast<long>(n));
        EXPECT_EQ(encap(cut).encap, EtherEncap::invalid) << n;
    }
}

// ---- ARP ---------------------------------------------------------------------------------------

Bytes arp_request() {
    return hex("0001 0800 06 04 0001 02000000000a c6120001 000000000000 c6120002");
}

TEST(ArpView, ReadsRfc826Fields) {
    Bytes a = arp_request();
    auto arp = ConstArpView::parse(a);
    ASSERT_TRUE(arp);
    EXPECT_EQ(arp->ar_hrd(), ARPHRD_ETHER);
    EXPECT_EQ(arp->ar_pro(), ETHERTYPE_IP);
    EXPECT_EQ(arp->ar_hln(), 6);
    EXPECT_EQ(arp->ar_pln(), 4);
    EXPECT_EQ(arp->ar_op(), ARPOP_REQUEST);
    EXPECT_EQ(arp->arp_sha(), kMacA);
    EXPECT_EQ(arp->arp_spa(), kSrc);
    EXPECT_EQ(arp->arp_tha(), MacAddr{});
    EXPECT_EQ(arp->arp_tpa(), Ip4Addr::from_octets(198, 18, 0, 2));
    EXPECT_TRUE(arp->is_ether_ip4());
}

TEST(ArpView, RejectsEveryTruncation) {
    Bytes a = arp_request();
    for (std::size_t n = 0; n < kArpEtherIp4Len; ++n) {
        EXPECT_FALSE(ConstArpView::parse(std::span(a).first(n))) << n;
    }
}

TEST(ArpView, IsEtherIp4ChecksEachTypeAndLength) {
    for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u}) {
        Bytes a = arp_request();
        a[i] ^= 0x40;
        EXPECT_FALSE(ConstArpView::parse(a)->is_ether_ip4()) << i;
    }
}

TEST(ArpView, SettersRoundTrip) {
    Bytes a(kArpEtherIp4Len, 0xee);
    auto arp = ArpView::parse(a);
    arp->set_ether_ip4();
    arp->set_ar_op(ARPOP_REQUEST);
    arp->set_arp_sha(kMacA);
    arp->set_arp_spa(kSrc);
    arp->set_arp_tha(MacAddr{});
    arp->set_arp_tpa(Ip4Addr::from_octets(198, 18, 0, 2));
    EXPECT_EQ(a, arp_request());
}

// ---- IPv4 header ---------------------------------------------------------------------------

TEST(Ip4View, ReadsRfc791Fields) {
    Bytes h = ip_header();
    auto ip = ConstIp4View::parse(h);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->ip_v(), 4);
    EXPECT_EQ(ip->ip_hl(), 5);
    EXPECT_EQ(ip->header_len(), 20u);
    EXPECT_TRUE(ip->header_complete());
    EXPECT_EQ(ip->ip_tos(), 0);
    EXPECT_EQ(ip->ip_len(), 0x73);
    EXPECT_EQ(ip->ip_id(), 0x1234);
    EXPECT_EQ(ip->ip_off(), IP_DF);
    EXPECT_TRUE(ip->ip_df());
    EXPECT_FALSE(ip->ip_mf());
    EXPECT_EQ(ip->frag_offset(), 0u);
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_EQ(ip->ip_ttl(), 64);
    EXPECT_EQ(ip->ip_p(), IPPROTO_UDP);
    EXPECT_EQ(ip->ip_src(), kSrc);
    EXPECT_EQ(ip->ip_dst(), kDst);
    EXPECT_TRUE(ip->cksum_ok());
    EXPECT_EQ(ip->compute_sum(), ip->ip_sum());
    EXPECT_TRUE(ip->options().empty());
    EXPECT_EQ(ip->header().size(), 20u);
}

TEST(Ip4View, RejectsEveryTruncation) {
    Bytes h = ip_header();
    for (std::size_t n = 0; n < kIp4HeaderLen; ++n) {
        EXPECT_FALSE(ConstIp4View::parse(std::span(h).first(n))) << n;
    }
    EXPECT_TRUE(ConstIp4View::parse(h));
}

TEST(Ip4View, FragmentFields) {
    Bytes h = ip_header();
    auto ip = Ip4View::parse(h);
    ip->set_ip_off(IP_MF | 185);
    EXPECT_TRUE(ip->ip_mf());
    EXPECT_FALSE(ip->ip_df());
    EXPECT_EQ(ip->frag_offset(), 185u * 8);
    EXPECT_TRUE(ip->is_fragment());
    ip->set_ip_off(7);  // last fragment
    EXPECT_TRUE(ip->is_fragment());
    ip->set_ip_off(IP_DF);
    EXPECT_FALSE(ip->is_fragment());
}

TEST(Ip4View, LyingHeaderLengthStaysInsideTheBytes) {
    Bytes h = ip_header();
    auto ip = Ip4View::parse(h);
    ip->set_ip_hl(15);  // claims 60 octets, 20 held
    EXPECT_EQ(ip->header_len(), 60u);
    EXPECT_FALSE(ip->header_complete());
    EXPECT_EQ(ip->header().size(), 20u);
    EXPECT_TRUE(ip->options().empty());
    EXPECT_TRUE(ip->payload().empty());
    for (std::uint8_t hl = 0; hl < 5; ++hl) {  // RFC 791: IHL below 5 is no header at all
        ip->set_ip_hl(hl);
        EXPECT_FALSE(ip->header_complete());
        EXPECT_EQ(ip->header().size(), 20u);
        (void)ip->compute_sum();
        EXPECT_EQ(ip->options_iter().next(), std::nullopt);
    }
}

TEST(Ip4View, PayloadFollowsTheOptions) {
    Bytes h = ip_with_options(hex("94 04 00 00"));
    h.push_back(0xab);
    auto ip = ConstIp4View::parse(h);
    EXPECT_EQ(ip->header_len(), 24u);
    EXPECT_EQ(ip->options().size(), 4u);
    ASSERT_EQ(ip->payload().size(), 1u);
    EXPECT_EQ(ip->payload()[0], 0xab);
    EXPECT_TRUE(ip->cksum_ok());
}

TEST(Ip4View, SettersAndChecksum) {
    Bytes h(20, 0xff);
    auto ip = Ip4View::parse(h);
    ip->set_ip_v(4);
    ip->set_ip_hl(5);
    ip->set_ip_tos(0);
    ip->set_ip_len(0x73);
    ip->set_ip_id(0x1234);
    ip->set_ip_off(IP_DF);
    ip->set_ip_ttl(64);
    ip->set_ip_p(IPPROTO_UDP);
    ip->set_ip_src(kSrc);
    ip->set_ip_dst(kDst);
    ip->update_sum();
    EXPECT_EQ(h, ip_header());
    EXPECT_TRUE(ip->cksum_ok());
    h[15] ^= 1;
    EXPECT_FALSE(ip->cksum_ok());
}

TEST(Ip4View, B14_TtlRewriteKeepsChecksumForEveryTtl) {
    // RFC 1624 eqn. 3 through set_ip_ttl_and_sum: every TTL, many headers, with and without
    // options; the result verifies and equals a full recomputation.
    std::mt19937 rng(1624);
    for (int round = 0; round < 64; ++round) {
        Bytes h = round % 2 == 0 ? ip_header() : ip_with_options(hex("07 07 04 00 00 00 00"));
        for (std::size_t i = 1; i < h.size(); ++i) {
            if (i != 8 && i != 10 && i != 11) {
                h[i] = static_cast<std::uint8_t>(rng());
            }
        }
        auto ip = Ip4View::parse(h);
        ip->update_sum();
        for (int ttl = 255; ttl >= 1; --ttl) {
            ip->set_ip_ttl(static_cast<std::uint8_t>(ttl));
            ip->update_sum();
            ip->set_ip_ttl_and_sum(static_cast<std::uint8_t>(ttl - 1));  // ip_forward's step
            ASSERT_TRUE(ip->cksum_ok()) << "ttl " << ttl;
            ASSERT_EQ(ip->ip_sum(), ip->compute_sum()) << "ttl " << ttl;
            ASSERT_EQ(ip->ip_ttl(), ttl - 1);
        }
    }
}

TEST(Ip4View, AddressRewriteKeepsChecksum) {
    Bytes h = ip_header();
    auto ip = Ip4View::parse(h);
    ip->set_ip_dst_and_sum(Ip4Addr::from_octets(203, 0, 113, 9));
    EXPECT_EQ(ip->ip_dst(), Ip4Addr::from_octets(203, 0, 113, 9));
    EXPECT_TRUE(ip->cksum_ok());
    ip->set_ip_src_and_sum(Ip4Addr::from_octets(198, 51, 100, 7));
    EXPECT_EQ(ip->ip_src(), Ip4Addr::from_octets(198, 51, 100, 7));
    EXPECT_TRUE(ip->cksum_ok());
}

// ---- IPv4 options --------------------------------------------------------------------------

struct Walk {
    std::vector<Ip4Option> opts;
    Ip4OptError error = Ip4OptError::none;
    std::size_t offset = 0;
};

Walk walk(const Bytes& header) {
    Walk w;
    auto ip = ConstIp4View::parse(header);
    Ip4OptionIter it = ip->options_iter();
    while (auto o = it.next()) {
        w.opts.push_back(*o);
    }
    w.error = it.error();
    w.offset = it.error_offset();
    EXPECT_EQ(it.failed(), w.error != Ip4OptError::none);
    EXPECT_EQ(it.next(), std::nullopt);  // stays ended
    Ip4OptCheck c = ip4_options_check(ip->header());
    EXPECT_EQ(c.error, w.error);
    EXPECT_EQ(c.offset, w.offset);
    return w;
}

TEST(Ip4Options, NoOptionsNoWalk) {
    Walk w = walk(ip_header());
    EXPECT_TRUE(w.opts.empty());
    EXPECT_EQ(w.error, Ip4OptError::none);
}

TEST(Ip4Options, NopIsOneOctetAndEolEnds) {
    // NOP, NOP, EOL, then junk that must not be read as options (RFC 791 3.1).
    Bytes h = ip_with_options(hex("01 01 00 07 01"));
    Walk w = walk(h);
    ASSERT_EQ(w.opts.size(), 2u);
    EXPECT_EQ(w.opts[0].type, IPOPT_NOP);
    EXPECT_EQ(w.opts[0].length, 1);
    EXPECT_EQ(w.opts[0].offset, 20u);
    EXPECT_TRUE(w.opts[0].data.empty());
    EXPECT_EQ(w.opts[1].offset, 21u);
    EXPECT_EQ(w.error, Ip4OptError::none);
}

TEST(Ip4Options, WellFormedRecordRoute) {
    // RR with room for two addresses: pointer 4 (empty), 8 (one recorded), 12 (full), 255.
    for (std::uint8_t ptr : {4, 8, 12, 255}) {
        Bytes h = ip_with_options(Bytes{IPOPT_RR, 11, ptr, 198, 18, 0, 254, 0, 0, 0, 0});
        Walk w = walk(h);
        ASSERT_EQ(w.error, Ip4OptError::none) << int{ptr};
        ASSERT_EQ(w.opts.size(), 1u);
        EXPECT_EQ(w.opts[0].type, IPOPT_RR);
        EXPECT_EQ(w.opts[0].length, 11);
        EXPECT_EQ(w.opts[0].offset, 20u);
        EXPECT_EQ(w.opts[0].pointer(), ptr);
        ASSERT_EQ(w.opts[0].data.size(), 9u);
        EXPECT_EQ(w.opts[0].data.data(), h.data() + 22);
        EXPECT_EQ(load_ip4(w.opts[0].data.data() + 1), Ip4Addr::from_octets(198, 18, 0, 254));
    }
}

TEST(Ip4Options, WellFormedSourceRoutes) {
    for (std::uint8_t type : {IPOPT_LSRR, IPOPT_SSRR}) {
        for (std::uint8_t ptr : {4, 8, 12}) {
            Bytes h =
                ip_with_options(Bytes{IPOPT_NOP, type, 11, ptr, 198, 19, 0, 1, 203, 0, 113, 1});
            Walk w = walk(h);
            ASSERT_EQ(w.error, Ip4OptError::none) << int{type} << " " << int{ptr};
            ASSERT_EQ(w.opts.size(), 2u);
            EXPECT_EQ(w.opts[1].type, type);
            EXPECT_EQ(w.opts[1].offset, 21u);
            EXPECT_EQ(w.opts[1].pointer(), ptr);
        }
    }
}

TEST(Ip4Options, WellFormedTimestamps) {
    // Flag 0: 4-octet slots; flags 1 and 3: 8-octet slots. Pointers at each slot and past.
    struct Case {
        std::uint8_t len, ptr, flag;
    };
    for (Case c : {Case{12, 5, 0}, Case{12, 9, 0}, Case{12, 13, 0}, Case{4, 5, 0}, Case{12, 5, 1},
                   Case{12, 13, 1}, Case{20, 13, 3}, Case{20, 21, 3},
                   Case{12, 5, 0x31}}) {  // overflow count 3 in the high nibble
        Bytes opt{IPOPT_TS, c.len, c.ptr, c.flag};
        opt.resize(c.len, 0);
        const Bytes h = ip_with_options(opt);
        Walk w = walk(h);
        ASSERT_EQ(w.error, Ip4OptError::none) << int{c.len} << " " << int{c.ptr};
        ASSERT_EQ(w.opts.size(), 1u);
        EXPECT_EQ(w.opts[0].type, IPOPT_TS);
        EXPECT_EQ(w.opts[0].length, c.len);
    }
}

TEST(Ip4Options, RouterAlertAndUnknownOptionsAreYielded) {
    const Bytes h = ip_with_options(hex("94 04 00 00 99 03 aa 82 02"));
    Walk w = walk(h);
    ASSERT_EQ(w.error, Ip4OptError::none);
    ASSERT_EQ(w.opts.size(), 3u);
    EXPECT_EQ(w.opts[0].type, IPOPT_RA);
    EXPECT_EQ(w.opts[1].type, 0x99);
    EXPECT_EQ(w.opts[1].offset, 24u);
    ASSERT_EQ(w.opts[1].data.size(), 1u);
    EXPECT_EQ(w.opts[1].data[0], 0xaa);
    EXPECT_EQ(w.opts[2].type, IPOPT_SECURITY);
    EXPECT_EQ(w.opts[2].length, 2);
    EXPECT_TRUE(w.opts[2].data.empty());
}

struct Bad {
    const char* name;
    const char* opts;
    Ip4OptError error;
    std::size_t offset;  // RFC 792 pointer, from the start of the IP header
};

class Ip4OptionsMalformed : public ::testing::TestWithParam<Bad> {};

TEST_P(Ip4OptionsMalformed, EndsWithTheErrorAtTheExactOctet) {
    const Bad& b = GetParam();
    const Bytes h = ip_with_options(hex(b.opts));
    Walk w = walk(h);
    EXPECT_EQ(w.error, b.error) << b.name;
    EXPECT_EQ(w.offset, b.offset) << b.name;
}

INSTANTIATE_TEST_SUITE_P(
    All, Ip4OptionsMalformed,
    ::testing::Values(
        // Room for the type octet only: no length octet.
        Bad{"truncated", "01 01 01 07", Ip4OptError::truncated, 23},
        Bad{"truncated_unknown", "01 01 01 99", Ip4OptError::truncated, 23},
        // RFC 791 3.1: the length counts type and length, so below 2 is malformed.
        Bad{"length_0", "88 00 00 00", Ip4OptError::bad_length, 21},
        Bad{"length_1", "01 07 01 00", Ip4OptError::bad_length, 22},
        Bad{"length_past_header", "07 0b 04 00 00 00 00 00", Ip4OptError::overrun, 21},
        Bad{"unknown_past_header", "01 01 99 05", Ip4OptError::overrun, 23},
        // RR/LSRR/SSRR: length 3 + 4n, pointer >= 4 on a slot boundary.
        Bad{"rr_length_2", "07 02 00 00", Ip4OptError::bad_length, 21},
        Bad{"rr_length_odd", "07 08 04 00 00 00 00 00", Ip4OptError::bad_length, 21},
        Bad{"rr_pointer_3", "07 07 03 00 00 00 00", Ip4OptError::bad_pointer, 22},
        Bad{"rr_pointer_0", "07 07 00 00 00 00 00", Ip4OptError::bad_pointer, 22},
        Bad{"rr_pointer_misaligned", "07 0b 05 00 00 00 00 00 00 00 00", Ip4OptError::bad_pointer,
            22},
        Bad{"rr_pointer_partial_room", "07 0b 0a 00 00 00 00 00 00 00 00", Ip4OptError::bad_pointer,
            22},
        Bad{"lsrr_pointer_2", "01 83 07 02 00 00 00 00", Ip4OptError::bad_pointer, 23},
        Bad{"ssrr_length_odd", "89 09 04 00 00 00 00 00 00", Ip4OptError::bad_length, 21},
        // TS: length >= 4, pointer >= 5, flag 0/1/3, slots of 4 or 8.
        Bad{"ts_length_3", "44 03 05 00", Ip4OptError::bad_length, 21},
        Bad{"ts_pointer_4", "44 08 04 00 00 00 00 00", Ip4OptError::bad_pointer, 22},
        Bad{"ts_flag_2", "44 08 05 02 00 00 00 00", Ip4OptError::bad_flag, 23},
        Bad{"ts_flag_15", "44 08 05 1f 00 00 00 00", Ip4OptError::bad_flag, 23},
        Bad{"ts_flag1_length_not_8n", "44 08 05 01 00 00 00 00", Ip4OptError::bad_length, 21},
        Bad{"ts_flag0_length_odd", "44 06 05 00 00 00", Ip4OptError::bad_length, 21},
        Bad{"ts_flag0_pointer_misaligned", "44 0c 06 00 00 00 00 00 00 00 00 00",
            Ip4OptError::bad_pointer, 22},
        Bad{"ts_flag1_pointer_misaligned", "44 0c 09 01 00 00 00 00 00 00 00 00",
            Ip4OptError::bad_pointer, 22},
        // RFC 2113 2.1: Router Alert is 4 octets.
        Bad{"ra_length_6", "94 06 00 00 00 00", Ip4OptError::bad_length, 21},
        // RFC 791: at most once each; LSRR and SSRR are one source route.
        Bad{"rr_twice", "07 03 04 07 03 04", Ip4OptError::duplicate, 23},
        Bad{"ts_twice", "44 04 05 00 44 04 05 00", Ip4OptError::duplicate, 24},
        Bad{"lsrr_then_ssrr", "83 03 04 89 03 04", Ip4OptError::duplicate, 23}),
    [](const ::testing::TestParamInfo<Bad>& p) { return std::string(p.param.name); });

TEST(Ip4Options, ErrorComesAfterTheGoodOptions) {
    Bytes h = ip_with_options(hex("94 04 00 00 01 07 03 03"));
    Walk w = walk(h);
    ASSERT_EQ(w.opts.size(), 2u);  // RA and NOP came first
    EXPECT_EQ(w.error, Ip4OptError::bad_pointer);
    EXPECT_EQ(w.offset, 27u);
}

TEST(Ip4Options, TruncatedHeaderNeverYieldsAnOptionOutside) {
    // A 40-octet option area full of RR; a header cut at every length walks only inside it.
    Bytes opts{IPOPT_RR, 39, 4};
    opts.resize(39, 0);
    Bytes full = ip_with_options(opts);
    ASSERT_EQ(full.size(), 60u);
    for (std::size_t n = 20; n <= full.size(); ++n) {
        Bytes h(full.begin(), full.begin() + static_cast<long>(n));
        Ip4OptionIter it{std::span<const std::uint8_t>(h)};
        while (auto o = it.next()) {
            EXPECT_LE(o->offset + o->length, n);
        }
        if (n > 20 && n < 59) {
            EXPECT_TRUE(it.failed()) << n;
            EXPECT_EQ(it.error(), n == 21 ? Ip4OptError::truncated : Ip4OptError::overrun) << n;
        }
    }
}

// ---- ICMP ------------------------------------------------------------------------------------

TEST(IcmpView, EchoFields) {
    Bytes m = hex("08 00 00 00 12 34 00 07 61 62 63");
    auto icmp = IcmpView::parse(m);
    ASSERT_TRUE(icmp);
    icmp->update_sum();
    EXPECT_EQ(icmp->icmp_type(), ICMP_ECHO);
    EXPECT_EQ(icmp->icmp_code(), 0);
    EXPECT_EQ(icmp->icmp_id(), 0x1234);
    EXPECT_EQ(icmp->icmp_seq(), 7);
    EXPECT_EQ(icmp->icmp_data().size(), 3u);
    EXPECT_TRUE(icmp->cksum_ok());
    EXPECT_EQ(icmp->icmp_cksum(), reference_cksum(hex("08 00 00 00 12 34 00 07 61 62 63")));
}

TEST(IcmpView, RejectsEveryTruncation) {
    Bytes m(kIcmpHeaderLen, 0);
    for (std::size_t n = 0; n < kIcmpHeaderLen; ++n) {
        EXPECT_FALSE(ConstIcmpView::parse(std::span(m).first(n))) << n;
    }
}

TEST(IcmpView, ErrorFields) {
    Bytes m(kIcmpHeaderLen, 0);
    auto icmp = IcmpView::parse(m);
    icmp->set_icmp_gwaddr(kDst);  // redirect
    EXPECT_EQ(icmp->icmp_gwaddr(), kDst);
    icmp->set_icmp_pptr(22);  // parameter problem
    EXPECT_EQ(icmp->icmp_pptr(), 22);
    EXPECT_EQ(icmp->icmp_void(), 22u << 24);
    icmp->set_icmp_nextmtu(1400);  // RFC 1191 4
    EXPECT_EQ(icmp->icmp_nextmtu(), 1400);
    EXPECT_EQ(m[4], 0);
    EXPECT_EQ(m[5], 0);
    EXPECT_FALSE(icmp->icmp_ip());  // nothing quoted
}

TEST(IcmpView, QuotedDatagram) {
    Bytes m(kIcmpHeaderLen, 0);
    m[0] = ICMP_TIMXCEED;
    Bytes ip = ip_header();
    m.insert(m.end(), ip.begin(), ip.end());
    m.insert(m.end(), 8, 0x55);
    auto icmp = ConstIcmpView::parse(m);
    auto quoted = icmp->icmp_ip();
    ASSERT_TRUE(quoted);
    EXPECT_EQ(quoted->ip_dst(), kDst);
    EXPECT_EQ(quoted->payload().size(), 8u);
    EXPECT_TRUE(icmp_is_error(icmp->icmp_type()));
    EXPECT_FALSE(icmp_is_error(ICMP_ECHO));
}

TEST(IcmpView, TimestampsAndMaskOnlyWhenPresent) {
    for (std::size_t n = kIcmpHeaderLen; n <= kIcmpTsLen; ++n) {
        Bytes m(n, 0);
        auto icmp = IcmpView::parse(m);
        EXPECT_EQ(icmp->icmp_mask().has_value(), n >= kIcmpMaskLen) << n;
        EXPECT_EQ(icmp->set_icmp_mask(kSrc), n >= kIcmpMaskLen) << n;
        EXPECT_EQ(icmp->icmp_otime().has_value(), n >= 12) << n;
        EXPECT_EQ(icmp->icmp_rtime().has_value(), n >= 16) << n;
        EXPECT_EQ(icmp->icmp_ttime().has_value(), n >= kIcmpTsLen) << n;
        EXPECT_EQ(icmp->set_icmp_ttime(3), n >= kIcmpTsLen) << n;
    }
    Bytes m(kIcmpTsLen, 0);
    auto icmp = IcmpView::parse(m);
    icmp->set_icmp_otime(1);
    icmp->set_icmp_rtime(2);
    icmp->set_icmp_ttime(3);
    EXPECT_EQ(*icmp->icmp_otime(), 1u);
    EXPECT_EQ(*icmp->icmp_rtime(), 2u);
    EXPECT_EQ(*icmp->icmp_ttime(), 3u);
    icmp->set_icmp_mask(Ip4Addr(0xffffff00));
    EXPECT_EQ(*icmp->icmp_mask(), Ip4Addr(0xffffff00));
}

// ---- IGMP ------------------------------------------------------------------------------------

TEST(IgmpView, V2Fields) {
    Bytes m = hex("16 00 00 00 ef 01 02 03");
    auto igmp = IgmpView::parse(m);
    ASSERT_TRUE(igmp);
    igmp->update_sum();
    EXPECT_EQ(igmp->igmp_type(), IGMP_V2_MEMBERSHIP_REPORT);
    EXPECT_EQ(igmp->igmp_code(), 0);
    EXPECT_EQ(igmp->igmp_group(), Ip4Addr::from_octets(239, 1, 2, 3));
    EXPECT_TRUE(igmp->cksum_ok());
    EXPECT_EQ(igmp->igmp_cksum(), reference_cksum(hex("16 00 00 00 ef 01 02 03")));
}

TEST(IgmpView, RejectsEveryTruncation) {
    Bytes m(kIgmpHeaderLen, 0);
    for (std::size_t n = 0; n < kIgmpHeaderLen; ++n) {
        EXPECT_FALSE(ConstIgmpView::parse(std::span(m).first(n))) << n;
    }
}

TEST(IgmpView, QueryVersionByLengthAndCode) {
    // RFC 3376 7.1.
    Bytes m(16, 0);
    m[0] = IGMP_MEMBERSHIP_QUERY;
    auto version = [&](std::size_t n) {
        return ConstIgmpView::parse(std::span(m).first(n))->query_version();
    };
    EXPECT_EQ(version(8), IgmpQueryVersion::v1);
    m[1] = 100;
    EXPECT_EQ(version(8), IgmpQueryVersion::v2);
    for (std::size_t n = 9; n < 12; ++n) {
        EXPECT_EQ(version(n), IgmpQueryVersion::invalid) << n;
    }
    EXPECT_EQ(version(12), IgmpQueryVersion::v3);
    EXPECT_EQ(version(16), IgmpQueryVersion::v3);
}

TEST(IgmpCode, BelowOneTwentyEightIsTheValue) {
    for (std::uint32_t c = 0; c < 128; ++c) {
        EXPECT_EQ(igmp_decode_code(static_cast<std::uint8_t>(c)), c);
        EXPECT_EQ(igmp_encode_code(c), c);
    }
}

TEST(IgmpCode, ExponentialFormRfc3376_4_1_1) {
    // 1|exp|mant -> (mant | 0x10) << (exp + 3).
    EXPECT_EQ(igmp_decode_code(0x80), 128u);    // exp 0, mant 0
    EXPECT_EQ(igmp_decode_code(0x8f), 248u);    // exp 0, mant 15
    EXPECT_EQ(igmp_decode_code(0x90), 256u);    // exp 1, mant 0
    EXPECT_EQ(igmp_decode_code(0xa5), 672u);    // exp 2, mant 5: 21 << 5
    EXPECT_EQ(igmp_decode_code(0xff), 31744u);  // the largest
    for (std::uint32_t c = 0; c < 256; ++c) {   // encode inverts decode on every code
        EXPECT_EQ(igmp_encode_code(igmp_decode_code(static_cast<std::uint8_t>(c))), c);
    }
}

TEST(IgmpCode, EncodeRoundsDownAndSaturates) {
    for (std::uint32_t v = 0; v < 40000; ++v) {
        const std::uint8_t c = igmp_encode_code(v);
        ASSERT_LE(igmp_decode_code(c), v) << v;
        if (c < 0xff) {
            ASSERT_GT(igmp_decode_code(static_cast<std::uint8_t>(c + 1)), v) << v;
        }
    }
    EXPECT_EQ(igmp_encode_code(0xffffffffu), 0xff);
}

Bytes v3_query(std::uint16_t nsrc, std::size_t held_sources) {
    Bytes m = hex("11 64 00 00 ef 01 02 03 0a 7d");  // group 239.1.2.3, S, QRV 2, QQIC 125
    m.push_back(static_cast<std::uint8_t>(nsrc >> 8));
    m.push_back(static_cast<std::uint8_t>(nsrc));
    for (std::size_t i = 0; i < held_sources; ++i) {
        Bytes s{198, 18, 0, static_cast<std::uint8_t>(i + 1)};
        m.insert(m.end(), s.begin(), s.end());
    }
    return m;
}

TEST(IgmpV3QueryView, Fields) {
    Bytes m = v3_query(2, 2);
    auto q = ConstIgmpV3QueryView::parse(m);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->igmp_type(), IGMP_MEMBERSHIP_QUERY);
    EXPECT_EQ(q->igmp_code(), 100);
    EXPECT_EQ(q->max_resp_time(), 100u);
    EXPECT_EQ(q->igmp_group(), Ip4Addr::from_octets(239, 1, 2, 3));
    EXPECT_TRUE(q->s_flag());
    EXPECT_EQ(q->qrv(), 2);
    EXPECT_EQ(q->qqic(), 125);
    EXPECT_EQ(q->qqi(), 125u);
    EXPECT_EQ(q->num_sources(), 2);
    EXPECT_EQ(q->sources().size(), 8u);
    EXPECT_EQ(q->source(0), Ip4Addr::from_octets(198, 18, 0, 1));
    EXPECT_EQ(q->source(1), Ip4Addr::from_octets(198, 18, 0, 2));
}

TEST(IgmpV3QueryView, RejectsTruncationAndSourcesPastTheEnd) {
    Bytes m = v3_query(3, 3);
    for (std::size_t n = 0; n < m.size(); ++n) {
        EXPECT_FALSE(ConstIgmpV3QueryView::parse(std::span(m).first(n))) << n;
    }
    EXPECT_TRUE(ConstIgmpV3QueryView::parse(m));
    for (std::uint16_t claimed : {4, 100, 0xffff}) {
        EXPECT_FALSE(ConstIgmpV3QueryView::parse(v3_query(claimed, 3))) << claimed;
    }
    Bytes extra = v3_query(1, 3);  // RFC 3376 4.1.10: trailing octets are ignored
    EXPECT_TRUE(ConstIgmpV3QueryView::parse(extra));
    Bytes not_query = v3_query(0, 0);
    not_query[0] = IGMP_V2_MEMBERSHIP_REPORT;
    EXPECT_FALSE(ConstIgmpV3QueryView::parse(not_query));
}

// Two records: MODE_IS_INCLUDE 239.1.1.1 {198.18.0.1, 198.18.0.2}, and CHANGE_TO_EXCLUDE
// 239.1.1.2 {} with one word of aux data.
Bytes v3_report() {
    return hex(
        "22 00 00 00 00 00 00 02"
        "01 00 00 02 ef 01 01 01 c6 12 00 01 c6 12 00 02"
        "04 01 00 00 ef 01 01 02 de ad be ef");
}

TEST(IgmpV3ReportView, WalksRecords) {
    Bytes m = v3_report();
    auto r = ConstIgmpV3ReportView::parse(m);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->igmp_type(), kIgmpV3MembershipReport);
    EXPECT_EQ(r->num_records(), 2);
    IgmpV3RecordIter it = r->records();
    auto a = it.next();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->type, kIgmpV3ModeIsInclude);
    EXPECT_EQ(a->group, Ip4Addr::from_octets(239, 1, 1, 1));
    EXPECT_EQ(a->num_sources, 2);
    EXPECT_EQ(a->offset, 8u);
    EXPECT_EQ(a->source(0), Ip4Addr::from_octets(198, 18, 0, 1));
    EXPECT_EQ(a->source(1), Ip4Addr::from_octets(198, 18, 0, 2));
    auto b = it.next();
    ASSERT_TRUE(b);
    EXPECT_EQ(b->type, kIgmpV3ChangeToExclude);
    EXPECT_EQ(b->aux_data_len, 1);
    EXPECT_EQ(b->num_sources, 0);
    EXPECT_EQ(b->group, Ip4Addr::from_octets(239, 1, 1, 2));
    EXPECT_EQ(b->offset, 24u);
    EXPECT_FALSE(it.next());
    EXPECT_FALSE(it.failed());
}

TEST(IgmpV3ReportView, RecordRunningPastTheEndIsRejected) {
    Bytes full = v3_report();
    for (std::size_t n = 8; n < full.size(); ++n) {
        Bytes m(full.begin(), full.begin() + static_cast<long>(n));
        IgmpV3RecordIter it = ConstIgmpV3ReportView::parse(m)->records();
        std::size_t yielded = 0;
        while (auto rec = it.next()) {
            EXPECT_LE(rec->offset + kIgmpV3RecordHeaderLen + rec->sources.size(), n);
            ++yielded;
        }
        EXPECT_TRUE(it.failed()) << n;
        EXPECT_EQ(it.error_offset(), n < 24 ? 8u : 24u) << n;
        EXPECT_EQ(yielded, n < 24 ? 0u : 1u) << n;
    }
    // Number of Sources claiming more than the message holds.
    Bytes m = v3_report();
    m[11] = 6;
    IgmpV3RecordIter it = ConstIgmpV3ReportView::parse(m)->records();
    EXPECT_FALSE(it.next());
    EXPECT_TRUE(it.failed());
    EXPECT_EQ(it.error_offset(), 8u);
    // More records announced than present.
    m = v3_report();
    m[7] = 3;
    it = ConstIgmpV3ReportView::parse(m)->records();
    EXPECT_TRUE(it.next());
    EXPECT_TRUE(it.next());
    EXPECT_FALSE(it.next());
    EXPECT_TRUE(it.failed());
    EXPECT_EQ(it.error_offset(), 36u);
}

TEST(IgmpV3ReportView, ParseNeedsTypeAndHeader) {
    Bytes m = v3_report();
    for (std::size_t n = 0; n < kIgmpHeaderLen; ++n) {
        EXPECT_FALSE(ConstIgmpV3ReportView::parse(std::span(m).first(n))) << n;
    }
    m[0] = IGMP_V2_MEMBERSHIP_REPORT;
    EXPECT_FALSE(ConstIgmpV3ReportView::parse(m));
    Bytes empty = hex("22 00 00 00 00 00 00 00");
    IgmpV3RecordIter it = ConstIgmpV3ReportView::parse(empty)->records();
    EXPECT_FALSE(it.next());
    EXPECT_FALSE(it.failed());
}

// ---- UDP and TCP -----------------------------------------------------------------------------

TEST(UdpView, FieldsTruncationAndPseudoHeaderChecksum) {
    Bytes u = hex("30 39 00 35 00 0b 00 00 61 62 63");
    for (std::size_t n = 0; n < kUdpHeaderLen; ++n) {
        EXPECT_FALSE(ConstUdpView::parse(std::span(u).first(n))) << n;
    }
    auto udp = UdpView::parse(u);
    EXPECT_EQ(udp->uh_sport(), 12345);
    EXPECT_EQ(udp->uh_dport(), 53);
    EXPECT_EQ(udp->uh_ulen(), 11);
    EXPECT_EQ(udp->payload().size(), 3u);
    // RFC 768 pseudo-header: src, dst, zero, protocol, UDP length.
    Bytes pseudo = hex("c6 12 00 01 c6 13 00 01 00 11 00 0b");
    pseudo.insert(pseudo.end(), u.begin(), u.end());
    const std::uint16_t expect = reference_cksum(pseudo);
    EXPECT_EQ(ip4_pseudo_cksum(kSrc, kDst, IPPROTO_UDP, u), expect);
    udp->set_uh_sum(expect);
    EXPECT_EQ(udp->uh_sum(), expect);
    EXPECT_EQ(ip4_pseudo_cksum(kSrc, kDst, IPPROTO_UDP, u), 0);
    udp->set_uh_sport(1);
    udp->set_uh_dport(2);
    udp->set_uh_ulen(3);
    EXPECT_EQ(u[1], 1);
    EXPECT_EQ(u[3], 2);
    EXPECT_EQ(u[5], 3);
}

TEST(TcpView, FieldsAndTruncation) {
    Bytes t = hex("c0 00 00 16 00 00 00 64 00 00 00 c8 50 12 ff ff 00 00 00 00");
    for (std::size_t n = 0; n < kTcpHeaderLen; ++n) {
        EXPECT_FALSE(ConstTcpView::parse(std::span(t).first(n))) << n;
    }
    auto tcp = TcpView::parse(t);
    EXPECT_EQ(tcp->th_sport(), 0xc000);
    EXPECT_EQ(tcp->th_dport(), 22);
    EXPECT_EQ(tcp->th_seq(), 100u);
    EXPECT_EQ(tcp->th_ack(), 200u);
    EXPECT_EQ(tcp->th_off(), 5);
    EXPECT_EQ(tcp->header_len(), 20u);
    EXPECT_EQ(tcp->th_flags(), TH_SYN | TH_ACK);
    EXPECT_EQ(tcp->th_win(), 0xffff);
    EXPECT_EQ(tcp->th_sum(), 0);
    EXPECT_EQ(tcp->th_urp(), 0);
    tcp->set_th_off(8);
    EXPECT_EQ(tcp->th_off(), 8);
    tcp->set_th_flags(TH_RST);
    tcp->set_th_seq(0x01020304);
    tcp->set_th_ack(0x05060708);
    tcp->set_th_win(7);
    tcp->set_th_urp(9);
    tcp->set_th_sum(0xabcd);
    EXPECT_EQ(t, hex("c0 00 00 16 01 02 03 04 05 06 07 08 80 04 00 07 ab cd 00 09"));
}

}  // namespace
}  // namespace routerd::packet
