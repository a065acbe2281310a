// SPDX-License-Identifier: Apache-2.0
// ip_local: a datagram for us (one of our addresses, a broadcast, a group we handle).
#pragma once

#include "router/packet/packet.hh"

namespace routerd::inet {

class Context;

// The protocol switch (RFC 1122 3.2.1, RFC 1812 4.3.3.1): ICMP to icmp_input, IGMP counted for
// the IGMP issue, UDP -> port unreachable, TCP -> RST, anything else -> protocol unreachable.
// p: validated, trimmed to ip_len, l3 mark on the IPv4 header. Never modifies p's bytes (a
// directed broadcast may be forwarded after it).
void ip_local(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
