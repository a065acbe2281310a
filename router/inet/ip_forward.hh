// SPDX-License-Identifier: Apache-2.0
// ip_forward: route a transit datagram (RFC 1812 5.2.4 - 5.3.1).
#pragma once

#include "router/packet/packet.hh"

namespace routerd::inet {

class Context;

// p: validated by ip_input, trimmed to ip_len, not ours, not a broadcast of the ingress link.
// TTL (RFC 1812 5.3.1), FIB lookup (5.2.4.3), reject/blackhole, MTU (4.2.3.3), then
// ether_output on the egress port. Transit fragments go as they are (conformance C07).
void ip_forward(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
