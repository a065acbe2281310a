// SPDX-License-Identifier: Apache-2.0
// Ip4Addr (host byte order) and Ip4Prefix: parse, format, masks and broadcast helpers.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerd {

/// An IPv4 address in host byte order. Bytes in packets stay in network order; the accessors
/// in router/packet are the only converters (ARCHITECTURE.md section 15).
class Ip4Addr {
public:
    constexpr Ip4Addr() = default;
    constexpr explicit Ip4Addr(std::uint32_t host_order) : v_(host_order) {}
    static constexpr Ip4Addr from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                         std::uint8_t d) {
        return Ip4Addr((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) |
                       (std::uint32_t{c} << 8) | d);
    }

    /// Strict dotted quad: exactly four decimal octets 0-255, no leading zeros (an "010"
    /// would be octal to inet_aton), no spaces, nothing after.
    static std::optional<Ip4Addr> parse(std::string_view text);

    constexpr std::uint32_t value() const { return v_; }
    std::string to_string() const;

    // RFC 1112 4 / RFC 5771: class D.
    constexpr bool is_multicast() const { return (v_ >> 28) == 0xe; }
    // RFC 1812 5.3.7: class E, reserved.
    constexpr bool is_class_e() const { return (v_ >> 28) == 0xf && v_ != 0xffffffffu; }
    // RFC 919 / RFC 1812 4.2.3.1: limited broadcast.
    constexpr bool is_limited_broadcast() const { return v_ == 0xffffffffu; }
    // RFC 1122 3.2.1.3 (g): 127/8.
    constexpr bool is_loopback() const { return (v_ >> 24) == 127; }
    // RFC 1122 3.2.1.3 (a)/(b): network 0 ("this network").
    constexpr bool is_this_network() const { return (v_ >> 24) == 0; }
    constexpr bool is_zero() const { return v_ == 0; }

    friend constexpr auto operator<=>(Ip4Addr, Ip4Addr) = default;

private:
    std::uint32_t v_ = 0;
};

/// The netmask for a prefix length 0-32, host order. Lengths above 32 give the /32 mask.
constexpr std::uint32_t ip4_mask(unsigned len) {
    return len == 0 ? 0u : (len >= 32 ? 0xffffffffu : ~((1u << (32 - len)) - 1u));
}

/// The prefix length of a contiguous netmask, or nullopt for a non-contiguous one.
std::optional<unsigned> ip4_mask_len(std::uint32_t mask);

/// An IPv4 prefix. `addr` may carry host bits (an interface address 198.18.0.254/24 is
/// a prefix with host bits); network() clears them.
struct Ip4Prefix {
    Ip4Addr addr;
    std::uint8_t len = 0;

    /// "a.b.c.d/n" with n 0-32 (no leading zeros, no sign). Host bits are allowed here;
    /// callers that require a network prefix check has_host_bits().
    static std::optional<Ip4Prefix> parse(std::string_view text);

    constexpr std::uint32_t mask() const { return ip4_mask(len); }
    constexpr Ip4Addr network() const { return Ip4Addr(addr.value() & mask()); }
    // RFC 919 / RFC 922: the all-ones directed broadcast of the subnet.
    constexpr Ip4Addr broadcast() const { return Ip4Addr(addr.value() | ~mask()); }
    constexpr bool has_host_bits() const { return (addr.value() & ~mask()) != 0; }
    constexpr bool contains(Ip4Addr a) const { return ((a.value() ^ addr.value()) & mask()) == 0; }
    constexpr bool contains(const Ip4Prefix& other) const {
        return other.len >= len && contains(other.addr);
    }
    constexpr bool overlaps(const Ip4Prefix& other) const {
        return contains(other) || other.contains(*this);
    }
    std::string to_string() const;

    friend constexpr bool operator==(const Ip4Prefix&, const Ip4Prefix&) = default;
};

}  // namespace routerd
