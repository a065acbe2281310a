// SPDX-License-Identifier: Apache-2.0
// diff / describe: old config vs new config, for SIGHUP (DESIGN.md "SIGHUP").
#include "router/config/diff.hh"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace routerd::config {

namespace {

std::uint64_t prefix_key(Ip4Prefix p) {
    return (std::uint64_t{p.addr.value()} << 8) | p.len;
}

bool contains(const std::vector<Ip4Prefix>& v, const Ip4Prefix& p) {
    return std::find(v.begin(), v.end(), p) != v.end();
}

InterfaceDelta diff_interface(const InterfaceConfig& from, const InterfaceConfig& to) {
    InterfaceDelta d;
    d.name = to.name;
    for (const auto& a : to.addresses) {
        if (!contains(from.addresses, a)) {
            d.addresses_added.push_back(a);
        }
    }
    for (const auto& a : from.addresses) {
        if (!contains(to.addresses, a)) {
            d.addresses_removed.push_back(a);
        }
    }
    d.primary_changed = from.addresses.empty() || to.addresses.empty()
                            ? from.addresses.empty() != to.addresses.empty()
                            : from.addresses.front() != to.addresses.front();
    auto setting = [&d](bool changed, InterfaceSetting s) {
        if (changed) {
            d.settings_changed.push_back(s);
        }
    };
    setting(from.mtu != to.mtu, InterfaceSetting::mtu);
    setting(from.mask_reply != to.mask_reply, InterfaceSetting::mask_reply);
    setting(from.redirects != to.redirects, InterfaceSetting::redirects);
    setting(from.directed_broadcast != to.directed_broadcast, InterfaceSetting::directed_broadcast);
    const IgmpConfig& a = from.igmp;
    const IgmpConfig& b = to.igmp;
    auto igmp = [&d](bool changed, IgmpSetting s) {
        if (changed) {
            d.igmp_changed.push_back(s);
        }
    };
    igmp(a.querier != b.querier, IgmpSetting::querier);
    igmp(a.version != b.version, IgmpSetting::version);
    igmp(a.query_interval != b.query_interval, IgmpSetting::query_interval);
    igmp(a.query_response_interval != b.query_response_interval,
         IgmpSetting::query_response_interval);
    igmp(a.robustness != b.robustness, IgmpSetting::robustness);
    igmp(a.last_member_query_interval != b.last_member_query_interval,
         IgmpSetting::last_member_query_interval);
    return d;
}

std::string on_off(bool v) {
    return v ? "true" : "false";
}

std::string value_of(const IpConfig& ip, IpSetting s) {
    switch (s) {
        case IpSetting::forwarding:
            return on_off(ip.forwarding);
        case IpSetting::default_ttl:
            return std::to_string(ip.default_ttl);
        case IpSetting::reassembly_timeout:
            return std::to_string(ip.reassembly_timeout.count());
        case IpSetting::send_redirects:
            return on_off(ip.send_redirects);
        case IpSetting::source_route:
            return on_off(ip.source_route);
    }
    return {};
}

std::string value_of(const InterfaceConfig& ic, InterfaceSetting s) {
    switch (s) {
        case InterfaceSetting::mtu:
            return ic.mtu ? std::to_string(*ic.mtu) : "link";
        case InterfaceSetting::mask_reply:
            return on_off(ic.mask_reply);
        case InterfaceSetting::redirects:
            return on_off(ic.redirects);
        case InterfaceSetting::directed_broadcast:
            return on_off(ic.directed_broadcast);
    }
    return {};
}

std::string value_of(const IgmpConfig& g, IgmpSetting s) {
    switch (s) {
        case IgmpSetting::querier:
            return on_off(g.querier);
        case IgmpSetting::version:
            return std::to_string(g.version);
        case IgmpSetting::query_interval:
            return std::to_string(g.query_interval.count());
        case IgmpSetting::query_response_interval:
            return format_seconds(g.query_response_interval);
        case IgmpSetting::robustness:
            return std::to_string(g.robustness);
        case IgmpSetting::last_member_query_interval:
            return format_seconds(g.last_member_query_interval);
    }
    return {};
}

const InterfaceConfig* find_interface(const Config& c, std::string_view name) {
    for (const auto& ic : c.interfaces) {
        if (ic.name == name) {
            return &ic;
        }
    }
    return nullptr;
}

std::string primary(const InterfaceConfig& ic) {
    return ic.addresses.empty() ? std::string("none") : ic.addresses.front().to_string();
}

void describe_interface(const InterfaceDelta& id, const InterfaceConfig& a,
                        const InterfaceConfig& b, std::vector<std::string>& out) {
    const std::string head = "interface " + id.name + " ";
    for (const auto& p : id.addresses_removed) {
        out.push_back(head + "address " + p.to_string() + " removed");
    }
    for (const auto& p : id.addresses_added) {
        out.push_back(head + "address " + p.to_string() + " added");
    }
    if (id.primary_changed) {
        out.push_back(head + "primary address " + primary(a) + " -> " + primary(b));
    }
    for (InterfaceSetting s : id.settings_changed) {
        out.push_back(head + std::string(key_name(s)) + " " + value_of(a, s) + " -> " +
                      value_of(b, s));
    }
    for (IgmpSetting s : id.igmp_changed) {
        out.push_back(head + "igmp " + std::string(key_name(s)) + " " + value_of(a.igmp, s) +
                      " -> " + value_of(b.igmp, s));
    }
}

}  // namespace

