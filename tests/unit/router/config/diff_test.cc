// SPDX-License-Identifier: Apache-2.0
// diff: each kind of change between two configurations, and its log lines.
#include "router/config/diff.hh"

#include "router/config/load.hh"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Diagnostics as printed by routerd --check-config.
std::vector<std::string> lines(const LoadResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) {
        out.push_back(d.to_string());
    }
    return out;
}

Ip4Prefix prefix(const char* text) {
    return *Ip4Prefix::parse(text);
}
Ip4Addr addr(const char* text) {
    return *Ip4Addr::parse(text);
}

constexpr std::string_view kBase =
    "ip:\n"
    "  default-ttl: 64\n"
    "interfaces:\n"
    "  - name: eth1\n"
    "    addresses: [198.18.0.254/24]\n"
    "  - name: eth2\n"
    "    addresses: [198.19.0.254/24]\n"
    "routes:\n"
    "  - {prefix: 0.0.0.0/0, via: 198.19.0.1}\n"
    "  - {prefix: 203.0.113.0/24, via: 198.18.0.1}\n"
    "  - {prefix: 198.51.100.0/24, reject: true}\n";

Config load(std::string_view yaml) {
    auto r = load_from_string(yaml, "t.yaml");
    EXPECT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    return r.config;
}

// kBase with one substring replaced.
Config base_with(std::string_view from, std::string_view to) {
    std::string yaml(kBase);
    auto at = yaml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
    return load(yaml);
}

std::vector<std::string> log_lines(const Config& a, const Config& b) {
    return describe(diff(a, b), a, b);
}

TEST(Diff, SameConfigIsEmpty) {
    Config a = load(kBase);
    Config b = load(std::string(kBase) + "# a comment changes nothing\n");
    EXPECT_TRUE(diff(a, b).empty());
    EXPECT_THAT(log_lines(a, b), IsEmpty());
}

TEST(Diff, PositionsDoNotCount) {
    Config a = load(kBase);
    Config b = load("\n\n" + std::string(kBase));
    EXPECT_TRUE(diff(a, b).empty());
}

TEST(Diff, IpSettings) {
    Config a = load(kBase);
    Config b = base_with("  default-ttl: 64\n",
                         "  default-ttl: 32\n  forwarding: false\n  reassembly-timeout: 60\n"
                         "  send-redirects: false\n  source-route: true\n");
    ConfigDelta d = diff(a, b);
    EXPECT_THAT(d.ip_changed, ElementsAre(IpSetting::forwarding, IpSetting::default_ttl,
                                          IpSetting::reassembly_timeout, IpSetting::send_redirects,
                                          IpSetting::source_route));
    EXPECT_TRUE(d.interfaces_changed.empty());
    EXPECT_TRUE(d.routes_added.empty());
    EXPECT_THAT(log_lines(a, b),
                ElementsAre("ip forwarding true -> false", "ip default-ttl 64 -> 32",
                            "ip reassembly-timeout 30 -> 60", "ip send-redirects true -> false",
                            "ip source-route false -> true"));
}

TEST(Diff, ControlSocket) {
    Config a = load(kBase);
    Config b = load(std::string(kBase) + "control: {socket: /run/other.sock}\n");
    ConfigDelta d = diff(a, b);
    EXPECT_TRUE(d.control_socket_changed);
    EXPECT_THAT(log_lines(a, b),
                ElementsAre("control socket /run/routerd/control.sock -> /run/other.sock (takes "
                            "effect at the next start)"));
}

TEST(Diff, InterfaceAddedAndRemoved) {
    Config a = load(kBase);
    Config b = base_with("  - name: eth2\n    addresses: [198.19.0.254/24]\n",
                         "  - name: eth2\n    addresses: [198.19.0.254/24]\n"
                         "  - name: eth3\n    addresses: [203.0.113.254/24]\n");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_added.size(), 1u);
    EXPECT_EQ(d.interfaces_added[0].name, "eth3");
    EXPECT_EQ(d.interfaces_added[0].addresses, std::vector<Ip4Prefix>{prefix("203.0.113.254/24")});
    EXPECT_TRUE(d.interfaces_removed.empty());
    ConfigDelta back = diff(b, a);
    EXPECT_THAT(back.interfaces_removed, ElementsAre("eth3"));
    EXPECT_TRUE(back.interfaces_added.empty());
    EXPECT_THAT(log_lines(a, b), ElementsAre("interface eth3 added"));
    EXPECT_THAT(log_lines(b, a), ElementsAre("interface eth3 removed"));
}

TEST(Diff, RenamedInterfaceIsRemovedAndAdded) {
    Config a = load(kBase);
    Config b = base_with("name: eth2", "name: eth5");
    ConfigDelta d = diff(a, b);
    EXPECT_THAT(d.interfaces_removed, ElementsAre("eth2"));
    ASSERT_EQ(d.interfaces_added.size(), 1u);
    EXPECT_EQ(d.interfaces_added[0].name, "eth5");
}

