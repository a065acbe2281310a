// SPDX-License-Identifier: Apache-2.0
// ip_input: RFC 1812 5.2.2 validation, then local delivery or forwarding.
#pragma once

#include "router/packet/packet.hh"

namespace routerd::inet {

class Context;

// A received IPv4 datagram (ether_input said EtherNext::ip; l3 mark on the IPv4 header).
void ip_input(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
