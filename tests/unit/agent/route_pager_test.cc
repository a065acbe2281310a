// SPDX-License-Identifier: Apache-2.0
// RoutePager + RouteProvider against a control-socket peer: every GETNEXT, from any OID, must
// give what a full sorted copy of the table gives, whatever the page size.
#include "agent/mib/mib2_ip.hh"
#include "agent/mib/oids.hh"
#include "tests/unit/agent/control_peer.hh"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace routerd::agent {
namespace {

std::string sock_path(const char* name) {
    return "/tmp/agent-test-" + std::to_string(::getpid()) + "-" + name + ".sock";
}

// routerd's GET_ROUTES contract (messages.hh): (address, length) order from `start`.
api::ReplyBody serve_routes(const std::vector<api::RouteEntry>& table, const api::RequestBody& b) {
    const auto* q = std::get_if<api::GetRoutesRequest>(&b);
    if (q == nullptr) {
        return api::ErrorReply{api::type_of(b), ENOTSUP, "not here"};
    }
    api::GetRoutesReply r;
    r.route_count = static_cast<std::uint32_t>(table.size());
    auto s = std::pair(q->start.addr, q->start.len);
    for (const auto& e : table) {
        auto k = std::pair(e.prefix.addr, e.prefix.len);
        if (q->after ? k <= s : k < s) {
            continue;
        }
        if (r.routes.size() == q->max_count) {
            r.more = true;
            break;
        }
        r.routes.push_back(e);
    }
    return r;
}

std::vector<api::RouteEntry> random_table(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<api::RouteEntry> rs;
    for (std::size_t i = 0; i < n; ++i) {
        api::RouteEntry r;
        r.prefix.len = static_cast<std::uint8_t>(rng() % 33);
        // Few distinct networks, so many prefixes share an address (ipRouteTable collisions).
        r.prefix.addr =
            Ip4Addr((0xc6120000u | (rng() % 64) << 8 | (rng() % 4)) & ip4_mask(r.prefix.len));
        r.kind = static_cast<api::RouteKind>(rng() % 4);
        if (r.kind == api::RouteKind::forward) {
            r.via = Ip4Addr(0xc6130000u + rng() % 200);
        } else if (r.kind == api::RouteKind::connected) {
            r.ifindex = 2 + rng() % 3;
        }
        r.age_s = rng() % 1000;
        rs.push_back(r);
    }
    std::sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) {
        return std::pair(a.prefix.addr, a.prefix.len) < std::pair(b.prefix.addr, b.prefix.len);
    });
    rs.erase(std::unique(rs.begin(), rs.end(),
                         [](const auto& a, const auto& b) { return a.prefix == b.prefix; }),
             rs.end());
    return rs;
}

// The reference: every instance of table `t` in one sorted map.
Rows reference(RouteTable t, const std::vector<api::RouteEntry>& table) {
    const Oid& entry = t == RouteTable::ip_route  ? oids::kIpRouteEntry
                       : t == RouteTable::ip_cidr ? oids::kIpCidrRouteEntry
                                                  : oids::kInetCidrRouteEntry;
    Rows rows;
    for (auto c : route_columns(t)) {
        for (const auto& r : table) {
            // emplace keeps the first route of an address for ipRouteTable's collisions.
            rows.emplace(oid_cat(oid_cat(entry, {c}), route_index(t, r)), route_column(t, c, r));
        }
    }
    return rows;
}

