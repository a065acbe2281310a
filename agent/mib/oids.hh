// SPDX-License-Identifier: Apache-2.0
// OID constants of every object router-agent serves: MIB-II, IF-MIB, IP-FORWARD-MIB, ROUTERD-MIB.
#pragma once

#include "agent/mib/value.hh"

namespace routerd::agent::oids {

// RFC 1213 / RFC 4293 (IP-MIB) mib-2 groups.
inline const Oid kMib2{1, 3, 6, 1, 2, 1};
inline const Oid kInterfaces{1, 3, 6, 1, 2, 1, 2};
inline const Oid kIfNumber{1, 3, 6, 1, 2, 1, 2, 1};
inline const Oid kIfTable{1, 3, 6, 1, 2, 1, 2, 2};
inline const Oid kIfEntry{1, 3, 6, 1, 2, 1, 2, 2, 1};
inline const Oid kIp{1, 3, 6, 1, 2, 1, 4};
inline const Oid kIpAddrTable{1, 3, 6, 1, 2, 1, 4, 20};
inline const Oid kIpAddrEntry{1, 3, 6, 1, 2, 1, 4, 20, 1};
inline const Oid kIpRouteTable{1, 3, 6, 1, 2, 1, 4, 21};
inline const Oid kIpRouteEntry{1, 3, 6, 1, 2, 1, 4, 21, 1};
inline const Oid kIpNetToMediaTable{1, 3, 6, 1, 2, 1, 4, 22};
inline const Oid kIpNetToMediaEntry{1, 3, 6, 1, 2, 1, 4, 22, 1};
// RFC 4292 IP-FORWARD-MIB: ipForward = ip.24; ipCidrRouteTable (RFC 2096) is ipForward.4.
inline const Oid kIpCidrRouteTable{1, 3, 6, 1, 2, 1, 4, 24, 4};
inline const Oid kIpCidrRouteEntry{1, 3, 6, 1, 2, 1, 4, 24, 4, 1};
inline const Oid kInetCidrRouteNumber{1, 3, 6, 1, 2, 1, 4, 24, 6};
inline const Oid kInetCidrRouteTable{1, 3, 6, 1, 2, 1, 4, 24, 7};
inline const Oid kInetCidrRouteEntry{1, 3, 6, 1, 2, 1, 4, 24, 7, 1};
inline const Oid kIcmp{1, 3, 6, 1, 2, 1, 5};
// RFC 4293 icmpStatsTable and icmpMsgStatsTable.
inline const Oid kIcmpStatsTable{1, 3, 6, 1, 2, 1, 5, 29};
inline const Oid kIcmpStatsEntry{1, 3, 6, 1, 2, 1, 5, 29, 1};
inline const Oid kIcmpMsgStatsTable{1, 3, 6, 1, 2, 1, 5, 30};
inline const Oid kIcmpMsgStatsEntry{1, 3, 6, 1, 2, 1, 5, 30, 1};
// RFC 2863 IF-MIB: ifMIBObjects = mib-2.31.1.
inline const Oid kIfXTable{1, 3, 6, 1, 2, 1, 31, 1, 1};
inline const Oid kIfXEntry{1, 3, 6, 1, 2, 1, 31, 1, 1, 1};

// Scalar numbers of the MIB-II ip group (RFC 1213 4.4 / RFC 4293), under kIp, instance .0.
inline constexpr std::uint32_t kIpForwarding = 1;
inline constexpr std::uint32_t kIpDefaultTtl = 2;
inline constexpr std::uint32_t kIpLastScalar = 19;  // ipFragCreates
// Columns with SET support.
inline constexpr std::uint32_t kIfAdminStatusCol = 7;

// RFC 2933 IGMP-STD-MIB: igmpStdMIB = mib-2.85, igmpMIBObjects .1.
inline const Oid kIgmpInterfaceEntry{1, 3, 6, 1, 2, 1, 85, 1, 1, 1};
inline const Oid kIgmpCacheEntry{1, 3, 6, 1, 2, 1, 85, 1, 2, 1};

// SNMPv2 notifications (RFC 3418 snmpTrapOID, RFC 2863 linkDown/linkUp).
inline const Oid kSnmpTrapOid{1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
inline const Oid kLinkDown{1, 3, 6, 1, 6, 3, 1, 1, 5, 3};
inline const Oid kLinkUp{1, 3, 6, 1, 6, 3, 1, 1, 5, 4};

/// zeroDotZero (SNMPv2-SMI): "no policy" in inetCidrRoutePolicy, ifSpecific, ipRouteInfo.
inline const Oid kZeroDotZero{0, 0};

// ROUTERD-MIB (mibs/ROUTERD-MIB.txt): routerdMIB = netSnmpPlaypen.4242, Net-SNMP's documented
// arc for private testing (NET-SNMP-MIB netSnmpPlaypen) until the project has an IANA PEN.
inline const Oid kRouterdMib{1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 4242};
inline const Oid kRouterdObjects{1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 4242, 1};
inline const Oid kRdIpStats = oid_cat(kRouterdObjects, {1});
inline const Oid kRdIcmpStats = oid_cat(kRouterdObjects, {2});
inline const Oid kRdIcmpHistEntry = oid_cat(kRouterdObjects, {3, 1});
inline const Oid kRdIgmpStats = oid_cat(kRouterdObjects, {4});
inline const Oid kRdRtStats = oid_cat(kRouterdObjects, {5});
inline const Oid kRdIpSettings = oid_cat(kRouterdObjects, {6});
inline const Oid kRdIfEntry = oid_cat(kRouterdObjects, {7, 1});
inline const Oid kRdIfAddrEntry = oid_cat(kRouterdObjects, {8, 1});
inline const Oid kRdAgent = oid_cat(kRouterdObjects, {9});

// rdIpSettings scalars.
inline constexpr std::uint32_t kRdIpqTtl = 1;
inline constexpr std::uint32_t kRdIpqReasmReqds = 2;
inline constexpr std::uint32_t kRdIcmpAnswermask = 3;
inline constexpr std::uint32_t kRdIpSendRedirects = 4;
inline constexpr std::uint32_t kRdIpSourceRoute = 5;
// rdIfTable columns.
inline constexpr std::uint32_t kRdIfFlags = 1;
inline constexpr std::uint32_t kRdIfMetric = 2;
inline constexpr std::uint32_t kRdIfStatsAvail = 3;
inline constexpr std::uint32_t kRdIfOutQLen = 4;
inline constexpr std::uint32_t kRdIfCollisions = 5;
inline constexpr std::uint32_t kRdIfNAddr = 6;
inline constexpr std::uint32_t kRdIfMaskReply = 7;
inline constexpr std::uint32_t kRdIfRedirects = 8;
inline constexpr std::uint32_t kRdIfDirectedBroadcast = 9;
// rdAgent scalars.
inline constexpr std::uint32_t kRdAgentRouterdConnected = 1;

}  // namespace routerd::agent::oids
