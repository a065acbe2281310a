// SPDX-License-Identifier: Apache-2.0
// icmp group mapping: BSD icmpstat histograms by type to RFC 1213's per-type counters.
#include "agent/mib/mib2_icmp.hh"

#include "agent/mib/oids.hh"

#include <array>
#include <numeric>

namespace routerd::agent {

namespace {

// RFC 1213 5: In scalars 5.3-5.13 and Out scalars 5.16-5.26 in this ICMP type order (RFC 792,
// RFC 950 address mask): DestUnreach, TimeExcd, ParmProb, SrcQuench, Redirect, Echo, EchoRep,
// Timestamp, TimestampRep, AddrMask, AddrMaskRep.
constexpr std::array<std::size_t, 11> kTypeOrder{3, 11, 12, 4, 5, 8, 0, 13, 14, 17, 18};
constexpr std::uint32_t kIpVersionIpv4 = 1;  // InetVersion ipv4(1), RFC 4001

std::uint64_t sum(const api::IcmpHist& h) {
    return std::accumulate(h.begin(), h.end(), std::uint64_t{0});
}

}  // namespace

std::uint64_t icmp_in_errors(const api::IcmpStat& s) {
    return s.icps_badcode + s.icps_tooshort + s.icps_checksum + s.icps_badlen;
}

std::uint64_t icmp_out_errors(const api::IcmpStat& s) {
    return s.icps_noroute + s.icps_badaddr;
}

std::uint64_t icmp_in_msgs(const api::IcmpStat& s) {
    return sum(s.icps_inhist) + icmp_in_errors(s);
}

std::uint64_t icmp_out_msgs(const api::IcmpStat& s) {
    return sum(s.icps_outhist) + icmp_out_errors(s);
}

void add_icmp_group(const api::IcmpStat& s, Rows& rows) {
    auto scalar = [](std::uint32_t n) { return oid_cat(oids::kIcmp, {n, 0}); };
    rows[scalar(1)] = Value::counter32(icmp_in_msgs(s));
    rows[scalar(2)] = Value::counter32(icmp_in_errors(s));
    rows[scalar(14)] = Value::counter32(icmp_out_msgs(s));
    rows[scalar(15)] = Value::counter32(icmp_out_errors(s));
    for (std::size_t i = 0; i < kTypeOrder.size(); ++i) {
        auto n = static_cast<std::uint32_t>(i);
        rows[scalar(3 + n)] = Value::counter32(s.icps_inhist[kTypeOrder[i]]);
        rows[scalar(16 + n)] = Value::counter32(s.icps_outhist[kTypeOrder[i]]);
    }
    // icmpStatsTable: InMsgs(2), InErrors(3), OutMsgs(4), OutErrors(5), index ipv4(1).
    auto stats = [](std::uint32_t c) {
        return oid_cat(oids::kIcmpStatsEntry, {c, kIpVersionIpv4});
    };
    rows[stats(2)] = Value::counter32(icmp_in_msgs(s));
    rows[stats(3)] = Value::counter32(icmp_in_errors(s));
    rows[stats(4)] = Value::counter32(icmp_out_msgs(s));
    rows[stats(5)] = Value::counter32(icmp_out_errors(s));
    // icmpMsgStatsTable: InPkts(3), OutPkts(4), index (ipv4, type). RFC 4293: a row for a type
    // may be absent until a message of that type was counted.
    for (std::uint32_t t = 0; t < api::kIcmpHistSize; ++t) {
        if (s.icps_inhist[t] == 0 && s.icps_outhist[t] == 0) {
            continue;
        }
        rows[oid_cat(oids::kIcmpMsgStatsEntry, {3, kIpVersionIpv4, t})] =
            Value::counter32(s.icps_inhist[t]);
        rows[oid_cat(oids::kIcmpMsgStatsEntry, {4, kIpVersionIpv4, t})] =
            Value::counter32(s.icps_outhist[t]);
    }
}

}  // namespace routerd::agent
