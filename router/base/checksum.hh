// SPDX-License-Identifier: Apache-2.0
// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace routerd {

/// One's-complement sum of `len` bytes folded to 16 bits, not complemented, as the host-order
/// value of the big-endian words (RFC 1071 4.1). `initial` is a prior partial sum, so a
/// pseudo-header and a payload can be summed in pieces (every piece but the last even-sized).
std::uint16_t cksum_add(const void* data, std::size_t len, std::uint32_t initial = 0) noexcept;

/// The Internet checksum of `len` bytes: the value to store (big-endian) in the checksum field.
/// Over data that already holds a correct checksum it returns 0, which is how a receiver
/// verifies (RFC 1071 1 (3)).
inline std::uint16_t in_cksum(const void* data, std::size_t len) noexcept {
    return static_cast<std::uint16_t>(~cksum_add(data, len));
}

namespace cksum_detail {

// A sum of native-order words (each addition's carry kept in the upper bits) folded to 16 bits.
constexpr std::uint16_t fold(std::uint64_t s) noexcept {
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(s);
}

// The one's-complement sum is independent of byte order (RFC 1071 2 (B)): a native-order sum
// is the host-order sum of the big-endian words once swapped on a little-endian machine.
constexpr std::uint16_t to_host(std::uint16_t native_sum) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        return static_cast<std::uint16_t>((native_sum >> 8) | (native_sum << 8));
    } else {
        return native_sum;
    }
}

}  // namespace cksum_detail

/// in_cksum() of an IPv4 header, inline: `len` is IHL * 4 (RFC 791 3.1), so the header is summed
/// as 32-bit words into 64 bits (at most 15 words: no carry is lost) and folded once. Every
/// datagram is checked (RFC 1812 5.2.2), so this is the one sum on the forwarding path.
inline std::uint16_t ip_header_cksum(const void* data, std::size_t len) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i + 4 <= len; i += 4) {
        std::uint32_t w;
        std::memcpy(&w, p + i, sizeof w);
        sum += w;
    }
    return static_cast<std::uint16_t>(~cksum_detail::to_host(cksum_detail::fold(sum)));
}

/// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), the new checksum after one 16-bit word of the
/// covered data changes from `old_word` to `new_word` (all host-order values of big-endian
/// words). Unlike RFC 1141's HC' = HC + m - m' it never turns a valid 0x0000 into an invalid
/// 0xffff (conformance B14).
constexpr std::uint16_t cksum_update16(std::uint16_t hc, std::uint16_t old_word,
                                       std::uint16_t new_word) noexcept {
    std::uint32_t sum = static_cast<std::uint16_t>(~hc);
    sum += static_cast<std::uint16_t>(~old_word);
    sum += new_word;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

/// The same for a 32-bit field (an address rewritten by an option, say): two words.
constexpr std::uint16_t cksum_update32(std::uint16_t hc, std::uint32_t old_value,
                                       std::uint32_t new_value) noexcept {
    hc = cksum_update16(hc, static_cast<std::uint16_t>(old_value >> 16),
                        static_cast<std::uint16_t>(new_value >> 16));
    return cksum_update16(hc, static_cast<std::uint16_t>(old_value),
                          static_cast<std::uint16_t>(new_value));
}

}  // namespace routerd
