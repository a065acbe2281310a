// SPDX-License-Identifier: Apache-2.0
// ROUTERD-MIB mapping: stats.def order is the OID order; settings and interface extras.
#include "agent/mib/routerd_mib.hh"

#include "agent/mib/oids.hh"
#include "router/api/stats.hh"

#include <gtest/gtest.h>

namespace routerd::agent {
namespace {

TEST(RouterdMib, CountersInStatsDefOrder) {
    RouterdView v;
    v.ip_stuff.ip_stat.ips_badsum = 42;
    v.ip_stuff.ip_stat.ips_badaddr = 43;
    v.ip_stuff.rt_stat.rts_wildcard = 44;
    v.icmp_stat.icps_oldicmp = 45;
    v.icmp_stat.icps_noroute = 46;
    v.icmp_stat.icps_outhist[3] = 47;
    v.igmp_stat.igps_rcv_leaves = 48;
    Rows rows;
    add_routerd_mib(v, rows);
    EXPECT_EQ(rd_ip_stat_number("ips_total"), 1u);
    EXPECT_EQ(rd_ip_stat_number("ips_badsum"), 2u);
    EXPECT_EQ(rd_ip_stat_number("nope"), 0u);
    auto n_ip = static_cast<std::uint32_t>(api::kIpStatFields.size());
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIpStats, {2, 0})), Value::counter64(42));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIpStats, {n_ip, 0})), Value::counter64(43));
    EXPECT_EQ(rows.count(oid_cat(oids::kRdIpStats, {n_ip + 1, 0})), 0u);
    EXPECT_EQ(rows.at(oid_cat(oids::kRdRtStats, {5, 0})), Value::counter64(44));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIcmpStats, {3, 0})), Value::counter64(45));
    // icps_noroute is the 12th scalar: the two histograms do not take numbers.
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIcmpStats, {12, 0})), Value::counter64(46));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIcmpHistEntry, {3, 3})), Value::counter64(47));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIcmpHistEntry, {2, 40})), Value::counter64(0));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIgmpStats, {15, 0})), Value::counter64(48));
}

TEST(RouterdMib, SettingsAndInterfaces) {
    RouterdView v;
    v.ip_stuff.ipq_ttl = 60;
    v.ip_stuff.ipq_reasm_reqds = 2;
    v.ip_stuff.icmp_answermask = 1;
    v.ip_stuff.ip_sendredirects = 0;
    v.ip_stuff.ip_sourceroute = 1;
    InterfaceView i;
    i.entry.ifindex = 5;
    i.entry.settings.mask_reply = true;
    i.entry.settings.redirects = false;
    i.ifreq.if_entry.if_flags = api::kIffUp | api::kIffRunning;
    i.ifreq.if_entry.if_metric = 3;
    i.ifreq.if_stats.ifs_collisions = 9;
    i.ifreq.if_naddr = 1;
    i.ifreq.if_addrs[0].addr = Ip4Addr::from_octets(198, 18, 0, 254);
    i.ifreq.if_addrs[0].netmask = Ip4Addr(0xffffff00u);
    i.ifreq.if_addrs[0].dstaddr = Ip4Addr::from_octets(198, 18, 0, 255);
    i.ifreq.if_addrs[0].flags = api::kIfaPrimary | api::kIfaBroadcast;
    v.interfaces.push_back(i);
    Rows rows;
    add_routerd_mib(v, rows);
    auto set = [](std::uint32_t n) { return oid_cat(oids::kRdIpSettings, {n, 0}); };
    EXPECT_EQ(rows.at(set(oids::kRdIpqTtl)), Value::integer(60));
    EXPECT_EQ(rows.at(set(oids::kRdIpqReasmReqds)), Value::gauge32(2));
    EXPECT_EQ(rows.at(set(oids::kRdIcmpAnswermask)), Value::truth(true));
    EXPECT_EQ(rows.at(set(oids::kRdIpSendRedirects)), Value::truth(false));
    EXPECT_EQ(rows.at(set(oids::kRdIpSourceRoute)), Value::truth(true));
    auto col = [](std::uint32_t c) { return oid_cat(oids::kRdIfEntry, {c, 5}); };
    EXPECT_EQ(rows.at(col(oids::kRdIfFlags)), Value::gauge32(0x41));
    EXPECT_EQ(rows.at(col(oids::kRdIfMetric)), Value::integer(3));
    EXPECT_EQ(rows.at(col(oids::kRdIfCollisions)), Value::counter64(9));
    EXPECT_EQ(rows.at(col(oids::kRdIfNAddr)), Value::gauge32(1));
    EXPECT_EQ(rows.at(col(oids::kRdIfMaskReply)), Value::truth(true));
    EXPECT_EQ(rows.at(col(oids::kRdIfRedirects)), Value::truth(false));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIfAddrEntry, {3, 5, 198, 18, 0, 254})),
              Value::ip(Ip4Addr::from_octets(198, 18, 0, 255)));
    EXPECT_EQ(rows.at(oid_cat(oids::kRdIfAddrEntry, {4, 5, 198, 18, 0, 254})), Value::gauge32(3));
}

TEST(RouterdMib, SetRequests) {
    EXPECT_EQ(check_rd_ipq_ttl(0), SnmpErr::wrong_value);
    EXPECT_EQ(check_rd_ipq_ttl(255), SnmpErr::no_error);
    EXPECT_EQ(check_rd_ipq_ttl(256), SnmpErr::wrong_value);
    EXPECT_EQ(rd_ipq_ttl_request(90).ipq_ttl, 90);
    EXPECT_EQ(rd_send_redirects_request(2).ip_sendredirects, false);
    EXPECT_EQ(rd_source_route_request(1).source_route, true);
    EXPECT_EQ(rd_source_route_request(2).source_route, false);
    EXPECT_FALSE(rd_source_route_request(1).ip_sendredirects);  // only the one setting
    EXPECT_FALSE(rd_source_route_request(1).ipq_ttl);
    auto f = rd_if_flags_request(5, oids::kRdIfRedirects, 1);
    EXPECT_EQ(f.ifindex, 5u);
    EXPECT_EQ(f.redirects, true);
    EXPECT_FALSE(f.mask_reply);
    EXPECT_FALSE(f.directed_broadcast);
}

}  // namespace
}  // namespace routerd::agent
