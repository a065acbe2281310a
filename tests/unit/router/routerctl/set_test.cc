// SPDX-License-Identifier: Apache-2.0
// Tests for routerctl's argument parsing: on|off, numbers, prefixes, route and interface words.
#include "router/routerctl/set.hh"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace routerd::routerctl {
namespace {

using Words = std::vector<std::string>;

TEST(ParseOnOff, OnlyOnAndOff) {
    EXPECT_TRUE(*parse_on_off("forwarding", "on"));
    EXPECT_FALSE(*parse_on_off("forwarding", "off"));
    auto bad = parse_on_off("forwarding", "yes");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "forwarding: expected on or off, got 'yes'");
    EXPECT_FALSE(parse_on_off("x", "ON"));
    EXPECT_FALSE(parse_on_off("x", ""));
}

TEST(ParseInt32, PassesOutOfRangeTtlsThrough) {
    // routerd, not routerctl, judges the TTL range (the integration test checks its EINVAL).
    EXPECT_EQ(*parse_int32("ttl", "0"), 0);
    EXPECT_EQ(*parse_int32("ttl", "256"), 256);
    EXPECT_EQ(*parse_int32("ttl", "-1"), -1);
    EXPECT_EQ(*parse_int32("ttl", "64"), 64);
    EXPECT_EQ(*parse_int32("ttl", "2147483647"), 2147483647);
}

TEST(ParseInt32, NonNumericIsAUsageError) {
    EXPECT_FALSE(parse_int32("ttl", "abc"));
    EXPECT_FALSE(parse_int32("ttl", ""));
    EXPECT_FALSE(parse_int32("ttl", "64x"));
    EXPECT_FALSE(parse_int32("ttl", " 64"));
    EXPECT_FALSE(parse_int32("ttl", "2147483648"));
    EXPECT_FALSE(parse_int32("ttl", "1.5"));
    EXPECT_EQ(parse_int32("ttl", "abc").error().message, "ttl: expected a number, got 'abc'");
}

TEST(ParseNetwork, RefusesHostBits) {
    auto p = parse_network("198.18.1.0/24");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to_string(), "198.18.1.0/24");
    EXPECT_TRUE(parse_network("0.0.0.0/0"));
    EXPECT_TRUE(parse_network("203.0.113.7/32"));
    auto hb = parse_network("198.18.1.1/24");
    ASSERT_FALSE(hb);
    EXPECT_EQ(hb.error().message,
              "prefix 198.18.1.1/24 has host bits set (did you mean 198.18.1.0/24?)");
    EXPECT_FALSE(parse_network("198.18.1.0"));
    EXPECT_FALSE(parse_network("198.18.1.0/33"));
    EXPECT_FALSE(parse_network("nonsense"));
}

TEST(ParseGateway, DottedQuadOnly) {
    EXPECT_EQ(parse_gateway("198.18.0.1")->to_string(), "198.18.0.1");
    EXPECT_FALSE(parse_gateway("198.18.0"));
    EXPECT_FALSE(parse_gateway("198.18.0.1/32"));
    EXPECT_FALSE(parse_gateway("gw"));
}

TEST(ParseRouteArgs, AddViaGatewayAndDevice) {
    auto a = parse_route_args(Words{"203.0.113.0/24", "via", "198.18.0.2"}, true);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->prefix.to_string(), "203.0.113.0/24");
    EXPECT_EQ(a->kind, api::RouteKind::forward);
    EXPECT_EQ(a->via.to_string(), "198.18.0.2");
    EXPECT_EQ(a->dev, "");

    auto d = parse_route_args(Words{"203.0.113.0/24", "via", "198.18.0.2", "dev", "eth1"}, true);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->dev, "eth1");
}

TEST(ParseRouteArgs, AddRejectAndBlackhole) {
    auto r = parse_route_args(Words{"198.51.100.0/24", "reject"}, true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, api::RouteKind::reject);
    EXPECT_TRUE(r->via.is_zero());
    auto b = parse_route_args(Words{"198.51.100.0/24", "blackhole"}, true);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->kind, api::RouteKind::blackhole);
}

TEST(ParseRouteArgs, AddUsageErrors) {
    EXPECT_FALSE(parse_route_args(Words{}, true));
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24"}, true));  // no via/reject/blackhole
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.1/24", "reject"}, true));  // host bits
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24", "via"}, true));
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24", "via", "x"}, true));
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24", "via", "198.18.0.2", "dev"}, true));
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24", "reject", "extra"}, true));
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.0/24", "dev", "eth1"}, true));
}

TEST(ParseRouteArgs, DelPrefixAloneLeavesTheKindOpen) {
    auto d = parse_route_args(Words{"203.0.113.0/24"}, false);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->kind.has_value());
    auto v = parse_route_args(Words{"203.0.113.0/24", "via", "198.18.0.2"}, false);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->kind, api::RouteKind::forward);
    EXPECT_FALSE(parse_route_args(Words{"203.0.113.5/24"}, false));
    EXPECT_FALSE(parse_route_args(Words{}, false));
}

TEST(ParseInterfaceArgs, EverySettingAndCombinations) {
    EXPECT_EQ(parse_interface_args(Words{"up"})->admin, api::AdminState::up);
    EXPECT_EQ(parse_interface_args(Words{"down"})->admin, api::AdminState::down);
    auto m = parse_interface_args(Words{"mask-reply", "on"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->mask_reply, true);
    EXPECT_FALSE(m->redirects.has_value());
    EXPECT_FALSE(m->admin.has_value());
    auto r = parse_interface_args(Words{"redirects", "off", "directed-broadcast", "on", "up"});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->redirects, false);
    EXPECT_EQ(r->directed_broadcast, true);
    EXPECT_EQ(r->admin, api::AdminState::up);
}

TEST(ParseInterfaceArgs, UsageErrors) {
    EXPECT_FALSE(parse_interface_args(Words{}));
    EXPECT_FALSE(parse_interface_args(Words{"sideways"}));
    EXPECT_FALSE(parse_interface_args(Words{"mask-reply"}));
    EXPECT_FALSE(parse_interface_args(Words{"mask-reply", "maybe"}));
}

TEST(IpMiscRequests, ArgOneAndTwo) {
    EXPECT_EQ(forwarding_request(true), (api::SetIpMiscRequest{1, 1, 0}));
    EXPECT_EQ(forwarding_request(false), (api::SetIpMiscRequest{1, 0, 0}));
    EXPECT_EQ(ttl_request(0), (api::SetIpMiscRequest{2, 0, 0}));
    EXPECT_EQ(ttl_request(256), (api::SetIpMiscRequest{2, 0, 256}));
    EXPECT_EQ(ttl_request(-1), (api::SetIpMiscRequest{2, 0, -1}));
}

}  // namespace
}  // namespace routerd::routerctl
