// SPDX-License-Identifier: Apache-2.0
// Rib: candidate routes per prefix, preference, and the incremental Fib updates they cause.
#include "router/fib/rib.hh"

#include <algorithm>
#include <cerrno>
#include <string>
#include <tuple>
#include <utility>

namespace routerd::fib {

namespace {

bool prefers(RouteSource a_src, std::uint32_t a_owner, RouteSource b_src, std::uint32_t b_owner) {
    return std::tie(a_src, a_owner) < std::tie(b_src, b_owner);
}

Status check_route(const Route& r) {
    if (r.prefix.len > 32 || r.prefix.has_host_bits()) {
        return make_error(EINVAL, "rib: bad prefix " + r.prefix.to_string());
    }
    const bool needs_if =
        r.next_hop.kind == NextHopKind::forward || r.next_hop.kind == NextHopKind::local;
    if (needs_if && r.next_hop.ifindex == 0) {
        return make_error(EINVAL, "rib: route " + r.prefix.to_string() + " needs an interface");
    }
    if (r.source == RouteSource::connected && !needs_if) {
        return make_error(
            EINVAL, "rib: connected route " + r.prefix.to_string() + " must be forward or local");
    }
    return ok_status();
}

}  // namespace

Rib::Rib(Qsbr* qsbr, FibConfig config) : next_hops_(qsbr), fib_(config, qsbr) {}

Status Rib::install(Ip4Prefix prefix, Entry& entry) {
    const NextHop& want = entry.candidates.front().nh;
    if (entry.installed != kNoRoute && next_hops_.get(entry.installed) == want) {
        return ok_status();
    }
    auto idx = next_hops_.acquire(want);
    if (!idx) {
        return std::move(idx).error();
    }
    if (auto st = fib_.add(prefix, *idx); !st) {
        next_hops_.release(*idx);
        return st;
    }
    // The Fib no longer names the old index; the table keeps its slot for a grace period.
    if (entry.installed != kNoRoute) {
        next_hops_.release(entry.installed);
    }
    entry.installed = *idx;
    return ok_status();
}

Status Rib::add_route(const Route& route) {
    if (auto st = check_route(route); !st) {
        return st;
    }
    const std::uint32_t owner = route.source == RouteSource::connected ? route.next_hop.ifindex : 0;
    auto [it, created] = entries_.try_emplace(key(route.prefix));
    Entry& entry = it->second;
    auto& cands = entry.candidates;
    auto pos = std::find_if(cands.begin(), cands.end(), [&](const Candidate& c) {
        return c.source == route.source && c.owner == owner;
    });
    if (pos != cands.end()) {
        const Candidate old = *pos;
        if (route.source == RouteSource::connected && pos->nh == route.next_hop) {
            ++pos->refs;
            return ok_status();
        }
        pos->nh = route.next_hop;
        pos->refs = 1;
        if (auto st = install(route.prefix, entry); !st) {
            *pos = old;
            return st;
        }
        return ok_status();
    }
    auto at = std::find_if(cands.begin(), cands.end(), [&](const Candidate& c) {
        return prefers(route.source, owner, c.source, c.owner);
    });
    const auto offset = at - cands.begin();
    cands.insert(at, Candidate{route.source, owner, 1, route.next_hop});
    if (auto st = install(route.prefix, entry); !st) {
        cands.erase(cands.begin() + offset);
        if (created) {
            entries_.erase(it);
        }
        return st;
    }
    return ok_status();
}

Status Rib::delete_route(Ip4Prefix prefix, RouteSource source, std::uint32_t ifindex) {
    const std::uint32_t owner = source == RouteSource::connected ? ifindex : 0;
    auto it = prefix.len <= 32 ? entries_.find(key(prefix)) : entries_.end();
    if (it == entries_.end()) {
        return make_error(ENOENT, "rib: no route " + prefix.to_string());
    }
    Entry& entry = it->second;
    auto& cands = entry.candidates;
    auto pos = std::find_if(cands.begin(), cands.end(), [&](const Candidate& c) {
        return c.source == source && c.owner == owner;
    });
    if (pos == cands.end()) {
        return make_error(ENOENT, "rib: no " + to_string(source) + " route " + prefix.to_string());
    }
    if (pos->refs > 1) {
        --pos->refs;
        return ok_status();
    }
    if (cands.size() == 1) {
        const auto st = fib_.remove(prefix);
        RD_CHECK(st.has_value());  // the Fib holds every prefix the Rib installed
        next_hops_.release(entry.installed);
        entries_.erase(it);
        return ok_status();
    }
    const Candidate old = *pos;
    const auto offset = pos - cands.begin();
    cands.erase(pos);
    if (auto st = install(prefix, entry); !st) {
        cands.insert(cands.begin() + offset, old);
        return st;
    }
    return ok_status();
}

Status Rib::add_address(std::uint32_t ifindex, Ip4Prefix address) {
    if (ifindex == 0 || address.len == 0 || address.len > 32 || address.addr.is_zero()) {
        return make_error(EINVAL, "rib: bad interface address " + address.to_string());
    }
    const Route local{Ip4Prefix{address.addr, 32}, RouteSource::connected,
                      NextHop{NextHopKind::local, ifindex, {}}};
    if (auto st = add_route(local); !st) {
        return st;
    }
    if (address.len == 32) {
        return ok_status();
    }
    const Route subnet{Ip4Prefix{address.network(), address.len}, RouteSource::connected,
                       NextHop{NextHopKind::forward, ifindex, {}}};
    if (auto st = add_route(subnet); !st) {
        (void)delete_route(local.prefix, RouteSource::connected, ifindex);
        return st;
    }
    return ok_status();
}

Status Rib::delete_address(std::uint32_t ifindex, Ip4Prefix address) {
    if (address.len == 0 || address.len > 32) {
        return make_error(EINVAL, "rib: bad interface address " + address.to_string());
    }
    const Ip4Prefix local{address.addr, 32};
    const Ip4Prefix subnet{address.network(), address.len};
    if (!has_connected(local, ifindex) || (address.len < 32 && !has_connected(subnet, ifindex))) {
        return make_error(ENOENT, "rib: no address " + address.to_string() + " on interface " +
                                      std::to_string(ifindex));
    }
    if (address.len < 32) {
        if (auto st = delete_route(subnet, RouteSource::connected, ifindex); !st) {
            return st;
        }
    }
    return delete_route(local, RouteSource::connected, ifindex);
}

bool Rib::has_connected(Ip4Prefix prefix, std::uint32_t ifindex) const {
    auto it = entries_.find(key(prefix));
    return it != entries_.end() &&
           std::any_of(it->second.candidates.begin(), it->second.candidates.end(),
                       [&](const Candidate& c) {
                           return c.source == RouteSource::connected && c.owner == ifindex;
                       });
}

std::optional<Route> Rib::best(Ip4Prefix prefix) const {
    if (prefix.len > 32) {
        return std::nullopt;
    }
    auto it = entries_.find(key(prefix));
    if (it == entries_.end()) {
        return std::nullopt;
    }
    const Candidate& c = it->second.candidates.front();
    return Route{prefix, c.source, c.nh};
}

std::vector<Route> Rib::routes() const {
    std::vector<Route> out;
    out.reserve(entries_.size());
    for (const auto& [k, entry] : entries_) {
        const Ip4Prefix p{Ip4Addr(static_cast<std::uint32_t>(k >> 8)),
                          static_cast<std::uint8_t>(k & 0xff)};
        for (const Candidate& c : entry.candidates) {
            out.push_back(Route{p, c.source, c.nh});
        }
    }
    // Stable: candidates of one prefix keep their preference order.
    std::stable_sort(out.begin(), out.end(), [](const Route& a, const Route& b) {
        return std::pair(a.prefix.addr, a.prefix.len) < std::pair(b.prefix.addr, b.prefix.len);
    });
    return out;
}

std::optional<std::uint32_t> Rib::connected_ifindex(Ip4Addr addr) const {
    for (int len = 32; len >= 0; --len) {
        const Ip4Prefix p{Ip4Addr(addr.value() & ip4_mask(static_cast<unsigned>(len))),
                          static_cast<std::uint8_t>(len)};
        auto it = entries_.find(key(p));
        if (it == entries_.end()) {
            continue;
        }
        for (const Candidate& c : it->second.candidates) {
            if (c.source != RouteSource::connected) {
                continue;
            }
            if (c.nh.kind == NextHopKind::local) {
                return std::nullopt;
            }
            return c.owner;
        }
    }
    return std::nullopt;
}

}  // namespace routerd::fib
