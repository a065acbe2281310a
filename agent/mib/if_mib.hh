// SPDX-License-Identifier: Apache-2.0
// IF-MIB (RFC 2863): ifNumber, ifTable, ifXTable (64-bit HC counters), ifAdminStatus SET.
#pragma once

#include "agent/mib/provider.hh"
#include "agent/source/source.hh"

#include <cstdint>
#include <vector>

namespace routerd::agent {

/// The clocks a TimeStamp needs: SNMP TimeStamps count sysUpTime ticks (1/100 s) of the master
/// agent (RFC 2579 TimeStamp), so an event's unix time is turned into "uptime then".
struct TimeBase {
    std::uint64_t now_unix_ns = 0;
    std::uint64_t uptime_ticks = 0;  // the master's sysUpTime now
};

/// The sysUpTime value at unix time `event_ns`, or 0 when that is before the master started
/// (RFC 2863 ifLastChange: "0 if the last change occurred prior to the last re-initialization").
std::uint64_t timestamp_ticks(std::uint64_t event_ns, const TimeBase& tb);

/// ifNumber, every ifTable and ifXTable column, one row per routerd interface (index: ifindex).
/// `routerd_start_ns` gives ifCounterDiscontinuityTime (counters restart with routerd).
void add_if_mib(const std::vector<InterfaceView>& ifs, const TimeBase& tb,
                std::uint64_t routerd_start_ns, Rows& rows);

/// ifAdminStatus SET: up(1) or down(2); testing(3) is not supported (wrongValue).
SnmpErr check_if_admin_status(std::int64_t v);
api::SetIfAdminRequest if_admin_request(std::uint32_t ifindex, std::int64_t v);

}  // namespace routerd::agent
