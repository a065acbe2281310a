// SPDX-License-Identifier: Apache-2.0
// routerctl show and monitor: requests, paging, and the text and JSON layouts.
#include "router/routerctl/show.hh"

#include "router/api/stats.hh"
#include "router/base/ip4.hh"
#include "router/routerctl/format.hh"

#include <array>
#include <cerrno>
#include <cstdio>
#include <poll.h>

namespace routerd::routerctl {

namespace {

using TA = TextTable::Align;

// Hard caps on paged tables, far above any table routerd keeps (DESIGN: ~1M prefixes), so a
// misbehaving peer cannot keep routerctl paging forever.
constexpr std::size_t kMaxRouteRows = 4'000'000;
constexpr std::size_t kMaxArpRows = 1'000'000;

std::string u64(std::uint64_t v) {
    return std::to_string(v);
}

// "12.3s" from milliseconds; "-" for 0 (a timer that is not running).
std::string timer_text(std::uint64_t ms) {
    if (ms == 0) {
        return "-";
    }
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%llu.%llus", static_cast<unsigned long long>(ms / 1000),
                  static_cast<unsigned long long>((ms % 1000) / 100));
    return buf.data();
}

// Tenths of a second as "10.0s".
std::string tenths_text(std::uint32_t tenths) {
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
}

// "198.18.0.1/24", or "198.18.0.1/255.0.255.0" for a non-contiguous mask.
std::string addr_text(const api::AllAddrs& a) {
    if (auto len = ip4_mask_len(a.netmask.value())) {
        return a.addr.to_string() + "/" + std::to_string(*len);
    }
    return a.addr.to_string() + "/" + a.netmask.to_string();
}

std::size_t naddr(const api::IfreqAll& r) {
    return r.if_naddr <= 0 ? 0 : std::min<std::size_t>(r.if_naddr, api::kIfMaxAddrs);
}

// Appends every counter of S as text rows (see format_stats_text in show.hh).
template <typename S>
void stats_rows(const S& s, TextTable& t) {
    api::for_each_stat(s, [&](const api::StatField<S>& f, std::span<const std::uint64_t> v) {
        if (!f.is_histogram()) {
            t.add_row({std::string(f.name), u64(v[0]), std::string(f.description)});
            return;
        }
        bool any = false;
        for (std::size_t type = 0; type < v.size(); ++type) {
            if (v[type] != 0) {
                any = true;
                t.add_row({std::string(f.name) + "[" + std::to_string(type) + "]", u64(v[type]),
                           icmp_type_name(type)});
            }
        }
        if (!any) {
            t.add_row({std::string(f.name), "0", std::string(f.description)});
        }
    });
}

template <typename S>
std::string stats_text(const S& s) {
    TextTable t({}, {TA::left, TA::right, TA::left});
    stats_rows(s, t);
    return t.render();
}

template <typename S>
void stats_json(JsonWriter& w, const S& s) {
    w.begin_object();
    api::for_each_stat(s, [&](const api::StatField<S>& f, std::span<const std::uint64_t> v) {
        w.key(f.name);
        if (f.is_histogram()) {
            w.begin_array();
            for (auto x : v) {
                w.value(x);
            }
            w.end_array();
        } else {
            w.value(v[0]);
        }
    });
    w.end_object();
}

template <typename S>
std::string stats_json(const S& s) {
    JsonWriter w;
    stats_json(w, s);
    return w.str();
}

void interface_json(JsonWriter& w, const InterfaceView& v) {
    const auto& r = v.ifreq;
    w.begin_object();
    w.field("if_index", r.if_entry.if_index);
    w.field("if_name", r.if_entry.if_name);
    w.field("if_flags", r.if_entry.if_flags);
    w.field("if_mtu", r.if_entry.if_mtu);
    w.field("if_metric", r.if_entry.if_metric);
    w.field("if_statsavail", r.if_statsavail);
    w.key("if_stats");
    stats_json(w, r.if_stats);
    w.field("if_outqlen", r.if_outqlen);
    w.field("if_naddr", r.if_naddr);
    w.key("if_addrs").begin_array();
    for (std::size_t i = 0; i < naddr(r); ++i) {
        const auto& a = r.if_addrs[i];
        w.begin_object();
        w.field("addr", a.addr.to_string());
        w.field("dstaddr", a.dstaddr.to_string());
        w.field("netmask", a.netmask.to_string());
        w.field("flags", a.flags);
        w.end_object();
    }
    w.end_array();
    // Extensions from GET_IF_LIST (not in the seed's ifreq_all).
    w.field("mac", v.entry.mac.to_string());
    w.field("admin", admin_name(v.entry.admin));
    w.field("oper", oper_name(v.entry.oper));
    w.field("mask_reply", v.entry.settings.mask_reply);
    w.field("redirects", v.entry.settings.redirects);
    w.field("directed_broadcast", v.entry.settings.directed_broadcast);
    w.end_object();
}

}  // namespace

