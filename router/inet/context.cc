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

void Snapshot::build_index() {
    indexed = false;
    addr_index.clear();
    slot_by_ifindex.clear();
    if (interfaces.size() > kMaxIndexed) {
        return;  // the walking answers stay
    }
    int max_ifindex = 0;
    for (const Interface& i : interfaces) {
        if (i.ifindex < 0) {
            return;
        }
        max_ifindex = std::max(max_ifindex, i.ifindex);
    }
    // Linux ifindexes are small and dense; a table that would be large keeps the walk.
    if (max_ifindex > 65535) {
        return;
    }
    slot_by_ifindex.assign(static_cast<std::size_t>(max_ifindex) + 1, -1);
    for (std::size_t s = interfaces.size(); s-- > 0;) {  // the first of duplicates wins
        slot_by_ifindex[static_cast<std::size_t>(interfaces[s].ifindex)] =
            static_cast<std::int32_t>(s);
    }
    std::size_t candidates = 0;
    for (const Interface& i : interfaces) {
        candidates += 3u * i.naddrs;  // address, broadcast, all-zeros host
    }
    std::size_t size = 16;
    while (size < candidates * 2) {
        size <<= 1;
    }
    addr_index.assign(size, AddrSlot{});
    auto slot_for = [&](Ip4Addr a) -> AddrSlot& {
        const std::size_t mask = addr_index.size() - 1;
        for (std::size_t k = hash_addr(a.value()) & mask;; k = (k + 1) & mask) {
            AddrSlot& e = addr_index[k];
            if (!e.used || e.addr == a.value()) {
                e.used = true;
                e.addr = a.value();
                return e;
            }
        }
    };
    for (const Interface& i : interfaces) {
        for (const Ip4Prefix& p : i.addresses()) {
            slot_for(p.addr).ours = true;
            // Exactly Interface::classify's answer, interface by interface (RFC 1812 5.3.5.2,
            // RFC 922; conformance C06: each address with its own mask).
            for (const Ip4Addr c : {p.broadcast(), p.network()}) {
                std::uint64_t bits = 0;
                for (std::size_t s = 0; s < interfaces.size(); ++s) {
                    if (interfaces[s].classify(c) == DstClass::subnet_broadcast) {
                        bits |= std::uint64_t{1} << s;
                    }
                }
                if (bits != 0) {
                    slot_for(c).bcast = bits;
                }
            }
        }
    }
    indexed = true;
}

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
