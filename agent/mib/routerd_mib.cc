// SPDX-License-Identifier: Apache-2.0
// ROUTERD-MIB mapping: stats.def order is the OID order, so the MIB and the agent agree by
// construction (mibs/gen-routerd-mib writes the MIB from the same list).
#include "agent/mib/routerd_mib.hh"

#include "agent/mib/oids.hh"
#include "router/api/stats.hh"

#include <algorithm>

namespace routerd::agent {

namespace {

// Every scalar counter of a stats group as group.N.0 (histograms are tables, skipped here).
template <typename S>
void add_counters(const S& s, const Oid& group, Rows& rows) {
    std::uint32_t n = 0;
    api::for_each_stat(s, [&](const api::StatField<S>& f, std::span<const std::uint64_t> v) {
        if (f.is_histogram()) {
            return;
        }
        rows[oid_cat(group, {++n, 0})] = Value::counter64(v[0]);
    });
}

}  // namespace

std::uint32_t rd_ip_stat_number(std::string_view name) {
    std::uint32_t n = 0;
    for (const auto& f : api::kIpStatFields) {
        ++n;
        if (f.name == name) {
            return n;
        }
    }
    return 0;
}

void add_routerd_mib(const RouterdView& v, Rows& rows) {
    add_counters(v.ip_stuff.ip_stat, oids::kRdIpStats, rows);
    add_counters(v.icmp_stat, oids::kRdIcmpStats, rows);
    // rdIcmpHistTable: index the ICMP type, columns InPkts(2), OutPkts(3); all 41 BSD buckets.
    for (std::uint32_t t = 0; t < api::kIcmpHistSize; ++t) {
        rows[oid_cat(oids::kRdIcmpHistEntry, {2, t})] =
            Value::counter64(v.icmp_stat.icps_inhist[t]);
        rows[oid_cat(oids::kRdIcmpHistEntry, {3, t})] =
            Value::counter64(v.icmp_stat.icps_outhist[t]);
    }
    add_counters(v.igmp_stat, oids::kRdIgmpStats, rows);
    add_counters(v.ip_stuff.rt_stat, oids::kRdRtStats, rows);

    auto setting = [](std::uint32_t n) { return oid_cat(oids::kRdIpSettings, {n, 0}); };
    rows[setting(oids::kRdIpqTtl)] = Value::integer(v.ip_stuff.ipq_ttl);
    rows[setting(oids::kRdIpqReasmReqds)] =
        Value::gauge32(static_cast<std::uint64_t>(std::max(v.ip_stuff.ipq_reasm_reqds, 0)));
    rows[setting(oids::kRdIcmpAnswermask)] = Value::truth(v.ip_stuff.icmp_answermask != 0);
    rows[setting(oids::kRdIpSendRedirects)] = Value::truth(v.ip_stuff.ip_sendredirects != 0);
    rows[setting(oids::kRdIpSourceRoute)] = Value::truth(v.ip_stuff.ip_sourceroute != 0);

    for (const auto& i : v.interfaces) {
        const auto& r = i.ifreq;
        std::uint32_t idx = i.entry.ifindex;
        auto col = [&](std::uint32_t c) { return oid_cat(oids::kRdIfEntry, {c, idx}); };
        rows[col(oids::kRdIfFlags)] = Value::gauge32(r.if_entry.if_flags);
        rows[col(oids::kRdIfMetric)] = Value::integer(r.if_entry.if_metric);
        rows[col(oids::kRdIfStatsAvail)] = Value::truth(r.if_statsavail != 0);
        rows[col(oids::kRdIfOutQLen)] =
            Value::gauge32(static_cast<std::uint64_t>(std::max(r.if_outqlen, 0)));
        rows[col(oids::kRdIfCollisions)] = Value::counter64(r.if_stats.ifs_collisions);
        auto naddr = static_cast<std::size_t>(std::clamp(r.if_naddr, 0, int(api::kIfMaxAddrs)));
        rows[col(oids::kRdIfNAddr)] = Value::gauge32(naddr);
        rows[col(oids::kRdIfMaskReply)] = Value::truth(i.entry.settings.mask_reply);
        rows[col(oids::kRdIfRedirects)] = Value::truth(i.entry.settings.redirects);
        rows[col(oids::kRdIfDirectedBroadcast)] = Value::truth(i.entry.settings.directed_broadcast);
        // rdIfAddrTable: index ifIndex.address; Netmask(2), DstAddr(3), Flags(4).
        for (std::size_t k = 0; k < naddr; ++k) {
            const auto& a = r.if_addrs[k];
            std::uint32_t x = a.addr.value();
            auto acol = [&](std::uint32_t c) {
                return oid_cat(oids::kRdIfAddrEntry,
                               {c, idx, x >> 24, (x >> 16) & 0xff, (x >> 8) & 0xff, x & 0xff});
            };
            rows[acol(2)] = Value::ip(a.netmask);
            rows[acol(3)] = Value::ip(a.dstaddr);
            rows[acol(4)] = Value::gauge32(a.flags);
        }
    }
}

SnmpErr check_rd_ipq_ttl(std::int64_t v) {
    return check_range(v, 1, api::kMaxReassemblyTimeout);
}

api::SetIpSettingsRequest rd_ipq_ttl_request(std::int64_t v) {
    api::SetIpSettingsRequest r;
    r.ipq_ttl = static_cast<std::int32_t>(v);
    return r;
}

api::SetIpSettingsRequest rd_send_redirects_request(std::int64_t truth) {
    api::SetIpSettingsRequest r;
    r.ip_sendredirects = truth_of(truth);
    return r;
}

api::SetIpSettingsRequest rd_source_route_request(std::int64_t truth) {
    api::SetIpSettingsRequest r;
    r.source_route = truth_of(truth);
    return r;
}

api::SetIfFlagsRequest rd_if_flags_request(std::uint32_t ifindex, std::uint32_t col,
                                           std::int64_t truth) {
    api::SetIfFlagsRequest r;
    r.ifindex = ifindex;
    bool b = truth_of(truth);
    if (col == oids::kRdIfMaskReply) {
        r.mask_reply = b;
    } else if (col == oids::kRdIfRedirects) {
        r.redirects = b;
    } else {
        r.directed_broadcast = b;
    }
    return r;
}

}  // namespace routerd::agent
