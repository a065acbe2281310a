// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ether_input.hh"

#include "router/inet/context.hh"
#include "router/packet/headers.hh"

namespace routerd::inet {

using api::IfStatsId;
using packet::L2Class;

EtherNext ether_input(Context& ctx, packet::Packet& p) noexcept {
    const Interface* ifp = ctx.snap != nullptr ? ctx.snap->by_ifindex(p.meta.ifindex) : nullptr;
    if (ifp == nullptr || ifp->slot >= ctx.port_count()) {
        return EtherNext::done;  // not a routed port: nothing to count it against
    }
    p.meta.slot = ifp->slot;  // the later stages find the ingress interface without a lookup
    IfCounters& c = ctx.stats.ifs(ifp->slot);
    // Conformance A08: our own transmissions looped back (PACKET_OUTGOING) are not received
    // frames; they were counted once, in ifs_opackets, when they left.
    if (p.meta.l2_class == L2Class::own_outgoing) {
        return EtherNext::done;
    }
    // An interface that is administratively or operationally down receives nothing (ifnet
    // IFF_UP / IFF_RUNNING); what still arrives is an input drop.
    if (!ifp->up()) {
        c.inc(IfStatsId::ifs_iqdrops);
        return EtherNext::done;
    }
    c.inc(IfStatsId::ifs_ipackets);
    c.add(IfStatsId::ifs_ibytes, p.len());
    auto eth = packet::ConstEtherView::parse(std::span<const std::uint8_t>(p.bytes()));
    // IEEE 802.3 3.2.3: a source address is never a group address.
    if (!eth || eth->ether_shost().is_multicast()) {
        c.inc(IfStatsId::ifs_ierrors);
        return EtherNext::done;
    }
    p.meta.l2_class = l2_classify(eth->ether_dhost(), ifp->mac);
    switch (p.meta.l2_class) {
        case L2Class::to_us:
            break;
        case L2Class::broadcast:
            c.inc(IfStatsId::ifs_ibcasts);
            break;
        case L2Class::multicast:
            c.inc(IfStatsId::ifs_imcasts);
            break;
        case L2Class::other_host:
        case L2Class::own_outgoing:
            // Conformance A08: a frame for another station (seen in PROMISC) is never routed or
            // answered.
            c.inc(IfStatsId::ifs_iqdrops);
            return EtherNext::done;
    }
    const packet::EtherPayload pl = eth->payload();
    switch (pl.encap) {
        case packet::EtherEncap::ethernet_ii:  // RFC 894
            break;
        case packet::EtherEncap::snap:   // RFC 1042 (conformance A01): the 802.3 length bounds the
            p.trim(pl.offset + pl.len);  // payload, so padding is cut here already
            break;
        case packet::EtherEncap::llc:  // some other 802.2 protocol: not ours
            c.inc(IfStatsId::ifs_noproto);
            return EtherNext::done;
        case packet::EtherEncap::invalid:  // IEEE 802.3 3.2.6: never read a length as a type
            c.inc(IfStatsId::ifs_ierrors);
            return EtherNext::done;
    }
    switch (pl.ether_type) {
        case ETHERTYPE_IP:
            p.set_l3(pl.offset);
            return EtherNext::ip;
        case ETHERTYPE_ARP:
            p.set_l3(pl.offset);
            return EtherNext::arp;
        default:
            c.inc(IfStatsId::ifs_noproto);  // IPv6, LLDP, ...: routerd speaks IPv4 and ARP
            return EtherNext::done;
    }
}

}  // namespace routerd::inet
