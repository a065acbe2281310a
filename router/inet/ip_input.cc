// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_input.hh"

#include "router/inet/context.hh"
#include "router/inet/icmp_error.hh"
#include "router/inet/ip_check.hh"
#include "router/inet/ip_forward.hh"
#include "router/inet/ip_local.hh"
#include "router/packet/headers.hh"

#include <bit>

namespace routerd::inet {

using api::IpStatId;
using packet::L2Class;

const Interface* broadcast_owner(const Snapshot& snap, Ip4Addr dst) noexcept {
    if (snap.indexed) {
        // The lowest slot whose subnet broadcast dst is: the first one the walk would find.
        const std::uint64_t bits = snap.broadcast_slots(dst);
        return bits != 0 ? &snap.interfaces[static_cast<std::size_t>(std::countr_zero(bits))]
                         : nullptr;
    }
    for (const Interface& i : snap.interfaces) {
        if (i.classify(dst) == DstClass::subnet_broadcast) {
            return &i;
        }
    }
    return nullptr;
}

DstKind classify_dst(const Snapshot& snap, const Interface& in, Ip4Addr dst) noexcept {
    if (snap.indexed && in.slot < Snapshot::kMaxIndexed) {
        // One probe answers "ours" and "whose subnet broadcast" (Snapshot::build_index); the
        // order of the checks is the walk's below.
        const Snapshot::AddrSlot* e = snap.find_addr(dst);
        if (e != nullptr && e->ours) {
            return DstKind::ours;  // RFC 1812 5.2.3
        }
        if (dst.is_limited_broadcast()) {
            return DstKind::limited_broadcast;  // RFC 919 6, RFC 1812 5.3.5.1
        }
        if (dst.is_multicast()) {
            return DstKind::multicast;
        }
        // RFC 1812 5.3.7 / 4.2.3.1: 0/8, 127/8 and class E are never destinations.
        if (dst.is_this_network() || dst.is_loopback() || dst.is_class_e()) {
            return DstKind::martian;
        }
        const std::uint64_t bcast = e != nullptr ? e->bcast : 0;
        // RFC 1812 5.3.5.2 / RFC 922, each address with its own mask (conformance C06).
        if ((bcast & (std::uint64_t{1} << in.slot)) != 0) {
            return DstKind::broadcast_here;
        }
        return bcast != 0 ? DstKind::broadcast_other : DstKind::forward;
    }
    if (snap.is_ours(dst)) {
        return DstKind::ours;  // RFC 1812 5.2.3: any of our addresses, whatever the interface
    }
    if (dst.is_limited_broadcast()) {
        return DstKind::limited_broadcast;  // RFC 919 6, RFC 1812 5.3.5.1
    }
    if (dst.is_multicast()) {
        return DstKind::multicast;
    }
    // RFC 1812 5.3.7 / 4.2.3.1: 0/8, 127/8 and class E are never destinations.
    if (dst.is_this_network() || dst.is_loopback() || dst.is_class_e()) {
        return DstKind::martian;
    }
    // RFC 1812 5.3.5.2 / RFC 922, each address with its own mask (conformance C06).
    if (in.classify(dst) == DstClass::subnet_broadcast) {
        return DstKind::broadcast_here;
    }
    if (broadcast_owner(snap, dst) != nullptr) {
        return DstKind::broadcast_other;
    }
    return DstKind::forward;
}

bool martian_src(const Snapshot& snap, Ip4Addr src) noexcept {
    // RFC 1812 5.3.7: 0/8 ("this network"), 127/8, class D and E, limited broadcast.
    if (src.is_this_network() || src.is_loopback() || src.is_multicast() || src.is_class_e() ||
        src.is_limited_broadcast()) {
        return true;
    }
    // RFC 1812 5.3.7: a directed broadcast of a connected subnet; RFC 1812 5.3.7 / 5.2.3: one
    // of our own addresses, which only we send from.
    if (snap.indexed) {
        const Snapshot::AddrSlot* e = snap.find_addr(src);
        return e != nullptr && (e->ours || e->bcast != 0);
    }
    return broadcast_owner(snap, src) != nullptr || snap.is_ours(src);
}

namespace {

void drop(Context& ctx, IpStatId counter) noexcept {
    ctx.stats.ip.inc(counter);
}

// RFC 1812 5.3.7 asks for a log line per martian; the worker keeps a sample for the control
// thread instead (ARCHITECTURE.md section 15).
void record_martian(Context& ctx, const packet::Packet& p, Ip4Addr src, Ip4Addr dst) noexcept {
    Context::Martian& m = ctx.martians[ctx.martian_count % Context::kMartianRing];
    m.src = src;
    m.dst = dst;
    m.ifindex = p.meta.ifindex;
    m.mac = p.l3_offset() >= packet::kEtherHeaderLen ? packet::load_mac(p.data() + 6) : MacAddr{};
    ++ctx.martian_count;
    drop(ctx, IpStatId::ips_badaddr);
}

enum class OptVerdict { ok, bad, source_route };

// RFC 791 3.1, RFC 1812 4.2.2.1 / 5.2.4.1: options are walked defensively (conformance H01);
// source routes are refused when ip.source_route is off (RFC 7126, DESIGN.md).
OptVerdict check_options(const packet::ConstIp4View& ip, bool source_route_allowed,
                         std::size_t& pointer) noexcept {
    packet::Ip4OptionIter it = ip.options_iter();
    bool srr = false;
    while (auto opt = it.next()) {
        if (opt->type == IPOPT_LSRR || opt->type == IPOPT_SSRR) {
            srr = true;
        }
    }
    if (it.failed()) {
        pointer = it.error_offset();
        return OptVerdict::bad;
    }
    return srr && !source_route_allowed ? OptVerdict::source_route : OptVerdict::ok;
}

}  // namespace

void ip_input(Context& ctx, packet::Packet& p) noexcept {
    ctx.stats.ip.inc(IpStatId::ips_total);
    const Interface* in = ctx.snap->ingress(p.meta.slot, p.meta.ifindex);
    if (in == nullptr) {
        return;
    }
    // RFC 1812 5.2.2: silently discard what fails the header checks (conformance B01-B06).
    if (const IpCheck bad = ip_check(p.l3()); bad != IpCheck::ok) {
        return drop(ctx, counter_for(bad));
    }
    auto ip = packet::ConstIp4View::parse(std::span<const std::uint8_t>(p.l3()));
    // Conformance B07 / A09: link padding after ip_len goes before anything reads the payload.
    p.trim_l3(ip->ip_len());
    ip = packet::ConstIp4View::parse(std::span<const std::uint8_t>(p.l3()));
    const Ip4Addr src = ip->ip_src();
    const Ip4Addr dst = ip->ip_dst();
    const DstKind kind = classify_dst(*ctx.snap, *in, dst);
    const bool local = kind == DstKind::ours || kind == DstKind::limited_broadcast ||
                       kind == DstKind::broadcast_here || kind == DstKind::multicast;

    // RFC 1812 5.3.7 (conformance B09): martians are neither forwarded nor answered.
    // RFC 1122 3.2.1.3 (a) / conformance I05, F07: 0.0.0.0 may send to us (IGMP reports of a
    // host with no address yet, address mask requests); icmp_input answers only the latter.
    if (kind == DstKind::martian) {
        return record_martian(ctx, p, src, dst);
    }
    if (martian_src(*ctx.snap, src) &&
        !(src.is_zero() && local && (ip->ip_p() == IPPROTO_IGMP || ip->ip_p() == IPPROTO_ICMP))) {
        return record_martian(ctx, p, src, dst);
    }
    // RFC 1812 5.3.4 (conformance B11): a link-layer broadcast or multicast carrying an IP
    // datagram that is not a broadcast or multicast is not forwarded, and silently discarded
    // even when it is addressed to us.
    const bool l2_group =
        p.meta.l2_class == L2Class::broadcast || p.meta.l2_class == L2Class::multicast;
    if (l2_group && (kind == DstKind::ours || kind == DstKind::forward)) {
        return drop(ctx, IpStatId::ips_cantforward);
    }
    // Seed ip_forwarding, RFC 1122 3.3.4 (conformance C09): with forwarding off we are a host,
    // and transit datagrams are silently discarded before anything could answer them (no
    // Parameter Problem about their options, no Time Exceeded, no unreachable).
    if (!ctx.snap->ip.forwarding &&
        (kind == DstKind::forward || kind == DstKind::broadcast_other)) {
        return drop(ctx, IpStatId::ips_cantforward);
    }
    // RFC 791 3.1 / RFC 1812 4.3.3.5: malformed options draw a Parameter Problem pointing at the
    // offending octet (conformance H01); source routes are dropped when ip.source_route is off
    // (RFC 7126 3.5, DESIGN.md; conformance H09: counted, nothing sent). Full option processing
    // (RR, TS, source routes when enabled) is a later issue: options are forwarded unchanged.
    if (ip->ip_hl() > 5) {
        std::size_t pointer = 0;
        switch (check_options(*ip, ctx.snap->ip.source_route, pointer)) {
            case OptVerdict::ok:
                break;
            case OptVerdict::bad:
                drop(ctx, IpStatId::ips_badoptions);
                icmp_error(ctx, p, ICMP_PARAMPROB, 0 /* RFC 792: pointer indicates the error */,
                           static_cast<std::uint32_t>(pointer));
                return;
            case OptVerdict::source_route:
                return drop(ctx, IpStatId::ips_badoptions);
        }
    }

    switch (kind) {
        case DstKind::ours:
        case DstKind::limited_broadcast:  // conformance B10: received locally, never forwarded
        case DstKind::broadcast_here:     // conformance C05: ours, never re-broadcast on its wire
            return ip_local(ctx, p);
        case DstKind::multicast:
            // No multicast routing: never forwarded. RFC 1812 / RFC 2236 2: the local control
            // block 224.0.0.0/24 and IGMP to any group (v1/v2 reports go to the group itself) are
            // for the IGMP querier; other groups are not ours.
            if ((dst.value() >> 8) == (0xe0000000u >> 8) || ip->ip_p() == IPPROTO_IGMP) {
                return ip_local(ctx, p);
            }
            return drop(ctx, IpStatId::ips_notmember);
        case DstKind::broadcast_other: {
            // RFC 2644 (BCP 34), conformance C04: a directed broadcast to another interface's
            // subnet goes out only where that interface says directed-broadcast (we keep a copy,
            // RFC 919 6); by default it is dropped.
            const Interface* out = broadcast_owner(*ctx.snap, dst);
            if (out != nullptr && out->settings.directed_broadcast && out->up() &&
                ctx.snap->ip.forwarding) {
                // RFC 1812 5.3.4 (conformance B11): a frame that came as link broadcast or
                // multicast is never forwarded unless its IP destination is multicast; the
                // local copy stays.
                if (l2_group) {
                    return ip_local(ctx, p);
                }
                ip_local(ctx, p);
                return ip_forward(ctx, p);
            }
            return drop(ctx, IpStatId::ips_cantforward);
        }
        case DstKind::martian:
            return;  // handled above
        case DstKind::forward:
            return ip_forward(ctx, p);
    }
}

}  // namespace routerd::inet
