// SPDX-License-Identifier: Apache-2.0
// FakePort: a packet::Port over std::vectors — inject received frames, capture sent ones.
#pragma once

#include "router/base/clock.hh"
#include "router/base/mac.hh"
#include "router/packet/packet.hh"
#include "router/packet/port.hh"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace routerd::test {

// Allocates freely (tests only). Mirrors the AF_PACKET port's contract: rx_batch() Packets
// point into port-owned buffers that stay valid until the next rx_batch() / rx_release(); the
// network header of an Ethernet II frame lands 16-byte aligned as TPACKET_V3 places it.
class FakePort final : public packet::Port {
public:
    // Headroom before each injected frame: 50 + 14 puts the IPv4 header at offset 64.
    static constexpr std::size_t kRxHeadroom = 50;
    static constexpr std::size_t kTxSlotSize = 2048;

    FakePort(int ifindex, std::string name, const MacAddr& mac, std::size_t mtu = 1500)
        : ifindex_(ifindex), name_(std::move(name)), mac_(mac), mtu_(mtu) {}

    // Queues a received frame. The L2 class is the one the kernel would give (sll_pkttype),
    // derived from the destination MAC unless given.
    void inject(std::span<const std::uint8_t> frame,
                std::optional<packet::L2Class> l2_class = std::nullopt) {
        Rx rx;
        rx.bytes.assign(kRxHeadroom, 0);
        rx.bytes.insert(rx.bytes.end(), frame.begin(), frame.end());
        rx.l2_class = l2_class ? *l2_class : classify(frame);
        rx.csum_partial = csum_partial_;
        rx_queue_.push_back(std::move(rx));
    }
    void inject(const std::vector<std::uint8_t>& frame,
                std::optional<packet::L2Class> l2_class = std::nullopt) {
        inject(std::span<const std::uint8_t>(frame), l2_class);
    }
    // A frame of our own looped back by the kernel (PACKET_OUTGOING).
    void inject_outgoing(std::span<const std::uint8_t> frame) {
        inject(frame, packet::L2Class::own_outgoing);
    }

    // Frames injected from now on carry meta.csum_partial (a sender's unfinished checksum).
    void set_csum_partial(bool on) { csum_partial_ = on; }
    // What drops() reports (cumulative, as a real port's figures).
    void set_drops(const packet::PortDrops& d) { drops_ = d; }

    // meta.rx_time of the frames handed out by the following rx_batch() calls.
    void set_rx_time(MonoTime t) { rx_time_ = t; }
    // From now on each tx_batch() accepts at most n frames, and with n == 0 tx_buffer() has no
    // slot: a full TX ring. nullopt: unlimited.
    void set_tx_limit(std::optional<std::size_t> n) { tx_limit_ = n; }

    std::size_t pending_rx() const { return rx_queue_.size(); }
    const std::vector<std::vector<std::uint8_t>>& sent() const { return sent_; }
    std::size_t flushes() const { return flushes_; }
    void clear_sent() {
        sent_.clear();
        unflushed_.clear();
    }
    void clear() {
        rx_queue_.clear();
        batch_.clear();
        sent_.clear();
        unflushed_.clear();
        flushes_ = 0;
    }

    // packet::Port
    std::size_t rx_batch(std::span<packet::Packet> out) noexcept override {
        rx_release();
        while (batch_.size() < out.size() && !rx_queue_.empty()) {
            batch_.push_back(std::move(rx_queue_.front()));
            rx_queue_.pop_front();
        }
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            Rx& rx = batch_[i];
            out[i] = packet::Packet(rx.bytes, kRxHeadroom, rx.bytes.size() - kRxHeadroom);
            out[i].meta.ifindex = ifindex_;
            out[i].meta.l2_class = rx.l2_class;
            out[i].meta.csum_partial = rx.csum_partial;
            out[i].meta.rx_time = rx_time_;
        }
        return batch_.size();
    }
    void rx_release() noexcept override {
        // The frames are freed, so under ASan a stage that keeps a Packet past its batch is a
        // heap-use-after-free report, as it would be a ring slot reused by the kernel.
        batch_.clear();
    }
    std::size_t tx_batch(std::span<const packet::Packet> frames) noexcept override {
        std::size_t n = 0;
        for (const packet::Packet& p : frames) {
            if (tx_limit_ && n >= *tx_limit_) {
                break;
            }
            sent_.emplace_back(p.data(), p.data() + p.len());
            // A real port may send from the caller's memory at tx_flush() (packet/port.hh):
            // remember where, so the flush can check it is still there.
            unflushed_.push_back({p.data(), p.len(), sent_.size() - 1});
            ++n;
        }
        return n;
    }
    std::span<std::uint8_t> tx_buffer() noexcept override {
        if (tx_limit_ && *tx_limit_ == 0) {
            return {};
        }
        tx_slot_.assign(kTxSlotSize, 0);
        return tx_slot_;
    }
    bool tx_commit(std::size_t offset, std::size_t len) noexcept override {
        if (tx_slot_.empty() || offset > tx_slot_.size() || len > tx_slot_.size() - offset) {
            return false;
        }
        auto first = tx_slot_.begin() + static_cast<std::ptrdiff_t>(offset);
        sent_.emplace_back(first, first + static_cast<std::ptrdiff_t>(len));
        tx_slot_.clear();
        return true;
    }
    void tx_flush() noexcept override {
        ++flushes_;
        // Read every frame tx_batch() took where it was: freed RX memory is an ASan report, as a
        // reused ring block would be a corrupt frame on the wire; changed bytes abort.
        for (const Unflushed& u : unflushed_) {
            if (!std::equal(u.data, u.data + u.len, sent_[u.index].begin(), sent_[u.index].end())) {
                std::abort();
            }
        }
        unflushed_.clear();
    }
    packet::PortDrops drops() noexcept override { return drops_; }
    int ifindex() const noexcept override { return ifindex_; }
    MacAddr mac() const noexcept override { return mac_; }
    std::string_view name() const noexcept override { return name_; }
    std::size_t mtu() const noexcept override { return mtu_; }

private:
    struct Unflushed {
        const std::uint8_t* data;
        std::size_t len;
        std::size_t index;  // into sent_
    };
    struct Rx {
        std::vector<std::uint8_t> bytes;  // kRxHeadroom, then the frame
        packet::L2Class l2_class = packet::L2Class::to_us;
        bool csum_partial = false;
    };

    packet::L2Class classify(std::span<const std::uint8_t> frame) const {
        if (frame.size() < 6) {
            return packet::L2Class::other_host;
        }
        MacAddr dst{{frame[0], frame[1], frame[2], frame[3], frame[4], frame[5]}};
        if (dst == mac_) {
            return packet::L2Class::to_us;
        }
        if (dst.is_broadcast()) {
            return packet::L2Class::broadcast;
        }
        return dst.is_multicast() ? packet::L2Class::multicast : packet::L2Class::other_host;
    }

    int ifindex_;
    std::string name_;
    MacAddr mac_;
    std::size_t mtu_;
    MonoTime rx_time_{};
    std::optional<std::size_t> tx_limit_;
    std::size_t flushes_ = 0;
    std::vector<Unflushed> unflushed_;
    bool csum_partial_ = false;
    packet::PortDrops drops_{};
    std::deque<Rx> rx_queue_;
    std::vector<Rx> batch_;
    std::vector<std::uint8_t> tx_slot_;
    std::vector<std::vector<std::uint8_t>> sent_;
};

}  // namespace routerd::test
