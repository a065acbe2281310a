// SPDX-License-Identifier: Apache-2.0
// Snapshot (immutable, published by the control thread) and Context (one per worker, mutable).
#pragma once

#include "router/base/clock.hh"
#include "router/fib/rib.hh"
#include "router/inet/arp.hh"
#include "router/inet/icmp_error.hh"
#include "router/inet/interface.hh"
#include "router/inet/stats.hh"
#include "router/packet/port.hh"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace routerd::inet {

// The `ip:` settings as the data plane reads them (seed ip_stuff variables).
struct IpSettings {
    bool forwarding = true;                   // ip_forwarding
    std::uint8_t default_ttl = 64;            // ip_default_ttl: TTL of datagrams we originate
    std::uint32_t reassembly_timeout_s = 30;  // ipq_ttl
    bool send_redirects = true;               // ip_sendredirects
    bool source_route = false;                // forward LSRR/SSRR (RFC 7126: off by default)

    friend bool operator==(const IpSettings&, const IpSettings&) = default;
};

// Everything the data plane reads that the control thread changes, in one immutable object.
// The control thread builds a new Snapshot for every change and publishes it with an atomic
// pointer swap; the old one is freed after a QSBR grace period (ARCHITECTURE.md section 14).
// The routing table is the exception: the Rib's Fib is updated in place, lock-free, under the
// same Qsbr (router/fib/README.md), so a route change does not copy a full table.
struct Snapshot {
    std::uint64_t generation = 0;  // increases with every publish
    IpSettings ip;
    std::vector<Interface> interfaces;  // by slot; the set is fixed for routerd's lifetime
    const fib::Rib* rib = nullptr;      // never null once published

    // The interface with this Linux ifindex, or nullptr. O(1) once indexed.
    const Interface* by_ifindex(int ifindex) const noexcept {
        if (indexed) {
            if (ifindex >= 0 && static_cast<std::size_t>(ifindex) < slot_by_ifindex.size()) {
                const std::int32_t slot = slot_by_ifindex[static_cast<std::size_t>(ifindex)];
                return slot >= 0 ? &interfaces[static_cast<std::size_t>(slot)] : nullptr;
            }
            return nullptr;
        }
        for (const auto& i : interfaces) {
            if (i.ifindex == ifindex) {
                return &i;
            }
        }
        return nullptr;
    }
    // The ingress interface of a received frame: meta.slot (set by ether_input) when it agrees
    // with meta.ifindex, else by ifindex.
    const Interface* ingress(std::uint32_t slot, int ifindex) const noexcept {
        if (slot < interfaces.size() && interfaces[slot].ifindex == ifindex) {
            return &interfaces[slot];
        }
        return by_ifindex(ifindex);
    }
    // True when a is an address of any of our interfaces (RFC 1812 5.2.3: a datagram for any of
    // the router's addresses is delivered locally, whatever interface it came in on).
    bool is_ours(Ip4Addr a) const noexcept {
        if (indexed) {
            const AddrSlot* e = find_addr(a);
            return e != nullptr && e->ours;
        }
        for (const auto& i : interfaces) {
            if (i.has_address(a)) {
                return true;
            }
        }
        return false;
    }
    // The interfaces (bit = slot) for which a is a subnet broadcast (Interface::classify).
    // Only when indexed.
    std::uint64_t broadcast_slots(Ip4Addr a) const noexcept {
        const AddrSlot* e = find_addr(a);
        return e != nullptr ? e->bcast : 0;
    }

