// SPDX-License-Identifier: Apache-2.0
// Registers Providers with Net-SNMP (one raw handler per subtree) and sends notifications.
#pragma once

#include "agent/mib/provider.hh"
#include "agent/mib/value.hh"

#include <memory>
#include <string>
#include <vector>

namespace routerd::agent {

/// AgentX registration priority (RFC 2741 7.1.5.1: lower wins). snmpd's own kernel-backed
/// modules register at 127, so router-agent's rows win wherever both serve a subtree.
inline constexpr int kDefaultPriority = 100;

/// Serves the subtree `root` from `p` (GET, GETNEXT/GETBULK, and SET when `writable`).
/// Registrations are re-sent by Net-SNMP on every AgentX reconnect.
void register_provider(const std::shared_ptr<Provider>& p, const Oid& root, const std::string& name,
                       bool writable, int priority);

/// Sends an SNMPv2 notification through the master agent's trap sinks. `vbs[0]` is
/// snmpTrapOID.0; the master adds sysUpTime.0 (RFC 3416 4.2.6).
void send_notification(const std::vector<Varbind>& vbs);

}  // namespace routerd::agent

namespace routerd::agent {
/// The master agent's sysUpTime in 1/100 s (Net-SNMP synchronises it from AgentX responses,
/// agentx/client.c), the base of every TimeStamp the subagent serves.
std::uint64_t master_uptime_ticks();
}  // namespace routerd::agent
