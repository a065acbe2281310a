// SPDX-License-Identifier: Apache-2.0
// Fib: incremental DIR-24-8 updates (depth kept on the writer side) and tbl8 group reclamation.
#include "router/fib/fib.hh"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace routerd::fib {

namespace {

// tbl24 is 32 MiB: aligned to 2 MiB so that a platform that wants transparent huge pages
// for it (madvise, outside this pure folder) gets whole ones. tbl8 groups: to a page.
constexpr std::size_t kTbl24Align = std::size_t{2} << 20;
constexpr std::size_t kTbl8Align = 4096;

std::uint8_t depth_of(unsigned len) {
    return static_cast<std::uint8_t>(len + 1);
}

}  // namespace

void Fib::FreeDeleter::operator()(void* p) const noexcept {
    std::free(p);
}

Fib::EntryArray::EntryArray(std::size_t n, std::size_t align) {
    // calloc: large blocks come straight from mmap already zero, so no memset pass and no page
    // faults for parts of the table no route ever reaches. Over-allocate to align by hand.
    const std::size_t bytes = n * sizeof(NhIndex);
    std::size_t space = bytes + align;
    void* raw = std::calloc(space, 1);
    RD_CHECK(raw != nullptr);  // out of memory at build time: ARCHITECTURE.md section 18
    raw_.reset(raw);
    void* at = raw;
    p_ = static_cast<NhIndex*>(std::align(align, bytes, at, space));
}

Fib::Fib(FibConfig config, Qsbr* qsbr)
    : tbl24_(kTbl24Entries, kTbl24Align),
      config_(config),
      qsbr_(qsbr),
      depth24_(static_cast<std::uint8_t*>(std::calloc(kTbl24Entries, 1))) {
    RD_CHECK(depth24_ != nullptr);
    config_.max_tbl8_groups = std::min(config_.max_tbl8_groups, kMaxTbl8Groups);
    config_.initial_tbl8_groups =
        std::min(std::max<std::uint32_t>(config_.initial_tbl8_groups, 1), config_.max_tbl8_groups);
}

Fib::~Fib() = default;

std::uint32_t Fib::tbl8_groups_in_use() const noexcept {
    return tbl8_high_ - static_cast<std::uint32_t>(free_groups_.size() + retired_groups_.size());
}

FibMemory Fib::memory() const noexcept {
    FibMemory m;
    m.tbl24_bytes = std::size_t{kTbl24Entries} * sizeof(NhIndex);
    m.tbl8_bytes = std::size_t{tbl8_capacity_} * kTbl8GroupEntries * sizeof(NhIndex);
    m.control_bytes = kTbl24Entries + depth8_.capacity() +
                      group_long_.capacity() * sizeof(std::uint16_t) +
                      free_groups_.capacity() * sizeof(std::uint32_t) + prefixes_.bytes();
    return m;
}

void Fib::reclaim() noexcept {
    if (qsbr_ == nullptr) {
        return;
    }
    while (!retired_groups_.empty() && qsbr_->elapsed(retired_groups_.front().second)) {
        free_groups_.push_back(retired_groups_.front().first);
        retired_groups_.pop_front();
    }
    while (!retired_arrays_.empty() && qsbr_->elapsed(retired_arrays_.front().second)) {
        retired_arrays_.pop_front();
    }
}

Status Fib::grow_tbl8() {
    const std::uint32_t cap = tbl8_capacity_ == 0
                                  ? config_.initial_tbl8_groups
                                  : std::min(tbl8_capacity_ * 2, config_.max_tbl8_groups);
    if (cap <= tbl8_capacity_) {
        return make_error(
            ENOSPC, "fib: all " + std::to_string(config_.max_tbl8_groups) + " tbl8 groups in use");
    }
    EntryArray fresh(std::size_t{cap} * kTbl8GroupEntries, kTbl8Align);
    // Only this thread writes entries, so relaxed loads read the current values.
    const std::size_t used = std::size_t{tbl8_high_} * kTbl8GroupEntries;
    NhIndex* from = tbl8_storage_.get();
    NhIndex* to = fresh.get();
    for (std::size_t i = 0; i < used; ++i) {
        poke(to[i], peek(from[i]));
    }
    // Publish the copy; readers that loaded the old pointer finish on the old, frozen copy.
    tbl8_.store(fresh.get(), std::memory_order_release);
    if (tbl8_storage_ && qsbr_ != nullptr) {
        retired_arrays_.emplace_back(std::move(tbl8_storage_), qsbr_->start_grace());
    }
    tbl8_storage_ = std::move(fresh);
    tbl8_capacity_ = cap;
    depth8_.resize(std::size_t{cap} * kTbl8GroupEntries);
    group_long_.resize(cap);
    return ok_status();
}

