// SPDX-License-Identifier: Apache-2.0
// ether_output: put an IPv4 datagram in an Ethernet II frame and queue it on the egress port.
#pragma once

#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/packet/packet.hh"

#include <cstddef>
#include <cstdint>
#include <span>

namespace routerd::inet {

class Context;
struct Interface;

// Where the datagram's bytes live, which decides how it reaches the port.
enum class Origin {
    forwarded,  // a received frame (RX memory): rewritten in place, sent by tx_flush_all()
    local,      // built by us (Context::scratch or a hold slot): copied into a TX slot now
};

// Sends the datagram in p (l3 mark on its IPv4 header, trimmed to ip_len, checksum valid) out
// of ifp to next_hop: the destination MAC is broadcast for a broadcast next hop, the RFC 1112
// 6.4 mapping for a multicast one, else ARP's answer (the datagram may wait in a hold queue).
// The MTU was checked by the caller (ip_output / ip_forward).
void ether_output(Context& ctx, const Interface& ifp, Ip4Addr next_hop, packet::Packet& p,
                  Origin origin) noexcept;

// Sends a datagram (IPv4 header first) to a known MAC out of ifp: one copy into a TX slot.
// Used for held datagrams once ARP answered. False (counted) when the port had no slot.
bool ether_send_datagram(Context& ctx, const Interface& ifp, const MacAddr& dst,
                         std::span<const std::uint8_t> datagram) noexcept;

// Locally built whole frames (ARP): tx_begin() gives the port's TX slot after pushing the
// port's queued forwarded frames (so frames leave in the order they were decided), tx_commit()
// hands [offset, offset + len) over and counts it. An empty span: no slot (counted by tx_begin).
std::span<std::uint8_t> tx_begin(Context& ctx, std::uint32_t slot) noexcept;
bool tx_commit(Context& ctx, std::uint32_t slot, std::span<const std::uint8_t> buf,
               std::size_t offset, std::size_t len) noexcept;

// End of an RX batch: every port's queued forwarded frames go out with one Port::tx_batch, then
// Port::tx_flush() on every port that got something. Frames tx_batch refuses are counted
// ifs_oqdrops and ips_odropped. The worker calls it before the next rx_batch.
void tx_flush_all(Context& ctx) noexcept;

}  // namespace routerd::inet
