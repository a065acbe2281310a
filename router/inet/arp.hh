// SPDX-License-Identifier: Apache-2.0
// ARP (RFC 826): arp_input, and ArpCache with states, timeouts, a size limit and hold queues.
#pragma once

#include "router/api/messages.hh"
#include "router/base/clock.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/packet/packet.hh"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace routerd::inet {

class Context;

// Bounds and timers of the ARP cache. Every number bounds memory or traffic.
struct ArpLimits {
    std::size_t max_entries = 4096;       // cache size; a full cache evicts the oldest stale entry
    std::size_t hold_per_entry = 3;       // datagrams queued per unresolved next hop (RFC 1122 2.3.2.2)
    std::size_t hold_pool = 512;          // queued datagrams over all entries
    Duration reachable = std::chrono::minutes(5);  // a confirmed entry is used this long ...
    Duration stale_max = std::chrono::minutes(20); // ... and removed when unused this long
    Duration retry = std::chrono::seconds(1);      // 1 request/s per address (RFC 1122 2.3.2.1)
    std::uint32_t max_requests = 3;       // unanswered requests before host unreachable
};

// Implementation-defined internals (fixed pools sized by ArpLimits at construction; nothing
// allocates after that). The public part below is what the data plane and the control side use.
class ArpCache {
public:
    explicit ArpCache(const ArpLimits& limits = {});
    ArpCache(const ArpCache&) = delete;
    ArpCache& operator=(const ArpCache&) = delete;
    ~ArpCache();

    // Appends every entry (GET_ARP). Runs on the worker thread (the control thread posts it).
    void dump(std::vector<api::ArpEntry>& out, MonoTime now) const;
    std::size_t size() const noexcept;
    // Forgets every entry learnt on this interface (it went down or lost its address) and drops
    // its held datagrams.
    void flush_ifindex(std::uint32_t ifindex) noexcept;

    struct Impl;

private:
    Impl* impl_;
};

// A received ARP frame (ether_input said EtherNext::arp; l3 mark on the ARP header).
// RFC 826 "packet reception", with RFC 5227 / RFC 1122 2.3.2 refinements.
void arp_input(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
