// SPDX-License-Identifier: Apache-2.0
#include "router/inet/arp.hh"

#include "router/base/assert.hh"
#include "router/inet/context.hh"
#include "router/inet/ether_output.hh"
#include "router/inet/icmp_error.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"

#include <algorithm>
#include <cstring>

namespace routerd::inet {

using api::ArpState;
using api::IfStatsId;
using api::IpStatId;

// ---- ArpCache ---------------------------------------------------------------------------------

ArpCache::ArpCache(const ArpLimits& limits)
    : limits_(limits),
      entries_(std::max<std::size_t>(limits.max_entries, 1)),
      holds_(limits.hold_pool),
      hold_data_(limits.hold_pool * limits.hold_bytes) {
    std::size_t nb = 1;
    while (nb < entries_.size() * 2) {
        nb <<= 1;
    }
    buckets_.assign(nb, kNone);
    for (std::size_t i = entries_.size(); i-- > 0;) {
        entries_[i].next = free_entry_;
        free_entry_ = static_cast<std::int32_t>(i);
    }
    for (std::size_t i = holds_.size(); i-- > 0;) {
        holds_[i].next = free_hold_;
        free_hold_ = static_cast<std::int32_t>(i);
    }
}

std::size_t ArpCache::bucket(std::uint32_t slot, Ip4Addr addr) const noexcept {
    // Fibonacci hashing: neighbours on one subnet differ in the low bits only.
    const std::uint64_t k = (std::uint64_t{slot} << 32) | addr.value();
    return static_cast<std::size_t>((k * 0x9e3779b97f4a7c15ull) >> 32) & (buckets_.size() - 1);
}

ArpCache::Entry* ArpCache::find(std::uint32_t slot, Ip4Addr addr) noexcept {
    for (std::int32_t i = buckets_[bucket(slot, addr)]; i != kNone; i = entries_[i].next) {
        Entry& e = entries_[static_cast<std::size_t>(i)];
        if (e.addr == addr && e.slot == slot) {
            return &e;
        }
    }
    return nullptr;
}

ArpCache::Entry* ArpCache::create(std::uint32_t slot, std::uint32_t ifindex, Ip4Addr addr,
                                  MonoTime now) noexcept {
    if (free_entry_ == kNone) {
        // Full: the victim is the longest-unconfirmed stale entry, else reachable one. An
        // incomplete entry is never evicted, so a flood of unresolvable destinations cannot
        // push out working neighbours, and its held datagrams keep their answer (A04).
        Entry* victim = nullptr;
        for (Entry& e : entries_) {
            if (!e.in_use || e.state == ArpState::incomplete) {
                continue;
            }
            const bool better_state = victim == nullptr || (e.state == ArpState::stale &&
                                                            victim->state != ArpState::stale);
            const bool same_state = victim != nullptr && e.state == victim->state;
            if (better_state || (same_state && e.confirmed < victim->confirmed)) {
                victim = &e;
            }
        }
        if (victim == nullptr) {
            return nullptr;
        }
        flushed_drops_ += remove(*victim);
    }
    const std::int32_t i = free_entry_;
    Entry& e = entries_[static_cast<std::size_t>(i)];
    free_entry_ = e.next;
    e = Entry{};
    e.addr = addr;
    e.slot = slot;
    e.ifindex = ifindex;
    e.in_use = true;
    e.state = ArpState::incomplete;
    e.confirmed = now;
    e.used = now;
    e.next_request = now;
    const std::size_t b = bucket(slot, addr);
    e.next = buckets_[b];
    buckets_[b] = i;
    ++used_;
    return &e;
}

void ArpCache::unlink(Entry& e) noexcept {
    const auto self = static_cast<std::int32_t>(&e - entries_.data());
    std::int32_t* link = &buckets_[bucket(e.slot, e.addr)];
    while (*link != kNone && *link != self) {
        link = &entries_[static_cast<std::size_t>(*link)].next;
    }
    RD_ASSERT(*link == self);
    if (*link == self) {
        *link = e.next;
    }
}

std::size_t ArpCache::free_holds(Entry& e) noexcept {
    const std::size_t n = e.hold_count;
    while (e.hold_count > 0) {
        pop_held(e);
    }
    return n;
}

std::size_t ArpCache::remove(Entry& e) noexcept {
    if (!e.in_use) {
        return 0;
    }
    const std::size_t dropped = free_holds(e);
    unlink(e);
    e.in_use = false;
    e.next = free_entry_;
    free_entry_ = static_cast<std::int32_t>(&e - entries_.data());
    --used_;
    return dropped;
}

int ArpCache::hold(Entry& e, std::span<const std::uint8_t> datagram, bool forwarded) noexcept {
    if (limits_.hold_per_entry == 0 || datagram.size() > limits_.hold_bytes) {
        return -1;
    }
    int dropped = 0;
    // RFC 1122 2.3.2.2: keep the latest datagram; the oldest makes room.
    if (e.hold_count >= limits_.hold_per_entry || (free_hold_ == kNone && e.hold_count > 0)) {
        pop_held(e);
        dropped = 1;
    }
    if (free_hold_ == kNone) {
        return -1;
    }
    const std::int32_t h = free_hold_;
    HoldSlot& s = holds_[static_cast<std::size_t>(h)];
    free_hold_ = s.next;
    s.next = kNone;
    s.len = static_cast<std::uint32_t>(datagram.size());
    s.forwarded = forwarded;
    std::memcpy(hold_bytes(h), datagram.data(), datagram.size());
    if (e.hold_tail == kNone) {
        e.hold_head = h;
    } else {
        holds_[static_cast<std::size_t>(e.hold_tail)].next = h;
    }
    e.hold_tail = h;
    ++e.hold_count;
    ++hold_used_;
    return dropped;
}

std::span<std::uint8_t> ArpCache::held_front(const Entry& e) noexcept {
    if (e.hold_head == kNone) {
        return {};
    }
    return {hold_bytes(e.hold_head), holds_[static_cast<std::size_t>(e.hold_head)].len};
}

void ArpCache::pop_held(Entry& e) noexcept {
    if (e.hold_head == kNone) {
        return;
    }
    const std::int32_t h = e.hold_head;
    HoldSlot& s = holds_[static_cast<std::size_t>(h)];
    e.hold_head = s.next;
    if (e.hold_head == kNone) {
        e.hold_tail = kNone;
    }
    s.next = free_hold_;
    free_hold_ = h;
    --e.hold_count;
    --hold_used_;
}

void ArpCache::dump(std::vector<api::ArpEntry>& out, MonoTime now) const {
    for (const Entry& e : entries_) {
        if (!e.in_use) {
            continue;
        }
        api::ArpEntry a;
        a.ifindex = e.ifindex;
        a.addr = e.addr;
        a.mac = e.state == ArpState::incomplete ? MacAddr{} : e.mac;
        a.state = e.state;
        const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - e.confirmed);
        a.age_s = age.count() > 0 ? static_cast<std::uint32_t>(age.count()) : 0;
        out.push_back(a);
    }
}

