// SPDX-License-Identifier: Apache-2.0
// Internet checksum: 64-bit accumulation with end-around carry (RFC 1071 2 (B), (C)).
#include "router/base/checksum.hh"

#include <bit>
#include <cstring>

namespace routerd {

namespace {

// The one's-complement sum is independent of byte order (RFC 1071 2 (B)): sum native words,
// fold, and swap once at the end on a little-endian machine (checksum.hh cksum_detail).
inline std::uint64_t add_carry(std::uint64_t a, std::uint64_t b) {
    std::uint64_t s = a + b;
    return s + (s < a ? 1 : 0);  // end-around carry
}

}  // namespace

std::uint16_t cksum_add(const void* data, std::size_t len, std::uint32_t initial) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    // Four independent accumulators keep the add-with-carry chains short.
    std::uint64_t a0 = 0;
    std::uint64_t a1 = 0;
    std::uint64_t a2 = 0;
    std::uint64_t a3 = 0;
    while (len >= 32) {
        std::uint64_t w[4];
        std::memcpy(w, p, sizeof w);
        a0 = add_carry(a0, w[0]);
        a1 = add_carry(a1, w[1]);
        a2 = add_carry(a2, w[2]);
        a3 = add_carry(a3, w[3]);
        p += 32;
        len -= 32;
    }
    while (len >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        a0 = add_carry(a0, w);
        p += 8;
        len -= 8;
    }
    if (len > 0) {
        // The tail starts at an even offset: pad it with zeros (RFC 1071 4.1, the odd byte).
        std::uint64_t w = 0;
        std::memcpy(&w, p, len);
        a1 = add_carry(a1, w);
    }
    std::uint64_t sum = add_carry(add_carry(a0, a1), add_carry(a2, a3));
    std::uint32_t host = cksum_detail::to_host(cksum_detail::fold(sum));
    host += (initial & 0xffff) + (initial >> 16);
    host = (host & 0xffff) + (host >> 16);
    host = (host & 0xffff) + (host >> 16);
    return static_cast<std::uint16_t>(host);
}

}  // namespace routerd
