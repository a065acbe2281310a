// SPDX-License-Identifier: Apache-2.0
// RouterState: checks, the Rib behind it, the route listing and snapshot publication.
#include "router/dataplane/router_state.hh"

#include "tests/support/fake_clock.hh"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace routerd::dataplane {
namespace {

Ip4Prefix pfx(const char* s) {
    return *Ip4Prefix::parse(s);
}
Ip4Addr addr(const char* s) {
    return *Ip4Addr::parse(s);
}

InterfaceSpec spec(int ifindex, const char* name, std::vector<Ip4Prefix> addrs) {
    InterfaceSpec s;
    s.ifindex = ifindex;
    s.name = name;
    s.mac = MacAddr{{0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(ifindex)}};
    s.addresses = std::move(addrs);
    return s;
}

api::RouteSpec via(const char* prefix, const char* gw, std::uint32_t ifindex = 0) {
    return api::RouteSpec{pfx(prefix), addr(gw), ifindex, api::RouteKind::forward};
}

class RouterStateTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(state.init(inet::IpSettings{}, {spec(2, "eth1", {pfx("198.18.0.254/24")}),
                                                    spec(3, "eth2", {pfx("198.19.0.254/24")})}));
    }
    Qsbr qsbr;
    test::FakeClock clock;
    RouterState state{qsbr, clock};
};

TEST_F(RouterStateTest, InitPublishesTheInterfacesAndConnectedRoutes) {
    const inet::Snapshot* s = state.current();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->generation, 1u);
    ASSERT_EQ(s->interfaces.size(), 2u);
    EXPECT_EQ(s->interfaces[1].ifindex, 3);
    EXPECT_EQ(s->interfaces[1].slot, 1u);
    EXPECT_TRUE(s->is_ours(addr("198.19.0.254")));
    EXPECT_EQ(s->rib, &state.rib());
    const fib::NextHop* nh = s->rib->lookup(addr("198.19.0.7"));
    ASSERT_NE(nh, nullptr);
    EXPECT_EQ(nh->ifindex, 3u);
    EXPECT_EQ(state.route_count(), 2u);  // the two subnets; the router's /32s are not listed
}

TEST_F(RouterStateTest, EveryChangePublishesANewGeneration) {
    const inet::Snapshot* first = state.current();
    ASSERT_TRUE(state.set_default_ttl(32));
    const inet::Snapshot* second = state.current();
    EXPECT_NE(first, second);
    EXPECT_EQ(second->generation, 2u);
    EXPECT_EQ(second->ip.default_ttl, 32);
    ASSERT_TRUE(state.set_forwarding(false));
    EXPECT_EQ(state.current()->generation, 3u);
    EXPECT_FALSE(state.current()->ip.forwarding);
    // No reader is registered: the retired snapshots are freed at once (ASan checks the rest).
    EXPECT_EQ(qsbr.pending(), 0u);
}

TEST_F(RouterStateTest, RetiredSnapshotWaitsForAnOnlineReader) {
    auto reader = qsbr.register_reader();
    ASSERT_TRUE(reader);
    ASSERT_TRUE(state.set_send_redirects(false));
    EXPECT_EQ(qsbr.pending(), 1u);  // the reader may still hold generation 1
    qsbr.quiescent(*reader);
    state.reclaim();
    EXPECT_EQ(qsbr.pending(), 0u);
    qsbr.unregister_reader(*reader);
}

TEST_F(RouterStateTest, RefusedValuesChangeNothing) {
    const auto gen = state.generation();
    EXPECT_EQ(state.set_default_ttl(0).error().code, EINVAL);
    EXPECT_EQ(state.set_default_ttl(256).error().code, EINVAL);
    EXPECT_EQ(state.set_reassembly_timeout(0).error().code, EINVAL);
    EXPECT_EQ(state.set_if_admin(9, false).error().code, ENOENT);
    EXPECT_EQ(state.set_if_mtu(2, 67).error().code, EINVAL);
    api::IgmpSettings g;
    g.query_response_interval_tenths = 1250;  // not below the 125 s query interval
    EXPECT_EQ(state.set_if_igmp(2, g).error().code, EINVAL);
    g = api::IgmpSettings{};
    g.robustness = 0;  // RFC 3376 8.1
    EXPECT_EQ(state.set_if_igmp(2, g).error().code, EINVAL);
    EXPECT_EQ(state.generation(), gen);
    EXPECT_EQ(state.ip().default_ttl, 64);
}

