// SPDX-License-Identifier: Apache-2.0
// routerd's entry point: the flags of DESIGN.md, then --check-config or the daemon itself.
#include "router/base/log.hh"
#include "router/config/load.hh"
#include "router/config/validate.hh"
#include "router/daemon/routerd.hh"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

namespace {

// Exit statuses: 1 means "the configuration is invalid" and nothing else (DESIGN.md), so
// command-line mistakes get 2; the daemon's start-up failures have their own (routerd.hh).
using routerd::daemon::kExitConfigInvalid;
using routerd::daemon::kExitOk;
constexpr int kExitUsage = 2;

constexpr int kExitInternal = 70;  // sysexits.h EX_SOFTWARE: a bug, not the user's mistake

constexpr const char* kDefaultConfig = "/etc/routerd/routerd.yaml";

// --check-config: load and validate, print every diagnostic, touch nothing else.
int check_config(const std::string& path) {
    routerd::config::LoadResult result = routerd::config::load_file(path);
    for (const auto& d : result.diagnostics) {
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    }
    if (!result.ok()) {
        return kExitConfigInvalid;
    }
    std::printf("%s: OK\n", path.c_str());
    return kExitOk;
}

int run(int argc, char** argv) {
    CLI::App app{"routerd: user-space IPv4 router managed over SNMP", "routerd"};
    std::string config_path = kDefaultConfig;
    bool check = false;
    std::string control_socket;
    std::string log_level = "info";
    app.add_option("--config", config_path, "YAML configuration file")
        ->capture_default_str()
        ->type_name("FILE");
    app.add_flag("--check-config", check,
                 "validate the configuration, print each error as FILE:LINE:COL: message, exit "
                 "1 if there is any");
    app.add_option("--control-socket", control_socket,
                   "control socket path (default /run/routerd/control.sock; overrides the YAML)")
        ->type_name("PATH")
        ->check([](const std::string& path) {
            return routerd::config::check_control_socket(path).value_or(std::string());
        });
    app.add_option("--log-level", log_level, "debug, info, warning or error")
        ->capture_default_str()
        ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
    app.set_version_flag("--version", std::string("routerd ") + ROUTERD_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);  // prints help/version to stdout, errors to stderr
        return rc == 0 ? kExitOk : kExitUsage;
    }
    if (auto level = routerd::log::parse_level(log_level)) {
        routerd::log::set_level(*level);
    }
    if (check) {
        return check_config(config_path);
    }
    routerd::daemon::DaemonOptions opts;
    opts.config_path = config_path;
    if (!control_socket.empty()) {
        opts.control_socket = control_socket;
    }
    return routerd::daemon::run_daemon(opts);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "routerd: internal error: %s\n", e.what());
        return kExitInternal;
    }
}
