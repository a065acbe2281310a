// SPDX-License-Identifier: Apache-2.0
// Reload: the config-to-state translation and the delta a SIGHUP applies.
#include "router/daemon/reload.hh"

#include "router/base/log.hh"
#include "router/config/diff.hh"
#include "router/config/load.hh"

#include <cerrno>
#include <chrono>
#include <utility>

namespace routerd::daemon {

inet::IpSettings to_ip_settings(const config::IpConfig& ip) {
    inet::IpSettings s;
    s.forwarding = ip.forwarding;
    s.default_ttl = static_cast<std::uint8_t>(ip.default_ttl);
    s.reassembly_timeout_s = static_cast<std::uint32_t>(ip.reassembly_timeout.count());
    s.send_redirects = ip.send_redirects;
    s.source_route = ip.source_route;
    return s;
}

api::IfSettings to_if_settings(const config::InterfaceConfig& ifc) {
    return api::IfSettings{ifc.mask_reply, ifc.redirects, ifc.directed_broadcast};
}

api::IgmpSettings to_igmp_settings(const config::IgmpConfig& igmp) {
    api::IgmpSettings g;
    g.querier = igmp.querier;
    g.version = static_cast<std::uint8_t>(igmp.version);
    g.query_interval_s = static_cast<std::uint32_t>(igmp.query_interval.count());
    g.query_response_interval_tenths =
        static_cast<std::uint32_t>(igmp.query_response_interval.count());
    g.robustness = static_cast<std::uint8_t>(igmp.robustness);
    g.last_member_query_interval_tenths =
        static_cast<std::uint32_t>(igmp.last_member_query_interval.count());
    return g;
}

Result<api::RouteSpec> to_route_spec(const config::RouteConfig& route,
                                     const dataplane::RouterState& state) {
    api::RouteSpec spec;
    spec.prefix = route.prefix;
    switch (route.kind) {
        case config::RouteKind::via:
            spec.kind = api::RouteKind::forward;
            spec.via = route.via;
            if (!route.interface.empty()) {
                const auto* ifs = state.find(route.interface);
                if (ifs == nullptr) {
                    return make_error(ENOENT, "route " + route.prefix.to_string() +
                                                  ": no routed interface " + route.interface);
                }
                spec.ifindex = static_cast<std::uint32_t>(ifs->ifindex);
            }
            break;
        case config::RouteKind::reject:
            spec.kind = api::RouteKind::reject;
            break;
        case config::RouteKind::blackhole:
            spec.kind = api::RouteKind::blackhole;
            break;
    }
    return spec;
}

namespace {

const config::InterfaceConfig* find_if(const config::Config& c, const std::string& name) {
    for (const auto& i : c.interfaces) {
        if (i.name == name) {
            return &i;
        }
    }
    return nullptr;
}

// Collects what applied and what failed, in order.
struct Journal {
    std::vector<std::string>& errors;
    std::vector<std::string> done;