TEST_F(RouterStateTest, StaticRoutesGoIntoTheRibAndTheListing) {
    ASSERT_TRUE(state.add_static_route(via("203.0.113.0/24", "198.19.0.1")));
    const fib::NextHop* nh = state.current()->rib->lookup(addr("203.0.113.9"));
    ASSERT_NE(nh, nullptr);
    EXPECT_EQ(nh->ifindex, 3u);  // resolved through the connected 198.19.0.0/24
    EXPECT_EQ(nh->gateway, addr("198.19.0.1"));
    EXPECT_EQ(state.add_static_route(via("203.0.113.0/24", "198.18.0.1")).error().code, EEXIST);
    EXPECT_EQ(state.add_static_route(via("198.51.100.0/24", "198.20.0.1")).error().code,
              ENETUNREACH);
    EXPECT_EQ(state.add_static_route(via("198.51.100.0/24", "198.19.0.1", 2)).error().code,
              ENETUNREACH);  // the gateway is not on eth1
    EXPECT_EQ(state.add_static_route(via("198.51.100.0/24", "198.19.0.1", 7)).error().code, ENOENT);
    EXPECT_EQ(state.add_static_route(via("198.51.100.1/24", "198.19.0.1")).error().code, EINVAL);
    ASSERT_TRUE(state.add_static_route(
        api::RouteSpec{pfx("198.51.100.0/24"), {}, 0, api::RouteKind::reject}));

    bool more = true;
    auto page = state.routes(pfx("0.0.0.0/0"), false, 10, &more);
    ASSERT_EQ(page.size(), 4u);
    EXPECT_FALSE(more);
    EXPECT_EQ(page[0].prefix, pfx("198.18.0.0/24"));
    EXPECT_EQ(page[0].kind, api::RouteKind::connected);
    EXPECT_EQ(page[2].prefix, pfx("198.51.100.0/24"));
    EXPECT_EQ(page[2].kind, api::RouteKind::reject);
    EXPECT_EQ(page[3].kind, api::RouteKind::forward);
    EXPECT_EQ(page[3].via, addr("198.19.0.1"));
    EXPECT_EQ(page[3].ifindex, 3u);

    clock.advance(std::chrono::seconds(7));
    page = state.routes(pfx("198.51.100.0/24"), true, 1, &more);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].prefix, pfx("203.0.113.0/24"));
    EXPECT_EQ(page[0].age_s, 7u);
    EXPECT_FALSE(more);

    EXPECT_EQ(state
                  .del_static_route(
                      api::RouteSpec{pfx("198.51.100.0/24"), {}, 0, api::RouteKind::blackhole})
                  .error()
                  .code,
              ENOENT);  // the kind must match
    ASSERT_TRUE(state.del_static_route(
        api::RouteSpec{pfx("198.51.100.0/24"), {}, 0, api::RouteKind::reject}));
    EXPECT_EQ(state.current()->rib->lookup(addr("198.51.100.1")), nullptr);
    EXPECT_EQ(state.route_count(), 3u);
}

TEST_F(RouterStateTest, AddressesAreCheckedAndMoveTheConnectedRoutes) {
    EXPECT_EQ(state.add_address(2, pfx("198.19.0.254/24")).error().code, EEXIST);
    EXPECT_EQ(state.add_address(2, pfx("198.18.1.0/24")).error().code, EINVAL);  // network
    EXPECT_EQ(state.add_address(2, pfx("239.1.1.1/24")).error().code, EINVAL);
    ASSERT_TRUE(state.set_addresses(2, {pfx("198.18.1.254/24"), pfx("198.18.0.254/24")}));
    const inet::Interface& eth1 = state.current()->interfaces[0];
    ASSERT_EQ(eth1.naddrs, 2);
    EXPECT_EQ(eth1.addrs[0], pfx("198.18.1.254/24"));  // the new primary
    ASSERT_NE(state.current()->rib->lookup(addr("198.18.1.9")), nullptr);
    ASSERT_TRUE(state.set_addresses(2, {pfx("198.18.1.254/24")}));
    EXPECT_EQ(state.current()->rib->lookup(addr("198.18.0.9")), nullptr);
    EXPECT_FALSE(state.current()->is_ours(addr("198.18.0.254")));
}

