// SPDX-License-Identifier: Apache-2.0
// Tests for Rib: connected and local routes, preference between sources, covering-route restore.
#include "router/fib/rib.hh"

#include "router/fib/fib_reference.hh"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <random>
#include <tuple>
#include <utility>

namespace routerd::fib {
namespace {

Ip4Prefix pfx(const char* text) {
    return *Ip4Prefix::parse(text);
}
Ip4Addr addr(const char* text) {
    return *Ip4Addr::parse(text);
}

NextHop via(const char* gw, std::uint32_t ifindex) {
    return NextHop{NextHopKind::forward, ifindex, addr(gw)};
}
Route static_route(const char* prefix, NextHop nh) {
    return Route{pfx(prefix), RouteSource::static_route, nh};
}

TEST(Rib, AddressGivesConnectedAndLocalRoutes) {
    Rib rib;
    ASSERT_TRUE(rib.add_address(2, pfx("198.18.0.1/24")));
    const NextHop* subnet = rib.lookup(addr("198.18.0.77"));
    ASSERT_NE(subnet, nullptr);
    EXPECT_EQ(*subnet, (NextHop{NextHopKind::forward, 2, {}}));
    const NextHop* local = rib.lookup(addr("198.18.0.1"));
    ASSERT_NE(local, nullptr);
    EXPECT_EQ(*local, (NextHop{NextHopKind::local, 2, {}}));
    EXPECT_EQ(rib.lookup(addr("198.18.1.1")), nullptr);
    EXPECT_EQ(rib.best(pfx("198.18.0.0/24"))->source, RouteSource::connected);
    EXPECT_EQ(rib.prefix_count(), 2u);
    EXPECT_EQ(rib.connected_ifindex(addr("198.18.0.9")), 2u);
    EXPECT_FALSE(rib.connected_ifindex(addr("198.18.0.1")).has_value());  // ours
    EXPECT_FALSE(rib.connected_ifindex(addr("203.0.113.1")).has_value());

    ASSERT_TRUE(rib.delete_address(2, pfx("198.18.0.1/24")));
    EXPECT_EQ(rib.lookup(addr("198.18.0.77")), nullptr);
    EXPECT_EQ(rib.lookup(addr("198.18.0.1")), nullptr);
    EXPECT_EQ(rib.prefix_count(), 0u);
    EXPECT_EQ(rib.next_hops().size(), 0u);
    EXPECT_EQ(rib.delete_address(2, pfx("198.18.0.1/24")).error().code, ENOENT);
}

TEST(Rib, HostAddressGivesOnlyTheLocalRoute) {
    Rib rib;
    ASSERT_TRUE(rib.add_address(4, pfx("203.0.113.5/32")));
    EXPECT_EQ(rib.prefix_count(), 1u);
    EXPECT_EQ(rib.lookup(addr("203.0.113.5"))->kind, NextHopKind::local);
    EXPECT_EQ(rib.lookup(addr("203.0.113.6")), nullptr);
    ASSERT_TRUE(rib.delete_address(4, pfx("203.0.113.5/32")));
    EXPECT_EQ(rib.prefix_count(), 0u);
}

TEST(Rib, TwoAddressesInOneSubnetShareTheConnectedRoute) {
    Rib rib;
    ASSERT_TRUE(rib.add_address(2, pfx("198.18.0.1/24")));
    ASSERT_TRUE(rib.add_address(2, pfx("198.18.0.2/24")));
    ASSERT_TRUE(rib.delete_address(2, pfx("198.18.0.1/24")));
    ASSERT_NE(rib.lookup(addr("198.18.0.77")), nullptr);
    EXPECT_EQ(rib.lookup(addr("198.18.0.1"))->kind, NextHopKind::forward);
    EXPECT_EQ(rib.lookup(addr("198.18.0.2"))->kind, NextHopKind::local);
    ASSERT_TRUE(rib.delete_address(2, pfx("198.18.0.2/24")));
    EXPECT_EQ(rib.lookup(addr("198.18.0.77")), nullptr);
}

TEST(Rib, ConnectedBeatsStaticAndStaticReturnsWhenItGoes) {
    Rib rib;
    ASSERT_TRUE(rib.add_route(static_route("198.18.0.0/24", via("203.0.113.1", 3))));
    EXPECT_EQ(rib.lookup(addr("198.18.0.9"))->ifindex, 3u);
    ASSERT_TRUE(rib.add_address(2, pfx("198.18.0.1/24")));
    EXPECT_EQ(rib.lookup(addr("198.18.0.9"))->ifindex, 2u);
    EXPECT_EQ(rib.best(pfx("198.18.0.0/24"))->source, RouteSource::connected);
    EXPECT_EQ(rib.routes().size(), 3u);  // static + connected for /24, local /32
    ASSERT_TRUE(rib.delete_address(2, pfx("198.18.0.1/24")));
    EXPECT_EQ(rib.lookup(addr("198.18.0.9"))->ifindex, 3u);
    EXPECT_EQ(rib.best(pfx("198.18.0.0/24"))->source, RouteSource::static_route);
}

TEST(Rib, StaticAddReplacesAndDeleteRestoresTheCoveringRoute) {
    Rib rib;
    ASSERT_TRUE(rib.add_route(static_route("0.0.0.0/0", via("198.51.100.1", 1))));
    ASSERT_TRUE(rib.add_route(static_route("203.0.113.0/24", NextHop::reject_route())));
    ASSERT_TRUE(rib.add_route(static_route("203.0.113.128/25", NextHop::blackhole_route())));
    EXPECT_EQ(rib.lookup(addr("203.0.113.1"))->kind, NextHopKind::reject);
    EXPECT_EQ(rib.lookup(addr("203.0.113.200"))->kind, NextHopKind::blackhole);
    EXPECT_EQ(rib.lookup(addr("198.18.5.5"))->kind, NextHopKind::forward);
    // Replace: same prefix, same source, new next hop.
    ASSERT_TRUE(rib.add_route(static_route("203.0.113.0/24", via("198.51.100.2", 1))));
    EXPECT_EQ(rib.lookup(addr("203.0.113.1"))->gateway, addr("198.51.100.2"));
    EXPECT_EQ(rib.routes().size(), 3u);
    // Delete the /25: its addresses fall to the /24; delete the /24: to the default.
    ASSERT_TRUE(rib.delete_route(pfx("203.0.113.128/25")));
    EXPECT_EQ(rib.lookup(addr("203.0.113.200"))->gateway, addr("198.51.100.2"));
    ASSERT_TRUE(rib.delete_route(pfx("203.0.113.0/24")));
    EXPECT_EQ(rib.lookup(addr("203.0.113.200"))->gateway, addr("198.51.100.1"));
    ASSERT_TRUE(rib.delete_route(pfx("0.0.0.0/0")));
    EXPECT_EQ(rib.lookup(addr("203.0.113.200")), nullptr);
    EXPECT_EQ(rib.next_hops().size(), 0u);
    EXPECT_EQ(rib.fib().size(), 0u);
}

TEST(Rib, IdenticalNextHopsAreStoredOnce) {
    Rib rib;
    for (int i = 0; i < 100; ++i) {
        const Ip4Prefix p{Ip4Addr(addr("198.18.0.0").value() + (static_cast<unsigned>(i) << 8)),
                          24};
        ASSERT_TRUE(rib.add_route(Route{p, RouteSource::static_route, via("198.51.100.1", 1)}));
    }
    EXPECT_EQ(rib.next_hops().size(), 1u);
    EXPECT_EQ(rib.fib().size(), 100u);
}

TEST(Rib, RejectsBadRoutes) {
    Rib rib;
    EXPECT_EQ(rib.add_route(static_route("198.18.0.1/24", via("198.51.100.1", 1))).error().code,
              EINVAL);
    EXPECT_EQ(rib.add_route(static_route("198.18.0.0/24", via("198.51.100.1", 0))).error().code,
              EINVAL);
    EXPECT_EQ(
        rib.add_route(Route{pfx("198.18.0.0/24"), RouteSource::connected, NextHop::reject_route()})
            .error()
            .code,
        EINVAL);
    EXPECT_EQ(rib.add_address(0, pfx("198.18.0.1/24")).error().code, EINVAL);
    EXPECT_EQ(rib.add_address(1, pfx("198.18.0.1/0")).error().code, EINVAL);
    EXPECT_EQ(rib.delete_route(pfx("198.18.0.0/24")).error().code, ENOENT);
    ASSERT_TRUE(rib.add_route(static_route("198.18.0.0/24", NextHop::reject_route())));
    EXPECT_EQ(rib.delete_route(pfx("198.18.0.0/24"), RouteSource::connected, 1).error().code,
              ENOENT);
    EXPECT_EQ(rib.prefix_count(), 1u);
}

TEST(Rib, FailedAddLeavesEverythingAsItWas) {
    Rib rib(nullptr, FibConfig{1, 1});
    ASSERT_TRUE(rib.add_route(static_route("198.18.0.128/25", NextHop::reject_route())));
    auto st = rib.add_route(static_route("198.18.1.128/25", NextHop::blackhole_route()));
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ENOSPC);
    EXPECT_FALSE(rib.best(pfx("198.18.1.128/25")).has_value());
    EXPECT_EQ(rib.prefix_count(), 1u);
    EXPECT_EQ(rib.next_hops().size(), 1u);  // the blackhole slot was given back
    EXPECT_EQ(rib.lookup(addr("198.18.1.200")), nullptr);
}

// Random static and connected routes on a few interfaces against a model: the best candidate
// per prefix (connected before static, then lower ifindex) fed to FibReference.
TEST(Rib, RandomOperationsMatchAModel) {
    Rib rib;
    std::mt19937 rng(3);
    // (prefix, source, owner) → next hop
    std::map<std::tuple<std::uint32_t, std::uint8_t, RouteSource, std::uint32_t>, NextHop> model;
    auto random_prefix = [&] {
        const auto len = static_cast<std::uint8_t>(16 + rng() % 17);
        return Ip4Prefix{Ip4Addr((addr("198.18.0.0").value() | (rng() & 0x1ffff)) & ip4_mask(len)),
                         len};
    };
    for (int op = 0; op < 20000; ++op) {
        const Ip4Prefix p = random_prefix();
        const bool connected = rng() % 4 == 0;
        const std::uint32_t ifindex = 1 + rng() % 3;
        const RouteSource src = connected ? RouteSource::connected : RouteSource::static_route;
        const std::uint32_t owner = connected ? ifindex : 0;
        const auto key = std::make_tuple(p.addr.value(), p.len, src, owner);
        if (rng() % 3 == 0) {
            const bool had = model.erase(key) == 1;
            EXPECT_EQ(rib.delete_route(p, src, owner).has_value(), had);
        } else {
            NextHop nh = connected ? NextHop{NextHopKind::forward, ifindex, {}}
                                   : via("198.51.100.1", ifindex);
            if (!connected && rng() % 5 == 0) {
                nh = NextHop::reject_route();
            }
            if (connected && model.count(key)) {
                continue;  // connected candidates are counted; keep the model simple
            }
            model[key] = nh;
            ASSERT_TRUE(rib.add_route(Route{p, src, nh}));
        }
    }
    FibReference ref;
    std::map<std::pair<std::uint32_t, std::uint8_t>, NextHop> best;
    for (const auto& [k, nh] : model) {  // map order: per prefix, connected first, low ifindex
        best.try_emplace({std::get<0>(k), std::get<1>(k)}, nh);
    }
    std::map<NextHop, NhIndex, bool (*)(const NextHop&, const NextHop&)> ids(
        [](const NextHop& a, const NextHop& b) {
            return std::tie(a.kind, a.ifindex, a.gateway) < std::tie(b.kind, b.ifindex, b.gateway);
        });
    for (const auto& [k, nh] : best) {
        const auto id = ids.try_emplace(nh, static_cast<NhIndex>(ids.size() + 1)).first->second;
        ref.add(Ip4Prefix{Ip4Addr(k.first), k.second}, id);
    }
    EXPECT_EQ(rib.prefix_count(), best.size());
    for (int i = 0; i < 100000; ++i) {
        const Ip4Addr a((addr("198.18.0.0").value() | (rng() & 0x1ffff)));
        const NhIndex want = ref.lookup(a);
        const NextHop* got = rib.lookup(a);
        if (want == kNoRoute) {
            ASSERT_EQ(got, nullptr) << a.to_string();
        } else {
            ASSERT_NE(got, nullptr) << a.to_string();
            const auto it = std::find_if(ids.begin(), ids.end(),
                                         [&](const auto& e) { return e.second == want; });
            ASSERT_EQ(*got, it->first) << a.to_string();
        }
    }
}

}  // namespace
}  // namespace routerd::fib