    void note(const Status& st, std::string what) {
        if (st) {
            done.push_back(std::move(what));
        } else {
            errors.push_back(what + ": " + st.error().message);
        }
    }
};

void apply_ip(const config::ConfigDelta& d, const config::Config& to, dataplane::RouterState& state,
              Journal& j) {
    for (auto s : d.ip_changed) {
        const std::string what = "ip " + std::string(config::key_name(s));
        switch (s) {
            case config::IpSetting::forwarding:
                j.note(state.set_forwarding(to.ip.forwarding), what);
                break;
            case config::IpSetting::default_ttl:
                j.note(state.set_default_ttl(to.ip.default_ttl), what);
                break;
            case config::IpSetting::reassembly_timeout:
                j.note(state.set_reassembly_timeout(
                           static_cast<std::int32_t>(to.ip.reassembly_timeout.count())),
                       what);
                break;
            case config::IpSetting::send_redirects:
                j.note(state.set_send_redirects(to.ip.send_redirects), what);
                break;
            case config::IpSetting::source_route:
                j.note(state.set_source_route(to.ip.source_route), what);
                break;
        }
    }
}

void apply_interface_settings(const config::InterfaceDelta& d, const config::InterfaceConfig& to,
                              dataplane::RouterState& state, Journal& j) {
    const auto* ifs = state.find(d.name);
    if (ifs == nullptr) {
        return;
    }
    const int ifindex = ifs->ifindex;
    const std::string what = "interface " + d.name + " ";
    for (auto s : d.settings_changed) {
        // Only the one switch the file changed; the others keep their run-time values.
        api::IfSettings cur = state.find(ifindex)->settings;
        switch (s) {
            case config::InterfaceSetting::mtu: {
                std::optional<std::uint32_t> mtu;
                if (to.mtu) {
                    mtu = static_cast<std::uint32_t>(*to.mtu);
                }
                j.note(state.set_if_mtu(ifindex, mtu), what + "mtu");
                continue;
            }
            case config::InterfaceSetting::mask_reply:
                cur.mask_reply = to.mask_reply;
                break;
            case config::InterfaceSetting::redirects:
                cur.redirects = to.redirects;
                break;
            case config::InterfaceSetting::directed_broadcast:
                cur.directed_broadcast = to.directed_broadcast;
                break;
        }
        j.note(state.set_if_settings(ifindex, cur), what + std::string(config::key_name(s)));
    }
    if (!d.igmp_changed.empty()) {
        api::IgmpSettings g = state.find(ifindex)->igmp;
        const api::IgmpSettings want = to_igmp_settings(to.igmp);
        for (auto s : d.igmp_changed) {
            switch (s) {
                case config::IgmpSetting::querier:
                    g.querier = want.querier;
                    break;
                case config::IgmpSetting::version:
                    g.version = want.version;
                    break;
                case config::IgmpSetting::query_interval:
                    g.query_interval_s = want.query_interval_s;
                    break;
                case config::IgmpSetting::query_response_interval:
                    g.query_response_interval_tenths = want.query_response_interval_tenths;
                    break;
                case config::IgmpSetting::robustness:
                    g.robustness = want.robustness;
                    break;
                case config::IgmpSetting::last_member_query_interval:
                    g.last_member_query_interval_tenths = want.last_member_query_interval_tenths;
                    break;
            }
        }
        // The IGMP settings are checked together (response below the query interval).
        j.note(state.set_if_igmp(ifindex, g), what + "igmp");
    }
}

}  // namespace

std::vector<std::string> apply_delta(const config::Config& from, const config::Config& to,
                                     dataplane::RouterState& state,
                                     std::vector<std::string>& errors) {
    const config::ConfigDelta d = config::diff(from, to);
    Journal j{errors, {}};

    // ConfigDelta's order: routes away first (their next hops may go with an address), then
    // addresses, then the new routes (their next hops may need a new address), then settings.
    for (const auto& r : d.routes_removed) {
        const std::string what = "route " + r.prefix.to_string() + " removed";
        auto spec = to_route_spec(r, state);
        if (!spec) {
            j.note(spec.error(), what);
            continue;
        }
        // Match by prefix and kind only: the run-time table may have resolved the interface.
        spec->ifindex = 0;
        Status st = state.del_static_route(*spec);
        if (!st && st.error().code == ENOENT) {
            log::info("reload: " + what + ": already gone at run time");
            continue;
        }
        j.note(st, what);
    }
    if (d.control_socket_changed) {
        log::warning("reload: control socket path changed to " + to.control.socket +
                     ": takes a restart (the running socket stays)");
    }
    for (const auto& name : d.interfaces_removed) {
        log::warning("reload: interface " + name +
                     " removed from the file: takes a restart (its port stays routed)");
    }
    for (const auto& id : d.interfaces_changed) {
        const auto* ifc = find_if(to, id.name);
        const auto* ifs = state.find(id.name);
        if (ifc == nullptr || ifs == nullptr) {
            continue;
        }
        if (!id.addresses_added.empty() || !id.addresses_removed.empty() || id.primary_changed) {
            j.note(state.set_addresses(ifs->ifindex, ifc->addresses),
                   "interface " + id.name + " addresses");
        }
    }
    for (const auto& ifc : d.interfaces_added) {
        log::warning("reload: interface " + ifc.name +
                     " added to the file: takes a restart (no port is opened on reload)");
    }
    for (const auto& r : d.routes_added) {
        const std::string what = "route " + r.prefix.to_string() + " added";
        auto spec = to_route_spec(r, state);
        if (!spec) {
            j.note(spec.error(), what);
            continue;
        }
        // The file names this prefix now: its route wins over one added at run time.
        j.note(state.replace_static_route(*spec), what);
    }
    for (const auto& c : d.routes_changed) {
        const std::string what = "route " + c.to.prefix.to_string() + " changed";
        auto spec = to_route_spec(c.to, state);
        if (!spec) {
            j.note(spec.error(), what);
            continue;
        }
        j.note(state.replace_static_route(*spec), what);
    }
    apply_ip(d, to, state, j);
    for (const auto& id : d.interfaces_changed) {
        if (const auto* ifc = find_if(to, id.name)) {
            apply_interface_settings(id, *ifc, state, j);
        }
    }
    return std::move(j.done);
}

Status Reloader::reload(dataplane::RouterState& state) {
    config::LoadResult loaded = config::load_file(path_);
    for (const auto& diag : loaded.diagnostics) {
        (diag.severity == config::Severity::error ? log::error
                                                  : log::warning)("reload: " + diag.to_string());
    }
    if (!loaded.ok()) {
        log::error("reload: " + path_ + " refused; the running configuration is kept");
        return make_error(EINVAL, path_ + ": invalid configuration, not applied");
    }
    const auto lines =
        config::describe(config::diff(current_, loaded.config), current_, loaded.config);
    std::vector<std::string> errors;
    {
        // Every change of the file lands in the master copy, then one Snapshot is published.
        const auto batch = state.batch();
        apply_delta(current_, loaded.config, state, errors);
    }
    for (const auto& l : lines) {
        log::info("reload: " + l);
    }
    for (const auto& e : errors) {
        log::error("reload: not applied: " + e);
    }
    if (lines.empty()) {
        log::info("reload: " + path_ + ": no change");
    }
    current_ = std::move(loaded.config);
    if (!errors.empty()) {
        return make_error(
            EIO, std::to_string(errors.size()) + " change(s) of the new file could not be applied");
    }
    return ok_status();
}

}  // namespace routerd::daemon