TEST_F(RouterStateTest, LinkChangesAndAdminStateEmitEvents) {
    std::vector<api::LinkEvent> events;
    state.set_link_event_sink([&](const api::LinkEvent& ev) { events.push_back(ev); });
    state.link_changed(LinkStatus{3, true, false, 1500, 0, false});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ifindex, 3u);
    EXPECT_EQ(events[0].name, "eth2");
    EXPECT_EQ(events[0].admin, api::AdminState::up);
    EXPECT_EQ(events[0].oper, api::OperState::down);
    EXPECT_FALSE(state.current()->interfaces[1].up());
    // A repeat of the same state is no event; a link that is not ours is ignored.
    state.link_changed(LinkStatus{3, true, false, 1500, 0, false});
    state.link_changed(LinkStatus{42, true, true, 1500, 0, false});
    EXPECT_EQ(events.size(), 1u);
    ASSERT_TRUE(state.set_if_admin(2, false));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].admin, api::AdminState::down);
    EXPECT_EQ(events[1].oper, api::OperState::down);
    EXPECT_FALSE(state.current()->interfaces[0].admin_up);
    ASSERT_TRUE(state.set_if_admin(2, true));
    EXPECT_EQ(events.back().oper, api::OperState::up);
    // An MTU change follows the link unless the YAML fixed one.
    state.link_changed(LinkStatus{2, true, true, 9000, 0, false});
    EXPECT_EQ(state.current()->interfaces[0].mtu, 9000u);
    ASSERT_TRUE(state.set_if_mtu(2, 1400));
    EXPECT_EQ(state.current()->interfaces[0].mtu, 1400u);
}

TEST_F(RouterStateTest, RouteChangesDoNotPublishASnapshot) {
    // The Fib is shared and updated in place: a new Snapshot would only make every worker copy
    // it and walk its ARP cache.
    const auto gen = state.generation();
    const inet::Snapshot* before = state.current();
    ASSERT_TRUE(state.add_static_route(via("203.0.113.0/24", "198.19.0.1")));
    ASSERT_TRUE(state.replace_static_route(via("203.0.113.0/24", "198.18.0.1")));
    EXPECT_EQ(state.generation(), gen);
    EXPECT_EQ(state.current(), before);
    const fib::NextHop* nh = state.current()->rib->lookup(addr("203.0.113.5"));
    ASSERT_NE(nh, nullptr);
    EXPECT_EQ(nh->gateway, addr("198.18.0.1"));
    ASSERT_TRUE(state.del_static_route(via("203.0.113.0/24", "198.18.0.1")));
    EXPECT_EQ(state.generation(), gen);
}

TEST_F(RouterStateTest, ABatchPublishesOnce) {
    const auto gen = state.generation();
    {
        const auto batch = state.batch();
        ASSERT_TRUE(state.set_default_ttl(33));
        ASSERT_TRUE(state.set_forwarding(false));
        ASSERT_TRUE(state.add_address(2, pfx("198.51.100.1/24")));
        // A route through the address added in this batch resolves against the master copy.
        ASSERT_TRUE(state.add_static_route(via("203.0.113.0/24", "198.51.100.7")));
        EXPECT_EQ(state.generation(), gen);  // nothing published yet
        EXPECT_EQ(state.current()->ip.default_ttl, 64);
    }
    EXPECT_EQ(state.generation(), gen + 1);
    EXPECT_EQ(state.current()->ip.default_ttl, 33);
    EXPECT_FALSE(state.current()->ip.forwarding);
    EXPECT_TRUE(state.current()->is_ours(addr("198.51.100.1")));
    {
        const auto batch = state.batch();  // nothing changed: nothing published
    }
    EXPECT_EQ(state.generation(), gen + 1);
}

}  // namespace
}  // namespace routerd::dataplane