ConfigDelta diff(const Config& from, const Config& to) {
    ConfigDelta d;
    auto ip = [&d](bool changed, IpSetting s) {
        if (changed) {
            d.ip_changed.push_back(s);
        }
    };
    ip(from.ip.forwarding != to.ip.forwarding, IpSetting::forwarding);
    ip(from.ip.default_ttl != to.ip.default_ttl, IpSetting::default_ttl);
    ip(from.ip.reassembly_timeout != to.ip.reassembly_timeout, IpSetting::reassembly_timeout);
    ip(from.ip.send_redirects != to.ip.send_redirects, IpSetting::send_redirects);
    ip(from.ip.source_route != to.ip.source_route, IpSetting::source_route);
    d.control_socket_changed = from.control.socket != to.control.socket;

    std::unordered_map<std::string_view, const InterfaceConfig*> old_ifaces;
    for (const auto& ic : from.interfaces) {
        old_ifaces.emplace(ic.name, &ic);
    }
    std::unordered_map<std::string_view, bool> new_names;
    for (const auto& ic : to.interfaces) {
        new_names.emplace(ic.name, true);
        auto it = old_ifaces.find(ic.name);
        if (it == old_ifaces.end()) {
            d.interfaces_added.push_back(ic);
        } else if (InterfaceDelta id = diff_interface(*it->second, ic); !id.empty()) {
            d.interfaces_changed.push_back(std::move(id));
        }
    }
    for (const auto& ic : from.interfaces) {
        if (!new_names.contains(ic.name)) {
            d.interfaces_removed.push_back(ic.name);
        }
    }

    std::unordered_map<std::uint64_t, const RouteConfig*> old_routes;
    old_routes.reserve(from.routes.size());
    for (const auto& r : from.routes) {
        old_routes.emplace(prefix_key(r.prefix), &r);
    }
    std::unordered_map<std::uint64_t, bool> new_prefixes;
    new_prefixes.reserve(to.routes.size());
    for (const auto& r : to.routes) {
        new_prefixes.emplace(prefix_key(r.prefix), true);
        auto it = old_routes.find(prefix_key(r.prefix));
        if (it == old_routes.end()) {
            d.routes_added.push_back(r);
        } else if (!(*it->second == r)) {
            d.routes_changed.push_back(RouteChange{*it->second, r});
        }
    }
    for (const auto& r : from.routes) {
        if (!new_prefixes.contains(prefix_key(r.prefix))) {
            d.routes_removed.push_back(r);
        }
    }
    return d;
}

std::string describe_target(const RouteConfig& r) {
    switch (r.kind) {
        case RouteKind::via:
            return "via " + r.via.to_string() +
                   (r.interface.empty() ? std::string() : " interface " + r.interface);
        case RouteKind::reject:
            return "reject";
        case RouteKind::blackhole:
            return "blackhole";
    }
    return {};
}

std::vector<std::string> describe(const ConfigDelta& d, const Config& from, const Config& to) {
    std::vector<std::string> out;
    for (IpSetting s : d.ip_changed) {
        out.push_back("ip " + std::string(key_name(s)) + " " + value_of(from.ip, s) + " -> " +
                      value_of(to.ip, s));
    }
    if (d.control_socket_changed) {
        out.push_back("control socket " + from.control.socket + " -> " + to.control.socket +
                      " (takes effect at the next start)");
    }
    for (const auto& name : d.interfaces_removed) {
        out.push_back("interface " + name + " removed");
    }
    for (const auto& ic : d.interfaces_added) {
        out.push_back("interface " + ic.name + " added");
    }
    for (const auto& id : d.interfaces_changed) {
        const InterfaceConfig* a = find_interface(from, id.name);
        const InterfaceConfig* b = find_interface(to, id.name);
        if (a && b) {
            describe_interface(id, *a, *b, out);
        }
    }
    for (const auto& r : d.routes_removed) {
        out.push_back("route " + r.prefix.to_string() + " removed");
    }
    for (const auto& r : d.routes_added) {
        out.push_back("route " + r.prefix.to_string() + " added: " + describe_target(r));
    }
    for (const auto& c : d.routes_changed) {
        out.push_back("route " + c.to.prefix.to_string() + " changed: " + describe_target(c.from) +
                      " -> " + describe_target(c.to));
    }
    return out;
}

}  // namespace routerd::config
