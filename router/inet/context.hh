// SPDX-License-Identifier: Apache-2.0
// Snapshot (immutable, published by the control thread) and Context (one per worker, mutable).
#pragma once

#include "router/base/clock.hh"
#include "router/fib/rib.hh"
#include "router/inet/arp.hh"
#include "router/inet/icmp_error.hh"
#include "router/inet/interface.hh"
#include "router/inet/stats.hh"
#include "router/packet/port.hh"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace routerd::inet {

// The `ip:` settings as the data plane reads them (seed ip_stuff variables).
struct IpSettings {
    bool forwarding = true;          // ip_forwarding
    std::uint8_t default_ttl = 64;   // ip_default_ttl: TTL of datagrams we originate
    std::uint32_t reassembly_timeout_s = 30;  // ipq_ttl
    bool send_redirects = true;      // ip_sendredirects
    bool source_route = false;       // forward LSRR/SSRR (RFC 7126: off by default)

    friend bool operator==(const IpSettings&, const IpSettings&) = default;
};

// Everything the data plane reads that the control thread changes, in one immutable object.
// The control thread builds a new Snapshot for every change and publishes it with an atomic
// pointer swap; the old one is freed after a QSBR grace period (ARCHITECTURE.md section 14).
// The routing table is the exception: the Rib's Fib is updated in place, lock-free, under the
// same Qsbr (router/fib/README.md), so a route change does not copy a full table.
struct Snapshot {
    std::uint64_t generation = 0;  // increases with every publish
    IpSettings ip;
    std::vector<Interface> interfaces;  // by slot; the set is fixed for routerd's lifetime
    const fib::Rib* rib = nullptr;      // never null once published

    // The interface with this Linux ifindex, or nullptr. A few ports: a linear scan is faster
    // than a map.
    const Interface* by_ifindex(int ifindex) const noexcept {
        for (const auto& i : interfaces) {
            if (i.ifindex == ifindex) {
                return &i;
            }
        }
        return nullptr;
    }
    // True when a is an address of any of our interfaces (RFC 1812 5.2.3: a datagram for any of
    // the router's addresses is delivered locally, whatever interface it came in on).
    bool is_ours(Ip4Addr a) const noexcept {
        for (const auto& i : interfaces) {
            if (i.has_address(a)) {
                return true;
            }
        }
        return false;
    }
};

// Sizes of the worker's fixed pools; exhaustion is a counted drop, never an allocation.
struct ContextLimits {
    ArpLimits arp;
    IcmpRateLimit icmp_rate;
};

// One worker's mutable state: everything a stage writes. Owned and used by one thread only,
// except `stats`, which stats_collect reads concurrently (single-writer counters).
class Context {
public:
    // ports[slot] is the Port of Snapshot::interfaces[slot]; the span must outlive the Context.
    explicit Context(std::span<packet::Port* const> ports, const ContextLimits& limits = {});
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Set by the worker before each batch (loaded once from the published pointer) and each tick.
    const Snapshot* snap = nullptr;
    MonoTime now{};

    Stats stats;
    ArpCache arp;
    IcmpLimiter icmp_limiter;

    std::size_t port_count() const noexcept { return ports_.size(); }
    packet::Port& port(std::uint32_t slot) noexcept { return *ports_[slot]; }

private:
    std::span<packet::Port* const> ports_;
};

}  // namespace routerd::inet
