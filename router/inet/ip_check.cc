// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_check.hh"

#include "router/base/assert.hh"
#include "router/packet/headers.hh"

namespace routerd::inet {

IpCheck ip_check(std::span<const std::uint8_t> l3) noexcept {
    // RFC 1812 5.2.2 (1): the link layer must deliver at least a minimal IP header.
    auto ip = packet::ConstIp4View::parse(l3);
    if (!ip) {
        return IpCheck::too_small;
    }
    // RFC 1812 5.2.2 (3), RFC 1122 3.2.1.1: version 4, else silently discarded.
    if (ip->ip_v() != IPVERSION) {
        return IpCheck::bad_vers;
    }
    // RFC 1812 5.2.2 (4): IHL at least 5 words, and the header inside what arrived.
    if (!ip->header_complete()) {
        return IpCheck::bad_hlen;
    }
    // RFC 1812 5.2.2 (2), RFC 1122 3.2.1.2: the checksum is verified on every datagram.
    if (!ip->cksum_ok()) {
        return IpCheck::bad_sum;
    }
    // RFC 1812 5.2.2 (5): the total length covers at least the header.
    if (ip->ip_len() < ip->header_len()) {
        return IpCheck::bad_len;
    }
    // BSD ip_input: a datagram longer than what arrived is truncated (conformance B06).
    if (ip->ip_len() > l3.size()) {
        return IpCheck::too_short;
    }
    return IpCheck::ok;
}

api::IpStatId counter_for(IpCheck c) noexcept {
    switch (c) {
        case IpCheck::too_small:
            return api::IpStatId::ips_toosmall;
        case IpCheck::bad_vers:
            return api::IpStatId::ips_badvers;
        case IpCheck::bad_hlen:
            return api::IpStatId::ips_badhlen;
        case IpCheck::bad_sum:
            return api::IpStatId::ips_badsum;
        case IpCheck::bad_len:
            return api::IpStatId::ips_badlen;
        case IpCheck::too_short:
            return api::IpStatId::ips_tooshort;
        case IpCheck::ok:
            break;
    }
    RD_ASSERT(false && "counter_for(IpCheck::ok)");
    return api::IpStatId::ips_total;
}

}  // namespace routerd::inet
