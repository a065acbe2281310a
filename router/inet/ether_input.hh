// SPDX-License-Identifier: Apache-2.0
// ether_input: classify a received frame at layer 2 and say which protocol takes it next.
#pragma once

#include "router/packet/packet.hh"

namespace routerd::inet {

class Context;

enum class EtherNext {
    arp,   // l3 mark on the ARP header: call arp_input
    ip,    // l3 mark on the IPv4 header: call ip_input
    done,  // dropped (and counted) or consumed
};

// Ours / broadcast / multicast / other host / own outgoing; Ethernet II and 802.2 SNAP
// (RFC 894, RFC 1042). Counts the frame in the ingress interface's ifstats.
EtherNext ether_input(Context& ctx, packet::Packet& p) noexcept;

}  // namespace routerd::inet
