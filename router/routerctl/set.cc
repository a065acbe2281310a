// SPDX-License-Identifier: Apache-2.0
// routerctl set and route: argument parsing and the SET_* / ROUTE_* requests.
#include "router/routerctl/set.hh"

#include "router/routerctl/show.hh"

#include <cerrno>
#include <charconv>

namespace routerd::routerctl {

namespace {

Error usage(std::string message) {
    return make_error(EINVAL, std::move(message));
}

}  // namespace

Result<bool> parse_on_off(std::string_view what, std::string_view text) {
    if (text == "on") {
        return true;
    }
    if (text == "off") {
        return false;
    }
    return usage(std::string(what) + ": expected on or off, got '" + std::string(text) + "'");
}

Result<std::int32_t> parse_int32(std::string_view what, std::string_view text) {
    std::int32_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end) {
        return usage(std::string(what) + ": expected a number, got '" + std::string(text) + "'");
    }
    return v;
}

Result<Ip4Prefix> parse_network(std::string_view text) {
    auto p = Ip4Prefix::parse(text);
    if (!p) {
        return usage("expected a prefix a.b.c.d/n, got '" + std::string(text) + "'");
    }
    if (p->has_host_bits()) {
        return usage("prefix " + std::string(text) + " has host bits set (did you mean " +
                     Ip4Prefix{p->network(), p->len}.to_string() + "?)");
    }
    return *p;
}

Result<Ip4Addr> parse_gateway(std::string_view text) {
    auto a = Ip4Addr::parse(text);
    if (!a) {
        return usage("expected a gateway address a.b.c.d, got '" + std::string(text) + "'");
    }
    return *a;
}

Result<RouteArgs> parse_route_args(std::span<const std::string> words, bool add) {
    const char* form =
        add ? "route add PREFIX via GW [dev NAME] | route add PREFIX reject|blackhole"
            : "route del PREFIX [via GW [dev NAME] | reject | blackhole]";
    if (words.empty()) {
        return usage(std::string("missing PREFIX; usage: ") + form);
    }
    auto prefix = parse_network(words[0]);
    if (!prefix) {
        return prefix.error();
    }
    RouteArgs args;
    args.prefix = *prefix;
    std::size_t i = 1;
    if (i < words.size() && (words[i] == "reject" || words[i] == "blackhole")) {
        args.kind = words[i] == "reject" ? api::RouteKind::reject : api::RouteKind::blackhole;
        ++i;
    } else if (i < words.size() && words[i] == "via") {
        if (i + 1 >= words.size()) {
            return usage("via: missing gateway address");
        }
        auto gw = parse_gateway(words[i + 1]);
        if (!gw) {
            return gw.error();
        }
        args.kind = api::RouteKind::forward;
        args.via = *gw;
        i += 2;
        if (i < words.size() && words[i] == "dev") {
            if (i + 1 >= words.size()) {
                return usage("dev: missing interface name");
            }
            args.dev = words[i + 1];
            i += 2;
        }
    } else if (add) {
        return usage(std::string("expected via GW, reject or blackhole after the prefix; usage: ") +
                     form);
    }
    if (i < words.size()) {
        return usage("unexpected '" + words[i] + "'; usage: " + form);
    }
    return args;
}

Result<InterfaceChange> parse_interface_args(std::span<const std::string> words) {
    InterfaceChange c;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "up" || w == "down") {
            c.admin = w == "up" ? api::AdminState::up : api::AdminState::down;
            continue;
        }
        std::optional<bool>* target = nullptr;
        if (w == "mask-reply") {
            target = &c.mask_reply;
        } else if (w == "redirects") {
            target = &c.redirects;
        } else if (w == "directed-broadcast") {
            target = &c.directed_broadcast;
        } else {
            return usage("unknown interface setting '" + w +
                         "' (expected up, down, mask-reply, redirects or directed-broadcast)");
        }
        if (i + 1 >= words.size()) {
            return usage(w + ": expected on or off");
        }
        auto v = parse_on_off(w, words[++i]);
        if (!v) {
            return v.error();
        }
        *target = *v;
    }
    if (c == InterfaceChange{}) {
        return usage(
            "nothing to set (expected up, down, mask-reply on|off, redirects on|off or "
            "directed-broadcast on|off)");
    }
    return c;
}

api::SetIpMiscRequest forwarding_request(bool on) {
    return api::SetIpMiscRequest{api::kIpMiscForwarding, on ? 1 : 0, 0};
}

api::SetIpMiscRequest ttl_request(std::int32_t ttl) {
    return api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, ttl};
}

Status set_ip_misc(api::Client& client, const api::SetIpMiscRequest& req) {
    auto r = request<api::SetIpMiscReply>(client, req);
    return r ? ok_status() : Status(r.error());
}

Status set_ip_settings(api::Client& client, const api::SetIpSettingsRequest& req) {
    auto r = request<api::SetIpSettingsReply>(client, req);
    return r ? ok_status() : Status(r.error());
}

Status set_interface(api::Client& client, std::string_view name, const InterfaceChange& change) {
    auto e = find_interface(client, name);
    if (!e) {
        return e.error();
    }
    if (change.mask_reply || change.redirects || change.directed_broadcast) {
        api::SetIfFlagsRequest req{e->ifindex, change.mask_reply, change.redirects,
                                   change.directed_broadcast};
        if (auto r = request<api::SetIfFlagsReply>(client, req); !r) {
            return r.error();
        }
    }
    if (change.admin) {
        api::SetIfAdminRequest req{e->ifindex, *change.admin};
        if (auto r = request<api::SetIfAdminReply>(client, req); !r) {
            return r.error();
        }
    }
    return ok_status();
}

namespace {

// RouteArgs → RouteSpec; `dev NAME` resolved through GET_IF_LIST.
Result<api::RouteSpec> to_spec(api::Client& client, const RouteArgs& args) {
    api::RouteSpec spec{args.prefix, args.via, 0, args.kind.value_or(api::RouteKind::forward)};
    if (!args.dev.empty()) {
        auto e = find_interface(client, args.dev);
        if (!e) {
            return e.error();
        }
        spec.ifindex = e->ifindex;
    }
    return spec;
}

}  // namespace

Status route_add(api::Client& client, const RouteArgs& args) {
    auto spec = to_spec(client, args);
    if (!spec) {
        return spec.error();
    }
    auto r = request<api::RouteAddReply>(client, api::RouteAddRequest{*spec});
    return r ? ok_status() : Status(r.error());
}

Status route_del(api::Client& client, const RouteArgs& args) {
    auto spec = to_spec(client, args);
    if (!spec) {
        return spec.error();
    }
    if (!args.kind) {
        // ROUTE_DEL must name the kind: take it from the route routerd has for this prefix.
        api::GetRoutesRequest q{args.prefix, false, 1};
        auto r = request<api::GetRoutesReply>(client, q);
        if (!r) {
            return r.error();
        }
        if (!r->routes.empty() && r->routes.front().prefix == args.prefix) {
            if (r->routes.front().kind == api::RouteKind::connected) {
                return make_error(EINVAL, "ROUTE_DEL: " + args.prefix.to_string() +
                                              " is a connected route (remove the interface "
                                              "address instead)");
            }
            spec->kind = r->routes.front().kind;
            // A forward route is named with its next hop (the codec's RouteSpec rule).
            if (spec->kind == api::RouteKind::forward && spec->via.is_zero()) {
                spec->via = r->routes.front().via;
            }
        }
    }
    auto r = request<api::RouteDelReply>(client, api::RouteDelRequest{*spec});
    return r ? ok_status() : Status(r.error());
}

}  // namespace routerd::routerctl