Result<std::uint32_t> Fib::alloc_group() {
    reclaim();
    if (!free_groups_.empty()) {
        const std::uint32_t g = free_groups_.back();
        free_groups_.pop_back();
        return g;
    }
    if (tbl8_high_ == tbl8_capacity_) {
        if (tbl8_capacity_ >= config_.max_tbl8_groups) {
            return make_error(ENOSPC, "fib: all " + std::to_string(config_.max_tbl8_groups) +
                                          " tbl8 groups in use (" +
                                          std::to_string(retired_groups_.size()) +
                                          " waiting for a grace period)");
        }
        if (auto st = grow_tbl8(); !st) {
            return st.error();
        }
    }
    return tbl8_high_++;
}

void Fib::retire_group(std::uint32_t group) {
    if (qsbr_ != nullptr) {
        retired_groups_.emplace_back(group, qsbr_->start_grace());
    } else {
        free_groups_.push_back(group);
    }
}

void Fib::paint_tbl8(std::uint32_t group, std::uint32_t first, std::uint32_t count,
                     std::uint8_t depth, NhIndex nh) {
    const std::size_t base = std::size_t{group} * kTbl8GroupEntries + first;
    NhIndex* t8 = tbl8_storage_.get();
    std::uint8_t* d8 = depth8_.data();
    for (std::size_t j = base; j < base + count; ++j) {
        if (d8[j] <= depth) {
            d8[j] = depth;
            publish(t8[j], nh);
        }
    }
}

void Fib::repaint_tbl8(std::uint32_t group, std::uint32_t first, std::uint32_t count,
                       std::uint8_t old_depth, std::uint8_t depth, NhIndex nh) {
    const std::size_t base = std::size_t{group} * kTbl8GroupEntries + first;
    NhIndex* t8 = tbl8_storage_.get();
    std::uint8_t* d8 = depth8_.data();
    for (std::size_t j = base; j < base + count; ++j) {
        if (d8[j] == old_depth) {
            d8[j] = depth;
            publish(t8[j], nh);
        }
    }
}

// Entries whose route is at most as long as the new one take it; longer ones keep theirs. A
// tbl24 entry that points to a group stands for its /24's base route: its group entries that
// carry that base route (depth <= 25) take the new one.
void Fib::paint_tbl24(std::uint32_t first, std::uint32_t count, std::uint8_t depth, NhIndex nh) {
    std::uint8_t* d24 = depth24_.get();
    NhIndex* t24 = tbl24_.get();
    for (std::uint32_t i = first; i < first + count; ++i) {
        if (d24[i] > depth) {
            continue;
        }
        d24[i] = depth;
        const NhIndex e = peek(t24[i]);
        if (e & kExtBit) {
            paint_tbl8(e & kValueMask, 0, kTbl8GroupEntries, depth, nh);
        } else {
            publish(t24[i], nh);
        }
    }
}

void Fib::repaint_tbl24(std::uint32_t first, std::uint32_t count, std::uint8_t old_depth,
                        std::uint8_t depth, NhIndex nh) {
    std::uint8_t* d24 = depth24_.get();
    NhIndex* t24 = tbl24_.get();
    for (std::uint32_t i = first; i < first + count; ++i) {
        if (d24[i] != old_depth) {
            continue;
        }
        d24[i] = depth;
        const NhIndex e = peek(t24[i]);
        if (e & kExtBit) {
            repaint_tbl8(e & kValueMask, 0, kTbl8GroupEntries, old_depth, depth, nh);
        } else {
            publish(t24[i], nh);
        }
    }
}

