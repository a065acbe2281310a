// SPDX-License-Identifier: Apache-2.0
// Route vocabulary: NextHop {kind, ifindex, gateway}, RouteSource, and the next-hop index type.
#pragma once

#include "router/base/ip4.hh"

#include <cstdint>
#include <string>

namespace routerd::fib {

// What the data plane does with a packet whose longest match is this route.
enum class NextHopKind : std::uint8_t {
    forward,    // out of `ifindex`, to `gateway` (0.0.0.0: the destination is on-link)
    local,      // one of our own addresses: deliver locally
    reject,     // drop and send ICMP unreachable (RFC 1812 5.2.7.1)
    blackhole,  // drop silently
};

struct NextHop {
    NextHopKind kind = NextHopKind::forward;
    std::uint32_t ifindex = 0;
    Ip4Addr gateway;

    static constexpr NextHop reject_route() { return NextHop{NextHopKind::reject, 0, {}}; }
    static constexpr NextHop blackhole_route() { return NextHop{NextHopKind::blackhole, 0, {}}; }

    friend constexpr bool operator==(const NextHop&, const NextHop&) = default;
};

std::string to_string(NextHopKind kind);
std::string to_string(const NextHop& nh);

// Where a route came from. When several sources hold the same prefix the lowest value wins:
// connected routes (from interface addresses, including their /32 local routes) beat static
// ones (YAML and the control socket; reject and blackhole routes are static routes whose next
// hop kind says so), as in BSD and the administrative distances of common routers (0 vs 1).
enum class RouteSource : std::uint8_t {
    connected = 0,
    static_route = 1,
};

std::string to_string(RouteSource source);

// A route as the control side lists it.
struct Route {
    Ip4Prefix prefix;
    RouteSource source = RouteSource::static_route;
    NextHop next_hop;

    friend bool operator==(const Route&, const Route&) = default;
};

// A next hop as the lookup table stores it: an index into the NextHopTable. 0 means "no route";
// 15 bits, so a table holds at most 32767 distinct next hops.
using NhIndex = std::uint16_t;
inline constexpr NhIndex kNoRoute = 0;
inline constexpr NhIndex kMaxNhIndex = 0x7fff;

}  // namespace routerd::fib
