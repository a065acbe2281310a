// SPDX-License-Identifier: Apache-2.0
#include "router/inet/icmp_error.hh"

#include "router/inet/context.hh"
#include "router/inet/ip_input.hh"
#include "router/inet/ip_output.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

namespace routerd::inet {

using api::IcmpStatId;

// RFC 1812 4.3.2.5 (conformance E07): errors carry precedence 6 (Internetwork Control).
inline constexpr std::uint8_t kIcmpErrorTos = 0xc0;

IcmpErrorGuard icmp_error_allowed(const Snapshot& snap, const packet::Packet& p) noexcept {
    auto ip = packet::ConstIp4View::parse(p.l3());
    if (!ip) {
        return IcmpErrorGuard::too_short;
    }
    // RFC 1812 4.3.2.7: not about a fragment other than the first (conformance E02).
    if (ip->frag_offset() != 0) {
        return IcmpErrorGuard::fragment;
    }
    // RFC 1812 4.3.2.7: not about a link-layer broadcast or multicast (conformance E02).
    if (p.meta.l2_class == packet::L2Class::broadcast ||
        p.meta.l2_class == packet::L2Class::multicast) {
        return IcmpErrorGuard::link_group;
    }
    // RFC 1812 4.3.2.7: not about a datagram to an IP broadcast or multicast (conformance E02).
    const Ip4Addr dst = ip->ip_dst();
    if (dst.is_limited_broadcast() || dst.is_multicast() || broadcast_owner(snap, dst) != nullptr) {
        return IcmpErrorGuard::dst_group;
    }
    // RFC 1812 4.3.2.7 / 5.3.7: not to a source that is not one host (conformance E03).
    const Ip4Addr src = ip->ip_src();
    if (src.is_zero() || martian_src(snap, src)) {
        return IcmpErrorGuard::bad_src;
    }
    // RFC 1812 4.3.2.7, RFC 1122 3.2.2: never about an ICMP error (conformance E01); queries
    // may draw errors.
    const auto payload = ip->payload();
    if (ip->ip_p() == IPPROTO_ICMP && !payload.empty() && packet::icmp_is_error(payload[0])) {
        return IcmpErrorGuard::about_error;
    }
    // RFC 1812 4.3.2.3: the quote is the header plus up to 8 octets of data, so a datagram
    // with less data is quoted whole (conformance B15: a bare `proto=253` draws 3/2; a
    // zero-payload TTL 1 probe draws 11/0). build_icmp_error takes short originals.
    return IcmpErrorGuard::send;
}

void icmp_error(Context& ctx, const packet::Packet& p, std::uint8_t type, std::uint8_t code,
                std::uint32_t param, std::uint32_t gateway) noexcept {
    ctx.stats.icmp.inc(IcmpStatId::icps_error);
    switch (icmp_error_allowed(*ctx.snap, p)) {
        case IcmpErrorGuard::send:
            break;
        case IcmpErrorGuard::about_error:
            ctx.stats.icmp.inc(IcmpStatId::icps_oldicmp);
            return;
        case IcmpErrorGuard::too_short:
            ctx.stats.icmp.inc(IcmpStatId::icps_oldshort);
            return;
        case IcmpErrorGuard::fragment:
        case IcmpErrorGuard::link_group:
        case IcmpErrorGuard::dst_group:
        case IcmpErrorGuard::bad_src:
            return;
    }
    // RFC 1812 4.3.2.8 (conformance E08): token bucket, with a burst for traceroute.
    if (!ctx.icmp_limiter.allow(ctx.now)) {
        return;
    }
    auto ip = packet::ConstIp4View::parse(p.l3());
    const Ip4Addr to = ip->ip_src();
    const auto route = route_output(ctx, to);
    if (!route) {
        ctx.stats.icmp.inc(IcmpStatId::icps_noroute);
        return;
    }
    // RFC 1812 4.3.2.4 (conformance E05): from an address of the interface the error leaves
    // by, the one on the destination's subnet if there is one.
    const auto from = route->ifp->source_for(to);
    if (!from) {
        ctx.stats.icmp.inc(IcmpStatId::icps_badaddr);
        return;
    }
    packet::Ip4Params ipp;
    ipp.src = *from;
    ipp.dst = to;
    ipp.ttl = ctx.snap->ip.default_ttl;  // RFC 1812 4.3.2.2 (conformance E06): a fresh TTL
    ipp.tos = kIcmpErrorTos;
    ipp.id = ctx.next_ip_id++;
    packet::IcmpError e;
    e.type = type;
    e.code = code;
    if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG) {
        e.next_mtu = static_cast<std::uint16_t>(param);  // RFC 1191 4 (conformance D04)
    }
    if (type == ICMP_PARAMPROB) {
        e.pointer = static_cast<std::uint8_t>(param);  // RFC 792: the octet in error
    }
    e.gateway = Ip4Addr(gateway);
    // RFC 1812 4.3.2.3 (conformance E04): as much of the datagram as fits in 576 octets.
    std::span<std::uint8_t> buf = ctx.scratch();
    const std::size_t off = packet::ip4_offset(buf);
    const std::size_t n = packet::build_icmp_error(buf.subspan(off), ipp, e, p.l3());
    if (n == 0) {
        ctx.stats.icmp.inc(IcmpStatId::icps_oldshort);
        return;
    }
    packet::Packet q(buf, off, n);
    q.set_l3(0);
    ctx.stats.icmp_out(type);
    ip_output(ctx, *route, q);
}

}  // namespace routerd::inet