IfNames if_names(std::span<const api::IfListEntry> list) {
    IfNames names;
    for (const auto& e : list) {
        names[e.ifindex] = e.name;
    }
    return names;
}

std::string if_label(const IfNames& names, std::uint32_t ifindex) {
    if (ifindex == 0) {
        return "-";
    }
    auto it = names.find(ifindex);
    return it != names.end() ? it->second : "#" + std::to_string(ifindex);
}

std::string_view admin_name(api::AdminState s) {
    switch (s) {
        case api::AdminState::up:
            return "up";
        case api::AdminState::down:
            return "down";
    }
    return "?";
}

std::string_view oper_name(api::OperState s) {
    switch (s) {
        case api::OperState::up:
            return "up";
        case api::OperState::down:
            return "down";
        case api::OperState::unknown:
            return "unknown";
        case api::OperState::dormant:
            return "dormant";
        case api::OperState::not_present:
            return "not_present";
        case api::OperState::lower_layer_down:
            return "lower_layer_down";
    }
    return "?";
}

std::string_view route_kind_name(api::RouteKind k) {
    switch (k) {
        case api::RouteKind::connected:
            return "connected";
        case api::RouteKind::forward:
            return "forward";
        case api::RouteKind::reject:
            return "reject";
        case api::RouteKind::blackhole:
            return "blackhole";
    }
    return "?";
}

std::string_view arp_state_name(api::ArpState s) {
    switch (s) {
        case api::ArpState::incomplete:
            return "incomplete";
        case api::ArpState::reachable:
            return "reachable";
        case api::ArpState::stale:
            return "stale";
        case api::ArpState::permanent:
            return "permanent";
    }
    return "?";
}

std::string_view filter_mode_name(api::IgmpFilterMode m) {
    switch (m) {
        case api::IgmpFilterMode::include:
            return "include";
        case api::IgmpFilterMode::exclude:
            return "exclude";
    }
    return "?";
}

std::string format_ip_text(const api::IpStuff& s) {
    TextTable t({}, {TA::left, TA::right});
    t.add_row({"ip_forwarding", std::to_string(s.ip_forwarding)});
    t.add_row({"ip_default_ttl", std::to_string(s.ip_default_ttl)});
    t.add_row({"ipq_ttl", std::to_string(s.ipq_ttl)});
    t.add_row({"ipq_reasm_reqds", std::to_string(s.ipq_reasm_reqds)});
    t.add_row({"icmp_answermask", std::to_string(s.icmp_answermask)});
    t.add_row({"ip_sendredirects", std::to_string(s.ip_sendredirects)});
    t.add_row({"ip_sourceroute", std::to_string(s.ip_sourceroute)});
    return t.render();
}

std::string format_ip_json(const api::IpStuff& s) {
    JsonWriter w;
    w.begin_object();
    w.field("ip_forwarding", s.ip_forwarding);
    w.field("ip_default_ttl", s.ip_default_ttl);
    w.field("ipq_ttl", s.ipq_ttl);
    w.field("ipq_reasm_reqds", s.ipq_reasm_reqds);
    w.field("icmp_answermask", s.icmp_answermask);
    w.field("ip_sendredirects", s.ip_sendredirects);
    w.field("ip_sourceroute", s.ip_sourceroute);
    w.end_object();
    return w.str();
}

