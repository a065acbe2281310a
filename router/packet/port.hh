// SPDX-License-Identifier: Apache-2.0
// Port: batched frame I/O for one interface — the seam to Linux (platform/) and to tests.
#pragma once

#include "router/base/mac.hh"
#include "router/packet/packet.hh"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace routerd::packet {

// Frames a port lost on its own side, cumulative since it opened (the worker charges the
// increase to the interface's counters once per tick: the port never touches inet::Stats).
struct PortDrops {
    std::uint64_t tx_errors = 0;  // refused by the kernel (sendmmsg error): ifs_oerrors
    std::uint64_t tx_drops = 0;   // device queue full at flush (EAGAIN): ifs_oqdrops
    std::uint64_t rx_drops = 0;   // the kernel found the RX ring full: ifs_iqdrops
    std::uint64_t rx_vlan = 0;    // 802.1Q frames with a VLAN id, not routed: ifs_noproto
};

// Designed so that an AF_PACKET TPACKET_V3 port (platform/af_packet_port) is zero-copy on RX
// and at most one copy on TX, and a test port (tests/support/fake_port.hh) is trivial:
//
// * RX: rx_batch() hands out Packets that point straight into port-owned memory (ring blocks).
//   They stay valid, and writable, until the next rx_batch() or rx_release() on the same port —
//   TPACKET_V3 returns a whole block to the kernel (TP_STATUS_KERNEL) only when every frame in
//   it is done, so the port releases the previous batch's blocks at those two points. A stage
//   may therefore rewrite a frame in place (TTL, Ethernet header) and pass the same Packet to
//   tx_batch() of another port. Nothing may keep a Packet from rx_batch() beyond the batch;
//   hold queues and reassembly copy into their own pools.
// * TX, forwarding: tx_batch() takes Packets pointing anywhere (another port's RX ring, a pool)
//   and may send them from there: the bytes must stay valid and unchanged until the next
//   tx_flush() (AfPacketPort points its sendmmsg vectors at them, so the kernel's copy into the
//   skb is the only one). The worker flushes every port before it hands RX blocks back. It
//   accepts a prefix of the batch; the rest did not fit (ring full) and the caller counts them
//   as output drops.
// * TX, locally built frames: tx_buffer() lends a writable slot in the port's own TX memory (a
//   TX ring frame: zero-copy), the caller builds the frame there with builder.hh and hands it
//   over with tx_commit(offset, len) — the offset lets the IPv4 header land 4-byte aligned
//   (builder.hh ip4_offset()). Until tx_commit(), another tx_buffer() lends the same slot.
// * tx_flush() kicks the kernel once per batch (send() on a TX ring), not once per frame.
//
// Every call is noexcept and never allocates: a full ring is an outcome, not an error.
class Port {
public:
    virtual ~Port() = default;

    // Fills up to out.size() Packets with received frames (meta.ifindex, meta.l2_class and
    // meta.rx_time set) and returns how many. Releases the previous batch first.
    virtual std::size_t rx_batch(std::span<Packet> out) noexcept = 0;
    // Ends the current RX batch early: its Packets become invalid, the memory goes back.
    virtual void rx_release() noexcept = 0;

    // Queues frames for transmission, in order; returns how many were accepted (a prefix of
    // `frames`). A port may send the bytes from where they are, so they must stay valid and
    // unchanged until the next tx_flush() (forwarded frames live in the RX ring; the worker
    // flushes before it hands those blocks back). A frame the port can never send (larger than its
    // TX slot) is not accepted: it and the rest of the batch are the caller's output drops.
    virtual std::size_t tx_batch(std::span<const Packet> frames) noexcept = 0;
    // A writable TX slot of at least mtu() + link header bytes, or an empty span when none is
    // free. The network header should land 4-byte aligned: see builder.hh ip4_offset().
    virtual std::span<std::uint8_t> tx_buffer() noexcept = 0;
    // Queues the frame held in [offset, offset + len) of the slot from the last tx_buffer().
    // False when there was no slot or the range does not fit in it.
    virtual bool tx_commit(std::size_t offset, std::size_t len) noexcept = 0;
    // Pushes queued frames to the wire. Ports that send at once need not override it.
    virtual void tx_flush() noexcept {}
    // Cumulative loss figures (see PortDrops). May make a system call: once per tick, never
    // per packet.
    virtual PortDrops drops() noexcept { return {}; }

    virtual int ifindex() const noexcept = 0;
    virtual MacAddr mac() const noexcept = 0;
    virtual std::string_view name() const noexcept = 0;
    // The link MTU: the largest IPv4 datagram the link carries, without the link header.
    virtual std::size_t mtu() const noexcept = 0;
};

}  // namespace routerd::packet
