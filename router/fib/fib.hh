// SPDX-License-Identifier: Apache-2.0
// Fib: DIR-24-8 longest-prefix match with 16-bit entries, lock-free lookups, incremental updates.
#pragma once

#include "router/base/assert.hh"
#include "router/base/ip4.hh"
#include "router/base/qsbr.hh"
#include "router/base/result.hh"
#include "router/fib/prefix_map.hh"
#include "router/fib/route.hh"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace routerd::fib {

struct FibConfig {
    // tbl8 groups (256 entries, 512 bytes each) hold the /24s that contain a prefix longer
    // than /24. The pool starts small and doubles up to max_tbl8_groups (at most 32768, the
    // 15-bit index); when it is full an add that needs a new group fails with ENOSPC.
    std::uint32_t max_tbl8_groups = 32768;
    std::uint32_t initial_tbl8_groups = 256;
};

struct FibMemory {
    std::size_t tbl24_bytes = 0;    // what lookups read: 2^24 x 2 bytes
    std::size_t tbl8_bytes = 0;     // what lookups read: allocated tbl8 groups x 512 bytes
    std::size_t control_bytes = 0;  // writer only: depth shadows, group counts, prefix map
    std::size_t lookup_bytes() const { return tbl24_bytes + tbl8_bytes; }
    std::size_t total_bytes() const { return lookup_bytes() + control_bytes; }
};

// The lookup table. Entries are 16 bits: bit 15 clear → the low 15 bits are a next-hop index
// (0 = no route); bit 15 set → the low 15 bits name a tbl8 group of 256 entries indexed by the
// address's last octet. rte_lpm keeps the prefix depth inside each 32-bit entry; here depth
// lives on the writer's side (depth24_/depth8_), so the table readers touch is half the size.
//
// Threads: any number of readers call lookup()/lookup_batch() while one writer calls add()/
// remove(). Readers take no lock and never see a torn entry: every entry is a u16 accessed only
// through std::atomic_ref (the arrays come zeroed from calloc, so a fresh 32 MiB table costs no
// memset and no page is touched before a route needs it), written once per update with a
// release store; a new tbl8 group is filled before the tbl24
// entry that points to it is stored; a collapsed group and an outgrown tbl8 array are reused or
// freed only after a Qsbr grace period. Without a Qsbr the Fib is for single-threaded use.
class Fib {
public:
    static constexpr std::uint32_t kTbl24Entries = 1u << 24;
    static constexpr std::uint32_t kTbl8GroupEntries = 256;
    static constexpr std::uint32_t kMaxTbl8Groups = 1u << 15;
    // Batched lookups work in chunks: prefetch a chunk's tbl24 lines, then resolve them.
    static constexpr std::size_t kBatchChunk = 32;

    explicit Fib(FibConfig config = {}, Qsbr* qsbr = nullptr);
    ~Fib();
    Fib(const Fib&) = delete;
    Fib& operator=(const Fib&) = delete;

    // ---- data plane: any thread, no lock, no allocation ----
    NhIndex lookup(Ip4Addr dst) const noexcept { return lookup(dst.value()); }
    NhIndex lookup(std::uint32_t dst) const noexcept {
        NhIndex e = load_entry(tbl24_.get()[dst >> 8]);
        if (e & kExtBit) [[unlikely]] {
            e = tbl8_entry(e, dst);
        }
        return e;
    }
    // out.size() >= addrs.size(); out[i] is the next hop of addrs[i] (host order).
    void lookup_batch(std::span<const std::uint32_t> addrs, std::span<NhIndex> out) const noexcept;

    // ---- control: one writer thread ----
    // Inserts prefix → nh, or replaces the next hop of a prefix already present. EINVAL for host
    // bits, a length above 32 or nh outside 1..kMaxNhIndex; ENOSPC when a prefix longer than
    // /24 needs a tbl8 group and none is left. On error the table is unchanged.
    Status add(Ip4Prefix prefix, NhIndex nh);
    // Deletes prefix; its addresses fall back to the covering route (or to no route). ENOENT
    // when absent.
    Status remove(Ip4Prefix prefix);
    // Sizes the writer's prefix index for n prefixes (a full table: 1 M) so loading it does not
    // rehash; like rte_lpm's max_rules, but only a hint.
    void reserve(std::size_t prefixes) { prefixes_.reserve(prefixes); }
    // Exact match on the control side.
    std::optional<NhIndex> find(Ip4Prefix prefix) const;
    std::size_t size() const noexcept { return prefixes_.size(); }
    std::uint32_t tbl8_groups_in_use() const noexcept;
    std::uint32_t tbl8_groups_capacity() const noexcept { return tbl8_capacity_; }
    FibMemory memory() const noexcept;
    // Makes tbl8 groups retired more than a grace period ago reusable (add() does it too).
    void reclaim() noexcept;

private:
    static constexpr NhIndex kExtBit = 0x8000;
    static constexpr NhIndex kValueMask = 0x7fff;
    struct FreeDeleter {
        void operator()(void* p) const noexcept;
    };
    // Zero-filled, aligned to kTableAlign; owns the calloc'd block.
    class EntryArray {
    public:
        EntryArray() = default;
        EntryArray(std::size_t n, std::size_t align);
        NhIndex* get() const noexcept { return p_; }
        explicit operator bool() const noexcept { return p_ != nullptr; }

