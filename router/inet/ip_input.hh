// SPDX-License-Identifier: Apache-2.0
// ip_input: RFC 1812 5.2.2 validation, then local delivery or forwarding.
#pragma once

#include "router/base/ip4.hh"
#include "router/packet/packet.hh"

#include <cstdint>

namespace routerd::inet {

class Context;
struct Interface;
struct Snapshot;

// What a received datagram's destination is to us (RFC 1812 5.2.3, 5.3.5, 5.3.7; RFC 919).
enum class DstKind : std::uint8_t {
    ours,               // one of our addresses, on any interface (RFC 1812 5.2.3)
    limited_broadcast,  // 255.255.255.255: local only, never forwarded (conformance B10)
    broadcast_here,     // a broadcast of the ingress interface's subnets (conformance C05)
    broadcast_other,    // a directed broadcast of another interface's subnet (conformance C04)
    multicast,          // 224/4: never forwarded (no multicast routing)
    martian,            // 0/8, 127/8, 240/4 (conformance B09)
    forward,            // anything else: the FIB decides
};
DstKind classify_dst(const Snapshot& snap, const Interface& in, Ip4Addr dst) noexcept;

// RFC 1812 5.3.7 / 4.2.3.1, RFC 1122 3.2.1.3 (conformance B09): a source no single host can
// have: 0/8, 127/8, 224/4, 240/4, 255.255.255.255, a broadcast of one of our subnets, or one
// of our own addresses arriving from outside. 0.0.0.0 is judged by the caller (it is allowed
// for local IGMP and address mask requests).
bool martian_src(const Snapshot& snap, Ip4Addr src) noexcept;

// The interface whose subnet broadcast dst is, or nullptr.
const Interface* broadcast_owner(const Snapshot& snap, Ip4Addr dst) noexcept;

// A received IPv4 datagram (ether_input said EtherNext::ip; l3 mark on the IPv4 header).
void ip_input(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
