// SPDX-License-Identifier: Apache-2.0
// AfPacketPort: a packet::Port over an AF_PACKET socket with a TPACKET_V3 RX ring and sendmmsg TX.
#pragma once

#include "router/base/mac.hh"
#include "router/base/result.hh"
#include "router/packet/port.hh"

#include <array>
#include <cstddef>
#include <cstdint>
#include <linux/if_packet.h>
#include <memory>
#include <string>
#include <sys/socket.h>

namespace routerd::platform {

struct AfPacketOptions {
    // RX ring: blocks of kBlockSize; frames are packed into them (TPACKET_V3).
    std::uint32_t block_size = 1u << 20;
    std::uint32_t block_count = 16;
    // How long the kernel keeps a partly filled block before handing it over: the latency
    // floor at low rates (ms). 1 ms keeps ping times honest; full blocks go at once.
    std::uint32_t block_timeout_ms = 1;
    bool qdisc_bypass = true;  // PACKET_QDISC_BYPASS: skip the qdisc on TX (veth, virtio)
};

/// One routed interface. ETH_P_ALL so the socket sees frames before any netdev ingress hook
/// drops them for the kernel (ptype_all taps run first; ARCHITECTURE.md, DESIGN.md "kernel
/// stays silent"). PACKET_IGNORE_OUTGOING keeps our own transmissions out of the RX ring.
/// PACKET_MR_ALLMULTI makes the NIC pass every multicast group (IGMP, RFC 1112 6.4); the
/// kernel undoes it when the socket closes, so a crash leaves nothing behind.
///
/// TX: one sendmmsg per flush. Forwarded frames are sent from where they are (the RX ring:
/// tx_batch only points the message vectors at them); locally built ones from a fixed staging
/// area (tx_buffer). On veth a TX ring is not zero-copy (veth orphans the frags and copies them
/// again), so sendmmsg's single copy into the skb is the cheaper path (see the shared
/// forward-bench notes).
class AfPacketPort final : public packet::Port {
public:
    static Result<std::unique_ptr<AfPacketPort>> open(const std::string& ifname,
                                                      const AfPacketOptions& opts = {});
    ~AfPacketPort() override;
    AfPacketPort(const AfPacketPort&) = delete;
    AfPacketPort& operator=(const AfPacketPort&) = delete;

    std::size_t rx_batch(std::span<packet::Packet> out) noexcept override;
    void rx_release() noexcept override;
    std::size_t tx_batch(std::span<const packet::Packet> frames) noexcept override;
    std::span<std::uint8_t> tx_buffer() noexcept override;
    bool tx_commit(std::size_t offset, std::size_t len) noexcept override;
    void tx_flush() noexcept override;
    // Reads the kernel's ring drop figure (PACKET_STATISTICS, one getsockopt): once per tick.
    packet::PortDrops drops() noexcept override;

    int ifindex() const noexcept override { return ifindex_; }
    MacAddr mac() const noexcept override { return mac_; }
    std::string_view name() const noexcept override { return name_; }
    std::size_t mtu() const noexcept override { return mtu_; }
    void set_mtu(std::size_t mtu) noexcept { mtu_ = mtu; }

    /// The socket, for the worker's poll/epoll (readable when a block is ready).
    int fd() const noexcept { return fd_; }

    /// Kernel-side drop figures (PACKET_STATISTICS: ring full), since the last call.
    struct RingStats {
        std::uint64_t packets = 0;
        std::uint64_t drops = 0;
        std::uint64_t freezes = 0;
    };
    /// The kernel's counters are reset by every read; drops() folds them into its totals.
    RingStats ring_stats() noexcept;
    /// Frames the kernel refused on TX (a sendmmsg error for that message): output errors.
    std::uint64_t tx_errors() const noexcept { return tx_errors_; }
    /// Frames still queued when the device queue was full (EAGAIN): output drops.
    std::uint64_t tx_drops() const noexcept { return tx_drops_; }
    /// 802.1Q frames with a non-zero VLAN id (the kernel strips the tag): not routed.
    std::uint64_t rx_vlan() const noexcept { return rx_vlan_; }

private:
    static constexpr std::size_t kTxSlots = 64;
    static constexpr std::size_t kTxSlotSize = 2048;  // >= 1514 + headroom; jumbo is a later step

    AfPacketPort() = default;
    Status setup(const std::string& ifname, const AfPacketOptions& opts);
    void release_done_blocks() noexcept;

    int fd_ = -1;
    int tx_fd_ = -1;  // TX only (protocol 0, not waited on)
    int ifindex_ = 0;
    std::string name_;
    MacAddr mac_;
    std::size_t mtu_ = 1500;

    // RX ring
    std::uint8_t* ring_ = nullptr;
    std::size_t ring_len_ = 0;
    std::uint32_t block_size_ = 0;
    std::uint32_t block_count_ = 0;
    std::uint32_t block_ = 0;         // next block to read
    std::uint32_t pkt_in_block_ = 0;  // packets already taken from block_
    std::uint8_t* pkt_ = nullptr;     // next packet header within block_
    std::uint32_t held_first_ = 0;    // first block still held by user space
    std::uint32_t held_count_ = 0;    // blocks held (the current batch's, plus a partial one)

    // TX staging: slots, their lengths and the sendmmsg vectors, allocated once.
    std::unique_ptr<std::uint8_t[]> tx_mem_;
    std::array<iovec, kTxSlots> tx_iov_{};
    std::array<mmsghdr, kTxSlots> tx_msg_{};
    std::size_t tx_queued_ = 0;
    std::uint64_t tx_errors_ = 0;
    std::uint64_t tx_drops_ = 0;
    std::uint64_t rx_vlan_ = 0;
    std::uint64_t rx_ring_drops_ = 0;  // PACKET_STATISTICS tp_drops, summed
};

}  // namespace routerd::platform
