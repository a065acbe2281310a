// SPDX-License-Identifier: Apache-2.0
// Frame and datagram builders (ARP, IPv4, ICMP, IGMP, UDP, TCP RST) into caller buffers.
#include "router/packet/builder.hh"

#include "router/base/assert.hh"

#include <algorithm>
#include <cstring>

namespace routerd::packet {

namespace {

// RFC 2113 2.1: Router Alert, value 0 "router shall examine packet".
constexpr std::uint8_t kRouterAlert[kIpOptRouterAlertLen] = {IPOPT_RA, kIpOptRouterAlertLen, 0, 0};
// RFC 3376 4: IP Precedence of Internetwork Control (TOS 0xc0), as Linux sends every IGMP.
constexpr std::uint8_t kIgmpTos = 0xc0;
constexpr std::size_t kIp4MaxLen = IP_MAXPACKET;

bool aligned4(const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % 4 == 0;
}

void copy_bytes(std::uint8_t* dst, std::span<const std::uint8_t> src) {
    if (!src.empty()) {
        std::memmove(dst, src.data(), src.size());
    }
}

// Header + ICMP header written around a message body already copied at hl + 8.
std::size_t icmp_message(std::span<std::uint8_t> buf, const Ip4Params& ip, std::uint8_t type,
                         std::uint8_t code, std::uint32_t rest,
                         std::span<const std::uint8_t> body) {
    Ip4Params p = ip;
    p.proto = IPPROTO_ICMP;
    const std::size_t msg_len = kIcmpHeaderLen + body.size();
    const std::size_t hl = build_ip4_header(buf, p, msg_len);
    if (hl == 0) {
        return 0;
    }
    auto m = buf.subspan(hl, msg_len);
    copy_bytes(m.data() + kIcmpHeaderLen, body);
    auto icmp = IcmpView::parse(m);
    icmp->set_icmp_type(type);
    icmp->set_icmp_code(code);
    icmp->set_icmp_void(rest);
    icmp->set_icmp_cksum(0);
    icmp->update_sum();
    return hl + msg_len;
}

// The 8-octet IGMP v1/v2 message in a datagram with TTL 1 (RFC 1112 appendix I, RFC 2236 2).
std::size_t igmp_message(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id, Ip4Addr dst,
                         bool router_alert, std::uint8_t type, std::uint8_t code, Ip4Addr group) {
    Ip4Params ip;
    ip.src = src;
    ip.dst = dst;
    ip.proto = IPPROTO_IGMP;
    ip.ttl = 1;
    ip.id = id;
    if (router_alert) {
        ip.tos = kIgmpTos;
        ip.options = kRouterAlert;
    }
    const std::size_t hl = build_ip4_header(buf, ip, kIgmpHeaderLen);
    if (hl == 0) {
        return 0;
    }
    auto m = IgmpView::parse(buf.subspan(hl, kIgmpHeaderLen));
    m->set_igmp_type(type);
    m->set_igmp_code(code);
    m->set_igmp_cksum(0);
    m->set_igmp_group(group);
    m->update_sum();
    return hl + kIgmpHeaderLen;
}

std::uint32_t icmp_rest_of_header(const IcmpError& e) {
    switch (e.type) {
        case ICMP_UNREACH:
            // RFC 1191 4: the next-hop MTU in the low-order 16 bits, only for "fragmentation
            // needed".
            return e.code == ICMP_UNREACH_NEEDFRAG ? e.next_mtu : 0;
        case ICMP_PARAMPROB:
            return std::uint32_t{e.pointer} << 24;  // RFC 792: pointer in the first octet
        case ICMP_REDIRECT:
            return e.gateway.value();  // RFC 792: gateway internet address
        default:
            return 0;  // RFC 792: unused, zero
    }
}

}  // namespace

std::size_t ip4_offset(std::span<const std::uint8_t> buf) noexcept {
    const auto addr = reinterpret_cast<std::uintptr_t>(buf.data()) + kEtherHeaderLen;
    const std::size_t off = kEtherHeaderLen + (4 - addr % 4) % 4;
    return off <= buf.size() ? off : 0;
}

std::size_t build_ether(std::span<std::uint8_t> buf, const MacAddr& dst, const MacAddr& src,
                        std::uint16_t ether_type) noexcept {
    auto eh = EtherView::parse(buf);
    if (!eh) {
        return 0;
    }
    eh->set_ether_dhost(dst);
    eh->set_ether_shost(src);
    eh->set_ether_type(ether_type);
    return kEtherHeaderLen;
}

std::size_t build_arp(std::span<std::uint8_t> buf, const MacAddr& ether_dst, std::uint16_t op,
                      const MacAddr& sha, Ip4Addr spa, const MacAddr& tha, Ip4Addr tpa) noexcept {
    constexpr std::size_t kLen = kEtherHeaderLen + kArpEtherIp4Len;
    if (buf.size() < kLen) {
        return 0;
    }
    build_ether(buf, ether_dst, sha, ETHERTYPE_ARP);
    auto arp = ArpView::parse(buf.subspan(kEtherHeaderLen, kArpEtherIp4Len));
    arp->set_ether_ip4();
    arp->set_ar_op(op);
    arp->set_arp_sha(sha);
    arp->set_arp_spa(spa);
    arp->set_arp_tha(tha);
    arp->set_arp_tpa(tpa);
    return kLen;
}

std::size_t build_arp_request(std::span<std::uint8_t> buf, const MacAddr& sha, Ip4Addr spa,
                              Ip4Addr tpa) noexcept {
    // RFC 826: the target hardware address is what the request asks for; send zeros.
    return build_arp(buf, MacAddr::broadcast(), ARPOP_REQUEST, sha, spa, MacAddr{}, tpa);
}

std::size_t build_arp_reply(std::span<std::uint8_t> buf, const MacAddr& sha, Ip4Addr spa,
                            const MacAddr& tha, Ip4Addr tpa) noexcept {
    // RFC 826 "Packet Reception": swap into the target fields, send to the requester.
    return build_arp(buf, tha, ARPOP_REPLY, sha, spa, tha, tpa);
}

std::size_t build_arp_gratuitous(std::span<std::uint8_t> buf, const MacAddr& sha,
                                 Ip4Addr spa) noexcept {
    // RFC 5227 3: an ARP Announcement is a request with sender and target IP both our address.
    return build_arp(buf, MacAddr::broadcast(), ARPOP_REQUEST, sha, spa, MacAddr{}, spa);
}

std::size_t ip4_header_len(const Ip4Params& ip) noexcept {
    if (ip.options.size() > kIp4MaxOptionsLen) {
        return 0;
    }
    return kIp4HeaderLen + (ip.options.size() + 3) / 4 * 4;
}

std::size_t build_ip4_header(std::span<std::uint8_t> buf, const Ip4Params& ip,
                             std::size_t payload_len) noexcept {
    RD_ASSERT(aligned4(buf.data()));  // ARCHITECTURE.md 15: network headers 4-byte aligned
    const std::size_t hl = ip4_header_len(ip);
    // RFC 791 3.1: Total Length is 16 bits.
    if (hl == 0 || payload_len > kIp4MaxLen - hl || buf.size() < hl + payload_len) {
        return 0;
    }
    auto h = Ip4View::parse(buf);
    h->set_ip_v(IPVERSION);
    h->set_ip_hl(static_cast<std::uint8_t>(hl / 4));
    h->set_ip_tos(ip.tos);
    h->set_ip_len(static_cast<std::uint16_t>(hl + payload_len));
    h->set_ip_id(ip.id);
    h->set_ip_off(ip.df ? IP_DF : 0);
    h->set_ip_ttl(ip.ttl);
    h->set_ip_p(ip.proto);
    h->set_ip_sum(0);
    h->set_ip_src(ip.src);
    h->set_ip_dst(ip.dst);
    // RFC 791 3.1 Padding: zeros (EOL) up to the 32-bit boundary.
    copy_bytes(buf.data() + kIp4HeaderLen, ip.options);
    std::fill(buf.begin() + static_cast<std::ptrdiff_t>(kIp4HeaderLen + ip.options.size()),
              buf.begin() + static_cast<std::ptrdiff_t>(hl), std::uint8_t{IPOPT_EOL});
    h->update_sum();
    return hl;
}

std::size_t build_icmp_echo_request(std::span<std::uint8_t> buf, const Ip4Params& ip,
                                    std::uint16_t id, std::uint16_t seq,
                                    std::span<const std::uint8_t> data) noexcept {
    // RFC 792 Echo: identifier and sequence number in the rest-of-header word.
    return icmp_message(buf, ip, ICMP_ECHO, 0, (std::uint32_t{id} << 16) | seq, data);
}

std::size_t build_icmp_echo_reply(std::span<std::uint8_t> buf, const Ip4Params& ip,
                                  std::uint16_t id, std::uint16_t seq,
                                  std::span<const std::uint8_t> data) noexcept {
    return icmp_message(buf, ip, ICMP_ECHOREPLY, 0, (std::uint32_t{id} << 16) | seq, data);
}

std::size_t build_icmp_error(std::span<std::uint8_t> buf, const Ip4Params& ip, const IcmpError& e,
                             std::span<const std::uint8_t> original) noexcept {
    const std::size_t hl = ip4_header_len(ip);
    if (hl == 0) {
        return 0;
    }
    // RFC 792: the quote is at least the original IP header + 64 bits of its data (or all of
    // a shorter datagram); the header length comes from ip_hl, held within [20, size].
    std::size_t orig_hl = original.size();
    if (auto o = ConstIp4View::parse(original)) {
        orig_hl = std::clamp(o->header_len(), kIp4HeaderLen, original.size());
    }
    const std::size_t min_quote = std::min(original.size(), orig_hl + 8);
    const std::size_t limit = std::min({e.max_len, buf.size(), kIp4MaxLen});
    if (hl + kIcmpHeaderLen + min_quote > limit) {
        return 0;
    }
    // RFC 1812 4.3.2.3: as much of the original as fits within the limit.
    const std::size_t quote = std::min(original.size(), limit - hl - kIcmpHeaderLen);
    return icmp_message(buf, ip, e.type, e.code, icmp_rest_of_header(e), original.first(quote));
}

std::size_t build_igmp_v1_query(std::span<std::uint8_t> buf, Ip4Addr src,
                                std::uint16_t id) noexcept {
    return igmp_message(buf, src, id, kAllHostsGroup, false, IGMP_MEMBERSHIP_QUERY, 0, Ip4Addr{});
}

std::size_t build_igmp_v2_query(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                Ip4Addr group, std::uint8_t max_resp_time) noexcept {
    // RFC 2236 2.1 / 3: general queries to all-systems, group-specific ones to the group.
    const Ip4Addr dst = group.is_zero() ? kAllHostsGroup : group;
    return igmp_message(buf, src, id, dst, true, IGMP_MEMBERSHIP_QUERY, max_resp_time, group);
}

std::size_t build_igmp_v1_report(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                 Ip4Addr group) noexcept {
    return igmp_message(buf, src, id, group, false, IGMP_V1_MEMBERSHIP_REPORT, 0, group);
}

std::size_t build_igmp_v2_report(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                 Ip4Addr group) noexcept {
    return igmp_message(buf, src, id, group, true, IGMP_V2_MEMBERSHIP_REPORT, 0, group);
}

std::size_t build_igmp_leave(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                             Ip4Addr group) noexcept {
    return igmp_message(buf, src, id, kAllRoutersGroup, true, IGMP_V2_LEAVE_GROUP, 0, group);
}

std::size_t build_igmp_v3_query(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                const IgmpV3Query& q) noexcept {
    constexpr std::size_t kMaxSources = 0xffff;
    if (q.sources.size() > kMaxSources) {
        return 0;
    }
    Ip4Params ip;
    ip.src = src;
    ip.dst = q.group.is_zero() ? kAllHostsGroup : q.group;  // RFC 3376 4.1.12
    ip.proto = IPPROTO_IGMP;
    ip.ttl = 1;  // RFC 3376 4
    ip.tos = kIgmpTos;
    ip.id = id;
    ip.options = kRouterAlert;
    const std::size_t msg_len = kIgmpV3QueryMinLen + q.sources.size() * 4;
    const std::size_t hl = build_ip4_header(buf, ip, msg_len);
    if (hl == 0) {
        return 0;
    }
    std::uint8_t* m = buf.data() + hl;
    m[0] = IGMP_MEMBERSHIP_QUERY;
    m[1] = igmp_encode_code(q.max_resp_time);  // 4.1.1
    store_be16(m + 2, 0);
    store_ip4(m + 4, q.group);
    // 4.1.5 / 4.1.6: Resv (4 bits, zero), S, QRV (0 when the robustness exceeds 7).
    const std::uint8_t qrv = q.qrv > 7 ? 0 : q.qrv;
    m[8] = static_cast<std::uint8_t>((q.s_flag ? 0x08 : 0) | qrv);
    m[9] = igmp_encode_code(q.qqi);  // 4.1.7
    store_be16(m + 10, static_cast<std::uint16_t>(q.sources.size()));
    for (std::size_t i = 0; i < q.sources.size(); ++i) {
        store_ip4(m + kIgmpV3QueryMinLen + i * 4, q.sources[i]);
    }
    IgmpView::parse(buf.subspan(hl, msg_len))->update_sum();  // 4.1.2
    return hl + msg_len;
}

std::size_t build_udp(std::span<std::uint8_t> buf, const Ip4Params& ip, std::uint16_t sport,
                      std::uint16_t dport, std::span<const std::uint8_t> payload) noexcept {
    Ip4Params p = ip;
    p.proto = IPPROTO_UDP;
    const std::size_t seg_len = kUdpHeaderLen + payload.size();
    const std::size_t hl = build_ip4_header(buf, p, seg_len);
    if (hl == 0) {
        return 0;
    }
    auto seg = buf.subspan(hl, seg_len);
    copy_bytes(seg.data() + kUdpHeaderLen, payload);
    auto udp = UdpView::parse(seg);
    udp->set_uh_sport(sport);
    udp->set_uh_dport(dport);
    udp->set_uh_ulen(static_cast<std::uint16_t>(seg_len));
    udp->set_uh_sum(0);
    const std::uint16_t sum = ip4_pseudo_cksum(p.src, p.dst, IPPROTO_UDP, seg);
    udp->set_uh_sum(sum == 0 ? 0xffff : sum);  // RFC 768: 0 means "no checksum"
    return hl + seg_len;
}

std::size_t build_tcp_rst(std::span<std::uint8_t> buf, const Ip4Params& ip, ConstTcpView seg,
                          std::size_t seg_payload_len) noexcept {
    if ((seg.th_flags() & TH_RST) != 0) {
        return 0;  // RFC 793 3.4: an incoming RST is discarded, never answered
    }
    Ip4Params p = ip;
    p.proto = IPPROTO_TCP;
    const std::size_t hl = build_ip4_header(buf, p, kTcpHeaderLen);
    if (hl == 0) {
        return 0;
    }
    auto out = buf.subspan(hl, kTcpHeaderLen);
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    auto t = TcpView::parse(out);
    t->set_th_sport(seg.th_dport());
    t->set_th_dport(seg.th_sport());
    if ((seg.th_flags() & TH_ACK) != 0) {
        t->set_th_seq(seg.th_ack());  // <SEQ=SEG.ACK><CTL=RST>
        t->set_th_flags(TH_RST);
    } else {
        // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; SYN and FIN each occupy one sequence number.
        const std::uint32_t seg_len = static_cast<std::uint32_t>(seg_payload_len) +
                                      ((seg.th_flags() & TH_SYN) != 0 ? 1 : 0) +
                                      ((seg.th_flags() & TH_FIN) != 0 ? 1 : 0);
        t->set_th_seq(0);
        t->set_th_ack(seg.th_seq() + seg_len);
        t->set_th_flags(TH_RST | TH_ACK);
    }
    t->set_th_off(kTcpHeaderLen / 4);
    t->set_th_sum(ip4_pseudo_cksum(p.src, p.dst, IPPROTO_TCP, out));
    return hl + kTcpHeaderLen;
}

}  // namespace routerd::packet
