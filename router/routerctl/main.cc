// SPDX-License-Identifier: Apache-2.0
// routerctl: the operator CLI over routerd's control socket (DESIGN.md "routerctl").
#include "router/api/client.hh"
#include "router/routerctl/format.hh"
#include "router/routerctl/set.hh"
#include "router/routerctl/show.hh"

#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace routerd::routerctl {
namespace {

constexpr const char* kDefaultSocket = "/run/routerd/control.sock";

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) {
    g_stop = 1;
}

// SIGINT/SIGTERM end `monitor` cleanly; no SA_RESTART so a waiting poll() returns at once.
void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

// A parsed command: what to run once connected.
using Action = std::function<Status(api::Client&, const Output&)>;

// Turns a parser's Error into a usage error CLI11 reports (exit 2).
template <typename T>
T need(Result<T> r) {
    if (!r) {
        throw CLI::ValidationError(r.error().message);
    }
    return std::move(r).value();
}

int run(int argc, char** argv) {
    CLI::App app{
        "routerctl: show and change routerd's state over its control socket.\n"
        "Exit status: 0 ok, 1 routerd refused or failed, 2 usage error, 3 cannot connect."};
    app.name("routerctl");
    app.fallthrough();  // global flags are accepted after the command too
    app.require_subcommand(1);

    std::string socket_path = kDefaultSocket;
    bool json = false;
    int timeout_ms = 5000;
    app.add_option("--control-socket", socket_path,
                   "routerd's control socket (env ROUTERD_CONTROL_SOCKET)")
        ->envname("ROUTERD_CONTROL_SOCKET")
        ->capture_default_str();
    app.add_flag("--json", json,
                 "print one JSON document keyed by seed names (monitor: JSON Lines)");
    app.add_option("--timeout", timeout_ms, "milliseconds to wait for routerd per request")
        ->check(CLI::Range(1, 3600000))
        ->capture_default_str();

    Action action;
    bool is_monitor = false;

    // show ...
    auto* show = app.add_subcommand("show", "print routerd's state (text tables, or --json)");
    show->require_subcommand(1);
    show->add_subcommand("ip", "IP settings from ip_stuff (GET_IP_STUFF)")->callback([&] {
        action = [](api::Client& c, const Output& o) { return show_ip(c, o); };
    });
    auto* show_if = show->add_subcommand(
        "interfaces", "interfaces (ifreq_all); with NAME every counter and address of one");
    std::string if_name;
    show_if->add_option("NAME", if_name, "one interface, in detail");
    show_if->callback([&] {
        std::optional<std::string> name;
        if (!if_name.empty()) {
            name = if_name;
        }
        action = [name](api::Client& c, const Output& o) { return show_interfaces(c, o, name); };
    });
    show->add_subcommand("routes", "the route table (GET_ROUTES, every page)")->callback([&] {
        action = [](api::Client& c, const Output& o) { return show_routes(c, o); };
    });
    show->add_subcommand("arp", "the ARP cache (GET_ARP, every page)")->callback([&] {
        action = [](api::Client& c, const Output& o) { return show_arp(c, o); };
    });
    show->add_subcommand("igmp", "per interface: IGMP querier state and groups with timers")
        ->callback(
            [&] { action = [](api::Client& c, const Output& o) { return show_igmp(c, o); }; });
    auto* show_stats_cmd =
        show->add_subcommand("stats", "statistics by their seed names: ip|icmp|igmp|route");
    std::string group;
    show_stats_cmd->add_option("GROUP", group, "ip (ipstat), icmp, igmp or route (rtstat)")
        ->required()
        ->check(CLI::IsMember({"ip", "icmp", "igmp", "route"}));
    show_stats_cmd->callback([&] {
        StatsGroup g = group == "ip"     ? StatsGroup::ip
                       : group == "icmp" ? StatsGroup::icmp
                       : group == "igmp" ? StatsGroup::igmp
                                         : StatsGroup::route;
        action = [g](api::Client& c, const Output& o) { return show_stats(c, o, g); };
    });

    // set ...
    auto* set = app.add_subcommand("set", "change a setting");
    set->require_subcommand(1);
    auto* set_ip = set->add_subcommand("ip", "global IP settings");
    set_ip->require_subcommand(1);
    std::string state;
    auto* fwd = set_ip->add_subcommand("forwarding", "ip_forwarding on|off (SET_IP_MISC arg 1)");
    fwd->add_option("STATE", state, "on or off")->required();
    fwd->callback([&] {
        auto req = forwarding_request(need(parse_on_off("forwarding", state)));
        action = [req](api::Client& c, const Output&) { return set_ip_misc(c, req); };
    });
    std::string number;
    auto* ttl =
        set_ip->add_subcommand("ttl", "ip_default_ttl (SET_IP_MISC arg 2; routerd checks 1-255)");
    ttl->add_option("N", number, "the default TTL")->required();
    ttl->callback([&] {
        auto req = ttl_request(need(parse_int32("ttl", number)));
        action = [req](api::Client& c, const Output&) { return set_ip_misc(c, req); };
    });
    auto* redir =
        set_ip->add_subcommand("send-redirects", "ip_sendredirects on|off (SET_IP_SETTINGS)");
    redir->add_option("STATE", state, "on or off")->required();
    redir->callback([&] {
        api::SetIpSettingsRequest req;
        req.ip_sendredirects = need(parse_on_off("send-redirects", state));
        action = [req](api::Client& c, const Output&) { return set_ip_settings(c, req); };
    });
    auto* srcrt =
        set_ip->add_subcommand("source-route", "process LSRR/SSRR on|off (SET_IP_SETTINGS)");
    srcrt->add_option("STATE", state, "on or off")->required();
    srcrt->callback([&] {
        api::SetIpSettingsRequest req;
        req.source_route = need(parse_on_off("source-route", state));
        action = [req](api::Client& c, const Output&) { return set_ip_settings(c, req); };
    });
    auto* reasm = set_ip->add_subcommand("reassembly-timeout",
                                         "ipq_ttl in seconds (SET_IP_SETTINGS; routerd checks)");
    reasm->add_option("SECONDS", number, "reassembly timeout")->required();
    reasm->callback([&] {
        api::SetIpSettingsRequest req;
        req.ipq_ttl = need(parse_int32("reassembly-timeout", number));
        action = [req](api::Client& c, const Output&) { return set_ip_settings(c, req); };
    });
    auto* set_if = set->add_subcommand(
        "interface",
        "NAME up|down | mask-reply on|off | redirects on|off | directed-broadcast on|off ...");
    std::string set_if_name;
    std::vector<std::string> if_words;
    set_if->add_option("NAME", set_if_name, "the interface")->required();
    set_if->add_option("SETTING", if_words, "up, down, mask-reply on|off, redirects on|off, ...")
        ->required();
    set_if->callback([&] {
        auto change = need(parse_interface_args(if_words));
        action = [change, name = set_if_name](api::Client& c, const Output&) {
            return set_interface(c, name, change);
        };
    });

    // route ...
    auto* route = app.add_subcommand("route", "add or delete a static route");
    route->require_subcommand(1);
    std::vector<std::string> route_words;
    auto* radd = route->add_subcommand(
        "add", "PREFIX via GW [dev NAME] | PREFIX reject | PREFIX blackhole (ROUTE_ADD)");
    radd->add_option("ARGS", route_words, "PREFIX via GW [dev NAME] | PREFIX reject|blackhole")
        ->required();
    radd->callback([&] {
        auto args = need(parse_route_args(route_words, true));
        action = [args](api::Client& c, const Output&) { return route_add(c, args); };
    });
    auto* rdel =
        route->add_subcommand("del", "PREFIX [via GW [dev NAME] | reject | blackhole] (ROUTE_DEL)");
    rdel->add_option("ARGS", route_words, "PREFIX [via GW [dev NAME] | reject | blackhole]")
        ->required();
    rdel->callback([&] {
        auto args = need(parse_route_args(route_words, false));
        action = [args](api::Client& c, const Output&) { return route_del(c, args); };
    });

    // monitor
    auto* mon = app.add_subcommand(
        "monitor", "print link events as they come (SET_MGMT); --json prints JSON Lines");
    std::uint64_t count = 0;
    double timeout_s = 0;
    auto* count_opt =
        mon->add_option("--count", count, "stop after N events")->check(CLI::PositiveNumber);
    auto* limit_opt = mon->add_option("--timeout-s", timeout_s, "stop after S seconds")
                          ->check(CLI::Range(0.001, 31536000.0));
    mon->callback([&] {
        is_monitor = true;
        MonitorOptions m;
        if (count_opt->count() > 0) {
            m.count = count;
        }
        if (limit_opt->count() > 0) {
            m.limit = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000));
        }
        m.stop = &g_stop;
        action = [m](api::Client& c, const Output& o) { return monitor(c, o, m); };
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {
            return app.exit(e);  // --help
        }
        std::cerr << "routerctl: " << e.what() << "\nRun with --help for more information.\n";
        return kExitUsage;
    }
    if (!action) {
        std::cerr << "routerctl: no command given\nRun with --help for more information.\n";
        return kExitUsage;
    }

    std::chrono::milliseconds timeout{timeout_ms};
    if (is_monitor) {
        install_stop_handlers();
    }
    auto client = api::Client::connect(socket_path, timeout);
    if (!client) {
        std::cerr << format_error(client.error()) << '\n';
        return kExitNoConnect;
    }
    Output out{std::cout, json};
    if (auto st = action(*client, out); !st) {
        std::cout.flush();
        std::cerr << format_error(st.error()) << '\n';
        return kExitFailed;
    }
    return kExitOk;
}

}  // namespace
}  // namespace routerd::routerctl

int main(int argc, char** argv) {
    try {
        return routerd::routerctl::run(argc, argv);
    } catch (const std::exception& e) {
        // std::bad_alloc and the like: nothing sensible is left to do but say so.
        std::cerr << "routerctl: " << e.what() << '\n';
        return routerd::routerctl::kExitFailed;
    }
}
