// SPDX-License-Identifier: Apache-2.0
// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
#pragma once

#include <cstddef>
#include <cstdint>

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
