// SPDX-License-Identifier: Apache-2.0
// ip group mapping: scalars from ip_stuff, SET checks and requests, tables, route indexes.
#include "agent/mib/mib2_ip.hh"

#include "agent/mib/oids.hh"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace routerd::agent {
namespace {

Oid ip(std::initializer_list<std::uint32_t> tail) {
    return oid_cat(oids::kIp, tail);
}

TEST(Mib2Ip, ScalarsMapIpstatFields) {
    api::IpStuff s;
    s.ip_forwarding = 0;
    s.ip_default_ttl = 17;
    s.ipq_ttl = 45;
    s.ip_stat.ips_total = (std::uint64_t{1} << 32) + 9;  // Counter32 keeps the low 32 bits
    s.ip_stat.ips_badsum = 1;
    s.ip_stat.ips_badvers = 2;
    s.ip_stat.ips_toolong = 4;
    s.ip_stat.ips_forward = 5;
    s.ip_stat.ips_fragdropped = 6;
    s.ip_stat.ips_fragtimeout = 7;
    s.ip_stat.ips_ofragments = 8;
    Rows rows;
    add_ip_scalars(s, rows);
    EXPECT_EQ(rows.size(), 19u);
    EXPECT_EQ(rows.at(ip({1, 0})), Value::integer(2));  // notForwarding
    EXPECT_EQ(rows.at(ip({2, 0})), Value::integer(17));
    EXPECT_EQ(rows.at(ip({3, 0})), Value::counter32(9));
    EXPECT_EQ(rows.at(ip({4, 0})), Value::counter32(7));  // header errors summed
    EXPECT_EQ(rows.at(ip({6, 0})), Value::counter32(5));
    EXPECT_EQ(rows.at(ip({13, 0})), Value::integer(45));
    EXPECT_EQ(rows.at(ip({16, 0})), Value::counter32(13));
    EXPECT_EQ(rows.at(ip({19, 0})), Value::counter32(8));
    s.ip_forwarding = 1;
    EXPECT_EQ(ip_forwarding_value(s), 1);
}

TEST(Mib2Ip, SetChecksAndRequests) {
    EXPECT_EQ(check_ip_forwarding(1), SnmpErr::no_error);
    EXPECT_EQ(check_ip_forwarding(2), SnmpErr::no_error);
    EXPECT_EQ(check_ip_forwarding(0), SnmpErr::wrong_value);
    EXPECT_EQ(check_ip_forwarding(3), SnmpErr::wrong_value);
    EXPECT_EQ(check_ip_default_ttl(0), SnmpErr::wrong_value);
    EXPECT_EQ(check_ip_default_ttl(1), SnmpErr::no_error);
    EXPECT_EQ(check_ip_default_ttl(255), SnmpErr::no_error);
    EXPECT_EQ(check_ip_default_ttl(256), SnmpErr::wrong_value);
    EXPECT_EQ(check_ip_default_ttl(-1), SnmpErr::wrong_value);
    auto f = ip_forwarding_request(2);
    EXPECT_EQ(f.arg, api::kIpMiscForwarding);
    EXPECT_EQ(f.ip_forwarding, 0);
    EXPECT_EQ(ip_forwarding_request(1).ip_forwarding, 1);
    auto t = ip_default_ttl_request(99);
    EXPECT_EQ(t.arg, api::kIpMiscDefaultTtl);
    EXPECT_EQ(t.ip_default_ttl, 99);
}

TEST(Mib2Ip, AddrTableOneRowPerAddress) {
    InterfaceView v;
    v.entry.ifindex = 7;
    v.ifreq.if_entry.if_index = 7;
    v.ifreq.if_naddr = 2;
    v.ifreq.if_addrs[0].addr = Ip4Addr::from_octets(198, 18, 0, 254);
    v.ifreq.if_addrs[0].netmask = Ip4Addr(0xffffff00u);
    v.ifreq.if_addrs[1].addr = Ip4Addr::from_octets(203, 0, 113, 1);
    v.ifreq.if_addrs[1].netmask = Ip4Addr(0xfffffffcu);
    v.ifreq.if_addrs[2].addr = Ip4Addr::from_octets(198, 51, 100, 1);  // beyond if_naddr
    Rows rows;
    add_ip_addr_table({v}, rows);
    EXPECT_EQ(rows.size(), 10u);
    auto col = [](std::uint32_t c, std::initializer_list<std::uint32_t> a) {
        return oid_cat(oid_cat(oids::kIpAddrEntry, {c}), a);
    };
    EXPECT_EQ(rows.at(col(2, {203, 0, 113, 1})), Value::integer(7));
    EXPECT_EQ(rows.at(col(3, {203, 0, 113, 1})), Value::ip(Ip4Addr(0xfffffffcu)));
    EXPECT_EQ(rows.count(col(1, {198, 51, 100, 1})), 0u);
}

TEST(Mib2Ip, NetToMediaTypes) {
    api::ArpEntry a;
    a.ifindex = 3;
    a.addr = Ip4Addr::from_octets(198, 18, 0, 10);
    a.mac.bytes = {2, 0, 0, 0, 0, 1};
    a.state = api::ArpState::stale;
    api::ArpEntry b = a;
    b.addr = Ip4Addr::from_octets(198, 18, 0, 11);
    b.state = api::ArpState::permanent;
    Rows rows;
    add_ip_net_to_media({a, b}, rows);
    EXPECT_EQ(rows.at(oid_cat(oids::kIpNetToMediaEntry, {4, 3, 198, 18, 0, 10})),
              Value::integer(3));  // dynamic
    EXPECT_EQ(rows.at(oid_cat(oids::kIpNetToMediaEntry, {4, 3, 198, 18, 0, 11})),
              Value::integer(4));  // static
    EXPECT_EQ(rows.at(oid_cat(oids::kIpNetToMediaEntry, {2, 3, 198, 18, 0, 10})).bytes,
              std::string("\x02\x00\x00\x00\x00\x01", 6));
}

api::RouteEntry route(std::uint32_t addr, std::uint8_t len, api::RouteKind k, std::uint32_t via) {
    api::RouteEntry r;
    r.prefix = Ip4Prefix{Ip4Addr(addr), len};
    r.kind = k;
    r.via = Ip4Addr(via);
    return r;
}

TEST(Mib2Ip, InetCidrRouteIndexIsRfc4292) {
    auto r = route(0xc6120000u, 16, api::RouteKind::forward, 0xc6130001u);
    EXPECT_EQ(route_index(RouteTable::inet_cidr, r),
              (Oid{1, 4, 198, 18, 0, 0, 16, 2, 0, 0, 1, 4, 198, 19, 0, 1}));
    auto c = route(0xc6120000u, 24, api::RouteKind::connected, 0);
    EXPECT_EQ(route_index(RouteTable::inet_cidr, c), (Oid{1, 4, 198, 18, 0, 0, 24, 2, 0, 0, 0, 0}));
    EXPECT_EQ(route_index(RouteTable::ip_route, c), (Oid{198, 18, 0, 0}));
    EXPECT_EQ(route_index(RouteTable::ip_cidr, r),
              (Oid{198, 18, 0, 0, 255, 255, 0, 0, 0, 198, 19, 0, 1}));
    EXPECT_EQ(route_column(RouteTable::ip_cidr, 6, r), Value::integer(4));    // remote
    EXPECT_EQ(route_column(RouteTable::inet_cidr, 8, c), Value::integer(3));  // local
    EXPECT_EQ(route_column(RouteTable::inet_cidr, 8, r), Value::integer(4));  // remote
    EXPECT_EQ(
        route_column(RouteTable::inet_cidr, 8, route(0xcb007100u, 24, api::RouteKind::reject, 0)),
        Value::integer(2));
    EXPECT_EQ(route_column(RouteTable::inet_cidr, 8,
                           route(0xcb007100u, 24, api::RouteKind::blackhole, 0)),
              Value::integer(5));
    EXPECT_EQ(route_column(RouteTable::ip_route, 11, r), Value::ip(Ip4Addr(0xffff0000u)));
    EXPECT_EQ(route_column(RouteTable::ip_route, 7, r), Value::ip(Ip4Addr(0xc6130001u)));
}

// routerd's (address, length) order must be the SNMP index order, or a walk skips rows.
TEST(Mib2Ip, RouteIndexOrderFollowsRouterdOrder) {
    std::mt19937 rng(7);
    std::vector<api::RouteEntry> rs;
    for (int i = 0; i < 2000; ++i) {
        std::uint8_t len = static_cast<std::uint8_t>(rng() % 33);
        std::uint32_t addr = static_cast<std::uint32_t>(rng()) & ip4_mask(len);
        auto kind = static_cast<api::RouteKind>(rng() % 4);
        rs.push_back(route(addr, len, kind, kind == api::RouteKind::forward ? 0xc6130001u : 0));
    }
    std::sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) {
        return std::pair(a.prefix.addr, a.prefix.len) < std::pair(b.prefix.addr, b.prefix.len);
    });
    rs.erase(std::unique(rs.begin(), rs.end(),
                         [](const auto& a, const auto& b) { return a.prefix == b.prefix; }),
             rs.end());
    for (std::size_t i = 1; i < rs.size(); ++i) {
        EXPECT_LT(route_index(RouteTable::inet_cidr, rs[i - 1]),
                  route_index(RouteTable::inet_cidr, rs[i]));
        EXPECT_LT(route_index(RouteTable::ip_cidr, rs[i - 1]),
                  route_index(RouteTable::ip_cidr, rs[i]));
        EXPECT_LE(route_index(RouteTable::ip_route, rs[i - 1]),
                  route_index(RouteTable::ip_route, rs[i]));
    }
}

TEST(Mib2Ip, RouteLowerBound) {
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {}), Ip4Addr());
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {0, 9}), Ip4Addr());
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {1}), Ip4Addr());
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {1, 5}), std::nullopt);
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {2}), std::nullopt);
    EXPECT_EQ(route_lower_bound(RouteTable::inet_cidr, {1, 4, 198, 18}),
              Ip4Addr::from_octets(198, 18, 0, 0));
    EXPECT_EQ(route_lower_bound(RouteTable::ip_route, {198, 300, 1, 1}),
              Ip4Addr::from_octets(198, 255, 255, 255));
    EXPECT_EQ(route_lower_bound(RouteTable::ip_route, {203, 0, 113, 7, 9}),
              Ip4Addr::from_octets(203, 0, 113, 7));
}

}  // namespace
}  // namespace routerd::agent
