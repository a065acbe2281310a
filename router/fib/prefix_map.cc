// SPDX-License-Identifier: Apache-2.0
// PrefixMap: linear probing with backward-shift deletion.
#include "router/fib/prefix_map.hh"

#include <bit>

namespace routerd::fib {

namespace {

constexpr std::size_t kInitialCapacity = 64;

}  // namespace

PrefixMap::PrefixMap() {
    rehash(kInitialCapacity);
}

void PrefixMap::rehash(std::size_t new_capacity) {
    std::vector<std::uint64_t> old(new_capacity, 0);
    old.swap(slots_);
    mask_ = new_capacity - 1;
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(new_capacity));
    for (const std::uint64_t s : old) {
        if (s != 0) {
            std::size_t i = home(s >> 16);
            while (slots_[i] != 0) {
                i = (i + 1) & mask_;
            }
            slots_[i] = s;
        }
    }
}

void PrefixMap::reserve(std::size_t n) {
    std::size_t cap = slots_.size();
    while (n * 4 > cap * 3) {
        cap *= 2;
    }
    if (cap != slots_.size()) {
        rehash(cap);
    }
}

std::optional<NhIndex> PrefixMap::find(std::uint32_t addr, std::uint8_t len) const noexcept {
    const std::uint64_t k = key(addr, len);
    for (std::size_t i = home(k);; i = (i + 1) & mask_) {
        const std::uint64_t s = slots_[i];
        if (s == 0) {
            return std::nullopt;
        }
        if ((s >> 16) == k) {
            return static_cast<NhIndex>(s & 0xffff);
        }
    }
}

bool PrefixMap::insert_or_assign(std::uint32_t addr, std::uint8_t len, NhIndex nh) {
    if ((size_ + 1) * 4 > slots_.size() * 3) {
        rehash(slots_.size() * 2);
    }
    const std::uint64_t k = key(addr, len);
    const std::uint64_t slot = (k << 16) | nh;
    for (std::size_t i = home(k);; i = (i + 1) & mask_) {
        const std::uint64_t s = slots_[i];
        if (s == 0) {
            slots_[i] = slot;
            ++size_;
            ++per_length_[len];
            return true;
        }
        if ((s >> 16) == k) {
            slots_[i] = slot;
            return false;
        }
    }
}

bool PrefixMap::erase(std::uint32_t addr, std::uint8_t len) noexcept {
    const std::uint64_t k = key(addr, len);
    std::size_t i = home(k);
    for (;; i = (i + 1) & mask_) {
        const std::uint64_t s = slots_[i];
        if (s == 0) {
            return false;
        }
        if ((s >> 16) == k) {
            break;
        }
    }
    // Backward shift: pull later members of the probe run into the hole unless their home lies
    // cyclically in (hole, j], where they must stay.
    slots_[i] = 0;
    for (std::size_t j = (i + 1) & mask_; slots_[j] != 0; j = (j + 1) & mask_) {
        const std::size_t h = home(slots_[j] >> 16);
        const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (!stays) {
            slots_[i] = slots_[j];
            slots_[j] = 0;
            i = j;
        }
    }
    --size_;
    --per_length_[len];
    return true;
}

}  // namespace routerd::fib