std::string format_interfaces_text(std::span<const InterfaceView> ifs) {
    TextTable t({"INDEX", "NAME", "FLAGS", "MTU", "ADMIN", "OPER", "ADDRESSES", "IPKTS", "IERRS",
                 "OPKTS", "OERRS"},
                {TA::right, TA::left, TA::left, TA::right, TA::left, TA::left, TA::left, TA::right,
                 TA::right, TA::right, TA::right});
    for (const auto& v : ifs) {
        const auto& r = v.ifreq;
        std::string addrs;
        for (std::size_t i = 0; i < naddr(r); ++i) {
            addrs += (i > 0 ? "," : "") + addr_text(r.if_addrs[i]);
        }
        const auto& st = r.if_stats;
        t.add_row({std::to_string(r.if_entry.if_index), r.if_entry.if_name,
                   if_flags_text(r.if_entry.if_flags), std::to_string(r.if_entry.if_mtu),
                   std::string(admin_name(v.entry.admin)), std::string(oper_name(v.entry.oper)),
                   addrs.empty() ? "-" : addrs, u64(st.ifs_ipackets), u64(st.ifs_ierrors),
                   u64(st.ifs_opackets), u64(st.ifs_oerrors)});
    }
    return t.render();
}

std::string format_interfaces_json(std::span<const InterfaceView> ifs) {
    JsonWriter w;
    w.begin_array();
    for (const auto& v : ifs) {
        interface_json(w, v);
    }
    w.end_array();
    return w.str();
}

std::string format_interface_json(const InterfaceView& v) {
    JsonWriter w;
    interface_json(w, v);
    return w.str();
}

std::string format_interface_detail_text(const InterfaceView& v) {
    const auto& r = v.ifreq;
    std::string out =
        r.if_entry.if_name + " (ifindex " + std::to_string(r.if_entry.if_index) + ")\n";
    TextTable kv;
    kv.add_row({"  if_flags", if_flags_text(r.if_entry.if_flags)});
    kv.add_row({"  if_mtu", std::to_string(r.if_entry.if_mtu)});
    kv.add_row({"  if_metric", std::to_string(r.if_entry.if_metric)});
    kv.add_row({"  mac", v.entry.mac.to_string()});
    kv.add_row({"  admin", std::string(admin_name(v.entry.admin))});
    kv.add_row({"  oper", std::string(oper_name(v.entry.oper))});
    kv.add_row({"  mask_reply", std::string(on_off(v.entry.settings.mask_reply))});
    kv.add_row({"  redirects", std::string(on_off(v.entry.settings.redirects))});
    kv.add_row({"  directed_broadcast", std::string(on_off(v.entry.settings.directed_broadcast))});
    kv.add_row({"  if_statsavail", std::to_string(r.if_statsavail)});
    kv.add_row({"  if_outqlen", std::to_string(r.if_outqlen)});
    kv.add_row({"  if_naddr", std::to_string(r.if_naddr)});
    out += kv.render();
    out += "addresses:\n";
    TextTable at({"  ADDR", "BROADCAST/DST", "NETMASK", "FLAGS"});
    for (std::size_t i = 0; i < naddr(r); ++i) {
        const auto& a = r.if_addrs[i];
        at.add_row({"  " + a.addr.to_string(), a.dstaddr.is_zero() ? "-" : a.dstaddr.to_string(),
                    a.netmask.to_string(), ifa_flags_text(a.flags)});
    }
    out += at.render();
    out += "statistics:\n";
    TextTable st({}, {TA::left, TA::right, TA::left});
    api::for_each_stat(r.if_stats, [&](const api::StatField<api::IfStats>& f,
                                       std::span<const std::uint64_t> vals) {
        st.add_row({"  " + std::string(f.name), u64(vals[0]), std::string(f.description)});
    });
    out += st.render();
    return out;
}

std::string format_routes_text(std::span<const api::RouteEntry> routes, const IfNames& names) {
    TextTable t({"PREFIX", "KIND", "NEXT HOP", "INTERFACE", "AGE"},
                {TA::left, TA::left, TA::left, TA::left, TA::right});
    for (const auto& r : routes) {
        t.add_row({r.prefix.to_string(), std::string(route_kind_name(r.kind)),
                   r.via.is_zero() ? "-" : r.via.to_string(), if_label(names, r.ifindex),
                   std::to_string(r.age_s) + "s"});
    }
    return t.render();
}

