// SPDX-License-Identifier: Apache-2.0
// Validation: what one value cannot say alone (names, addresses, subnets, next hops, IGMP).
#pragma once

#include "router/base/ip4.hh"
#include "router/config/config.hh"
#include "router/config/diagnostic.hh"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {

// Checks a config against every rule of docs/configuration.md that relates values or elements:
// interface names, usable addresses, at most 10 per interface, duplicate interfaces, one address
// on two interfaces, overlapping subnets across interfaces, IGMP timer relations, routes (next hop
// on a connected subnet of the named interface, unknown interface, duplicate prefix) and the
// control socket path. Positions come from config.source (line 0 where it has none). Runs in
// O(n log n) in the number of routes and addresses.
std::vector<Diagnostic> validate(const Config& config);
void validate(const Config& config, DiagnosticList& out);

// Single-value rules, also for run-time changes (routerctl, SNMP): nullopt when fine, else the
// message.
std::optional<std::string> check_interface_name(std::string_view name);
std::optional<std::string> check_interface_address(const Ip4Prefix& address);
std::optional<std::string> check_control_socket(std::string_view path);

struct IgmpIssue {
    IgmpSetting setting;  // the value the message is about
    Severity severity;
    std::string message;
};
// RFC 2236 / RFC 3376 relations between IGMP settings, and the ranges of each.
std::vector<IgmpIssue> check_igmp(const IgmpConfig& igmp);

}  // namespace routerd::config
