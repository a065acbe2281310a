// SPDX-License-Identifier: Apache-2.0
// PrefixMap: compact open-addressing map from an IPv4 prefix to a next-hop index (writer side).
#pragma once

#include "router/fib/route.hh"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace routerd::fib {

// One 64-bit slot per prefix: address << 32 | (length + 1) << 16 | next hop; 0 is an empty slot.
// Linear probing with backward-shift deletion, load factor at most 3/4, so a million prefixes
// take 16 MiB (a std::unordered_map would take about three times that and build far slower).
class PrefixMap {
public:
    PrefixMap();

    std::optional<NhIndex> find(std::uint32_t addr, std::uint8_t len) const noexcept;
    // Returns true when the prefix was new, false when its next hop was replaced.
    bool insert_or_assign(std::uint32_t addr, std::uint8_t len, NhIndex nh);
    // Returns false when the prefix was absent.
    bool erase(std::uint32_t addr, std::uint8_t len) noexcept;

    // Makes room for n prefixes without rehashing.
    void reserve(std::size_t n);
    std::size_t size() const noexcept { return size_; }
    std::size_t bytes() const noexcept { return slots_.capacity() * sizeof(std::uint64_t); }
    // How many prefixes of each length 0-32 are present.
    std::size_t count_of_length(unsigned len) const noexcept { return per_length_[len]; }

    template <typename F>  // f(Ip4Prefix, NhIndex)
    void for_each(F&& f) const {
        for (const std::uint64_t s : slots_) {
            if (s != 0) {
                f(Ip4Prefix{Ip4Addr(static_cast<std::uint32_t>(s >> 32)),
                            static_cast<std::uint8_t>(((s >> 16) & 0xffff) - 1)},
                  static_cast<NhIndex>(s & 0xffff));
            }
        }
    }

private:
    static std::uint64_t key(std::uint32_t addr, std::uint8_t len) noexcept {
        return (std::uint64_t{addr} << 16) | (std::uint64_t{len} + 1);
    }
    std::size_t home(std::uint64_t k) const noexcept {
        return static_cast<std::size_t>((k * 0x9e3779b97f4a7c15ull) >> shift_);
    }
    void rehash(std::size_t new_capacity);

    std::vector<std::uint64_t> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 0;
    std::size_t size_ = 0;
    std::size_t per_length_[33] = {};
};

}  // namespace routerd::fib
