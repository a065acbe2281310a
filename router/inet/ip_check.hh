// SPDX-License-Identifier: Apache-2.0
// ip_check: the RFC 1812 5.2.2 validity checks of a received IPv4 header (pure).
#pragma once

#include "router/api/stats.hh"

#include <cstdint>
#include <span>

namespace routerd::inet {

// The verdict, in the order the checks run (BSD ip_input's order, conformance B01-B06).
enum class IpCheck : std::uint8_t {
    ok,
    too_small,  // B01: fewer than 20 octets from the link layer       -> ips_toosmall
    bad_vers,   // B02: version != 4                                   -> ips_badvers
    bad_hlen,   // B03: IHL < 5 or IHL*4 beyond the octets received    -> ips_badhlen
    bad_sum,    // B04: header checksum wrong                          -> ips_badsum
    bad_len,    // B05: ip_len < IHL*4                                 -> ips_badlen
    too_short,  // B06: ip_len beyond the octets received              -> ips_tooshort
};

// `l3`: everything the link layer delivered from the IPv4 header on (padding included; the
// caller trims to ip_len afterwards, conformance B07).
IpCheck ip_check(std::span<const std::uint8_t> l3) noexcept;

// The one ipstat drop counter of a failed check (DESIGN.md "Counter meanings").
api::IpStatId counter_for(IpCheck c) noexcept;

}  // namespace routerd::inet
