// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_local.hh"

#include "router/inet/context.hh"
#include "router/inet/icmp_error.hh"
#include "router/inet/icmp_input.hh"
#include "router/inet/ip_output.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

namespace routerd::inet {

using api::IpStatId;

namespace {

// RFC 793 3.4 "Reset Generation" (DESIGN.md: TCP to a router address gets a RST).
void tcp_reset(Context& ctx, const packet::ConstIp4View& ip, bool csum_partial) noexcept {
    const auto seg_bytes = ip.payload();
    auto tcp = packet::ConstTcpView::parse(seg_bytes);
    // RFC 793 3.1: a segment that does not checksum is discarded unanswered; RFC 1122 4.2.3.10:
    // never a RST to a broadcast or multicast (only our unicast addresses get here).
    if (!tcp || tcp->header_len() < packet::kTcpHeaderLen || tcp->header_len() > seg_bytes.size() ||
        (!csum_partial &&
         packet::ip4_pseudo_cksum(ip.ip_src(), ip.ip_dst(), IPPROTO_TCP, seg_bytes) != 0) ||
        !ctx.snap->is_ours(ip.ip_dst())) {
        return;
    }
    const auto r = route_output(ctx, ip.ip_src());
    if (!r) {
        return;
    }
    packet::Ip4Params ipp;
    ipp.src = ip.ip_dst();
    ipp.dst = ip.ip_src();
    ipp.ttl = ctx.snap->ip.default_ttl;
    ipp.id = ctx.next_ip_id++;
    std::span<std::uint8_t> buf = ctx.scratch();
    const std::size_t off = packet::ip4_offset(buf);
    const std::size_t n =
        packet::build_tcp_rst(buf.subspan(off), ipp, *tcp, seg_bytes.size() - tcp->header_len());
    if (n == 0) {
        return;  // the segment was itself a RST (RFC 793 3.4)
    }
    packet::Packet q(buf, off, n);
    q.set_l3(0);
    ip_output(ctx, *r, q);
}

}  // namespace

void ip_local(Context& ctx, packet::Packet& p) noexcept {
    auto ip = packet::ConstIp4View::parse(std::span<const std::uint8_t>(p.l3()));
    // RFC 1122 3.3.2 / RFC 1812 4.2.2.8: reassembly of datagrams for us is the next issue;
    // until then their fragments are dropped and counted.
    if (ip->is_fragment()) {
        ctx.stats.ip.inc(IpStatId::ips_fragments);
        ctx.stats.ip.inc(IpStatId::ips_fragdropped);
        return;
    }
    switch (ip->ip_p()) {
        case IPPROTO_ICMP:
            ctx.stats.ip.inc(IpStatId::ips_delivered);
            return icmp_input(ctx, p);
        case IPPROTO_IGMP:
            // The IGMP querier is its own issue: counted as delivered and received, no error.
            ctx.stats.ip.inc(IpStatId::ips_delivered);
            ctx.stats.igmp.inc(api::IgmpStatId::igps_rcv_total);
            return;
        case IPPROTO_UDP: {
            ctx.stats.ip.inc(IpStatId::ips_delivered);
            // DESIGN.md: no UDP service here yet: port unreachable (RFC 1122 3.2.2.1, 4.1.3.1), so
            // traceroute to our addresses ends. RFC 1122 4.1.3.4: a bad checksum is discarded
            // silently (0 means none was sent). A checksum the sender's offload left unfinished
            // (meta.csum_partial: a local veth/virtio peer, platform/README.md) cannot be judged.
            auto udp = packet::ConstUdpView::parse(ip->payload());
            if (!udp || (udp->uh_sum() != 0 && !p.meta.csum_partial &&
                         packet::ip4_pseudo_cksum(ip->ip_src(), ip->ip_dst(), IPPROTO_UDP,
                                                  ip->payload()) != 0)) {
                return;
            }
            return icmp_error(ctx, p, ICMP_UNREACH, ICMP_UNREACH_PORT);
        }
        case IPPROTO_TCP:
            ctx.stats.ip.inc(IpStatId::ips_delivered);
            return tcp_reset(ctx, *ip, p.meta.csum_partial);
        default:
            // RFC 1122 3.2.2.1, RFC 1812 4.3.3.1 (conformance B15): protocol unreachable.
            ctx.stats.ip.inc(IpStatId::ips_noproto);
            return icmp_error(ctx, p, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL);
    }
}

}  // namespace routerd::inet
