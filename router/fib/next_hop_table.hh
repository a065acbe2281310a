// SPDX-License-Identifier: Apache-2.0
// NextHopTable: deduplicated, refcounted next hops behind the FIB's 15-bit indices.
#pragma once

#include "router/base/qsbr.hh"
#include "router/base/result.hh"
#include "router/fib/route.hh"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace routerd::fib {

struct NextHopHash {
    std::size_t operator()(const NextHop& nh) const noexcept {
        const std::uint64_t k = (std::uint64_t{nh.ifindex} << 32) ^ nh.gateway.value() ^
                                (std::uint64_t{static_cast<std::uint8_t>(nh.kind)} << 60);
        return static_cast<std::size_t>(k * 0x9e3779b97f4a7c15ull);
    }
};

// Slots are written by the writer before any table entry holds their index (the Fib's release
// store publishes them) and are rewritten only after the last index referring to them has been
// gone for a Qsbr grace period, so readers read them as plain memory. Index 0 is "no route".
class NextHopTable {
public:
    explicit NextHopTable(Qsbr* qsbr = nullptr, std::uint32_t capacity = kMaxNhIndex);

    // Data plane: idx is a non-zero index returned by a lookup.
    const NextHop& get(NhIndex idx) const noexcept { return slots_[idx]; }

    // Control side (one writer). acquire() returns the index of an identical next hop if there
    // is one (and counts a reference), else a fresh slot; ENOSPC when all are taken.
    Result<NhIndex> acquire(const NextHop& nh);
    // Drops one reference; the last one frees the slot after a grace period.
    void release(NhIndex idx);
    std::uint32_t refcount(NhIndex idx) const noexcept { return refs_[idx]; }
    std::size_t size() const noexcept { return index_.size(); }
    std::uint32_t capacity() const noexcept { return capacity_; }

private:
    Qsbr* qsbr_;
    std::uint32_t capacity_;
    std::unique_ptr<NextHop[]> slots_;  // capacity_ + 1 entries, fixed: readers hold no pointer
    std::vector<std::uint32_t> refs_;
    std::unordered_map<NextHop, NhIndex, NextHopHash> index_;
    std::vector<NhIndex> free_;
    std::deque<std::pair<NhIndex, Qsbr::Token>> retired_;
    NhIndex high_ = 0;  // highest index ever handed out
};

}  // namespace routerd::fib
