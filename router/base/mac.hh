// SPDX-License-Identifier: Apache-2.0
// MacAddr: 48-bit Ethernet address; IPv4 multicast mapping (RFC 1112 6.4).
#pragma once

#include "router/base/ip4.hh"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routerd {

struct MacAddr {
    std::array<std::uint8_t, 6> bytes{};

    static constexpr MacAddr broadcast() { return MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    /// "aa:bb:cc:dd:ee:ff" (hex, either case, exactly two digits per byte).
    static std::optional<MacAddr> parse(std::string_view text);
    /// RFC 1112 6.4: 01:00:5e followed by the low-order 23 bits of the group address.
    static constexpr MacAddr from_ip4_multicast(Ip4Addr group) {
        std::uint32_t v = group.value();
        return MacAddr{{0x01, 0x00, 0x5e, static_cast<std::uint8_t>((v >> 16) & 0x7f),
                        static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}};
    }

    constexpr bool is_broadcast() const { return *this == broadcast(); }
    // IEEE 802: the I/G bit, the least significant bit of the first octet.
    constexpr bool is_multicast() const { return (bytes[0] & 1) != 0; }
    constexpr bool is_zero() const { return *this == MacAddr{}; }
    std::string to_string() const;

    // Spelled out: the defaulted comparison of the array became a memcmp call, once per
    // forwarded frame in the profile (ether_input, ether_output).
    friend constexpr bool operator==(const MacAddr& a, const MacAddr& b) {
        return a.bytes[0] == b.bytes[0] && a.bytes[1] == b.bytes[1] && a.bytes[2] == b.bytes[2] &&
               a.bytes[3] == b.bytes[3] && a.bytes[4] == b.bytes[4] && a.bytes[5] == b.bytes[5];
    }
};

}  // namespace routerd
