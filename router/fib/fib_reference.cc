// SPDX-License-Identifier: Apache-2.0
// FibReference: per-length exact-match maps, searched longest first.
#include "router/fib/fib_reference.hh"

namespace routerd::fib {

bool FibReference::add(Ip4Prefix prefix, NhIndex nh) {
    auto& m = by_len_[prefix.len];
    const auto [it, inserted] = m.insert_or_assign(prefix.network().value(), nh);
    (void)it;
    return inserted;
}

bool FibReference::remove(Ip4Prefix prefix) {
    return by_len_[prefix.len].erase(prefix.network().value()) == 1;
}

std::optional<NhIndex> FibReference::find(Ip4Prefix prefix) const {
    const auto& m = by_len_[prefix.len];
    if (auto it = m.find(prefix.network().value()); it != m.end()) {
        return it->second;
    }
    return std::nullopt;
}

NhIndex FibReference::lookup(Ip4Addr dst) const {
    for (int len = 32; len >= 0; --len) {
        const auto& m = by_len_[len];
        if (auto it = m.find(dst.value() & ip4_mask(static_cast<unsigned>(len))); it != m.end()) {
            return it->second;
        }
    }
    return kNoRoute;
}

std::size_t FibReference::size() const {
    std::size_t n = 0;
    for (const auto& m : by_len_) {
        n += m.size();
    }
    return n;
}

}  // namespace routerd::fib
