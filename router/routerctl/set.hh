// SPDX-License-Identifier: Apache-2.0
// routerctl set and route: argument parsing (pure) and the SET_* / ROUTE_* requests.
#pragma once

#include "router/api/client.hh"
#include "router/api/messages.hh"
#include "router/base/ip4.hh"
#include "router/base/result.hh"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace routerd::routerctl {

// Parsers: an Error here is a usage error (exit 2), its message says what was expected.

// "on" | "off".
Result<bool> parse_on_off(std::string_view what, std::string_view text);
// A decimal int32 with an optional sign ("-1", "0", "256"): no range check beyond int32, so
// routerd (or the codec) judges the value; anything else is a usage error.
Result<std::int32_t> parse_int32(std::string_view what, std::string_view text);
// A network prefix "a.b.c.d/n" without host bits.
Result<Ip4Prefix> parse_network(std::string_view text);
// A dotted-quad gateway address.
Result<Ip4Addr> parse_gateway(std::string_view text);

// `route add|del` words after the command:
//   add: PREFIX via GW [dev NAME] | PREFIX reject | PREFIX blackhole
//   del: PREFIX [via GW [dev NAME] | reject | blackhole]  (kind unset: looked up in routerd)
struct RouteArgs {
    Ip4Prefix prefix;
    std::optional<api::RouteKind> kind;
    Ip4Addr via;
    std::string dev;  // "" for none
    friend bool operator==(const RouteArgs&, const RouteArgs&) = default;
};
Result<RouteArgs> parse_route_args(std::span<const std::string> words, bool add);

// `set interface NAME` words: any of up | down | mask-reply on|off | redirects on|off |
// directed-broadcast on|off, at least one.
struct InterfaceChange {
    std::optional<api::AdminState> admin;
    std::optional<bool> mask_reply;
    std::optional<bool> redirects;
    std::optional<bool> directed_broadcast;
    friend bool operator==(const InterfaceChange&, const InterfaceChange&) = default;
};
Result<InterfaceChange> parse_interface_args(std::span<const std::string> words);

// SET_IP_MISC bodies: arg 1 (forwarding) and arg 2 (default TTL, passed through unchecked).
api::SetIpMiscRequest forwarding_request(bool on);
api::SetIpMiscRequest ttl_request(std::int32_t ttl);

// The requests; an Error is routerd's refusal or a failed connection (exit 1).
Status set_ip_misc(api::Client& client, const api::SetIpMiscRequest& req);
Status set_ip_settings(api::Client& client, const api::SetIpSettingsRequest& req);
Status set_interface(api::Client& client, std::string_view name, const InterfaceChange& change);
Status route_add(api::Client& client, const RouteArgs& args);
Status route_del(api::Client& client, const RouteArgs& args);

}  // namespace routerd::routerctl
