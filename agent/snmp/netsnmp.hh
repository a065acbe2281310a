// SPDX-License-Identifier: Apache-2.0
// The one way into Net-SNMP's headers: they define many macros (TRUE, U64, MAX_OID_LEN ...), so
// only the snmp/ glue and main.cc include this (SNMP-AGENT.md 1.1).
#pragma once

// clang-format off
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>
// clang-format on
