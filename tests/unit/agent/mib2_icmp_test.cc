// SPDX-License-Identifier: Apache-2.0
// icmp group: per-type counters from the histograms, message and error totals, RFC 4293 tables.
#include "agent/mib/mib2_icmp.hh"

#include "agent/mib/oids.hh"

#include <gtest/gtest.h>

namespace routerd::agent {
namespace {

TEST(Mib2Icmp, GroupFromHistograms) {
    api::IcmpStat s;
    s.icps_inhist[8] = 5;   // echo
    s.icps_inhist[3] = 2;   // unreachable
    s.icps_outhist[0] = 5;  // echo reply
    s.icps_outhist[11] = 4;
    s.icps_outhist[40] = 1;  // no MIB-II scalar; only the message table has it
    s.icps_checksum = 3;
    s.icps_noroute = 1;
    Rows rows;
    add_icmp_group(s, rows);
    auto sc = [](std::uint32_t n) { return oid_cat(oids::kIcmp, {n, 0}); };
    EXPECT_EQ(rows.at(sc(1)), Value::counter32(10));  // 7 + 3 errors
    EXPECT_EQ(rows.at(sc(2)), Value::counter32(3));
    EXPECT_EQ(rows.at(sc(3)), Value::counter32(2));    // icmpInDestUnreachs
    EXPECT_EQ(rows.at(sc(8)), Value::counter32(5));    // icmpInEchos
    EXPECT_EQ(rows.at(sc(14)), Value::counter32(11));  // 10 + 1 error
    EXPECT_EQ(rows.at(sc(15)), Value::counter32(1));
    EXPECT_EQ(rows.at(sc(17)), Value::counter32(4));  // icmpOutTimeExcds
    EXPECT_EQ(rows.at(sc(22)), Value::counter32(5));  // icmpOutEchoReps
    EXPECT_EQ(rows.at(oid_cat(oids::kIcmpStatsEntry, {2, 1})), Value::counter32(10));
    EXPECT_EQ(rows.at(oid_cat(oids::kIcmpMsgStatsEntry, {4, 1, 40})), Value::counter32(1));
    EXPECT_EQ(rows.at(oid_cat(oids::kIcmpMsgStatsEntry, {3, 1, 40})), Value::counter32(0));
    EXPECT_EQ(rows.count(oid_cat(oids::kIcmpMsgStatsEntry, {3, 1, 13})), 0u);  // never seen
    EXPECT_EQ(rows.size(), 26u + 4u + 2u * 5u);
}

}  // namespace
}  // namespace routerd::agent
