// SPDX-License-Identifier: Apache-2.0
// Tests for the route vocabulary's text forms.
#include "router/fib/route.hh"

#include <gtest/gtest.h>

namespace routerd::fib {
namespace {

TEST(Route, NextHopText) {
    EXPECT_EQ(to_string(NextHop{NextHopKind::forward, 2, *Ip4Addr::parse("198.51.100.1")}),
              "via 198.51.100.1 dev 2");
    EXPECT_EQ(to_string(NextHop{NextHopKind::forward, 3, {}}), "dev 3");
    EXPECT_EQ(to_string(NextHop{NextHopKind::local, 3, {}}), "local dev 3");
    EXPECT_EQ(to_string(NextHop::reject_route()), "reject");
    EXPECT_EQ(to_string(NextHop::blackhole_route()), "blackhole");
    EXPECT_EQ(to_string(RouteSource::connected), "connected");
    EXPECT_EQ(to_string(RouteSource::static_route), "static");
}

}  // namespace
}  // namespace routerd::fib
