// SPDX-License-Identifier: Apache-2.0
// Tests for the stats.def expansions: DESIGN.md names, uniqueness, indices, CounterBlock use.
#include "router/api/stats.hh"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::api {
namespace {

template <typename S>
std::vector<std::string> names_of() {
    std::vector<std::string> out;
    for (const auto& f : StatTraits<S>::kFields) {
        out.emplace_back(f.name);
    }
    return out;
}

std::set<std::string> all_names() {
    std::set<std::string> out;
    for (const auto& list : {names_of<IpStat>(), names_of<IcmpStat>(), names_of<IgmpStat>(),
                             names_of<RtStat>(), names_of<IfStats>()}) {
        out.insert(list.begin(), list.end());
    }
    return out;
}

// Spelled out in DESIGN.md "Statistics kept" (and the ifstats the brief names): the contract.
TEST(Stats, EveryDesignNameExists) {
    const std::vector<std::string_view> ipstat{
        "ips_total",       "ips_badsum",       "ips_tooshort",    "ips_toosmall",    "ips_badhlen",
        "ips_badlen",      "ips_fragments",    "ips_fragdropped", "ips_fragtimeout", "ips_forward",
        "ips_cantforward", "ips_redirectsent", "ips_noproto",     "ips_delivered",   "ips_localout",
        "ips_odropped",    "ips_reassembled",  "ips_fragmented",  "ips_ofragments",  "ips_cantfrag",
        "ips_badoptions",  "ips_noroute",      "ips_badvers",     "ips_rawout",      "ips_badaddr",
        "ips_toolong"};
    const std::vector<std::string_view> icmpstat{
        "icps_error",   "icps_oldshort", "icps_oldicmp",    "icps_outhist",
        "icps_badcode", "icps_tooshort", "icps_checksum",   "icps_badlen",
        "icps_reflect", "icps_inhist",   "icps_bmcastecho", "icps_bmcasttstamp"};
    const std::vector<std::string_view> igmpstat{
        "igps_rcv_total",      "igps_rcv_tooshort", "igps_rcv_badsum",     "igps_rcv_queries",
        "igps_rcv_badqueries", "igps_rcv_reports",  "igps_rcv_badreports", "igps_rcv_ourreports",
        "igps_snd_reports",    "igps_snd_queries"};
    const std::vector<std::string_view> rtstat{"rts_badredirect", "rts_dynamic", "rts_newgateway",
                                               "rts_unreach", "rts_wildcard"};
    const std::vector<std::string_view> ifstats{
        "ifs_ipackets", "ifs_ierrors", "ifs_opackets", "ifs_oerrors", "ifs_collisions",
        "ifs_ibytes",   "ifs_obytes",  "ifs_imcasts",  "ifs_omcasts", "ifs_iqdrops",
        "ifs_noproto",  "ifs_ibcasts", "ifs_obcasts"};
    for (auto n : ipstat) {
        EXPECT_NE(find_stat<IpStat>(n), nullptr) << n;
    }
    for (auto n : icmpstat) {
        EXPECT_NE(find_stat<IcmpStat>(n), nullptr) << n;
    }
    for (auto n : igmpstat) {
        EXPECT_NE(find_stat<IgmpStat>(n), nullptr) << n;
    }
    for (auto n : rtstat) {
        EXPECT_NE(find_stat<RtStat>(n), nullptr) << n;
    }
    for (auto n : ifstats) {
        EXPECT_NE(find_stat<IfStats>(n), nullptr) << n;
    }
    // The BSD order of struct ipstat is kept: ips_total first, the seed's list in sequence.
    auto names = names_of<IpStat>();
    ASSERT_GE(names.size(), 24u);
    for (std::size_t i = 0; i < 24; ++i) {
        EXPECT_EQ(names[i], ipstat[i]);
    }
}

TEST(Stats, NamesAreUniqueAndCarryTheirGroupPrefix) {
    std::size_t total = 0;
    auto check_group = [&total](const std::vector<std::string>& names, std::string_view prefix) {
        for (const auto& n : names) {
            EXPECT_EQ(n.rfind(prefix, 0), 0u) << n;
        }
        total += names.size();
    };
    check_group(names_of<IpStat>(), "ips_");
    check_group(names_of<IcmpStat>(), "icps_");
    check_group(names_of<IgmpStat>(), "igps_");
    check_group(names_of<RtStat>(), "rts_");
    check_group(names_of<IfStats>(), "ifs_");
    EXPECT_EQ(all_names().size(), total);
}

TEST(Stats, DescriptionsAreOneLine) {
    auto check_group = [](const auto& fields) {
        for (const auto& f : fields) {
            EXPECT_FALSE(f.description.empty()) << f.name;
            EXPECT_EQ(f.description.find('\n'), std::string_view::npos) << f.name;
            EXPECT_LE(f.description.size(), 80u) << f.name;
        }
    };
    check_group(kIpStatFields);
    check_group(kIcmpStatFields);
    check_group(kIgmpStatFields);
    check_group(kRtStatFields);
    check_group(kIfStatsFields);
}

TEST(Stats, HistogramsAreMarkedAndSized) {
    std::set<std::string> hists;
    for (const auto& f : kIcmpStatFields) {
        if (f.is_histogram()) {
            hists.emplace(f.name);
            EXPECT_EQ(f.size, kIcmpHistSize);
            EXPECT_EQ(f.scalar, nullptr);
        } else {
            EXPECT_EQ(f.size, 1u);
            EXPECT_NE(f.scalar, nullptr);
        }
    }
    EXPECT_EQ(hists, (std::set<std::string>{"icps_inhist", "icps_outhist"}));
    EXPECT_EQ(kIcmpHistSize, 41u);  // BSD ICMP_MAXTYPE 40
    for (const auto& f : kIpStatFields) {
        EXPECT_FALSE(f.is_histogram()) << f.name;
    }
    EXPECT_EQ(kIcmpStatCount, kIcmpStatFields.size() - 2 + 2 * kIcmpHistSize);
    EXPECT_EQ(static_cast<std::size_t>(IcmpStatId::icps_outhist_last),
              static_cast<std::size_t>(IcmpStatId::icps_outhist) + kIcmpMaxType);
    EXPECT_EQ(static_cast<std::size_t>(IcmpStatId::icps_badcode),
              static_cast<std::size_t>(IcmpStatId::icps_outhist_last) + 1);
}

TEST(Stats, EnumIndicesFollowTheFieldTable) {
    EXPECT_EQ(static_cast<std::size_t>(IpStatId::ips_total), 0u);
    EXPECT_EQ(kIpStatFields[static_cast<std::size_t>(IpStatId::ips_badsum)].name, "ips_badsum");
    EXPECT_EQ(kIpStatCount, kIpStatFields.size());
    EXPECT_EQ(kRtStatFields[static_cast<std::size_t>(RtStatId::rts_wildcard)].name, "rts_wildcard");
    EXPECT_EQ(kIfStatsCount, kIfStatsFields.size());
    EXPECT_EQ(kIgmpStatCount, kIgmpStatFields.size());
}

TEST(Stats, CounterBlocksSumIntoTheStructs) {
    IpStatBlock worker1;
    IpStatBlock worker2;
    worker1.inc(IpStatId::ips_total);
    worker1.inc(IpStatId::ips_badsum);
    worker2.inc(IpStatId::ips_total);
    worker2.add(IpStatId::ips_forward, 40);
    std::array<const IpStatBlock*, 2> blocks{&worker1, &worker2};
    auto sum = sum_blocks<IpStatId, kIpStatCount>(blocks);
    IpStat s = from_counters<IpStat>(sum);
    EXPECT_EQ(s.ips_total, 2u);
    EXPECT_EQ(s.ips_badsum, 1u);
    EXPECT_EQ(s.ips_forward, 40u);
    EXPECT_EQ(s.ips_noroute, 0u);

    IcmpStatBlock icmp;
    icmp.inc(icmp_hist_id(IcmpStatId::icps_inhist, 8));   // echo request received
    icmp.inc(icmp_hist_id(IcmpStatId::icps_outhist, 0));  // echo reply sent
    icmp.inc(icmp_hist_id(IcmpStatId::icps_outhist, kIcmpMaxType));
    icmp.inc(IcmpStatId::icps_reflect);
    StatCounters<IcmpStat> c{};
    icmp.add_to(c);
    IcmpStat is = from_counters<IcmpStat>(c);
    EXPECT_EQ(is.icps_inhist[8], 1u);
    EXPECT_EQ(is.icps_outhist[0], 1u);
    EXPECT_EQ(is.icps_outhist[kIcmpMaxType], 1u);
    EXPECT_EQ(is.icps_reflect, 1u);
    EXPECT_EQ(is.icps_inhist[0], 0u);
}

TEST(Stats, ToAndFromCountersRoundTrip) {
    StatCounters<IcmpStat> c{};
    for (std::size_t i = 0; i < c.size(); ++i) {
        c[i] = i + 1;
    }
    IcmpStat s = from_counters<IcmpStat>(c);
    EXPECT_EQ(s.icps_error, 1u);
    EXPECT_EQ(s.icps_outhist[0], 4u);
    EXPECT_EQ(to_counters(s), c);

    IfStats f;
    f.ifs_obytes = 1500;
    f.ifs_noproto = 3;
    EXPECT_EQ(from_counters<IfStats>(to_counters(f)), f);
}

TEST(Stats, ForEachStatVisitsInOrder) {
    IcmpStat s;
    s.icps_error = 5;
    s.icps_inhist[3] = 9;
    std::vector<std::string> seen;
    std::uint64_t sum = 0;
    for_each_stat(s, [&](const StatField<IcmpStat>& f, std::span<const std::uint64_t> v) {
        seen.emplace_back(f.name);
        EXPECT_EQ(v.size(), f.size);
        for (auto x : v) {
            sum += x;
        }
    });
    EXPECT_EQ(seen.front(), "icps_error");
    EXPECT_EQ(seen.size(), kIcmpStatFields.size());
    EXPECT_EQ(sum, 14u);
    EXPECT_EQ(find_stat<IcmpStat>("icps_nosuch"), nullptr);
    EXPECT_EQ(StatTraits<IcmpStat>::kGroup, "icmpstat");
}

}  // namespace
}  // namespace routerd::api
