// SPDX-License-Identifier: Apache-2.0
// NextHopTable: dedup, refcounts and grace-period reuse of slots.
#include "router/fib/next_hop_table.hh"

#include "router/base/assert.hh"

#include <algorithm>
#include <cerrno>
#include <string>

namespace routerd::fib {

NextHopTable::NextHopTable(Qsbr* qsbr, std::uint32_t capacity)
    : qsbr_(qsbr),
      capacity_(std::min<std::uint32_t>(capacity, kMaxNhIndex)),
      slots_(std::make_unique<NextHop[]>(std::size_t{capacity_} + 1)),
      refs_(std::size_t{capacity_} + 1, 0) {}

Result<NhIndex> NextHopTable::acquire(const NextHop& nh) {
    if (auto it = index_.find(nh); it != index_.end()) {
        ++refs_[it->second];
        return it->second;
    }
    while (!retired_.empty() && (qsbr_ == nullptr || qsbr_->elapsed(retired_.front().second))) {
        free_.push_back(retired_.front().first);
        retired_.pop_front();
    }
    NhIndex idx = kNoRoute;
    if (!free_.empty()) {
        idx = free_.back();
        free_.pop_back();
    } else if (high_ < capacity_) {
        idx = ++high_;
    } else {
        return make_error(ENOSPC, "fib: all " + std::to_string(capacity_) +
                                      " next-hop slots in use (" + std::to_string(retired_.size()) +
                                      " waiting for a grace period)");
    }
    slots_[idx] = nh;
    refs_[idx] = 1;
    index_.emplace(nh, idx);
    return idx;
}

void NextHopTable::release(NhIndex idx) {
    RD_ASSERT(idx != kNoRoute && idx <= high_ && refs_[idx] > 0);
    if (--refs_[idx] != 0) {
        return;
    }
    index_.erase(slots_[idx]);
    // Readers may still hold idx from a lookup made before the last table entry naming it was
    // overwritten: the slot keeps its contents until they have all passed a quiescent state.
    retired_.emplace_back(idx, qsbr_ != nullptr ? qsbr_->start_grace() : 0);
}

}  // namespace routerd::fib
