// SPDX-License-Identifier: Apache-2.0
// icmp_input: ICMP messages for us (RFC 792, RFC 1122 3.2.2, RFC 1812 4.3.3).
#pragma once

#include "router/base/clock.hh"
#include "router/packet/packet.hh"

#include <cstdint>

namespace routerd::inet {

class Context;

// p: an ICMP datagram for us (ip_local), trimmed to ip_len, l3 mark on the IPv4 header.
// Answers echo (F01/F02), timestamp (F06) and, where the interface says mask-reply, address
// mask requests (F07/F08); everything else is counted in icps_inhist and ignored (E09, E10,
// F10). Never modifies p.
void icmp_input(Context& ctx, packet::Packet& p) noexcept;

// RFC 792 timestamp: milliseconds since midnight UT, or, when the wall clock is unknown
// (wall_offset zero), any millisecond count with the high-order bit set.
std::uint32_t icmp_timestamp(MonoTime now, Duration wall_offset) noexcept;

}  // namespace routerd::inet
