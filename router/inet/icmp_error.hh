// SPDX-License-Identifier: Apache-2.0
// icmp_error: send an ICMP error about a received datagram (RFC 1812 4.3.2), rate limited.
#pragma once

#include "router/base/clock.hh"
#include "router/packet/packet.hh"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace routerd::inet {

class Context;
struct Snapshot;

// RFC 1812 4.3.2.7 / RFC 1122 3.2.2 (conformance E01-E03): may an ICMP error be sent about
// the datagram in p (l3 mark on its IPv4 header, trimmed to ip_len)?
enum class IcmpErrorGuard : std::uint8_t {
    send,
    fragment,     // a fragment other than the first
    link_group,   // received as link-layer broadcast or multicast
    dst_group,    // to an IP broadcast or multicast address
    bad_src,      // the source is not one host (0/8, 127/8, broadcast, class D/E, ours)
    about_error,  // itself an ICMP error                                  -> icps_oldicmp
    too_short,    // not even an IPv4 header to quote                       -> icps_oldshort
};
IcmpErrorGuard icmp_error_allowed(const Snapshot& snap, const packet::Packet& p) noexcept;

// Token bucket for ICMP errors (RFC 1812 4.3.2.8): `burst` errors at once, then `per_second`.
struct IcmpRateLimit {
    std::uint32_t per_second = 1000;
    std::uint32_t burst = 50;
};

class IcmpLimiter {
public:
    explicit IcmpLimiter(const IcmpRateLimit& limit = {}) noexcept
        : limit_(limit), tokens_(limit.burst) {}
    // Takes a token; false when the bucket is empty (the error is not sent).
    bool allow(MonoTime now) noexcept {
        if (last_ == MonoTime{}) {
            last_ = now;
        }
        const auto elapsed = now - last_;
        if (elapsed > Duration::zero() && limit_.per_second > 0) {
            const auto per_token = Duration(std::chrono::seconds(1)) / limit_.per_second;
            const auto add = static_cast<std::uint64_t>(elapsed / per_token);
            if (add > 0) {
                tokens_ = static_cast<std::uint32_t>(
                    std::min<std::uint64_t>(limit_.burst, tokens_ + add));
                last_ = last_ + per_token * static_cast<std::int64_t>(add);
            }
        }
        if (tokens_ == 0) {
            return false;
        }
        --tokens_;
        return true;
    }

private:
    IcmpRateLimit limit_;
    std::uint32_t tokens_;
    MonoTime last_{};
};

// Sends ICMP `type`/`code` about the datagram in p (l3 mark on its IPv4 header, as received),
// when RFC 1812 4.3.2.7 allows it and the rate limit has a token. `param` is the pointer of a
// parameter problem or the next-hop MTU of a fragmentation-needed (RFC 1191), else 0;
// `gateway` the new first hop of a redirect. Counts icps_error / icps_oldicmp / icps_oldshort
// and icps_outhist.
void icmp_error(Context& ctx, const packet::Packet& p, std::uint8_t type, std::uint8_t code,
                std::uint32_t param = 0, std::uint32_t gateway = 0) noexcept;

}  // namespace routerd::inet
