// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ether_output.hh"

#include "router/inet/arp.hh"
#include "router/inet/context.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

#include <algorithm>
#include <cstring>

namespace routerd::inet {

using api::IfStatsId;
using api::IpStatId;

namespace {

// IF-MIB / BSD if_data: every frame that reached the port, by its destination MAC.
void count_out(Context& ctx, std::uint32_t slot, const MacAddr& dst, std::size_t len) noexcept {
    IfCounters& c = ctx.stats.ifs(slot);
    c.inc(IfStatsId::ifs_opackets);
    c.add(IfStatsId::ifs_obytes, len);
    if (dst.is_broadcast()) {
        c.inc(IfStatsId::ifs_obcasts);
    } else if (dst.is_multicast()) {
        c.inc(IfStatsId::ifs_omcasts);
    }
}

// Hands the port's queued forwarded frames to one tx_batch. What it refuses (a full ring) is an
// output drop: the datagram is lost after the forwarding decision.
void drain(Context& ctx, std::uint32_t slot) noexcept {
    Context::TxQueue& q = ctx.txq(slot);
    if (q.count == 0) {
        return;
    }
    const std::size_t accepted =
        ctx.port(slot).tx_batch(std::span<const packet::Packet>(q.frames.data(), q.count));
    for (std::size_t i = 0; i < accepted && i < q.count; ++i) {
        count_out(ctx, slot, packet::load_mac(q.frames[i].data()), q.frames[i].len());
    }
    // The queue holds forwarded datagrams only: BSD counts ips_forward for those that went out.
    ctx.stats.ip.add(IpStatId::ips_forward, std::min(accepted, q.count));
    if (accepted < q.count) {
        const std::size_t refused = q.count - accepted;
        ctx.stats.ifs(slot).add(IfStatsId::ifs_oqdrops, refused);
        ctx.stats.ip.add(IpStatId::ips_odropped, refused);
    }
    q.count = 0;
    q.dirty = true;
}

}  // namespace

std::span<std::uint8_t> tx_begin(Context& ctx, std::uint32_t slot) noexcept {
    if (slot >= ctx.port_count()) {
        return {};  // a Snapshot interface without a Port: nothing can leave by it
    }
    // The port's TX staging is shared by tx_batch and tx_buffer (platform/af_packet_port.cc):
    // queued forwarded frames go first, so the wire sees frames in decision order, and never
    // between tx_buffer() and tx_commit(), which would overwrite the lent slot.
    drain(ctx, slot);
    std::span<std::uint8_t> buf = ctx.port(slot).tx_buffer();
    if (buf.empty()) {
        ctx.stats.ifs(slot).inc(IfStatsId::ifs_oqdrops);
    }
    return buf;
}

bool tx_commit(Context& ctx, std::uint32_t slot, std::span<const std::uint8_t> buf,
               std::size_t offset, std::size_t len) noexcept {
    // Read the destination for the counters before the slot is handed over.
    const bool fits =
        offset < buf.size() && len >= packet::kEtherHeaderLen && len <= buf.size() - offset;
    const MacAddr dst = fits ? packet::load_mac(buf.data() + offset) : MacAddr{};
    if (!fits || !ctx.port(slot).tx_commit(offset, len)) {
        ctx.stats.ifs(slot).inc(IfStatsId::ifs_oqdrops);
        return false;
    }
    count_out(ctx, slot, dst, len);
    ctx.txq(slot).dirty = true;
    return true;
}

bool ether_send_datagram(Context& ctx, const Interface& ifp, const MacAddr& dst,
                         std::span<const std::uint8_t> datagram) noexcept {
    std::span<std::uint8_t> buf = tx_begin(ctx, ifp.slot);
    if (buf.empty()) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return false;
    }
    // builder.hh: the IPv4 header lands 4-byte aligned, the Ethernet header 14 octets before.
    const std::size_t off = packet::ip4_offset(buf);
    if (off == 0 || datagram.size() > buf.size() - off) {
        ctx.stats.ifs(ifp.slot).inc(IfStatsId::ifs_oqdrops);
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return false;
    }
    std::memcpy(buf.data() + off, datagram.data(), datagram.size());
    // RFC 894: Ethernet II, type 0x0800.
    packet::build_ether(buf.subspan(off - packet::kEtherHeaderLen), dst, ifp.mac, ETHERTYPE_IP);
    if (!tx_commit(ctx, ifp.slot, buf, off - packet::kEtherHeaderLen,
                   datagram.size() + packet::kEtherHeaderLen)) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return false;
    }
    return true;
}

void ether_output(Context& ctx, const Interface& ifp, Ip4Addr next_hop, packet::Packet& p,
                  Origin origin) noexcept {
    if (ifp.slot >= ctx.port_count()) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return;
    }
    MacAddr dst;
    // RFC 919 / RFC 922: is the next hop a broadcast of this interface's subnets? One probe of
    // the Snapshot's address table (build_index) instead of a walk over its addresses.
    const bool subnet_bcast =
        ctx.snap != nullptr && ctx.snap->indexed && ifp.slot < Snapshot::kMaxIndexed
            ? (ctx.snap->broadcast_slots(next_hop) & (std::uint64_t{1} << ifp.slot)) != 0
            : ifp.classify(next_hop) == DstClass::subnet_broadcast;
    if (next_hop.is_limited_broadcast() || subnet_bcast) {
        dst = MacAddr::broadcast();  // RFC 919 / RFC 922: IP broadcast is link broadcast
    } else if (next_hop.is_multicast()) {
        dst = MacAddr::from_ip4_multicast(next_hop);  // RFC 1112 6.4 (conformance A05)
    } else {
        switch (arp_resolve(ctx, ifp, next_hop, p, dst, origin == Origin::forwarded)) {
            case ArpResolve::resolved:
                break;
            case ArpResolve::held:
            case ArpResolve::dropped:
                return;
        }
    }
    switch (origin) {
        case Origin::local:
            ether_send_datagram(ctx, ifp, dst, p.l3());
            return;
        case Origin::forwarded:
            break;
    }
    // A received frame: replace its link header (Ethernet II or 802.2 SNAP) by an Ethernet II
    // one in place (RFC 1122 2.3.3: send Ethernet II by default); the RX memory stays valid
    // until the next rx_batch, when tx_flush_all() has already copied it.
    p.pull(p.l3_offset());
    if (p.prepend(packet::kEtherHeaderLen) == nullptr) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return;
    }
    auto eth = packet::EtherView::parse(p.bytes());
    eth->set_ether_dhost(dst);
    eth->set_ether_shost(ifp.mac);
    eth->set_ether_type(ETHERTYPE_IP);
    Context::TxQueue& q = ctx.txq(ifp.slot);
    if (q.count == Context::kTxBatch) {
        drain(ctx, ifp.slot);  // a full array goes early; tx_flush() still waits for the batch end
    }
    q.frames[q.count++] = p;
}

void tx_flush_all(Context& ctx) noexcept {
    for (std::uint32_t slot = 0; slot < ctx.port_count(); ++slot) {
        drain(ctx, slot);
        Context::TxQueue& q = ctx.txq(slot);
        if (q.dirty) {
            ctx.port(slot).tx_flush();
            q.dirty = false;
        }
    }
}

}  // namespace routerd::inet