void ArpCache::flush_ifindex(std::uint32_t ifindex) noexcept {
    for (Entry& e : entries_) {
        if (e.in_use && e.ifindex == ifindex) {
            flushed_drops_ += remove(e);
        }
    }
}

// ---- protocol ---------------------------------------------------------------------------------

void arp_request(Context& ctx, const Interface& ifp, Ip4Addr tpa) noexcept {
    // RFC 826: sender = our hardware and protocol address on that link (the address whose
    // subnet holds the target, RFC 1812 4.2.2.5 / interface.hh source_for).
    const auto spa = ifp.source_for(tpa);
    if (!spa) {
        return;
    }
    std::span<std::uint8_t> buf = tx_begin(ctx, ifp.slot);
    if (buf.empty()) {
        return;
    }
    const std::size_t n = packet::build_arp_request(buf, ifp.mac, *spa, tpa);
    if (n != 0) {
        tx_commit(ctx, ifp.slot, buf, 0, n);
    }
}

namespace {

// A held datagram as a Packet (l3 mark at 0): what icmp_error needs to quote it.
packet::Packet held_packet(std::span<std::uint8_t> bytes) noexcept {
    packet::Packet q(bytes, 0, bytes.size());
    q.set_l3(0);
    q.meta.l2_class = packet::L2Class::to_us;
    return q;
}

// The next hop never answered: RFC 1812 5.2.7.1 host unreachable (conformance A04) for every
// datagram that waited for it, then the entry goes.
void arp_fail(Context& ctx, ArpCache::Entry& e) noexcept {
    // An error can itself be routed to this next hop (a datagram from the host that does not
    // answer); arp_resolve drops it instead of queueing it here while the queue is walked.
    e.failing = true;
    while (e.hold_count > 0) {
        packet::Packet q = held_packet(ctx.arp.held_front(e));
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        // BSD rtstat rts_unreach: the next hop could not be resolved for this datagram.
        ctx.stats.rt.inc(api::RtStatId::rts_unreach);
        icmp_error(ctx, q, ICMP_UNREACH, ICMP_UNREACH_HOST);
        ctx.arp.pop_held(e);
    }
    ctx.arp.remove(e);
}

}  // namespace