    // ---- lookup tables, built once per publish by build_index() ---------------------------
    // The per-packet questions (whose address, whose subnet broadcast, which interface has
    // this ifindex) are answered by one probe instead of a walk over every Interface and its
    // addresses. Whoever fills `interfaces` calls build_index() before publishing; a Snapshot
    // without it (or with more than 64 interfaces) answers by walking, with the same result.
    static constexpr std::size_t kMaxIndexed = 64;  // bcast is a 64-bit slot set
    struct AddrSlot {
        std::uint32_t addr = 0;
        bool used = false;
        bool ours = false;        // an address of some interface
        std::uint64_t bcast = 0;  // slots whose subnet broadcast (or all-zeros host) it is
    };
    bool indexed = false;
    std::vector<AddrSlot> addr_index;           // open addressing, power-of-two size
    std::vector<std::int32_t> slot_by_ifindex;  // ifindex -> slot, -1: none
    void build_index();
    const AddrSlot* find_addr(Ip4Addr a) const noexcept {
        if (addr_index.empty()) {
            return nullptr;
        }
        const std::size_t mask = addr_index.size() - 1;
        for (std::size_t i = hash_addr(a.value()) & mask;; i = (i + 1) & mask) {
            const AddrSlot& e = addr_index[i];
            if (!e.used) {
                return nullptr;
            }
            if (e.addr == a.value()) {
                return &e;
            }
        }
    }
    static std::size_t hash_addr(std::uint32_t v) noexcept {
        return static_cast<std::size_t>((std::uint64_t{v} * 0x9e3779b97f4a7c15ull) >> 40);
    }
};

// Sizes of the worker's fixed pools; exhaustion is a counted drop, never an allocation.
struct ContextLimits {
    ArpLimits arp;
    IcmpRateLimit icmp_rate;
};

// One worker's mutable state: everything a stage writes. Owned and used by one thread only,
// except `stats`, which stats_collect reads concurrently (single-writer counters).
class Context {
public:
    // ports[slot] is the Port of Snapshot::interfaces[slot]; the span must outlive the Context.
    explicit Context(std::span<packet::Port* const> ports, const ContextLimits& limits = {});
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Set by the worker before each batch (loaded once from the published pointer) and each tick.
    const Snapshot* snap = nullptr;
    MonoTime now{};

    Stats stats;
    ArpCache arp;
    IcmpLimiter icmp_limiter;

    // Wall clock minus monotonic clock, set by the worker with `now` (ICMP timestamps, RFC 792:
    // milliseconds since midnight UT). Zero: unknown, the timestamp then carries the high bit.
    Duration wall_offset{};
    // ip_id of the next datagram we originate (RFC 791 3.2; RFC 6864 4.1 unique enough).
    std::uint16_t next_ip_id = 1;

    std::size_t port_count() const noexcept { return ports_.size(); }
    packet::Port& port(std::uint32_t slot) noexcept { return *ports_[slot]; }

    // ---- stage internals (ether_output.cc, ip_input.cc) ------------------------------------

    // Forwarded frames waiting for one Port::tx_batch per egress port at tx_flush_all(). They
    // point into RX memory, valid until the next rx_batch (router/packet/port.hh).
    static constexpr std::size_t kTxBatch = 64;
    struct TxQueue {
        std::array<packet::Packet, kTxBatch> frames{};
        std::size_t count = 0;
        bool dirty = false;  // something was queued on the port since its last tx_flush()
    };
    TxQueue& txq(std::uint32_t slot) noexcept { return txq_[slot]; }

    // A 4-byte aligned buffer for building one datagram we originate (ICMP replies and
    // errors) before ether_output copies it to a TX slot or a hold queue: largest MTU + 64.
    std::span<std::uint8_t> scratch() noexcept { return {scratch_.get(), scratch_len_}; }

    // RFC 1812 5.3.7 asks to log martians; the worker never logs, so the last few are kept
    // here for the control thread to log rate-limited (ARCHITECTURE.md section 15).
    struct Martian {
        Ip4Addr src;
        Ip4Addr dst;
        int ifindex = 0;
        MacAddr mac;
    };
    static constexpr std::size_t kMartianRing = 8;
    std::array<Martian, kMartianRing> martians{};
    std::uint64_t martian_count = 0;  // martians[martian_count % kMartianRing] is next

private:
    std::span<packet::Port* const> ports_;
    std::unique_ptr<TxQueue[]> txq_;
    std::unique_ptr<std::uint8_t[]> scratch_;
    std::size_t scratch_len_ = 0;
};

}  // namespace routerd::inet