class RoutePagerTest : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(RoutePagerTest, WalkAndProbesMatchTheWholeTable) {
    auto table = random_table(300, 11);
    test::ControlPeer peer(sock_path("routes"),
                           [&](const api::RequestBody& b) { return serve_routes(table, b); });
    Source src(sock_path("routes"), std::chrono::milliseconds(1000));
    RoutePager pager(src, std::chrono::seconds(10), GetParam());
    for (auto t : {RouteTable::ip_route, RouteTable::ip_cidr, RouteTable::inet_cidr}) {
        RouteProvider p(t, pager);
        Rows ref = reference(t, table);
        const Oid& entry = route_entry(t);
        // A full walk from the table's OID.
        Oid at = entry;
        std::size_t n = 0;
        for (auto it = ref.begin(); it != ref.end(); ++it, ++n) {
            auto vb = p.next(at, false);
            ASSERT_TRUE(vb) << "walk ended early at " << oid_to_string(at);
            ASSERT_EQ(vb->oid, it->first) << "after " << oid_to_string(at);
            ASSERT_EQ(vb->value, it->second);
            at = vb->oid;
        }
        EXPECT_FALSE(p.next(at, false)) << "walk went past the last row";
        EXPECT_EQ(n, ref.size());
        // Probes at and around existing and odd OIDs.
        std::mt19937 rng(5);
        std::vector<Oid> keys;
        for (const auto& kv : ref) {
            keys.push_back(kv.first);
        }
        for (int i = 0; i < 400; ++i) {
            Oid o = keys[rng() % keys.size()];
            switch (rng() % 4) {
                case 0:
                    o.resize(entry.size() + 1 + rng() % (o.size() - entry.size()));
                    break;
                case 1:
                    o.back() += 1 + rng() % 300;
                    break;
                case 2:
                    o.push_back(rng() % 3);
                    break;
                default:
                    break;
            }
            bool incl = (rng() % 2) == 0;
            auto want = incl ? ref.lower_bound(o) : ref.upper_bound(o);
            auto got = p.next(o, incl);
            if (want == ref.end()) {
                EXPECT_FALSE(got) << oid_to_string(o);
            } else {
                ASSERT_TRUE(got) << oid_to_string(o);
                EXPECT_EQ(got->oid, want->first) << oid_to_string(o) << " incl " << incl;
            }
            auto exact = p.get(o);
            EXPECT_EQ(exact.has_value(), ref.count(o) == 1) << oid_to_string(o);
        }
    }
    EXPECT_EQ(pager.route_count(), table.size());
}

INSTANTIATE_TEST_SUITE_P(PageSizes, RoutePagerTest, ::testing::Values(1u, 7u, 256u, 4096u));

TEST(RoutePager, NoRoutesWhileRouterdIsAway) {
    Source src(sock_path("absent"), std::chrono::milliseconds(100));
    RoutePager pager(src, std::chrono::seconds(10), 64);
    RouteProvider p(RouteTable::inet_cidr, pager);
    EXPECT_FALSE(p.next(oids::kInetCidrRouteEntry, false));
    EXPECT_FALSE(pager.route_count());
}

TEST(Source, ReconnectsAfterRouterdDropsTheConnection) {
    std::vector<api::RouteEntry> table(1);
    table[0].prefix = Ip4Prefix{Ip4Addr(0xc6120000u), 24};
    table[0].kind = api::RouteKind::connected;
    table[0].ifindex = 2;
    test::ControlPeer peer(sock_path("drop"),
                           [&](const api::RequestBody& b) { return serve_routes(table, b); });
    Source src(sock_path("drop"), std::chrono::milliseconds(1000));
    ASSERT_TRUE(src.routes(Ip4Prefix{}, false, 10));
    EXPECT_TRUE(src.connected());
    peer.drop_connections();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = src.routes(Ip4Prefix{}, false, 10);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->routes.size(), 1u);
}

// A hung routerd (accepts, never answers) costs one timeout, then calls fail at once for a
// while: several timeouts in one SNMP request would exceed snmpd's agentXTimeout.
TEST(Source, HungRouterdIsNotAskedAgainAtOnce) {
    test::ControlPeer peer(sock_path("hung"), [](const api::RequestBody& b) -> api::ReplyBody {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return api::ErrorReply{api::type_of(b), ENOTSUP, "slow"};
    });
    Source src(sock_path("hung"), std::chrono::milliseconds(100));
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(src.ip_stuff());
    auto t1 = std::chrono::steady_clock::now();
    EXPECT_FALSE(src.ip_stuff());
    auto t2 = std::chrono::steady_clock::now();
    EXPECT_GE(t1 - t0, std::chrono::milliseconds(90));  // poll() rounds to whole ms
    EXPECT_LT(t2 - t1, std::chrono::milliseconds(50));
}

}  // namespace
}  // namespace routerd::agent