ArpResolve arp_resolve(Context& ctx, const Interface& ifp, Ip4Addr next_hop,
                       const packet::Packet& p, MacAddr& mac, bool forwarded) noexcept {
    ArpCache& cache = ctx.arp;
    ArpCache::Entry* e = cache.find(ifp.slot, next_hop);
    if (e != nullptr && e->state != ArpState::incomplete) {
        mac = e->mac;
        e->used = ctx.now;
        // RFC 1122 2.3.2.1: revalidate a stale entry while still using it, at most 1 request/s.
        if (e->state == ArpState::stale && ctx.now >= e->next_request &&
            e->requests < cache.limits().max_requests) {
            ++e->requests;
            e->next_request = ctx.now + cache.limits().retry;
            arp_request(ctx, ifp, next_hop);
        }
        return ArpResolve::resolved;
    }
    if (e != nullptr && e->failing) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
        return ArpResolve::dropped;
    }
    if (e == nullptr) {
        e = cache.create(ifp.slot, static_cast<std::uint32_t>(ifp.ifindex), next_hop, ctx.now);
        if (e == nullptr) {
            ctx.stats.ip.inc(IpStatId::ips_odropped);
            return ArpResolve::dropped;
        }
    }
    // RFC 1122 2.3.2.2: queue the datagram while resolving (a bounded queue per next hop).
    const int r = cache.hold(*e, p.l3(), forwarded);
    if (r < 0) {
        ctx.stats.ip.inc(IpStatId::ips_odropped);
    } else if (r > 0) {
        ctx.stats.ip.add(IpStatId::ips_odropped, static_cast<std::uint64_t>(r));
    }
    // RFC 1122 2.3.2.1 (conformance A03): at most one request per second per address.
    if (ctx.now >= e->next_request && e->requests < cache.limits().max_requests) {
        ++e->requests;
        e->next_request = ctx.now + cache.limits().retry;
        arp_request(ctx, ifp, next_hop);
    }
    return r < 0 ? ArpResolve::dropped : ArpResolve::held;
}

