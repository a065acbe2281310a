// SPDX-License-Identifier: Apache-2.0
#include "router/inet/tick.hh"

#include "router/inet/arp.hh"
#include "router/inet/context.hh"
#include "router/inet/ether_output.hh"
#include "router/packet/builder.hh"

namespace routerd::inet {

void inet_tick(Context& ctx) noexcept {
    if (ctx.snap == nullptr) {
        return;  // nothing published yet
    }
    arp_tick(ctx);
    tx_flush_all(ctx);  // requests and host unreachables leave now, not with the next batch
}

namespace {

// RFC 5227 3 announcement (gratuitous ARP): neighbours replace a stale mapping at once.
void announce(Context& ctx, const Interface& ifp, Ip4Addr addr) noexcept {
    std::span<std::uint8_t> buf = tx_begin(ctx, ifp.slot);
    if (buf.empty()) {
        return;
    }
    const std::size_t n = packet::build_arp_gratuitous(buf, ifp.mac, addr);
    if (n != 0) {
        tx_commit(ctx, ifp.slot, buf, 0, n);
    }
}

}  // namespace

void snapshot_changed(Context& ctx, const Snapshot* old) noexcept {
    if (ctx.snap == nullptr) {
        return;
    }
    for (const Interface& ifp : ctx.snap->interfaces) {
        if (ifp.slot >= ctx.port_count()) {
            continue;
        }
        const Interface* before = old != nullptr ? old->by_ifindex(ifp.ifindex) : nullptr;
        const bool was_up = before != nullptr && before->up();
        if (!ifp.up()) {
            // A link that went down forgets its neighbours (they may be elsewhere when it
            // returns) and drops what waited for them.
            ctx.arp.flush_ifindex(static_cast<std::uint32_t>(ifp.ifindex));
            continue;
        }
        // Neighbours no longer on one of the interface's subnets (an address went away).
        for (ArpCache::Entry& e : ctx.arp.entries()) {
            if (e.in_use && e.ifindex == static_cast<std::uint32_t>(ifp.ifindex) &&
                !ifp.on_link(e.addr)) {
                ctx.stats.ip.add(api::IpStatId::ips_odropped, ctx.arp.remove(e));
            }
        }
        for (const Ip4Prefix& a : ifp.addresses()) {
            if (!was_up || !before->has_address(a.addr)) {
                announce(ctx, ifp, a.addr);
            }
        }
    }
    ctx.stats.ip.add(api::IpStatId::ips_odropped, ctx.arp.take_flushed_drops());
    tx_flush_all(ctx);
}

}  // namespace routerd::inet
