// SPDX-License-Identifier: Apache-2.0
// Packet: a view of one frame in memory someone else owns (a port's ring, a TX pool), plus Meta.
#pragma once

#include "router/base/assert.hh"
#include "router/base/clock.hh"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace routerd::packet {

// Memory model. A Packet never owns or allocates: it points into a buffer that belongs to a
// Port (an AF_PACKET TPACKET_V3 ring block on RX, a TX ring frame or a worker's fixed pool on
// TX). The frame occupies [data(), data() + len()) inside [buffer, buffer + capacity); the bytes
// in front of it are headroom (room to prepend a link header when a datagram is sent: TPACKET_V3
// gives it through tp_mac and PACKET_RESERVE) and the bytes after it tailroom. Copying a Packet
// copies the view, not the bytes. Offsets are kept from the buffer start, so the L3 mark survives
// prepend() and pull().

// Where the link layer says a received frame was going (ARCHITECTURE.md section 15). On
// AF_PACKET these map one to one onto sll_pkttype: PACKET_HOST, PACKET_BROADCAST,
// PACKET_MULTICAST, PACKET_OTHERHOST and PACKET_OUTGOING (our own frames looped back to us).
enum class L2Class : std::uint8_t { to_us, broadcast, multicast, other_host, own_outgoing };

// Typed per-frame metadata. Byte offsets into the frame live in Packet (only the L3 mark).
struct Meta {
    int ifindex = 0;                    // ingress interface (Linux ifindex), 0 when built locally
    L2Class l2_class = L2Class::to_us;  // filled by the port, refined by ether_input
    MonoTime rx_time{};                 // when the worker took the frame off the port
    std::uint32_t slot = 0;             // ingress Interface::slot, set by ether_input
    // The sender's stack left the L4 checksum to offload hardware that never ran (a veth or
    // virtio peer with TX checksum offload: AF_PACKET TP_STATUS_CSUMNOTREADY). Local delivery
    // must not judge the checksum (platform/README.md).
    bool csum_partial = false;
};

class Packet {
public:
    Packet() = default;

    // A frame of `len` bytes starting `offset` bytes into `buffer`.
    Packet(std::span<std::uint8_t> buffer, std::size_t offset, std::size_t len) noexcept
        : buf_(buffer.data()),
          cap_(static_cast<std::uint32_t>(buffer.size())),
          off_(static_cast<std::uint32_t>(offset)),
          len_(static_cast<std::uint32_t>(len)) {
        RD_ASSERT(buffer.size() <= std::numeric_limits<std::uint32_t>::max());
        RD_ASSERT(offset <= buffer.size() && len <= buffer.size() - offset);
    }

    std::uint8_t* data() noexcept { return buf_ + off_; }
    const std::uint8_t* data() const noexcept { return buf_ + off_; }
    std::size_t len() const noexcept { return len_; }
    std::size_t headroom() const noexcept { return off_; }
    std::size_t tailroom() const noexcept { return cap_ - off_ - len_; }
    std::size_t capacity() const noexcept { return cap_; }
    bool empty() const noexcept { return len_ == 0; }

    std::span<std::uint8_t> bytes() noexcept { return {data(), len_}; }
    std::span<const std::uint8_t> bytes() const noexcept { return {data(), len_}; }

    // Grows the frame at the front by n bytes of headroom (a link header about to be written).
    // Returns the new data() or nullptr, unchanged, when the headroom is too small.
    std::uint8_t* prepend(std::size_t n) noexcept {
        if (n > off_) {
            return nullptr;
        }
        off_ -= static_cast<std::uint32_t>(n);
        len_ += static_cast<std::uint32_t>(n);
        return data();
    }

    // Removes n bytes from the front (a header consumed). False, unchanged, when n > len().
    bool pull(std::size_t n) noexcept {
        if (n > len_) {
            return false;
        }
        off_ += static_cast<std::uint32_t>(n);
        len_ -= static_cast<std::uint32_t>(n);
        return true;
    }

    // Cuts trailing bytes so that len() == new_len (Ethernet padding after ip_len). False,
    // unchanged, when new_len > len(): trimming never grows a frame.
    bool trim(std::size_t new_len) noexcept {
        if (new_len > len_) {
            return false;
        }
        len_ = static_cast<std::uint32_t>(new_len);
        return true;
    }

    // Grows the frame at the back by n bytes of tailroom. False, unchanged, when too small.
    bool extend(std::size_t n) noexcept {
        if (n > tailroom()) {
            return false;
        }
        len_ += static_cast<std::uint32_t>(n);
        return true;
    }

    // The L3 mark: where the network header starts, `offset` bytes from data(). The mark is
    // the only byte offset Packet keeps; everything past it is read through headers.hh views.
    void set_l3(std::size_t offset) noexcept {
        RD_ASSERT(offset <= len_);
        l3_ = off_ + static_cast<std::uint32_t>(offset);
    }
    void clear_l3() noexcept { l3_ = kNoL3; }
    // True while the mark lies inside the frame (a pull() past it or a trim() before it
    // invalidates it).
    bool has_l3() const noexcept { return l3_ != kNoL3 && l3_ >= off_ && l3_ <= off_ + len_; }
    // Offset of the L3 mark from data(); only meaningful when has_l3().
    std::size_t l3_offset() const noexcept { return has_l3() ? l3_ - off_ : 0; }

    // The link header: [data(), L3 mark). Empty without a mark.
    std::span<std::uint8_t> l2() noexcept { return {data(), l3_offset()}; }
    std::span<const std::uint8_t> l2() const noexcept { return {data(), l3_offset()}; }
    // The network layer: [L3 mark, end of frame). Empty without a mark.
    std::span<std::uint8_t> l3() noexcept { return {buf_ + l3_begin(), l3_len()}; }
    std::span<const std::uint8_t> l3() const noexcept { return {buf_ + l3_begin(), l3_len()}; }
    std::size_t l3_len() const noexcept { return has_l3() ? off_ + len_ - l3_ : 0; }

    // Cuts trailing bytes so that l3_len() == n: trim to ip_len (RFC 1812 5.2.2: a frame longer
    // than ip_len carries link padding). False, unchanged, without a mark or when n > l3_len().
    bool trim_l3(std::size_t n) noexcept {
        if (!has_l3() || n > l3_len()) {
            return false;
        }
        len_ = l3_ - off_ + static_cast<std::uint32_t>(n);
        return true;
    }

    Meta meta;

private:
    static constexpr std::uint32_t kNoL3 = std::numeric_limits<std::uint32_t>::max();

    std::size_t l3_begin() const noexcept { return has_l3() ? l3_ : off_; }

    std::uint8_t* buf_ = nullptr;
    std::uint32_t cap_ = 0;
    std::uint32_t off_ = 0;
    std::uint32_t len_ = 0;
    std::uint32_t l3_ = kNoL3;
};

}  // namespace routerd::packet
