// SPDX-License-Identifier: Apache-2.0
#include "router/inet/interface.hh"

namespace routerd::inet {

bool Interface::has_address(Ip4Addr a) const noexcept {
    for (const auto& p : addresses()) {
        if (p.addr == a) {
            return true;
        }
    }
    return false;
}

DstClass Interface::classify(Ip4Addr dst) const noexcept {
    for (const auto& p : addresses()) {
        if (p.addr == dst) {
            return DstClass::local;
        }
    }
    for (const auto& p : addresses()) {
        // RFC 1812 5.3.5.2 / RFC 922: the all-ones host of a subnet is its directed broadcast;
        // the all-zeros host is accepted as broadcast too (BSD's INADDR_ANY-style old broadcast,
        // RFC 1122 3.3.6). Meaningless on /31 (RFC 3021) and /32.
        if (p.len < 31 && p.contains(dst) && (dst == p.broadcast() || dst == p.network())) {
            return DstClass::subnet_broadcast;
        }
    }
    return DstClass::other;
}

bool Interface::on_link(Ip4Addr dst) const noexcept {
    for (const auto& p : addresses()) {
        if (p.contains(dst)) {
            return true;
        }
    }
    return false;
}

std::optional<Ip4Addr> Interface::source_for(Ip4Addr dst) const noexcept {
    if (naddrs == 0) {
        return std::nullopt;
    }
    for (const auto& p : addresses()) {
        if (p.contains(dst)) {
            return p.addr;
        }
    }
    return addrs[0].addr;
}

}  // namespace routerd::inet