void arp_input(Context& ctx, packet::Packet& p) noexcept {
    const Interface* ifp = ctx.snap->ingress(p.meta.slot, p.meta.ifindex);
    if (ifp == nullptr) {
        return;
    }
    IfCounters& ifs = ctx.stats.ifs(ifp->slot);
    auto arp = packet::ConstArpView::parse(std::span<const std::uint8_t>(p.l3()));
    // RFC 826 "Packet Reception": only Ethernet hardware and IPv4 protocol are ours.
    if (!arp || !arp->is_ether_ip4()) {
        ifs.inc(IfStatsId::ifs_noproto);
        return;
    }
    const std::uint16_t op = arp->ar_op();
    if (op != ARPOP_REQUEST && op != ARPOP_REPLY) {
        ifs.inc(IfStatsId::ifs_noproto);
        return;
    }
    const MacAddr sha = arp->arp_sha();
    const Ip4Addr spa = arp->arp_spa();
    const Ip4Addr tpa = arp->arp_tpa();
    // RFC 1812 3.3.2 (conformance A02): never map an address to a broadcast or multicast MAC;
    // a zero or our own sender address is no neighbour either.
    if (sha.is_multicast() || sha.is_zero() || sha == ifp->mac) {
        ifs.inc(IfStatsId::ifs_ierrors);
        return;
    }
    // Learn only on-link unicast senders (RFC 1812 5.3.7 martians never enter the cache); an
    // RFC 5227 probe (spa 0.0.0.0) is answered but not learnt, and a host claiming one of our
    // addresses is not believed.
    const bool learnable = !spa.is_zero() && !spa.is_multicast() && !spa.is_limited_broadcast() &&
                           ifp->on_link(spa) && ifp->classify(spa) == DstClass::other &&
                           !ctx.snap->is_ours(spa);
    const bool for_us = ifp->has_address(tpa);
    ArpCache::Entry* e = learnable ? ctx.arp.find(ifp->slot, spa) : nullptr;
    if (e == nullptr && learnable && for_us) {
        // RFC 826: the target adds the sender ("merge_flag false and I am the target").
        e = ctx.arp.create(ifp->slot, static_cast<std::uint32_t>(ifp->ifindex), spa, ctx.now);
    }
    if (e != nullptr) {
        // RFC 826: update the sender's entry; RFC 1122 2.3.2.1: this confirms it.
        e->mac = sha;
        e->state = ArpState::reachable;
        e->confirmed = ctx.now;
        e->used = ctx.now;
        e->requests = 0;
        e->next_request = ctx.now;
        // RFC 1122 2.3.2.2: the held datagrams go now, oldest first.
        while (e->hold_count > 0) {
            const bool forwarded = ctx.arp.held_front_forwarded(*e);
            if (ether_send_datagram(ctx, *ifp, sha, ctx.arp.held_front(*e)) && forwarded) {
                ctx.stats.ip.inc(IpStatId::ips_forward);  // BSD: counted when it went out
            }
            ctx.arp.pop_held(*e);
        }
    }
    if (for_us && op == ARPOP_REQUEST) {
        // RFC 826: swap, fill in our hardware address, opcode reply, send to the requester.
        std::span<std::uint8_t> buf = tx_begin(ctx, ifp->slot);
        if (buf.empty()) {
            return;
        }
        const std::size_t n = packet::build_arp_reply(buf, ifp->mac, tpa, sha, spa);
        if (n != 0) {
            tx_commit(ctx, ifp->slot, buf, 0, n);
        }
    }
}

void arp_tick(Context& ctx) noexcept {
    ArpCache& cache = ctx.arp;
    const ArpLimits& lim = cache.limits();
    for (ArpCache::Entry& e : cache.entries()) {
        if (!e.in_use) {
            continue;
        }
        const Interface* ifp =
            e.slot < ctx.snap->interfaces.size() ? &ctx.snap->interfaces[e.slot] : nullptr;
        if (ifp == nullptr || !ifp->up()) {
            ctx.stats.ip.add(IpStatId::ips_odropped, cache.remove(e));
            continue;
        }
        switch (e.state) {
            case ArpState::incomplete:
                if (ctx.now < e.next_request) {
                    break;
                }
                if (e.requests >= lim.max_requests) {
                    arp_fail(ctx, e);  // RFC 1812 5.2.7.1 (conformance A04)
                    break;
                }
                ++e.requests;
                e.next_request = ctx.now + lim.retry;  // RFC 1122 2.3.2.1: 1 request/s
                arp_request(ctx, *ifp, e.addr);
                break;
            case ArpState::reachable:
                // RFC 1122 2.3.2.1: an entry not confirmed for a while is revalidated on use.
                if (ctx.now - e.confirmed >= lim.reachable) {
                    e.state = ArpState::stale;
                }
                break;
            case ArpState::stale:
                // Unused for stale_max, or revalidated max_requests times without an answer: gone
                // (the next datagram resolves afresh and meets A04's host unreachable).
                if (ctx.now - std::max(e.used, e.confirmed) >= lim.stale_max ||
                    (e.requests >= lim.max_requests && ctx.now >= e.next_request)) {
                    cache.remove(e);
                }
                break;
            case ArpState::permanent:
                break;
        }
    }
    ctx.stats.ip.add(IpStatId::ips_odropped, cache.take_flushed_drops());
}

}  // namespace routerd::inet
