// SPDX-License-Identifier: Apache-2.0
// diff: what changed between two loaded configurations, so a reload applies only that.
#pragma once

#include "router/base/ip4.hh"
#include "router/config/config.hh"

#include <string>
#include <vector>

namespace routerd::config {

// One interface present in both files whose addresses or settings differ.
struct InterfaceDelta {
    std::string name;
    std::vector<Ip4Prefix> addresses_added;    // in the new file's order
    std::vector<Ip4Prefix> addresses_removed;  // in the old file's order
    bool primary_changed = false;  // the first address (source of ICMP, IGMP queries) differs
    std::vector<InterfaceSetting> settings_changed;  // read the values from the new config
    std::vector<IgmpSetting> igmp_changed;

    bool empty() const {
        return addresses_added.empty() && addresses_removed.empty() && !primary_changed &&
               settings_changed.empty() && igmp_changed.empty();
    }
    friend bool operator==(const InterfaceDelta&, const InterfaceDelta&) = default;
};

struct RouteChange {
    RouteConfig from;  // same prefix, another next hop / kind / interface
    RouteConfig to;

    friend bool operator==(const RouteChange&, const RouteChange&) = default;
};

// Everything a SIGHUP must apply. Settings are listed by name only: take their values from the
// new config, and leave every setting not listed alone (so a change made at run time through
// routerctl or SNMP survives a reload that did not touch that setting — DESIGN.md).
// A daemon applies it in this order: routes_removed, interfaces_removed, addresses_removed,
// interfaces_added, addresses_added, routes_added and routes_changed, then the settings.
struct ConfigDelta {
    std::vector<IpSetting> ip_changed;
    bool control_socket_changed = false;             // takes a restart; log it
    std::vector<InterfaceConfig> interfaces_added;   // whole, in the new file's order
    std::vector<std::string> interfaces_removed;     // names, in the old file's order
    std::vector<InterfaceDelta> interfaces_changed;  // in the new file's order
    std::vector<RouteConfig> routes_added;           // in the new file's order
    std::vector<RouteConfig> routes_removed;         // in the old file's order
    std::vector<RouteChange> routes_changed;         // in the new file's order

    bool empty() const {
        return ip_changed.empty() && !control_socket_changed && interfaces_added.empty() &&
               interfaces_removed.empty() && interfaces_changed.empty() && routes_added.empty() &&
               routes_removed.empty() && routes_changed.empty();
    }
};

// Compares two configurations (both valid). Interfaces are matched by name, routes by prefix,
// addresses by address and length. O(n) in the number of routes.
ConfigDelta diff(const Config& from, const Config& to);

// The delta as log lines, e.g. "ip default-ttl 64 -> 32", "interface eth1 address
// 198.18.1.254/24 added", "route 203.0.113.0/24 changed: via 198.18.0.1 -> reject".
std::vector<std::string> describe(const ConfigDelta& delta, const Config& from, const Config& to);

// "via 198.18.0.1 interface eth1", "reject", "blackhole".
std::string describe_target(const RouteConfig& route);

}  // namespace routerd::config
