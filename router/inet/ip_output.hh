// SPDX-License-Identifier: Apache-2.0
// ip_output: send a datagram we originate (ICMP replies and errors).
#pragma once

#include "router/base/ip4.hh"
#include "router/fib/route.hh"
#include "router/packet/packet.hh"

#include <cstdint>
#include <optional>

namespace routerd::inet {

class Context;
struct Interface;

struct Snapshot;

// The FIB's answer for dst, as the data plane acts on it (RFC 1812 5.2.4.3).
enum class RouteVerdict : std::uint8_t {
    forward,    // out of ifp to next_hop
    local,      // a local route: one of our addresses
    no_route,   // no route, or its interface is unknown or down (treated alike: RFC 1812
                // 5.2.7.1 net unreachable; the route is unusable until the link comes back)
    reject,     // a reject route: net unreachable (DESIGN.md, conformance C03)
    blackhole,  // a blackhole route: silent drop
};

// Where a datagram to dst leaves: the egress interface (up) and the on-link next hop.
struct OutRoute {
    const Interface* ifp = nullptr;
    Ip4Addr next_hop;
};

// Pure: the verdict for dst, and for `forward` the egress interface and next hop (the route's
// gateway, or dst itself when on-link).
RouteVerdict route_lookup(const Snapshot& snap, Ip4Addr dst, OutRoute& out) noexcept;

// The FIB's answer for a datagram we originate to dst. nullopt: no usable route (none,
// reject, blackhole, local, or the interface is down or unknown).
std::optional<OutRoute> route_output(const Context& ctx, Ip4Addr dst) noexcept;

// Sends a datagram built by us (l3 mark on a complete IPv4 header, checksum valid, in local
// memory) by route r: ips_localout, MTU (fragmentation is the next issue: a datagram larger
// than the egress MTU is dropped, ips_odropped), ether_output.
void ip_output(Context& ctx, const OutRoute& r, packet::Packet& p) noexcept;

}  // namespace routerd::inet
