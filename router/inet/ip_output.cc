// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_output.hh"

#include "router/inet/context.hh"
#include "router/inet/ether_output.hh"

namespace routerd::inet {

using api::IpStatId;

RouteVerdict route_lookup(const Snapshot& snap, Ip4Addr dst, OutRoute& out) noexcept {
    // RFC 1812 5.2.4.3: longest prefix match.
    const fib::NextHop* nh = snap.rib->lookup(dst);
    if (nh == nullptr) {
        return RouteVerdict::no_route;
    }
    switch (nh->kind) {
        case fib::NextHopKind::forward: {
            const Interface* ifp = snap.by_ifindex(static_cast<int>(nh->ifindex));
            // An interface that is down carries nothing (ifnet IFF_UP / IFF_RUNNING): its routes
            // count as absent, so the sender learns at once (net unreachable) instead of timing
            // out.
            if (ifp == nullptr || !ifp->up()) {
                return RouteVerdict::no_route;
            }
            out.ifp = ifp;
            out.next_hop = nh->gateway.is_zero() ? dst : nh->gateway;
            return RouteVerdict::forward;
        }
        case fib::NextHopKind::local:
            return RouteVerdict::local;
        case fib::NextHopKind::reject:
            return RouteVerdict::reject;
        case fib::NextHopKind::blackhole:
            return RouteVerdict::blackhole;
    }
    return RouteVerdict::no_route;
}

std::optional<OutRoute> route_output(const Context& ctx, Ip4Addr dst) noexcept {
    OutRoute r;
    switch (route_lookup(*ctx.snap, dst, r)) {
        case RouteVerdict::forward:
            return r;
        case RouteVerdict::local:
        case RouteVerdict::no_route:
        case RouteVerdict::reject:
        case RouteVerdict::blackhole:
            break;
    }
    return std::nullopt;
}

void ip_output(Context& ctx, const OutRoute& r, packet::Packet& p) noexcept {
    ctx.stats.ip.inc(IpStatId::ips_localout);
    // What we originate is at most 576 octets (errors) or the size of a request that arrived
    // (replies); a reply larger than the egress MTU would need fragmentation, which is the next
    // issue (RFC 791 3.2): until then it is dropped and counted.
    if (p.l3_len() > r.ifp->mtu) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return;
    }
    ether_output(ctx, *r.ifp, r.next_hop, p, Origin::local);
}

}  // namespace routerd::inet
