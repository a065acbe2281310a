// SPDX-License-Identifier: Apache-2.0
// routerd.yaml as plain structs, with DESIGN.md's defaults; limits shared with run-time setters.
#pragma once

#include "router/base/ip4.hh"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {

// IGMP times on the wire are in tenths of a second (RFC 2236 2.2, RFC 3376 4.1.1).
using Deciseconds = std::chrono::duration<std::int64_t, std::deci>;

// "10", "2.5": a duration in seconds with its tenths, for messages and logs.
inline std::string format_seconds(Deciseconds d) {
    auto tenths = d.count();
    std::string out = std::to_string(tenths / 10);
    if (tenths % 10 != 0) {
        out += '.';
        out += static_cast<char>('0' + (tenths < 0 ? -(tenths % 10) : tenths % 10));
    }
    return out;
}

// Limits. Each is checked by the loader with its reference; run-time setters (routerctl, SNMP)
// use the same constants.
inline constexpr int kMinDefaultTtl = 1;  // RFC 1122 3.2.1.7: never send TTL 0
inline constexpr int kMaxDefaultTtl = 255;
inline constexpr int kMinReassemblyTimeout = 1;       // seconds
inline constexpr int kMaxReassemblyTimeout = 255;     // RFC 791: bounded by the maximum TTL (255 s)
inline constexpr int kMinMtu = 68;                    // RFC 791 3.2: 68 octets must always pass
inline constexpr int kMaxMtu = 65535;                 // RFC 791 3.1: Total Length is 16 bits
inline constexpr std::size_t kMaxAddrsPerIface = 10;  // seed ifreq_all: up to 10 addresses
inline constexpr std::size_t kMaxIfNameLen = 15;      // Linux IFNAMSIZ 16, with the NUL
inline constexpr std::size_t kMaxInterfaces = 4096;
inline constexpr std::size_t kMaxRoutes = std::size_t{1} << 21;  // 2M: twice a full table
inline constexpr std::size_t kMaxSocketPathLen = 107;            // unix(7): sun_path[108]
inline constexpr int kMinIgmpVersion = 1;
inline constexpr int kMaxIgmpVersion = 3;
inline constexpr int kMinQueryInterval = 1;                 // seconds
inline constexpr int kMaxQueryInterval = 31744;             // RFC 3376 4.1.7: largest QQIC
inline constexpr Deciseconds kMinIgmpResponse{1};           // 0 would read as an IGMPv1 query
inline constexpr Deciseconds kMaxIgmpV2Response{255};       // RFC 2236 2.2: 8 bits of 1/10 s
inline constexpr Deciseconds kMaxIgmpV3Response{31744};     // RFC 3376 4.1.1: largest code
inline constexpr Deciseconds kIgmpV1ResponseInterval{100};  // RFC 1112 App. I: fixed 10 s
inline constexpr int kMinRobustness = 1;                    // RFC 3376 8.1: must not be zero
inline constexpr int kMaxRobustness = 255;                  // IGMP-STD-MIB igmpInterfaceRobustness

// `ip:` — the seed's ip_stuff settings.
struct IpConfig {
    bool forwarding = true;                       // ip_forwarding
    int default_ttl = 64;                         // ip_default_ttl
    std::chrono::seconds reassembly_timeout{30};  // ipq_ttl
    bool send_redirects = true;                   // ip_sendredirects
    bool source_route = false;                    // forward LSRR/SSRR (RFC 7126: off)

    friend bool operator==(const IpConfig&, const IpConfig&) = default;
};

// `interfaces[].igmp:` — querier settings, RFC 2236 / RFC 3376 section 8 defaults.
struct IgmpConfig {
    bool querier = false;  // no igmp block, or no `querier` key: not a querier
    int version = 2;
    std::chrono::seconds query_interval{125};
    Deciseconds query_response_interval{100};
    int robustness = 2;
    Deciseconds last_member_query_interval{10};

    friend bool operator==(const IgmpConfig&, const IgmpConfig&) = default;
};

// `interfaces[]:` — one routed port.
struct InterfaceConfig {
    std::string name;
    std::vector<Ip4Prefix> addresses;  // address with its prefix length; the first is primary
    std::optional<int> mtu;            // nullopt: the link's MTU
    bool mask_reply = false;           // icmp_answermask (DESIGN.md, RFC 6918)
    bool redirects = true;
    bool directed_broadcast = false;  // RFC 2644
    IgmpConfig igmp;

    friend bool operator==(const InterfaceConfig&, const InterfaceConfig&) = default;
};

enum class RouteKind { via, reject, blackhole };

// `routes[]:` — a static route: a next hop, or reject (ICMP unreachable) or blackhole (silent).
struct RouteConfig {
    Ip4Prefix prefix;  // never has host bits
    RouteKind kind = RouteKind::via;
    Ip4Addr via;            // kind == via only
    std::string interface;  // kind == via only; empty: whichever connected subnet holds `via`

    friend bool operator==(const RouteConfig&, const RouteConfig&) = default;
};

// `control:`
struct ControlConfig {
    std::string socket = "/run/routerd/control.sock";

    friend bool operator==(const ControlConfig&, const ControlConfig&) = default;
};

// The settings a reload compares one by one (router/config/diff.hh) and validation names.
enum class IpSetting { forwarding, default_ttl, reassembly_timeout, send_redirects, source_route };
enum class InterfaceSetting { mtu, mask_reply, redirects, directed_broadcast };
enum class IgmpSetting {
    querier,
    version,
    query_interval,
    query_response_interval,
    robustness,
    last_member_query_interval
};

// The YAML key of each setting ("default-ttl", "mask-reply", "query-interval" ...).
std::string_view key_name(IpSetting s);
std::string_view key_name(InterfaceSetting s);
std::string_view key_name(IgmpSetting s);

// A position in the file: one-based line and column; 0 when the value did not come from a file
// (a default, or a config built in code).
struct SourceMark {
    int line = 0;
    int column = 0;

    friend bool operator==(const SourceMark&, const SourceMark&) = default;
};

struct IgmpMarks {
    SourceMark block, version, query_interval, query_response_interval, robustness,
        last_member_query_interval;
    bool complete = true;  // every value of the block loaded; else relations are not checked
};

struct InterfaceMarks {
    SourceMark entry, name, mtu;
    std::vector<SourceMark> addresses;  // one per entry of InterfaceConfig::addresses
    IgmpMarks igmp;
    bool name_complete = true;       // the name loaded
    bool addresses_complete = true;  // every address entry loaded
};

struct RouteMarks {
    SourceMark entry, prefix, via, interface;
};

// Where each element came from, for validation messages; parallel to Config's vectors. A config
// built or edited in code may leave it short or empty: validation then reports line 0.
struct SourceMap {
    std::string file;  // as given by the user
    std::vector<InterfaceMarks> interfaces;
    std::vector<RouteMarks> routes;
    SourceMark control_socket;
};

// The whole file. Equality of two configs is diff(a, b).empty() (router/config/diff.hh).
struct Config {
    IpConfig ip;
    std::vector<InterfaceConfig> interfaces;
    std::vector<RouteConfig> routes;
    ControlConfig control;
    SourceMap source;
};

}  // namespace routerd::config
