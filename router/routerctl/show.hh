// SPDX-License-Identifier: Apache-2.0
// routerctl show and monitor: fetch over the control socket, format as text tables or JSON.
#pragma once

#include "router/api/client.hh"
#include "router/api/messages.hh"
#include "router/base/result.hh"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::routerctl {

// Where a command prints and how.
struct Output {
    std::ostream& out;
    bool json = false;
};

// One interface as `show interfaces` prints it: its GET_IF_LIST row and its ifreq_all.
struct InterfaceView {
    api::IfListEntry entry;
    api::IfreqAll ifreq;
};

// ifindex → name, from GET_IF_LIST.
using IfNames = std::map<std::uint32_t, std::string>;
IfNames if_names(std::span<const api::IfListEntry> list);
// The interface's name, "-" for ifindex 0, "#N" for an index not in `names`.
std::string if_label(const IfNames& names, std::uint32_t ifindex);

std::string_view admin_name(api::AdminState s);
std::string_view oper_name(api::OperState s);
std::string_view route_kind_name(api::RouteKind k);
std::string_view arp_state_name(api::ArpState s);
std::string_view filter_mode_name(api::IgmpFilterMode m);

// Pure formatting: text ends with '\n'; JSON is one document without the final newline.
std::string format_ip_text(const api::IpStuff& s);
std::string format_ip_json(const api::IpStuff& s);
std::string format_interfaces_text(std::span<const InterfaceView> ifs);
std::string format_interfaces_json(std::span<const InterfaceView> ifs);  // array
std::string format_interface_detail_text(const InterfaceView& v);
std::string format_interface_json(const InterfaceView& v);  // object
std::string format_routes_text(std::span<const api::RouteEntry> routes, const IfNames& names);
std::string format_routes_json(std::span<const api::RouteEntry> routes, const IfNames& names);
std::string format_arp_text(std::span<const api::ArpEntry> entries, const IfNames& names);
std::string format_arp_json(std::span<const api::ArpEntry> entries, const IfNames& names);
std::string format_igmp_text(std::span<const api::IgmpInterface> ifs, const IfNames& names);
std::string format_igmp_json(std::span<const api::IgmpInterface> ifs, const IfNames& names);
// Every counter of the group by its stats.def name. Text: name, value, description; ICMP
// histograms as one row per non-zero type ("icps_outhist[8]  3  echo request"), or one 0 row.
// JSON: {"ips_total": 0, ...}; a histogram is an array of kIcmpHistSize counts, index = type.
std::string format_stats_text(const api::IpStat& s);
std::string format_stats_text(const api::IcmpStat& s);
std::string format_stats_text(const api::IgmpStat& s);
std::string format_stats_text(const api::RtStat& s);
std::string format_stats_json(const api::IpStat& s);
std::string format_stats_json(const api::IcmpStat& s);
std::string format_stats_json(const api::IgmpStat& s);
std::string format_stats_json(const api::RtStat& s);
// One line, no newline: "<ISO 8601> <ifindex> <name> admin up oper down" / a compact object.
std::string format_link_event_text(const api::LinkEvent& ev);
std::string format_link_event_json(const api::LinkEvent& ev);

// Client::call_as with the request's type in front of any error message
// ("SET_IP_MISC: ..."), unless the message already starts with it.
template <typename T>
Result<T> request(api::Client& client, const api::RequestBody& body) {
    auto r = client.call_as<T>(body);
    if (!r) {
        Error e = std::move(r).error();
        std::string prefix = std::string(api::msg_type_name(api::type_of(body))) + ":";
        if (e.message.rfind(prefix, 0) != 0) {
            e.message = prefix + " " + e.message;
        }
        return e;
    }
    return r;
}

// GET_IF_LIST.
Result<std::vector<api::IfListEntry>> get_if_list(api::Client& client);
// The GET_IF_LIST row called `name`; ENODEV "no interface named NAME" when there is none.
Result<api::IfListEntry> find_interface(api::Client& client, std::string_view name);

enum class StatsGroup { ip, icmp, igmp, route };

// The show commands; an Error is routerd's refusal or a failed connection (exit 1).
Status show_ip(api::Client& client, const Output& o);
Status show_interfaces(api::Client& client, const Output& o,
                       const std::optional<std::string>& name);
Status show_routes(api::Client& client, const Output& o);
Status show_arp(api::Client& client, const Output& o);
Status show_igmp(api::Client& client, const Output& o);
Status show_stats(api::Client& client, const Output& o, StatsGroup group);

struct MonitorOptions {
    std::optional<std::uint64_t> count;                // stop after this many events
    std::optional<std::chrono::milliseconds> limit;    // stop after this long
    std::chrono::milliseconds read_timeout{5000};      // for one frame once it started arriving
    const volatile std::sig_atomic_t* stop = nullptr;  // set by SIGINT/SIGTERM
};

// SET_MGMT, then one line per LINK_EVENT (flushed) until count, limit, stop or EOF (all ok).
Status monitor(api::Client& client, const Output& o, const MonitorOptions& m);

}  // namespace routerd::routerctl
