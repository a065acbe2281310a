// SPDX-License-Identifier: Apache-2.0
// ether_input: classify a received frame at layer 2 and say which protocol takes it next.
#pragma once

#include "router/base/mac.hh"
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

// Where a frame with destination `dst` was going, judged from the MAC against the port's own
// (the port's sll_pkttype is the kernel's view; PROMISC or a test port may say otherwise).
// Never own_outgoing: only the port knows that.
constexpr packet::L2Class l2_classify(const MacAddr& dst, const MacAddr& ours) noexcept {
    if (dst == ours) {
        return packet::L2Class::to_us;
    }
    if (dst.is_broadcast()) {
        return packet::L2Class::broadcast;
    }
    return dst.is_multicast() ? packet::L2Class::multicast : packet::L2Class::other_host;
}

}  // namespace routerd::inet
