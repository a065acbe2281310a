// SPDX-License-Identifier: Apache-2.0
#include "router/inet/icmp_input.hh"

#include "router/inet/context.hh"
#include "router/inet/ip_output.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

#include <cstring>

namespace routerd::inet {

using api::IcmpStatId;

std::uint32_t icmp_timestamp(MonoTime now, Duration wall_offset) noexcept {
    constexpr std::int64_t kDayMs = 86'400'000;
    if (wall_offset == Duration::zero()) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.since_epoch);
        return static_cast<std::uint32_t>(ms.count() % kDayMs) | 0x80000000u;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.since_epoch + wall_offset);
    return static_cast<std::uint32_t>(((ms.count() % kDayMs) + kDayMs) % kDayMs);
}

namespace {

// Sends the ICMP message `msg` (checksum already set) from `src` to `dst` by route r.
void send_icmp(Context& ctx, const OutRoute& r, Ip4Addr src, Ip4Addr dst, std::uint8_t tos,
               std::span<const std::uint8_t> msg) noexcept {
    std::span<std::uint8_t> buf = ctx.scratch();
    const std::size_t off = packet::ip4_offset(buf);
    packet::Ip4Params ipp;
    ipp.src = src;
    ipp.dst = dst;
    ipp.proto = IPPROTO_ICMP;
    ipp.ttl = ctx.snap->ip.default_ttl;  // RFC 1812 4.3.2.2: a fresh TTL
    ipp.tos = tos;
    ipp.id = ctx.next_ip_id++;
    std::span<std::uint8_t> out = buf.subspan(off);
    const std::size_t hl = packet::ip4_header_len(ipp);
    if (hl == 0 || msg.size() > out.size() - hl) {
        return;
    }
    std::memcpy(out.data() + hl, msg.data(), msg.size());
    if (packet::build_ip4_header(out, ipp, msg.size()) == 0) {
        return;
    }
    packet::Packet q(buf, off, hl + msg.size());
    q.set_l3(0);
    ctx.stats.icmp.inc(IcmpStatId::icps_reflect);
    ctx.stats.icmp_out(msg[0]);
    ip_output(ctx, r, q);
}

// Echo and timestamp replies are copies of the request with a new type (and stamps): built in
// a small stack buffer for timestamps, in place in the scratch for echo (any size).
void echo_reply(Context& ctx, const packet::ConstIp4View& ip, packet::ConstIcmpView icmp) {
    const auto r = route_output(ctx, ip.ip_src());
    if (!r) {
        ctx.stats.icmp.inc(IcmpStatId::icps_noroute);
        return;
    }
    packet::Ip4Params ipp;
    ipp.src = ip.ip_dst();  // RFC 1122 3.2.2.6 (conformance F02): the address asked
    ipp.dst = ip.ip_src();
    ipp.ttl = ctx.snap->ip.default_ttl;
    ipp.tos = ip.ip_tos();  // RFC 1812 4.3.2.5 (conformance E07): replies keep the precedence
    ipp.id = ctx.next_ip_id++;
    std::span<std::uint8_t> buf = ctx.scratch();
    const std::size_t off = packet::ip4_offset(buf);
    // RFC 792 / RFC 1122 3.2.2.6 (conformance F01): identical identifier, sequence and data.
    const std::size_t n = packet::build_icmp_echo_reply(buf.subspan(off), ipp, icmp.icmp_id(),
                                                        icmp.icmp_seq(), icmp.icmp_data());
    if (n == 0) {
        return;
    }
    packet::Packet q(buf, off, n);
    q.set_l3(0);
    ctx.stats.icmp.inc(IcmpStatId::icps_reflect);
    ctx.stats.icmp_out(ICMP_ECHOREPLY);
    ip_output(ctx, *r, q);
}

void timestamp_reply(Context& ctx, const packet::ConstIp4View& ip,
                     packet::ConstIcmpView icmp) noexcept {
    const auto r = route_output(ctx, ip.ip_src());
    if (!r) {
        ctx.stats.icmp.inc(IcmpStatId::icps_noroute);
        return;
    }
    // RFC 792: originate copied, receive and transmit stamped now, the rest as the request.
    std::array<std::uint8_t, packet::kIcmpTsLen> msg{};
    std::memcpy(msg.data(), icmp.bytes().data(), msg.size());
    auto v = packet::IcmpView::parse(msg);
    const std::uint32_t now = icmp_timestamp(ctx.now, ctx.wall_offset);
    v->set_icmp_type(ICMP_TSTAMPREPLY);
    v->set_icmp_code(0);
    v->set_icmp_rtime(now);
    v->set_icmp_ttime(now);
    v->update_sum();
    // RFC 1812 4.3.3.8 (conformance F06): from the address asked.
    send_icmp(ctx, *r, ip.ip_dst(), ip.ip_src(), ip.ip_tos(), msg);
}

// RFC 950 appendix I, RFC 1812 4.3.3.9 (conformance F07, F08).
void mask_reply(Context& ctx, const Interface& in, const packet::ConstIp4View& ip,
                packet::ConstIcmpView icmp) noexcept {
    const Ip4Addr src = ip.ip_src();
    const Ip4Addr dst = ip.ip_dst();
    // Which of the interface's subnets is asked about: the one whose address was the target,
    // else the requester's; from 0.0.0.0 only when every subnet there has the same mask.
    // RFC 1812 4.3.3.9 (conformance F08): a requester without an address cannot tell which
    // subnet it is on, so an interface whose subnets disagree never answers it, even when the
    // request named one of its addresses.
    if (src.is_zero()) {
        if (in.naddrs == 0) {
            return;
        }
        for (const Ip4Prefix& a : in.addresses()) {
            if (a.len != in.addrs[0].len) {
                return;
            }
        }
    }
    const Ip4Prefix* prefix = nullptr;
    for (const Ip4Prefix& a : in.addresses()) {
        if (a.addr == dst) {
            prefix = &a;
        }
    }
    if (prefix == nullptr && !src.is_zero()) {
        for (const Ip4Prefix& a : in.addresses()) {
            if (prefix == nullptr && a.contains(src)) {
                prefix = &a;
            }
        }
    }
    if (prefix == nullptr && src.is_zero()) {
        prefix = &in.addrs[0];  // every subnet here has this mask (checked above)
    }
    // RFC 1812 4.3.3.9: never answer before the mask is known, nor from 0.0.0.0 on an interface
    // whose subnets disagree (conformance F08).
    if (prefix == nullptr) {
        return;
    }
    // From 0.0.0.0 the reply goes to the subnet's broadcast address out of the interface it
    // came in on (RFC 1812 4.2.3.1 exemption; the seed's maskreply); else by the FIB.
    OutRoute r;
    Ip4Addr to = src;
    if (src.is_zero()) {
        if (prefix->len >= 31) {
            return;  // RFC 3021: no broadcast address to answer to
        }
        to = prefix->broadcast();
        r.ifp = &in;
        r.next_hop = to;
    } else if (const auto out = route_output(ctx, src)) {
        r = *out;
    } else {
        ctx.stats.icmp.inc(IcmpStatId::icps_noroute);
        return;
    }
    std::array<std::uint8_t, packet::kIcmpMaskLen> msg{};
    std::memcpy(msg.data(), icmp.bytes().data(), msg.size());
    auto v = packet::IcmpView::parse(msg);
    v->set_icmp_type(ICMP_MASKREPLY);
    v->set_icmp_code(0);
    v->set_icmp_mask(Ip4Addr(prefix->mask()));
    v->update_sum();
    send_icmp(ctx, r, prefix->addr, to, ip.ip_tos(), msg);
}

}  // namespace

