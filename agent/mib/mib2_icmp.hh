// SPDX-License-Identifier: Apache-2.0
// MIB-II icmp group (RFC 1213 5) and RFC 4293's icmpStatsTable / icmpMsgStatsTable from icmpstat.
#pragma once

#include "agent/mib/provider.hh"
#include "router/api/stats.hh"

namespace routerd::agent {

/// icmpInErrors: received ICMP messages with ICMP-specific errors (RFC 1213 icmpInErrors).
std::uint64_t icmp_in_errors(const api::IcmpStat& s);
/// icmpOutErrors: ICMP messages not sent for problems inside ICMP (no route back, bad return
/// address); icmpOutMsgs counts them too (RFC 1213 icmpOutMsgs "includes icmpOutErrors").
std::uint64_t icmp_out_errors(const api::IcmpStat& s);
std::uint64_t icmp_in_msgs(const api::IcmpStat& s);
std::uint64_t icmp_out_msgs(const api::IcmpStat& s);

/// Scalars 5.1-5.26, icmpStatsTable (5.29, ipv4 row) and icmpMsgStatsTable (5.30, one row per
/// ICMP type seen in either direction).
void add_icmp_group(const api::IcmpStat& s, Rows& rows);

}  // namespace routerd::agent
