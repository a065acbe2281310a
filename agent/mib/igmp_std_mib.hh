// SPDX-License-Identifier: Apache-2.0
// IGMP-STD-MIB (RFC 2933, mib-2 85): igmpInterfaceTable and igmpCacheTable, with the querier
// settings writable through SET_IGMP.
#pragma once

#include "agent/mib/provider.hh"
#include "router/api/messages.hh"

#include <cstdint>
#include <optional>
#include <vector>

namespace routerd::agent {

/// Every row of both tables from GET_IGMP_GROUPS. igmpInterfaceStatus is active(1) while the
/// querier runs and notInService(2) while it is off; igmpCacheSelf is false (routerd is a
/// router, not a member) and igmpCacheStatus active(1).
void add_igmp_std_mib(const std::vector<api::IgmpInterface>& ifs, Rows& rows);

/// Writable igmpInterfaceTable columns.
inline constexpr std::uint32_t kIgmpQueryInterval = 2;
inline constexpr std::uint32_t kIgmpStatus = 3;
inline constexpr std::uint32_t kIgmpVersion = 4;
inline constexpr std::uint32_t kIgmpQueryMaxResponseTime = 6;
inline constexpr std::uint32_t kIgmpRobustness = 14;
inline constexpr std::uint32_t kIgmpLastMembQueryIntvl = 15;

/// The RFC 2933 range check of a writable column (RowStatus: active(1), notInService(2),
/// createAndGo(4), destroy(6); the others are wrongValue here: every interface has its row).
SnmpErr check_igmp_column(std::uint32_t col, std::int64_t v);
/// The SET_IGMP request for one column of interface `ifindex` (checked first).
api::SetIgmpRequest igmp_request(std::uint32_t ifindex, std::uint32_t col, std::int64_t v);
/// The column's current value in `i` (for undo), as served.
std::int64_t igmp_column_value(const api::IgmpInterface& i, std::uint32_t col);

}  // namespace routerd::agent
