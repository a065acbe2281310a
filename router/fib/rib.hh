// SPDX-License-Identifier: Apache-2.0
// Rib: the control side's route set (connected, static, reject, blackhole) that drives the Fib.
#pragma once

#include "router/base/ip4.hh"
#include "router/base/qsbr.hh"
#include "router/base/result.hh"
#include "router/fib/fib.hh"
#include "router/fib/next_hop_table.hh"
#include "router/fib/route.hh"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace routerd::fib {

// The source of truth from which the Fib is kept. Each prefix may hold several candidate routes;
// a candidate is identified by its source and, for connected routes, its interface. The best
// candidate (connected before static, then lower ifindex) is installed in the Fib; every add or
// delete updates the Fib incrementally, and deleting a prefix's last candidate uncovers the
// covering route. All methods belong to the control thread; the data plane reads fib() and
// next_hops() (or lookup()) concurrently, synchronised by the Qsbr given here.
class Rib {
public:
    explicit Rib(Qsbr* qsbr = nullptr, FibConfig config = {});

    // Static routes (forward with ifindex and optional gateway, reject, blackhole): insert or
    // replace the static candidate of route.prefix. Connected routes: one candidate per
    // interface, counted (two addresses in one subnet add the subnet route twice).
    // EINVAL: host bits, length above 32, forward/local without an interface, a connected
    // route that is not forward/local. ENOSPC: next-hop table or tbl8 groups exhausted. On
    // error nothing changed.
    Status add_route(const Route& route);
    // ENOENT when that candidate is absent.
    Status delete_route(Ip4Prefix prefix, RouteSource source = RouteSource::static_route,
                        std::uint32_t ifindex = 0);

    // An interface address such as 198.18.0.1/24 gives the connected route 198.18.0.0/24
    // (forward, on-link) and the local route 198.18.0.1/32. A /32 address gives only the latter.
    Status add_address(std::uint32_t ifindex, Ip4Prefix address);
    Status delete_address(std::uint32_t ifindex, Ip4Prefix address);

    // The route installed for exactly this prefix.
    std::optional<Route> best(Ip4Prefix prefix) const;
    // Every candidate, ordered by address, then length, then preference.
    std::vector<Route> routes() const;
    std::size_t prefix_count() const noexcept { return entries_.size(); }
    // The interface of the longest connected (forward) route containing addr: where a static
    // route's gateway is reachable. nullopt when none is, or addr is one of ours.
    std::optional<std::uint32_t> connected_ifindex(Ip4Addr addr) const;

    // Data plane.
    const Fib& fib() const noexcept { return fib_; }
    const NextHopTable& next_hops() const noexcept { return next_hops_; }
    // nullptr: no route.
    const NextHop* lookup(Ip4Addr dst) const noexcept {
        const NhIndex idx = fib_.lookup(dst);
        return idx == kNoRoute ? nullptr : &next_hops_.get(idx);
    }

private:
    struct Candidate {
        RouteSource source = RouteSource::static_route;
        std::uint32_t owner = 0;  // ifindex for connected routes, 0 for static ones
        std::uint32_t refs = 1;   // connected: how many addresses asked for it
        NextHop nh;
    };
    struct Entry {
        NhIndex installed = kNoRoute;
        std::vector<Candidate> candidates;  // best first
    };

    static std::uint64_t key(Ip4Prefix p) noexcept {
        return (std::uint64_t{p.addr.value()} << 8) | p.len;
    }
    // Makes the Fib hold the best candidate of entry. On error the Fib and refcounts are as
    // before.
    Status install(Ip4Prefix prefix, Entry& entry);
    bool has_connected(Ip4Prefix prefix, std::uint32_t ifindex) const;

    NextHopTable next_hops_;
    Fib fib_;
    std::unordered_map<std::uint64_t, Entry> entries_;
};

}  // namespace routerd::fib