std::pair<NhIndex, std::uint8_t> Fib::covering(Ip4Prefix prefix) const {
    for (unsigned len = prefix.len; len-- > 0;) {
        if (prefixes_.count_of_length(len) == 0) {
            continue;
        }
        if (auto nh = prefixes_.find(prefix.addr.value() & ip4_mask(len),
                                     static_cast<std::uint8_t>(len))) {
            return {*nh, depth_of(len)};
        }
    }
    return {kNoRoute, 0};
}

std::optional<NhIndex> Fib::find(Ip4Prefix prefix) const {
    if (prefix.len > 32) {
        return std::nullopt;
    }
    return prefixes_.find(prefix.addr.value(), prefix.len);
}

Status Fib::add(Ip4Prefix prefix, NhIndex nh) {
    if (prefix.len > 32 || prefix.has_host_bits()) {
        return make_error(EINVAL, "fib: bad prefix " + prefix.to_string());
    }
    if (nh == kNoRoute || nh > kMaxNhIndex) {
        return make_error(EINVAL, "fib: next-hop index out of range");
    }
    const std::uint32_t addr = prefix.addr.value();
    const std::uint8_t depth = depth_of(prefix.len);
    if (prefix.len <= 24) {
        paint_tbl24(addr >> 8, 1u << (24 - prefix.len), depth, nh);
        prefixes_.insert_or_assign(addr, prefix.len, nh);
        return ok_status();
    }
    const std::uint32_t i = addr >> 8;
    const std::uint32_t first = addr & 0xff;
    const std::uint32_t count = 1u << (32 - prefix.len);
    const NhIndex e = peek(tbl24_.get()[i]);
    if (e & kExtBit) {
        const std::uint32_t g = e & kValueMask;
        paint_tbl8(g, first, count, depth, nh);
        if (prefixes_.insert_or_assign(addr, prefix.len, nh)) {
            ++group_long_[g];
        }
        return ok_status();
    }
    auto g = alloc_group();
    if (!g) {
        return std::move(g).error();
    }
    // A fresh group: no reader can reach it yet, so fill it completely (the /24's current
    // answer everywhere), paint the new prefix, and only then point tbl24 at it (release).
    const std::size_t base = std::size_t{*g} * kTbl8GroupEntries;
    NhIndex* t8 = tbl8_storage_.get();
    for (std::size_t j = base; j < base + kTbl8GroupEntries; ++j) {
        poke(t8[j], e);
        depth8_[j] = depth24_[i];
    }
    paint_tbl8(*g, first, count, depth, nh);
    group_long_[*g] = 1;
    prefixes_.insert_or_assign(addr, prefix.len, nh);
    publish(tbl24_.get()[i], static_cast<NhIndex>(kExtBit | *g));
    return ok_status();
}

Status Fib::remove(Ip4Prefix prefix) {
    if (prefix.len > 32) {
        return make_error(EINVAL, "fib: bad prefix length");
    }
    const std::uint32_t addr = prefix.addr.value();
    if (!prefixes_.find(addr, prefix.len)) {
        return make_error(ENOENT, "fib: no route " + prefix.to_string());
    }
    const auto [cover_nh, cover_depth] = covering(prefix);
    const std::uint8_t depth = depth_of(prefix.len);
    prefixes_.erase(addr, prefix.len);
    if (prefix.len <= 24) {
        repaint_tbl24(addr >> 8, 1u << (24 - prefix.len), depth, cover_depth, cover_nh);
        return ok_status();
    }
    const std::uint32_t i = addr >> 8;
    const NhIndex e = peek(tbl24_.get()[i]);
    RD_ASSERT(e & kExtBit);
    const std::uint32_t g = e & kValueMask;
    repaint_tbl8(g, addr & 0xff, 1u << (32 - prefix.len), depth, cover_depth, cover_nh);
    if (--group_long_[g] == 0) {
        // No prefix longer than /24 is left here: every entry now holds the /24's base route.
        // Point tbl24 at it directly, then keep the group away from reuse for a grace period
        // (a reader may have loaded the extended entry just before).
        const NhIndex base = peek(tbl8_storage_.get()[std::size_t{g} * kTbl8GroupEntries]);
        publish(tbl24_.get()[i], base);
        retire_group(g);
    }
    return ok_status();
}

}  // namespace routerd::fib
