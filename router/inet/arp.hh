// SPDX-License-Identifier: Apache-2.0
// ARP (RFC 826): arp_input, and ArpCache with states, timeouts, a size limit and hold queues.
#pragma once

#include "router/api/messages.hh"
#include "router/base/clock.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/inet/interface.hh"
#include "router/packet/packet.hh"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace routerd::inet {

class Context;

// Bounds and timers of the ARP cache. Every number bounds memory or traffic.
struct ArpLimits {
    std::size_t max_entries = 4096;  // cache size; a full cache evicts the oldest stale entry
    std::size_t hold_per_entry = 3;  // datagrams queued per unresolved next hop (RFC 1122 2.3.2.2)
    std::size_t hold_pool = 512;     // queued datagrams over all entries
    std::size_t hold_bytes = 2048;   // largest held datagram (raised to the largest MTU)
    Duration reachable = std::chrono::minutes(5);   // a confirmed entry is used this long ...
    Duration stale_max = std::chrono::minutes(20);  // ... and removed when unused this long
    Duration retry = std::chrono::seconds(1);       // 1 request/s per address (RFC 1122 2.3.2.1)
    std::uint32_t max_requests = 3;                 // unanswered requests before host unreachable
};

// The neighbour cache of one worker: fixed arrays sized by ArpLimits at construction (a chained
// hash over an entry array, a pool of hold slots); nothing allocates after that. The public
// part is what the control side uses; the rest is for the stages in arp.cc / ether_output.cc.
class ArpCache {
public:
    explicit ArpCache(const ArpLimits& limits = {});
    ArpCache(const ArpCache&) = delete;
    ArpCache& operator=(const ArpCache&) = delete;

    // Appends every entry (GET_ARP). Runs on the worker thread (the control thread posts it).
    void dump(std::vector<api::ArpEntry>& out, MonoTime now) const;
    std::size_t size() const noexcept { return used_; }
    // Forgets every entry learnt on this interface (it went down or lost its address) and drops
    // its held datagrams (counted ips_odropped at the next inet_tick).
    void flush_ifindex(std::uint32_t ifindex) noexcept;

    // ---- data plane internals -------------------------------------------------------------
    static constexpr std::int32_t kNone = -1;

    struct Entry {
        Ip4Addr addr;
        MacAddr mac;             // zero while incomplete
        std::uint32_t slot = 0;  // Interface::slot the neighbour sits on
        std::uint32_t ifindex = 0;
        api::ArpState state = api::ArpState::incomplete;
        bool in_use = false;
        MonoTime confirmed{};            // last reply / request from it (reachable since)
        MonoTime used{};                 // last datagram sent to it
        MonoTime next_request{};         // RFC 1122 2.3.2.1: no request before this
        std::uint32_t requests = 0;      // requests sent since the last confirmation
        std::int32_t hold_head = kNone;  // oldest held datagram (hold pool index)
        std::int32_t hold_tail = kNone;
        std::uint32_t hold_count = 0;
        bool failing = false;       // its held datagrams are being answered with host unreachable
        std::int32_t next = kNone;  // hash chain, or the free list
    };

    const ArpLimits& limits() const noexcept { return limits_; }
    Entry* find(std::uint32_t slot, Ip4Addr addr) noexcept;
    // A new incomplete entry; a full cache evicts the least recently confirmed stale entry,
    // else the least recently confirmed reachable one (whose held datagrams are dropped).
    // nullptr when every entry is incomplete (a resolution flood): the caller drops.
    Entry* create(std::uint32_t slot, std::uint32_t ifindex, Ip4Addr addr, MonoTime now) noexcept;
    // Frees the entry and its held datagrams; returns how many datagrams were dropped.
    std::size_t remove(Entry& e) noexcept;

    // RFC 1122 2.3.2.2: queue a copy of the datagram; when the entry's queue or the pool is full
    // the entry's oldest datagram makes room (the newest is the one to keep). Returns how many
    // datagrams were dropped to do so (0 or 1), or -1 when it cannot be held at all (too big,
    // or the pool is empty and this entry holds nothing).
    // `forwarded`: a transit datagram (ips_forward is counted when it leaves).
    int hold(Entry& e, std::span<const std::uint8_t> datagram, bool forwarded = false) noexcept;
    // The oldest held datagram of e, or an empty span.
    std::span<std::uint8_t> held_front(const Entry& e) noexcept;
    // True when the oldest held datagram of e is a forwarded one.
    bool held_front_forwarded(const Entry& e) const noexcept {
        return e.hold_head != kNone && holds_[static_cast<std::size_t>(e.hold_head)].forwarded;
    }
    void pop_held(Entry& e) noexcept;

    // Every entry slot, in use or not (inet_tick walks them).
    std::span<Entry> entries() noexcept { return entries_; }
    std::size_t hold_in_use() const noexcept { return hold_used_; }
    // Held datagrams flush_ifindex() dropped, not yet counted.
    std::size_t take_flushed_drops() noexcept {
        const std::size_t n = flushed_drops_;
        flushed_drops_ = 0;
        return n;
    }

private:
    std::size_t bucket(std::uint32_t slot, Ip4Addr addr) const noexcept;
    void unlink(Entry& e) noexcept;
    std::size_t free_holds(Entry& e) noexcept;
    std::uint8_t* hold_bytes(std::int32_t i) noexcept {
        return hold_data_.data() + static_cast<std::size_t>(i) * limits_.hold_bytes;
    }

    struct HoldSlot {
        std::int32_t next = kNone;
        std::uint32_t len = 0;
        bool forwarded = false;
    };

    ArpLimits limits_;
    std::vector<Entry> entries_;
    std::vector<std::int32_t> buckets_;
    std::int32_t free_entry_ = kNone;
    std::size_t used_ = 0;
    std::vector<HoldSlot> holds_;
    std::vector<std::uint8_t> hold_data_;
    std::int32_t free_hold_ = kNone;
    std::size_t hold_used_ = 0;
    std::size_t flushed_drops_ = 0;
};

// Looks up the Ethernet address of next_hop on interface ifp for datagram p (l3 mark on its
// IPv4 header). resolved: mac is set. held: a copy waits in the hold queue (a request went
// out, at most one per second per address). dropped: counted ips_odropped.
enum class ArpResolve { resolved, held, dropped };
// `forwarded`: p is a transit datagram (counted ips_forward when a held copy leaves).
ArpResolve arp_resolve(Context& ctx, const Interface& ifp, Ip4Addr next_hop,
                       const packet::Packet& p, MacAddr& mac, bool forwarded = false) noexcept;

// Sends an ARP request for tpa out of ifp (broadcast, sender = ifp's address for tpa).
void arp_request(Context& ctx, const Interface& ifp, Ip4Addr tpa) noexcept;

// Retries, aging and host unreachable for the datagrams of next hops that never answered.
void arp_tick(Context& ctx) noexcept;

// A received ARP frame (ether_input said EtherNext::arp; l3 mark on the ARP header).
// RFC 826 "packet reception", with RFC 5227 / RFC 1122 2.3.2 refinements.
void arp_input(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
