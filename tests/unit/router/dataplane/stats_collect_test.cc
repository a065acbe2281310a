// SPDX-License-Identifier: Apache-2.0
// stats_collect: several workers' blocks summed field by field, histograms and interfaces too.
#include "router/dataplane/stats_collect.hh"

#include <gtest/gtest.h>

#include <vector>

namespace routerd::dataplane {
namespace {

TEST(StatsCollect, SumsEveryWorker) {
    inet::Stats a(2);
    inet::Stats b(2);
    a.ip.add(api::IpStatId::ips_total, 5);
    b.ip.add(api::IpStatId::ips_total, 7);
    b.ip.inc(api::IpStatId::ips_badsum);
    a.icmp_out(0);
    b.icmp_out(0);
    b.icmp_in(8);
    a.igmp.inc(api::IgmpStatId::igps_rcv_total);
    b.rt.add(api::RtStatId::rts_unreach, 3);
    a.ifs(1).add(api::IfStatsId::ifs_ipackets, 10);
    b.ifs(1).add(api::IfStatsId::ifs_ipackets, 1);
    b.ifs(0).inc(api::IfStatsId::ifs_opackets);

    const std::vector<const inet::Stats*> workers{&a, &b};
    const api::IpStat ip = collect_ip(workers);
    EXPECT_EQ(ip.ips_total, 12u);
    EXPECT_EQ(ip.ips_badsum, 1u);
    EXPECT_EQ(ip.ips_forward, 0u);
    const api::IcmpStat icmp = collect_icmp(workers);
    EXPECT_EQ(icmp.icps_outhist[0], 2u);
    EXPECT_EQ(icmp.icps_inhist[8], 1u);
    EXPECT_EQ(icmp.icps_inhist[0], 0u);
    EXPECT_EQ(collect_igmp(workers).igps_rcv_total, 1u);
    EXPECT_EQ(collect_rt(workers).rts_unreach, 3u);
    EXPECT_EQ(collect_if(workers, 1).ifs_ipackets, 11u);
    EXPECT_EQ(collect_if(workers, 0).ifs_opackets, 1u);
    EXPECT_EQ(collect_if(workers, 0).ifs_ipackets, 0u);
    EXPECT_EQ(collect_if(workers, 5), api::IfStats{});  // no such slot: nothing
    EXPECT_EQ(collect_ip({}), api::IpStat{});
}

}  // namespace
}  // namespace routerd::dataplane