TEST(Diff, AddressesAddedAndRemoved) {
    Config a = load(kBase);
    Config b = base_with("[198.18.0.254/24]", "[198.18.0.254/24, 198.18.1.254/24]");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_changed.size(), 1u);
    const InterfaceDelta& eth1 = d.interfaces_changed[0];
    EXPECT_EQ(eth1.name, "eth1");
    EXPECT_THAT(eth1.addresses_added, ElementsAre(prefix("198.18.1.254/24")));
    EXPECT_THAT(eth1.addresses_removed, IsEmpty());
    EXPECT_FALSE(eth1.primary_changed);
    ConfigDelta back = diff(b, a);
    ASSERT_EQ(back.interfaces_changed.size(), 1u);
    EXPECT_THAT(back.interfaces_changed[0].addresses_removed,
                ElementsAre(prefix("198.18.1.254/24")));
    EXPECT_THAT(log_lines(a, b), ElementsAre("interface eth1 address 198.18.1.254/24 added"));
}

TEST(Diff, PrefixLengthChangeIsRemoveAndAdd) {
    Config a = load(kBase);
    Config b = base_with("[198.18.0.254/24]", "[198.18.0.254/23]");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_changed.size(), 1u);
    const InterfaceDelta& eth1 = d.interfaces_changed[0];
    EXPECT_THAT(eth1.addresses_added, ElementsAre(prefix("198.18.0.254/23")));
    EXPECT_THAT(eth1.addresses_removed, ElementsAre(prefix("198.18.0.254/24")));
    EXPECT_TRUE(eth1.primary_changed);
    EXPECT_THAT(log_lines(a, b),
                ElementsAre("interface eth1 address 198.18.0.254/24 removed",
                            "interface eth1 address 198.18.0.254/23 added",
                            "interface eth1 primary address 198.18.0.254/24 -> 198.18.0.254/23"));
}

TEST(Diff, PrimaryAddressChangeByOrder) {
    Config a = base_with("[198.18.0.254/24]", "[198.18.0.254/24, 198.18.1.254/24]");
    Config b = base_with("[198.18.0.254/24]", "[198.18.1.254/24, 198.18.0.254/24]");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_changed.size(), 1u);
    EXPECT_TRUE(d.interfaces_changed[0].primary_changed);
    EXPECT_TRUE(d.interfaces_changed[0].addresses_added.empty());
    EXPECT_TRUE(d.interfaces_changed[0].addresses_removed.empty());
}

TEST(Diff, InterfaceSettings) {
    Config a = load(kBase);
    Config b = base_with("[198.18.0.254/24]\n",
                         "[198.18.0.254/24]\n    mtu: 1400\n    mask-reply: true\n"
                         "    redirects: false\n    directed-broadcast: true\n");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_changed.size(), 1u);
    EXPECT_THAT(d.interfaces_changed[0].settings_changed,
                ElementsAre(InterfaceSetting::mtu, InterfaceSetting::mask_reply,
                            InterfaceSetting::redirects, InterfaceSetting::directed_broadcast));
    EXPECT_THAT(log_lines(a, b), ElementsAre("interface eth1 mtu link -> 1400",
                                             "interface eth1 mask-reply false -> true",
                                             "interface eth1 redirects true -> false",
                                             "interface eth1 directed-broadcast false -> true"));
}

TEST(Diff, IgmpSettings) {
    Config a = load(kBase);
    Config b = base_with("[198.18.0.254/24]\n",
                         "[198.18.0.254/24]\n    igmp:\n      querier: true\n      version: 3\n"
                         "      query-interval: 60\n      query-response-interval: 5.5\n"
                         "      robustness: 3\n      last-member-query-interval: 2\n");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.interfaces_changed.size(), 1u);
    EXPECT_TRUE(d.interfaces_changed[0].settings_changed.empty());
    EXPECT_THAT(d.interfaces_changed[0].igmp_changed,
                ElementsAre(IgmpSetting::querier, IgmpSetting::version, IgmpSetting::query_interval,
                            IgmpSetting::query_response_interval, IgmpSetting::robustness,
                            IgmpSetting::last_member_query_interval));
    EXPECT_THAT(log_lines(a, b),
                ElementsAre("interface eth1 igmp querier false -> true",
                            "interface eth1 igmp version 2 -> 3",
                            "interface eth1 igmp query-interval 125 -> 60",
                            "interface eth1 igmp query-response-interval 10 -> 5.5",
                            "interface eth1 igmp robustness 2 -> 3",
                            "interface eth1 igmp last-member-query-interval 1 -> 2"));
}

