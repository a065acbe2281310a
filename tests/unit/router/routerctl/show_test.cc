// SPDX-License-Identifier: Apache-2.0
// Tests for routerctl's show layouts (text and JSON) built from api structs.
#include "router/routerctl/show.hh"

#include "router/api/stats.hh"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace routerd::routerctl {
namespace {

Ip4Addr ip(const char* s) {
    return *Ip4Addr::parse(s);
}
Ip4Prefix pfx(const char* s) {
    return *Ip4Prefix::parse(s);
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

InterfaceView eth1() {
    InterfaceView v;
    v.entry.ifindex = 2;
    v.entry.name = "eth1";
    v.entry.mac = *MacAddr::parse("02:00:00:00:00:01");
    v.entry.admin = api::AdminState::up;
    v.entry.oper = api::OperState::up;
    v.entry.settings.mask_reply = true;
    auto& r = v.ifreq;
    r.if_entry = {2, "eth1", api::kIffUp | api::kIffBroadcast | api::kIffRunning, 1500, 0};
    r.if_stats.ifs_ipackets = 100;
    r.if_stats.ifs_opackets = 7;
    r.if_stats.ifs_ierrors = 1;
    r.if_naddr = 2;
    r.if_addrs[0] = {ip("198.18.0.1"), ip("198.18.0.255"), ip("255.255.255.0"),
                     api::kIfaPrimary | api::kIfaBroadcast};
    r.if_addrs[1] = {ip("198.19.0.1"), Ip4Addr{}, ip("255.255.0.0"), api::kIfaPrimary};
    return v;
}

TEST(ShowIp, TextIsAlignedNameValueLines) {
    api::IpStuff s;
    s.ip_default_ttl = 255;
    EXPECT_EQ(format_ip_text(s),
              "ip_forwarding       1\n"
              "ip_default_ttl    255\n"
              "ipq_ttl            30\n"
              "ipq_reasm_reqds     0\n"
              "icmp_answermask     0\n"
              "ip_sendredirects    1\n"
              "ip_sourceroute      0\n");
}

TEST(ShowIp, JsonKeysAreSeedNames) {
    api::IpStuff s;
    s.ip_forwarding = 0;
    EXPECT_EQ(format_ip_json(s),
              "{\n  \"ip_forwarding\": 0,\n  \"ip_default_ttl\": 64,\n  \"ipq_ttl\": 30,\n"
              "  \"ipq_reasm_reqds\": 0,\n  \"icmp_answermask\": 0,\n  \"ip_sendredirects\": 1,\n"
              "  \"ip_sourceroute\": 0\n}");
}

TEST(ShowInterfaces, TableRowPerInterface) {
    std::vector<InterfaceView> ifs{eth1()};
    std::string t = format_interfaces_text(ifs);
    EXPECT_EQ(t.substr(0, t.find('\n')),
              "INDEX  NAME  FLAGS                  MTU  ADMIN  OPER  ADDRESSES                    "
              "IPKTS  IERRS  OPKTS  OERRS");
    EXPECT_TRUE(contains(t,
                         "    2  eth1  UP,BROADCAST,RUNNING  1500  up     up    "
                         "198.18.0.1/24,198.19.0.1/16    100      1      7      0\n"))
        << t;
}

TEST(ShowInterfaces, DetailHasEveryCounterAndAddress) {
    std::string t = format_interface_detail_text(eth1());
    EXPECT_EQ(t.substr(0, t.find('\n')), "eth1 (ifindex 2)");
    EXPECT_TRUE(contains(t, "mask_reply"));
    EXPECT_TRUE(contains(t, "198.18.0.255"));
    EXPECT_TRUE(contains(t, "PRIMARY,BROADCAST"));
    for (const auto& f : api::kIfStatsFields) {
        EXPECT_TRUE(contains(t, "  " + std::string(f.name) + " ")) << f.name;
    }
}

TEST(ShowInterfaces, JsonUsesIfreqAllNames) {
    std::string j = format_interface_json(eth1());
    for (const char* k :
         {"\"if_index\": 2", "\"if_name\": \"eth1\"", "\"if_flags\": 67", "\"if_mtu\": 1500",
          "\"if_metric\": 0", "\"if_statsavail\": 1", "\"if_stats\": {", "\"ifs_ipackets\": 100",
          "\"if_outqlen\": 0", "\"if_naddr\": 2", "\"if_addrs\": [", "\"addr\": \"198.18.0.1\"",
          "\"dstaddr\": \"198.18.0.255\"", "\"netmask\": \"255.255.255.0\"", "\"flags\": 3",
          "\"mac\": \"02:00:00:00:00:01\"", "\"admin\": \"up\"", "\"mask_reply\": true"}) {
        EXPECT_TRUE(contains(j, k)) << k << "\n" << j;
    }
    std::vector<InterfaceView> ifs{eth1(), eth1()};
    std::string a = format_interfaces_json(ifs);
    EXPECT_EQ(a.front(), '[');
    EXPECT_EQ(a.back(), ']');
}

TEST(ShowRoutes, TextAndJson) {
    std::vector<api::RouteEntry> routes{
        {pfx("0.0.0.0/0"), ip("198.18.0.2"), 0, api::RouteKind::forward, 5},
        {pfx("198.18.0.0/24"), Ip4Addr{}, 2, api::RouteKind::connected, 60},
        {pfx("198.51.100.0/24"), Ip4Addr{}, 0, api::RouteKind::blackhole, 1},
        {pfx("203.0.113.0/24"), ip("198.18.0.3"), 9, api::RouteKind::forward, 1},
    };
    IfNames names{{2, "eth1"}};
    EXPECT_EQ(format_routes_text(routes, names),
              "PREFIX           KIND       NEXT HOP    INTERFACE  AGE\n"
              "0.0.0.0/0        forward    198.18.0.2  -           5s\n"
              "198.18.0.0/24    connected  -           eth1       60s\n"
              "198.51.100.0/24  blackhole  -           -           1s\n"
              "203.0.113.0/24   forward    198.18.0.3  #9          1s\n");
    std::vector<api::RouteEntry> one{routes[1]};
    EXPECT_EQ(format_routes_json(one, names),
              "[\n  {\n    \"prefix\": \"198.18.0.0/24\",\n    \"kind\": \"connected\",\n"
              "    \"via\": null,\n    \"ifindex\": 2,\n    \"if_name\": \"eth1\",\n"
              "    \"age_s\": 60\n  }\n]");
    EXPECT_EQ(format_routes_json({}, names), "[]");
}

TEST(ShowArp, TextAndJson) {
    std::vector<api::ArpEntry> arp{
        {2, ip("198.18.0.2"), *MacAddr::parse("02:00:00:00:00:02"), api::ArpState::reachable, 3},
        {2, ip("198.18.0.9"), MacAddr{}, api::ArpState::incomplete, 0},
    };
    IfNames names{{2, "eth1"}};
    EXPECT_EQ(format_arp_text(arp, names),
              "INTERFACE  ADDRESS     MAC                STATE       AGE\n"
              "eth1       198.18.0.2  02:00:00:00:00:02  reachable    3s\n"
              "eth1       198.18.0.9  -                  incomplete   0s\n");
    std::string j = format_arp_json(arp, names);
    EXPECT_TRUE(contains(j, "\"mac\": \"02:00:00:00:00:02\""));
    EXPECT_TRUE(contains(j, "\"state\": \"incomplete\""));
}

TEST(ShowIgmp, QuerierStateAndGroupsWithTimers) {
    api::IgmpInterface i;
    i.ifindex = 2;
    i.is_querier = true;
    i.querier = ip("198.18.0.1");
    i.querier_uptime_s = 120;
    api::IgmpGroup g;
    g.group = ip("239.1.2.3");
    g.last_reporter = ip("198.18.0.10");
    g.uptime_s = 30;
    g.expiry_ms = 230500;
    g.sources.push_back({ip("198.18.0.20"), 12000});
    i.groups.push_back(g);
    std::vector<api::IgmpInterface> ifs{i};
    IfNames names{{2, "eth1"}};
    std::string t = format_igmp_text(ifs, names);
    EXPECT_TRUE(contains(t, "eth1 (ifindex 2)\n")) << t;
    EXPECT_TRUE(contains(t, "198.18.0.1 (this router)")) << t;
    EXPECT_TRUE(contains(t, "query_response_interval     10.0s")) << t;
    EXPECT_TRUE(contains(t, "239.1.2.3")) << t;
    EXPECT_TRUE(contains(t, "230.5s")) << t;
    EXPECT_TRUE(contains(t, "198.18.0.20(12.0s)")) << t;
    std::string j = format_igmp_json(ifs, names);
    EXPECT_TRUE(contains(j, "\"is_querier\": true")) << j;
    EXPECT_TRUE(contains(j, "\"group\": \"239.1.2.3\"")) << j;
    EXPECT_TRUE(contains(j, "\"expiry_ms\": 230500")) << j;
    EXPECT_TRUE(contains(j, "\"filter_mode\": \"exclude\"")) << j;
}

TEST(ShowStats, EveryIpCounterBySeedName) {
    api::IpStat s;
    s.ips_badsum = 3;
    std::string t = format_stats_text(s);
    std::string j = format_stats_json(s);
    for (const auto& f : api::kIpStatFields) {
        EXPECT_TRUE(contains(t, std::string(f.name) + " ")) << f.name;
        EXPECT_TRUE(contains(j, "\"" + std::string(f.name) + "\": ")) << f.name;
    }
    EXPECT_TRUE(contains(t, "ips_badsum        3  checksum bad\n")) << t;
    EXPECT_TRUE(contains(j, "\"ips_badsum\": 3")) << j;
}

TEST(ShowStats, IcmpHistogramsTextNonZeroTypesJsonArrays) {
    api::IcmpStat s;
    s.icps_outhist[0] = 4;
    s.icps_outhist[11] = 2;
    std::string t = format_stats_text(s);
    EXPECT_TRUE(contains(t, "icps_outhist[0]    4  echo reply\n")) << t;
    EXPECT_TRUE(contains(t, "icps_outhist[11]   2  time exceeded\n")) << t;
    EXPECT_FALSE(contains(t, "icps_outhist[8]")) << t;
    EXPECT_TRUE(contains(t, "icps_inhist        0  input histogram by ICMP type\n")) << t;

    std::string j = format_stats_json(s);
    std::string compact;
    for (char c : j) {
        if (c != ' ' && c != '\n') {
            compact += c;
        }
    }
    std::string out = "\"icps_outhist\":[4,0,0,0,0,0,0,0,0,0,0,2";
    for (int k = 12; k < 41; ++k) {
        out += ",0";
    }
    out += "]";
    EXPECT_TRUE(contains(compact, out)) << compact;
    EXPECT_TRUE(contains(compact, "\"icps_error\":0")) << compact;
}

TEST(ShowStats, IgmpAndRouteGroups) {
    api::IgmpStat g;
    g.igps_rcv_reports = 9;
    EXPECT_TRUE(contains(format_stats_json(g), "\"igps_rcv_reports\": 9"));
    EXPECT_TRUE(contains(format_stats_text(g), "igps_snd_queries"));
    api::RtStat r;
    r.rts_unreach = 1;
    EXPECT_TRUE(contains(format_stats_json(r), "\"rts_unreach\": 1"));
    EXPECT_TRUE(contains(format_stats_text(r), "rts_wildcard"));
}

TEST(Monitor, LinkEventLines) {
    api::LinkEvent ev{3, "eth2", api::AdminState::up, api::OperState::lower_layer_down,
                      1714564800123456789ull};
    EXPECT_EQ(format_link_event_text(ev),
              "2024-05-01T12:00:00.123Z 3 eth2 admin up oper lower_layer_down");
    EXPECT_EQ(format_link_event_json(ev),
              R"({"time":"2024-05-01T12:00:00.123Z","time_ns":1714564800123456789,)"
              R"("ifindex":3,"name":"eth2","admin":"up","oper":"lower_layer_down"})");
}

TEST(IfLabel, NameDashOrIndex) {
    IfNames names{{2, "eth1"}};
    EXPECT_EQ(if_label(names, 2), "eth1");
    EXPECT_EQ(if_label(names, 0), "-");
    EXPECT_EQ(if_label(names, 7), "#7");
}

}  // namespace
}  // namespace routerd::routerctl
