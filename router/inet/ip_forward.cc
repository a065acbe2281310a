// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_forward.hh"

#include "router/inet/context.hh"
#include "router/inet/ether_output.hh"
#include "router/inet/icmp_error.hh"
#include "router/inet/ip_local.hh"
#include "router/inet/ip_output.hh"
#include "router/packet/headers.hh"

namespace routerd::inet {

using api::IpStatId;

void ip_forward(Context& ctx, packet::Packet& p) noexcept {
    // Seed ip_forwarding, RFC 1122 3.3.4 (conformance C09): with forwarding off we are a host;
    // transit datagrams are silently discarded (no redirects, no Time Exceeded).
    if (!ctx.snap->ip.forwarding) {
        ctx.stats.ip.inc(IpStatId::ips_cantforward);
        return;
    }
    auto ip = packet::Ip4View::parse(p.l3());
    OutRoute r;
    switch (route_lookup(*ctx.snap, ip->ip_dst(), r)) {
        case RouteVerdict::forward:
            break;
        case RouteVerdict::local:
            return ip_local(ctx, p);
        case RouteVerdict::no_route:
            // RFC 1812 5.2.7.1 (conformance C02): net unreachable; also for a route whose interface
            // is down (see RouteVerdict::no_route). BSD rtstat: a lookup which failed.
            ctx.stats.ip.inc(IpStatId::ips_noroute);
            ctx.stats.rt.inc(api::RtStatId::rts_unreach);
            icmp_error(ctx, p, ICMP_UNREACH, ICMP_UNREACH_NET);
            return;
        case RouteVerdict::reject:
            // RFC 1812 5.2.7.1, 4.3.3.1; DESIGN.md (conformance C03): a reject route answers code
            // 0.
            ctx.stats.ip.inc(IpStatId::ips_noroute);
            ctx.stats.rt.inc(api::RtStatId::rts_unreach);
            icmp_error(ctx, p, ICMP_UNREACH, ICMP_UNREACH_NET);
            return;
        case RouteVerdict::blackhole:
            // Conformance C03: silently; counted as a datagram with no (usable) route.
            ctx.stats.ip.inc(IpStatId::ips_noroute);
            return;
    }
    // RFC 1812 5.3.1, 4.2.2.9 (conformance B12, B13): TTL matters only when forwarding, so
    // it is looked at after the lookup said "forward" (a datagram the FIB calls local is
    // received whatever its TTL); one whose TTL would reach 0 is dropped with Time Exceeded
    // in transit, never sent with TTL 0.
    if (ip->ip_ttl() <= 1) {
        icmp_error(ctx, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS);
        return;
    }
    // Redirects (RFC 1812 5.2.7.2, conformance section G) are a later issue.
    // RFC 1812 4.2.3.3 / RFC 1191 4 (conformance D04): too big with DF set -> fragmentation
    // needed, carrying the next-hop MTU. Checked before the TTL changes, so the quote is the
    // datagram as received (RFC 1812 4.3.2.3).
    if (p.l3_len() > r.ifp->mtu) {
        if (ip->ip_df()) {
            ctx.stats.ip.inc(IpStatId::ips_cantfrag);
            icmp_error(ctx, p, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, r.ifp->mtu);
            return;
        }
        // DF clear: RFC 791 3.2 fragmentation is the next issue; until then the datagram is
        // dropped and counted as an output drop.
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return;
    }
    // RFC 1812 5.3.1: decrement by one; RFC 1624 incremental checksum update (conformance
    // B14: correct at the 0x0000 / 0xffff corners).
    // ips_forward is counted when the frame is handed to the egress port (ether_output.cc
    // drain, or arp.cc when a held datagram leaves): BSD counts datagrams that went out.
    ip->set_ip_ttl_and_sum(static_cast<std::uint8_t>(ip->ip_ttl() - 1));
    ether_output(ctx, *r.ifp, r.next_hop, p, Origin::forwarded);
}

}  // namespace routerd::inet