    private:
        std::unique_ptr<void, FreeDeleter> raw_;
        NhIndex* p_ = nullptr;
    };

    // Readers: acquire, so that a group or next-hop slot published by a release store is
    // seen complete. (The tables are never const objects; the const_cast only reaches
    // atomic_ref's non-const interface.)
    static NhIndex load_entry(const NhIndex& e) noexcept {
        return std::atomic_ref<NhIndex>(const_cast<NhIndex&>(e)).load(std::memory_order_acquire);
    }
    // Writer's own reads and unpublished fills.
    static NhIndex peek(NhIndex& e) noexcept {
        return std::atomic_ref<NhIndex>(e).load(std::memory_order_relaxed);
    }
    static void poke(NhIndex& e, NhIndex v) noexcept {
        std::atomic_ref<NhIndex>(e).store(v, std::memory_order_relaxed);
    }
    static void publish(NhIndex& e, NhIndex v) noexcept {
        std::atomic_ref<NhIndex>(e).store(v, std::memory_order_release);
    }

    NhIndex tbl8_entry(NhIndex tbl24_entry, std::uint32_t dst) const noexcept {
        // Acquire on the tbl24 load orders this load of the array pointer after it, so a group
        // index published after a grow is never read through the older, smaller array.
        const NhIndex* t8 = tbl8_.load(std::memory_order_acquire);
        return load_entry(t8[((tbl24_entry & kValueMask) << 8) | (dst & 0xff)]);
    }

    Result<std::uint32_t> alloc_group();
    void retire_group(std::uint32_t group);
    Status grow_tbl8();
    void paint_tbl24(std::uint32_t first, std::uint32_t count, std::uint8_t depth, NhIndex nh);
    void paint_tbl8(std::uint32_t group, std::uint32_t first, std::uint32_t count,
                    std::uint8_t depth, NhIndex nh);
    void repaint_tbl24(std::uint32_t first, std::uint32_t count, std::uint8_t old_depth,
                       std::uint8_t depth, NhIndex nh);
    void repaint_tbl8(std::uint32_t group, std::uint32_t first, std::uint32_t count,
                      std::uint8_t old_depth, std::uint8_t depth, NhIndex nh);
    // The longest prefix strictly shorter than `prefix` that covers it: {nh, depth} with depth =
    // length + 1, or {0, 0} when there is none.
    std::pair<NhIndex, std::uint8_t> covering(Ip4Prefix prefix) const;

    // Read by lookups.
    EntryArray tbl24_;
    std::atomic<NhIndex*> tbl8_{nullptr};

    // Writer only.
    FibConfig config_;
    Qsbr* qsbr_;
    EntryArray tbl8_storage_;                 // owns what tbl8_ points to
    std::uint32_t tbl8_capacity_ = 0;         // groups allocated
    std::uint32_t tbl8_high_ = 0;             // groups ever handed out (< capacity)
    std::vector<std::uint32_t> free_groups_;  // reusable now
    std::deque<std::pair<std::uint32_t, Qsbr::Token>> retired_groups_;
    std::deque<std::pair<EntryArray, Qsbr::Token>> retired_arrays_;
    std::unique_ptr<std::uint8_t[], FreeDeleter> depth24_;  // route length + 1; 0 = none
    std::vector<std::uint8_t> depth8_;                      // same for tbl8 entries
    std::vector<std::uint16_t> group_long_;  // prefixes longer than /24 in each group
    PrefixMap prefixes_;                     // every prefix → nh (covering-route search)
};

inline void Fib::lookup_batch(std::span<const std::uint32_t> addrs,
                              std::span<NhIndex> out) const noexcept {
    RD_ASSERT(out.size() >= addrs.size());
    const std::size_t n = addrs.size();
    const std::uint32_t* a = addrs.data();
    NhIndex* o = out.data();
    const NhIndex* t24 = tbl24_.get();
    // Software pipeline by chunks: the tbl24 lines of the next chunk are requested while the
    // current chunk resolves, so a chunk's misses overlap each other and the next chunk's. (The
    // variants measured against it are in README.md.)
    for (std::size_t i = 0, m = std::min(kBatchChunk, n); i < m; ++i) {
        __builtin_prefetch(&t24[a[i] >> 8]);
    }
    for (std::size_t base = 0; base < n; base += kBatchChunk) {
        const std::size_t end = std::min(base + kBatchChunk, n);
        const std::size_t next_end = std::min(end + kBatchChunk, n);
        for (std::size_t i = end; i < next_end; ++i) {
            __builtin_prefetch(&t24[a[i] >> 8]);
        }
        for (std::size_t i = base; i < end; ++i) {
            o[i] = lookup(a[i]);
        }
    }
}

}  // namespace routerd::fib
