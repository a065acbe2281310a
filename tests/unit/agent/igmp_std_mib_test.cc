// SPDX-License-Identifier: Apache-2.0
// IGMP-STD-MIB mapping: interface and cache rows, RFC 2933 units, SET checks and requests.
#include "agent/mib/igmp_std_mib.hh"

#include "agent/mib/oids.hh"

#include <gtest/gtest.h>

namespace routerd::agent {
namespace {

api::IgmpInterface iface() {
    api::IgmpInterface i;
    i.ifindex = 4;
    i.settings.querier = true;
    i.settings.version = 2;
    i.settings.query_interval_s = 125;
    i.settings.query_response_interval_tenths = 100;
    i.settings.robustness = 2;
    i.settings.last_member_query_interval_tenths = 10;
    i.is_querier = true;
    i.querier = Ip4Addr::from_octets(198, 18, 0, 254);
    i.querier_uptime_s = 7;
    i.joins = 3;
    api::IgmpGroup g;
    g.group = Ip4Addr::from_octets(239, 1, 2, 3);
    g.last_reporter = Ip4Addr::from_octets(198, 18, 0, 10);
    g.uptime_s = 5;
    g.expiry_ms = 2500;
    i.groups.push_back(g);
    return i;
}

TEST(IgmpStdMib, InterfaceAndCacheRows) {
    Rows rows;
    add_igmp_std_mib({iface()}, rows);
    auto col = [](std::uint32_t c) { return oid_cat(oids::kIgmpInterfaceEntry, {c, 4}); };
    EXPECT_EQ(rows.at(col(2)), Value::gauge32(125));
    EXPECT_EQ(rows.at(col(3)), Value::integer(1));  // active: querier on
    EXPECT_EQ(rows.at(col(4)), Value::gauge32(2));
    EXPECT_EQ(rows.at(col(5)), Value::ip(Ip4Addr::from_octets(198, 18, 0, 254)));
    EXPECT_EQ(rows.at(col(6)), Value::gauge32(100));
    EXPECT_EQ(rows.at(col(7)), Value::time_ticks(700));
    EXPECT_EQ(rows.at(col(11)), Value::counter32(3));
    EXPECT_EQ(rows.at(col(13)), Value::gauge32(1));
    EXPECT_EQ(rows.at(col(14)), Value::gauge32(2));
    EXPECT_EQ(rows.at(col(15)), Value::gauge32(10));
    auto cache = [](std::uint32_t c) {
        return oid_cat(oids::kIgmpCacheEntry, {c, 239, 1, 2, 3, 4});
    };
    EXPECT_EQ(rows.at(cache(3)), Value::truth(false));
    EXPECT_EQ(rows.at(cache(4)), Value::ip(Ip4Addr::from_octets(198, 18, 0, 10)));
    EXPECT_EQ(rows.at(cache(5)), Value::time_ticks(500));
    EXPECT_EQ(rows.at(cache(6)), Value::time_ticks(250));
    EXPECT_EQ(rows.at(cache(7)), Value::integer(1));
    auto off = iface();
    off.settings.querier = false;
    EXPECT_EQ(igmp_column_value(off, kIgmpStatus), 2);  // notInService
}

TEST(IgmpStdMib, SetChecksAndRequests) {
    EXPECT_EQ(check_igmp_column(kIgmpVersion, 3), SnmpErr::no_error);
    EXPECT_EQ(check_igmp_column(kIgmpVersion, 4), SnmpErr::wrong_value);
    EXPECT_EQ(check_igmp_column(kIgmpQueryInterval, 0), SnmpErr::wrong_value);
    EXPECT_EQ(check_igmp_column(kIgmpQueryMaxResponseTime, 255), SnmpErr::no_error);
    EXPECT_EQ(check_igmp_column(kIgmpQueryMaxResponseTime, 256), SnmpErr::wrong_value);
    EXPECT_EQ(check_igmp_column(kIgmpRobustness, 0), SnmpErr::wrong_value);
    EXPECT_EQ(check_igmp_column(kIgmpStatus, 5), SnmpErr::wrong_value);  // createAndWait
    EXPECT_EQ(check_igmp_column(kIgmpStatus, 6), SnmpErr::no_error);
    EXPECT_EQ(igmp_request(4, kIgmpStatus, 6).querier, false);
    EXPECT_EQ(igmp_request(4, kIgmpStatus, 4).querier, true);
    auto r = igmp_request(4, kIgmpQueryMaxResponseTime, 50);
    EXPECT_EQ(r.ifindex, 4u);
    EXPECT_EQ(r.query_response_interval_tenths, 50u);
    EXPECT_FALSE(r.query_interval_s);
    EXPECT_EQ(igmp_request(4, kIgmpLastMembQueryIntvl, 20).last_member_query_interval_tenths, 20u);
}

}  // namespace
}  // namespace routerd::agent