std::string format_routes_json(std::span<const api::RouteEntry> routes, const IfNames& names) {
    JsonWriter w;
    w.begin_array();
    for (const auto& r : routes) {
        w.begin_object();
        w.field("prefix", r.prefix.to_string());
        w.field("kind", route_kind_name(r.kind));
        w.key("via");
        if (r.via.is_zero()) {
            w.null();
        } else {
            w.value(r.via.to_string());
        }
        w.field("ifindex", r.ifindex);
        w.key("if_name");
        if (r.ifindex == 0) {
            w.null();
        } else {
            w.value(if_label(names, r.ifindex));
        }
        w.field("age_s", r.age_s);
        w.end_object();
    }
    w.end_array();
    return w.str();
}

std::string format_arp_text(std::span<const api::ArpEntry> entries, const IfNames& names) {
    TextTable t({"INTERFACE", "ADDRESS", "MAC", "STATE", "AGE"},
                {TA::left, TA::left, TA::left, TA::left, TA::right});
    for (const auto& e : entries) {
        t.add_row({if_label(names, e.ifindex), e.addr.to_string(),
                   e.state == api::ArpState::incomplete ? "-" : e.mac.to_string(),
                   std::string(arp_state_name(e.state)), std::to_string(e.age_s) + "s"});
    }
    return t.render();
}

std::string format_arp_json(std::span<const api::ArpEntry> entries, const IfNames& names) {
    JsonWriter w;
    w.begin_array();
    for (const auto& e : entries) {
        w.begin_object();
        w.field("ifindex", e.ifindex);
        w.field("if_name", if_label(names, e.ifindex));
        w.field("addr", e.addr.to_string());
        w.field("mac", e.mac.to_string());
        w.field("state", arp_state_name(e.state));
        w.field("age_s", e.age_s);
        w.end_object();
    }
    w.end_array();
    return w.str();
}

std::string format_igmp_text(std::span<const api::IgmpInterface> ifs, const IfNames& names) {
    std::string out;
    for (const auto& i : ifs) {
        if (!out.empty()) {
            out += '\n';
        }
        out += if_label(names, i.ifindex) + " (ifindex " + std::to_string(i.ifindex) + ")\n";
        const auto& s = i.settings;
        TextTable kv;
        kv.add_row({"  querier", i.querier.to_string() + (i.is_querier ? " (this router)" : "")});
        kv.add_row({"  querier_uptime", std::to_string(i.querier_uptime_s) + "s"});
        kv.add_row({"  other_querier_expiry", timer_text(i.other_querier_expiry_ms)});
        kv.add_row({"  v1_querier_timer", timer_text(i.v1_querier_timer_ms)});
        kv.add_row({"  querier_enabled", std::string(on_off(s.querier))});
        kv.add_row({"  version", std::to_string(s.version)});
        kv.add_row({"  query_interval", std::to_string(s.query_interval_s) + "s"});
        kv.add_row({"  query_response_interval", tenths_text(s.query_response_interval_tenths)});
        kv.add_row({"  robustness", std::to_string(s.robustness)});
        kv.add_row(
            {"  last_member_query_interval", tenths_text(s.last_member_query_interval_tenths)});
        kv.add_row({"  wrong_version_queries", std::to_string(i.wrong_version_queries)});
        kv.add_row({"  joins", std::to_string(i.joins)});
        out += kv.render();
        if (i.groups.empty()) {
            out += "  no groups\n";
            continue;
        }
        TextTable g({"  GROUP", "LAST REPORTER", "UPTIME", "EXPIRES", "VERSION", "V1 HOST",
                     "V2 HOST", "MODE", "SOURCES"});
        for (const auto& gr : i.groups) {
            std::string sources;
            for (const auto& src : gr.sources) {
                sources += (sources.empty() ? "" : ",") + src.addr.to_string() + "(" +
                           timer_text(src.timer_ms) + ")";
            }
            g.add_row({"  " + gr.group.to_string(), gr.last_reporter.to_string(),
                       std::to_string(gr.uptime_s) + "s", timer_text(gr.expiry_ms),
                       std::to_string(gr.version), timer_text(gr.v1_host_timer_ms),
                       timer_text(gr.v2_host_timer_ms),
                       std::string(filter_mode_name(gr.filter_mode)),
                       sources.empty() ? "-" : sources});
        }
        out += g.render();
    }
    return out;
}