void icmp_input(Context& ctx, packet::Packet& p) noexcept {
    const Interface* in = ctx.snap->ingress(p.meta.slot, p.meta.ifindex);
    auto ip = packet::ConstIp4View::parse(std::span<const std::uint8_t>(p.l3()));
    if (in == nullptr || !ip) {
        return;
    }
    auto icmp = packet::ConstIcmpView::parse(ip->payload());
    // RFC 792 / RFC 1122 3.2.2 (conformance E10): shorter than 8 octets or a bad checksum
    // (odd lengths summed with a zero pad, RFC 1071) -> silently discarded.
    if (!icmp) {
        ctx.stats.icmp.inc(IcmpStatId::icps_tooshort);
        return;
    }
    if (!icmp->cksum_ok()) {
        ctx.stats.icmp.inc(IcmpStatId::icps_checksum);
        return;
    }
    const std::uint8_t type = icmp->icmp_type();
    ctx.stats.icmp_in(type);
    const Ip4Addr src = ip->ip_src();
    // Sent to a broadcast or a group rather than one of our addresses.
    const bool to_group = !ctx.snap->is_ours(ip->ip_dst());
    switch (type) {
        case ICMP_ECHO:
            // Conformance X06 / F05: echo to a broadcast or multicast is ignored (smurf).
            if (to_group) {
                ctx.stats.icmp.inc(IcmpStatId::icps_bmcastecho);
                return;
            }
            if (src.is_zero()) {
                ctx.stats.icmp.inc(IcmpStatId::icps_badaddr);  // no one to answer
                return;
            }
            return echo_reply(ctx, *ip, *icmp);
        case ICMP_TSTAMP:
            if (icmp->size() < packet::kIcmpTsLen) {
                ctx.stats.icmp.inc(IcmpStatId::icps_badlen);
                return;
            }
            // RFC 1812 4.3.3.8: a timestamp request to a broadcast may be ignored (X06).
            if (to_group) {
                ctx.stats.icmp.inc(IcmpStatId::icps_bmcasttstamp);
                return;
            }
            if (src.is_zero()) {
                ctx.stats.icmp.inc(IcmpStatId::icps_badaddr);
                return;
            }
            return timestamp_reply(ctx, *ip, *icmp);
        case ICMP_MASKREQ:
            // DESIGN.md: answered only where the interface says mask-reply (seed icmp_answermask).
            if (!in->settings.mask_reply) {
                return;
            }
            if (icmp->size() < packet::kIcmpMaskLen) {
                ctx.stats.icmp.inc(IcmpStatId::icps_badlen);
                return;
            }
            return mask_reply(ctx, *in, *ip, *icmp);
        default:
            // RFC 6633 (conformance E09): source quench ignored; RFC 6918 / RFC 1812 4.3.3.7 (F10):
            // information requests not answered; replies, errors (no transport to tell) and unknown
            // types (RFC 1122 3.2.2): counted in icps_inhist above and dropped.
            return;
    }
}

}  // namespace routerd::inet
