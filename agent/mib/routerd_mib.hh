// SPDX-License-Identifier: Apache-2.0
// ROUTERD-MIB (mibs/ROUTERD-MIB.txt): every seed figure without a standard object, and the
// settings with no standard object (writable).
#pragma once

#include "agent/mib/provider.hh"
#include "agent/source/source.hh"
#include "router/api/messages.hh"

#include <cstdint>
#include <optional>
#include <vector>

namespace routerd::agent {

/// The data one ROUTERD-MIB snapshot needs; each part may be missing when routerd refused it.
struct RouterdView {
    api::IpStuff ip_stuff;
    api::IcmpStat icmp_stat;
    api::IgmpStat igmp_stat;
    std::vector<InterfaceView> interfaces;
};

/// rdIpStats, rdIcmpStats, rdIcmpHistTable, rdIgmpStats, rdRtStats (one Counter64 per stats.def
/// entry, numbered 1.. in stats.def order), rdIpSettings, rdIfTable, rdIfAddrTable.
void add_routerd_mib(const RouterdView& v, Rows& rows);

/// The sub-identifier of a stats.def scalar in its group (1-based, histograms skipped), as in
/// ROUTERD-MIB; 0 when `name` is no scalar of the group.
std::uint32_t rd_ip_stat_number(std::string_view name);

/// rdIpqTtl: 1-kMaxReassemblyTimeout seconds.
SnmpErr check_rd_ipq_ttl(std::int64_t v);
api::SetIpSettingsRequest rd_ipq_ttl_request(std::int64_t v);
api::SetIpSettingsRequest rd_send_redirects_request(std::int64_t truth);
api::SetIpSettingsRequest rd_source_route_request(std::int64_t truth);
/// rdIfTable writable columns (kRdIfMaskReply, kRdIfRedirects, kRdIfDirectedBroadcast).
api::SetIfFlagsRequest rd_if_flags_request(std::uint32_t ifindex, std::uint32_t col,
                                           std::int64_t truth);

}  // namespace routerd::agent