std::string format_igmp_json(std::span<const api::IgmpInterface> ifs, const IfNames& names) {
    JsonWriter w;
    w.begin_array();
    for (const auto& i : ifs) {
        const auto& s = i.settings;
        w.begin_object();
        w.field("ifindex", i.ifindex);
        w.field("if_name", if_label(names, i.ifindex));
        w.key("settings").begin_object();
        w.field("querier", s.querier);
        w.field("version", s.version);
        w.field("query_interval_s", s.query_interval_s);
        w.field("query_response_interval_tenths", s.query_response_interval_tenths);
        w.field("robustness", s.robustness);
        w.field("last_member_query_interval_tenths", s.last_member_query_interval_tenths);
        w.end_object();
        w.field("is_querier", i.is_querier);
        w.field("querier", i.querier.to_string());
        w.field("querier_uptime_s", i.querier_uptime_s);
        w.field("other_querier_expiry_ms", i.other_querier_expiry_ms);
        w.field("v1_querier_timer_ms", i.v1_querier_timer_ms);
        w.field("wrong_version_queries", i.wrong_version_queries);
        w.field("joins", i.joins);
        w.key("groups").begin_array();
        for (const auto& g : i.groups) {
            w.begin_object();
            w.field("group", g.group.to_string());
            w.field("last_reporter", g.last_reporter.to_string());
            w.field("uptime_s", g.uptime_s);
            w.field("expiry_ms", g.expiry_ms);
            w.field("version", g.version);
            w.field("v1_host_timer_ms", g.v1_host_timer_ms);
            w.field("v2_host_timer_ms", g.v2_host_timer_ms);
            w.field("filter_mode", filter_mode_name(g.filter_mode));
            w.key("sources").begin_array();
            for (const auto& src : g.sources) {
                w.begin_object();
                w.field("addr", src.addr.to_string());
                w.field("timer_ms", src.timer_ms);
                w.end_object();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    return w.str();
}

std::string format_stats_text(const api::IpStat& s) {
    return stats_text(s);
}
std::string format_stats_text(const api::IcmpStat& s) {
    return stats_text(s);
}
std::string format_stats_text(const api::IgmpStat& s) {
    return stats_text(s);
}
std::string format_stats_text(const api::RtStat& s) {
    return stats_text(s);
}
std::string format_stats_json(const api::IpStat& s) {
    return stats_json(s);
}
std::string format_stats_json(const api::IcmpStat& s) {
    return stats_json(s);
}
std::string format_stats_json(const api::IgmpStat& s) {
    return stats_json(s);
}
std::string format_stats_json(const api::RtStat& s) {
    return stats_json(s);
}

std::string format_link_event_text(const api::LinkEvent& ev) {
    return iso8601_utc(ev.time_ns) + " " + std::to_string(ev.ifindex) + " " + ev.name + " admin " +
           std::string(admin_name(ev.admin)) + " oper " + std::string(oper_name(ev.oper));
}

std::string format_link_event_json(const api::LinkEvent& ev) {
    JsonWriter w(false);
    w.begin_object();
    w.field("time", iso8601_utc(ev.time_ns));
    w.field("time_ns", ev.time_ns);
    w.field("ifindex", ev.ifindex);
    w.field("name", ev.name);
    w.field("admin", admin_name(ev.admin));
    w.field("oper", oper_name(ev.oper));
    w.end_object();
    return w.str();
}

Result<std::vector<api::IfListEntry>> get_if_list(api::Client& client) {
    auto r = request<api::GetIfListReply>(client, api::GetIfListRequest{});
    if (!r) {
        return r.error();
    }
    return std::move(r->interfaces);
}

Result<api::IfListEntry> find_interface(api::Client& client, std::string_view name) {
    auto list = get_if_list(client);
    if (!list) {
        return list.error();
    }
    for (auto& e : *list) {
        if (e.name == name) {
            return std::move(e);
        }
    }
    return make_error(ENODEV, "no interface named '" + std::string(name) + "'");
}

namespace {

void print(const Output& o, const std::string& text, const std::string& json) {
    if (o.json) {
        o.out << json << '\n';
    } else {
        o.out << text;
    }
    o.out.flush();
}

Result<IfNames> fetch_names(api::Client& client) {
    auto list = get_if_list(client);
    if (!list) {
        return list.error();
    }
    return if_names(*list);
}

// An interface that went away between GET_IF_LIST and a per-interface request.
bool vanished(const Error& e) {
    return e.code == ENODEV || e.code == ENXIO || e.code == ENOENT;
}

}  // namespace

Status show_ip(api::Client& client, const Output& o) {
    auto r = request<api::GetIpStuffReply>(client, api::GetIpStuffRequest{});
    if (!r) {
        return r.error();
    }
    if (o.json) {
        print(o, {}, format_ip_json(r->ip_stuff));
    } else {
        print(o, format_ip_text(r->ip_stuff), {});
    }
    return ok_status();
}

Status show_interfaces(api::Client& client, const Output& o,
                       const std::optional<std::string>& name) {
    auto list = get_if_list(client);
    if (!list) {
        return list.error();
    }
    std::vector<InterfaceView> views;
    for (const auto& e : *list) {
        if (name && e.name != *name) {
            continue;
        }
        auto r = request<api::GetIfreqAllReply>(client, api::GetIfreqAllRequest{e.ifindex});
        if (!r) {
            if (!name && vanished(r.error())) {
                continue;
            }
            return r.error();
        }
        views.push_back({e, r->ifreq_all});
    }
    if (name) {
        if (views.empty()) {
            return make_error(ENODEV, "no interface named '" + *name + "'");
        }
        if (o.json) {
            print(o, {}, format_interface_json(views.front()));
        } else {
            print(o, format_interface_detail_text(views.front()), {});
        }
        return ok_status();
    }
    if (o.json) {
        print(o, {}, format_interfaces_json(views));
    } else {
        print(o, format_interfaces_text(views), {});
    }
    return ok_status();
}

Status show_routes(api::Client& client, const Output& o) {
    auto names = fetch_names(client);
    if (!names) {
        return names.error();
    }
    std::vector<api::RouteEntry> routes;
    api::GetRoutesRequest req{Ip4Prefix{}, false,
                              static_cast<std::uint32_t>(api::kMaxRoutesPerPage)};
    for (;;) {
        auto r = request<api::GetRoutesReply>(client, req);
        if (!r) {
            return r.error();
        }
        routes.insert(routes.end(), r->routes.begin(), r->routes.end());
        if (!r->more || r->routes.empty() || routes.size() >= r->route_count ||
            routes.size() >= kMaxRouteRows) {
            break;
        }
        req = api::GetRoutesRequest{routes.back().prefix, true,
                                    static_cast<std::uint32_t>(api::kMaxRoutesPerPage)};
    }
    if (o.json) {
        print(o, {}, format_routes_json(routes, *names));
    } else {
        print(o, format_routes_text(routes, *names), {});
    }
    return ok_status();
}

Status show_arp(api::Client& client, const Output& o) {
    auto names = fetch_names(client);
    if (!names) {
        return names.error();
    }
    std::vector<api::ArpEntry> entries;
    api::GetArpRequest req{0, Ip4Addr{}, false, static_cast<std::uint32_t>(api::kMaxArpPerPage)};
    for (;;) {
        auto r = request<api::GetArpReply>(client, req);
        if (!r) {
            return r.error();
        }
        entries.insert(entries.end(), r->entries.begin(), r->entries.end());
        if (!r->more || r->entries.empty() || entries.size() >= kMaxArpRows) {
            break;
        }
        req = api::GetArpRequest{entries.back().ifindex, entries.back().addr, true,
                                 static_cast<std::uint32_t>(api::kMaxArpPerPage)};
    }
    if (o.json) {
        print(o, {}, format_arp_json(entries, *names));
    } else {
        print(o, format_arp_text(entries, *names), {});
    }
    return ok_status();
}

Status show_igmp(api::Client& client, const Output& o) {
    auto list = get_if_list(client);
    if (!list) {
        return list.error();
    }
    IfNames names = if_names(*list);
    std::vector<api::IgmpInterface> ifs;
    auto all = request<api::GetIgmpGroupsReply>(client, api::GetIgmpGroupsRequest{0});
    if (all) {
        ifs = std::move(all->interfaces);
    } else if (all.error().code == EMSGSIZE) {
        // Too much for one frame: ask interface by interface (messages.hh GET_IGMP_GROUPS).
        for (const auto& e : *list) {
            auto one =
                request<api::GetIgmpGroupsReply>(client, api::GetIgmpGroupsRequest{e.ifindex});
            if (!one) {
                if (vanished(one.error())) {
                    continue;
                }
                return one.error();
            }
            ifs.insert(ifs.end(), one->interfaces.begin(), one->interfaces.end());
        }
    } else {
        return all.error();
    }
    if (o.json) {
        print(o, {}, format_igmp_json(ifs, names));
    } else {
        print(o, format_igmp_text(ifs, names), {});
    }
    return ok_status();
}

namespace {

template <typename S>
void print_stats(const Output& o, const S& s) {
    if (o.json) {
        print(o, {}, format_stats_json(s));
    } else {
        print(o, format_stats_text(s), {});
    }
}

// What one of monitor's waits gave: an event, nothing yet (ETIMEDOUT), or an error.
Result<api::LinkEvent> wait_event(api::Client& client, std::chrono::milliseconds wait,
                                  std::chrono::milliseconds read_timeout) {
    // Events that came with the SET_MGMT reply are queued in the client: take those first
    // (a zero timeout returns before reading anything).
    auto ev = client.next_event(std::chrono::milliseconds{0});
    if (ev || ev.error().code != ETIMEDOUT) {
        return ev;
    }
    pollfd p{client.fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) {
        return make_error(ETIMEDOUT, "no event yet");  // timeout or EINTR (a stop signal)
    }
    return client.next_event(read_timeout);
}

}  // namespace

Status show_stats(api::Client& client, const Output& o, StatsGroup group) {
    switch (group) {
        case StatsGroup::ip:
        case StatsGroup::route: {
            auto r = request<api::GetIpStuffReply>(client, api::GetIpStuffRequest{});
            if (!r) {
                return r.error();
            }
            if (group == StatsGroup::ip) {
                print_stats(o, r->ip_stuff.ip_stat);
            } else {
                print_stats(o, r->ip_stuff.rt_stat);
            }
            return ok_status();
        }
        case StatsGroup::icmp: {
            auto r = request<api::GetIcmpStatReply>(client, api::GetIcmpStatRequest{});
            if (!r) {
                return r.error();
            }
            print_stats(o, r->icmp_stat);
            return ok_status();
        }
        case StatsGroup::igmp: {
            auto r = request<api::GetIgmpStatReply>(client, api::GetIgmpStatRequest{});
            if (!r) {
                return r.error();
            }
            print_stats(o, r->igmp_stat);
            return ok_status();
        }
    }
    return make_error(EINVAL, "unknown statistics group");
}

Status monitor(api::Client& client, const Output& o, const MonitorOptions& m) {
    using Clock = std::chrono::steady_clock;
    // Short slices so SIGINT/SIGTERM and --timeout-s are noticed promptly.
    constexpr std::chrono::milliseconds kSlice{100};
    auto sub = request<api::SetMgmtReply>(client, api::SetMgmtRequest{true});
    if (!sub) {
        return sub.error();
    }
    const auto start = Clock::now();
    std::uint64_t seen = 0;
    for (;;) {
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        if ((m.stop != nullptr && *m.stop != 0) || (m.count && seen >= *m.count) ||
            (m.limit && elapsed >= *m.limit)) {
            return ok_status();
        }
        auto wait = m.limit ? std::min(kSlice, *m.limit - elapsed) : kSlice;
        auto ev = wait_event(client, wait, m.read_timeout);
        if (!ev && ev.error().code == ETIMEDOUT) {
            continue;
        }
        if (!ev && ev.error().code == ECONNRESET) {
            return ok_status();  // routerd closed the connection: the stream is over
        }
        if (!ev) {
            Error e = std::move(ev).error();
            e.message = "LINK_EVENT: " + e.message;
            return e;
        }
        o.out << (o.json ? format_link_event_json(*ev) : format_link_event_text(*ev)) << '\n';
        o.out.flush();
        ++seen;
    }
}

}  // namespace routerd::routerctl
