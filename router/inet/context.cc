// SPDX-License-Identifier: Apache-2.0
#include "router/inet/context.hh"

#include <algorithm>

namespace routerd::inet {

namespace {

// The largest datagram any port carries: sizes the hold slots and the scratch buffer, so that
// nothing we hold or build can outgrow its buffer.
std::size_t largest_mtu(std::span<packet::Port* const> ports) noexcept {
    std::size_t m = 1500;
    for (const packet::Port* p : ports) {
        m = std::max(m, p->mtu());
    }
    return m;
}

ArpLimits sized(ArpLimits l, std::size_t mtu) noexcept {
    l.hold_bytes = std::max(l.hold_bytes, mtu);
    return l;
}

}  // namespace

Context::Context(std::span<packet::Port* const> ports, const ContextLimits& limits)
    : stats(ports.size()),
      arp(sized(limits.arp, largest_mtu(ports))),
      icmp_limiter(limits.icmp_rate),
      ports_(ports),
      txq_(std::make_unique<TxQueue[]>(ports.size())),
      scratch_len_(largest_mtu(ports) + 64) {
    scratch_ = std::make_unique<std::uint8_t[]>(scratch_len_);
}

}  // namespace routerd::inet