TEST(Diff, IgmpBlockWithDefaultsChangesNothing) {
    Config a = load(kBase);
    Config b = base_with("[198.18.0.254/24]\n",
                         "[198.18.0.254/24]\n    igmp: {version: 2, query-interval: 125}\n");
    EXPECT_TRUE(diff(a, b).empty());
}

TEST(Diff, RoutesAdded) {
    Config a = load(kBase);
    Config b = load(std::string(kBase) + "  - {prefix: 203.0.113.128/25, blackhole: true}\n");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.routes_added.size(), 1u);
    EXPECT_EQ(d.routes_added[0].prefix, prefix("203.0.113.128/25"));
    EXPECT_EQ(d.routes_added[0].kind, RouteKind::blackhole);
    EXPECT_TRUE(d.routes_removed.empty());
    EXPECT_TRUE(d.routes_changed.empty());
    EXPECT_THAT(log_lines(a, b), ElementsAre("route 203.0.113.128/25 added: blackhole"));
}

TEST(Diff, RoutesRemoved) {
    Config a = load(kBase);
    Config b = base_with("  - {prefix: 203.0.113.0/24, via: 198.18.0.1}\n", "");
    ConfigDelta d = diff(a, b);
    ASSERT_EQ(d.routes_removed.size(), 1u);
    EXPECT_EQ(d.routes_removed[0].prefix, prefix("203.0.113.0/24"));
    EXPECT_THAT(log_lines(a, b), ElementsAre("route 203.0.113.0/24 removed"));
}

TEST(Diff, RoutesChanged) {
    Config a = load(kBase);
    Config b = load(
        "ip:\n  default-ttl: 64\n"
        "interfaces:\n"
        "  - name: eth1\n    addresses: [198.18.0.254/24]\n"
        "  - name: eth2\n    addresses: [198.19.0.254/24]\n"
        "routes:\n"
        "  - {prefix: 198.51.100.0/24, via: 198.18.0.2}\n"                  // reject -> via
        "  - {prefix: 203.0.113.0/24, via: 198.18.0.1, interface: eth1}\n"  // + interface
        "  - {prefix: 0.0.0.0/0, via: 198.19.0.2}\n");                      // another next hop
    ConfigDelta d = diff(a, b);
    EXPECT_TRUE(d.routes_added.empty());
    EXPECT_TRUE(d.routes_removed.empty());
    ASSERT_EQ(d.routes_changed.size(), 3u);
    EXPECT_EQ(d.routes_changed[0].from.kind, RouteKind::reject);
    EXPECT_EQ(d.routes_changed[0].to.via, addr("198.18.0.2"));
    EXPECT_THAT(log_lines(a, b),
                ElementsAre("route 198.51.100.0/24 changed: reject -> via 198.18.0.2",
                            "route 203.0.113.0/24 changed: via 198.18.0.1 -> via 198.18.0.1 "
                            "interface eth1",
                            "route 0.0.0.0/0 changed: via 198.19.0.1 -> via 198.19.0.2"));
}

TEST(Diff, RouteOrderDoesNotMatter) {
    Config a = load(kBase);
    Config b = load(
        "ip:\n  default-ttl: 64\n"
        "interfaces:\n"
        "  - name: eth2\n    addresses: [198.19.0.254/24]\n"
        "  - name: eth1\n    addresses: [198.18.0.254/24]\n"
        "routes:\n"
        "  - {prefix: 198.51.100.0/24, reject: true}\n"
        "  - {prefix: 203.0.113.0/24, via: 198.18.0.1}\n"
        "  - {prefix: 0.0.0.0/0, via: 198.19.0.1}\n");
    EXPECT_TRUE(diff(a, b).empty());
}

TEST(Diff, FromEmptyConfigAddsEverything) {
    Config empty;
    Config b = load(kBase);
    ConfigDelta d = diff(empty, b);
    EXPECT_EQ(d.interfaces_added.size(), 2u);
    EXPECT_EQ(d.routes_added.size(), 3u);
    EXPECT_TRUE(d.ip_changed.empty());
}

TEST(Diff, LargeRouteTables) {
    // O(n): 50,000 routes, half of them changed.
    Config a = load(kBase);
    a.routes.clear();
    for (std::uint32_t i = 0; i < 50000; ++i) {
        a.routes.push_back(RouteConfig{Ip4Prefix{Ip4Addr(0xcb000000u | (i << 8)), 24},
                                       RouteKind::via, addr("198.18.0.1"), ""});
    }
    Config b = a;
    for (std::size_t i = 0; i < b.routes.size(); i += 2) {
        b.routes[i].kind = RouteKind::blackhole;
    }
    EXPECT_EQ(diff(a, b).routes_changed.size(), 25000u);
}

}  // namespace
}  // namespace routerd::config
