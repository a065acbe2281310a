// SPDX-License-Identifier: Apache-2.0
// Reload: config values → RouterState, and SIGHUP's "apply only what the file changed".
#pragma once

#include "router/api/messages.hh"
#include "router/base/result.hh"
#include "router/config/config.hh"
#include "router/dataplane/router_state.hh"
#include "router/inet/context.hh"

#include <string>
#include <vector>

namespace routerd::daemon {

// The YAML's values in the data plane's and the control protocol's types.
inet::IpSettings to_ip_settings(const config::IpConfig& ip);
api::IfSettings to_if_settings(const config::InterfaceConfig& ifc);
api::IgmpSettings to_igmp_settings(const config::IgmpConfig& igmp);
// A `routes[]` entry as a RouteSpec; the named interface is looked up in `state` (ENOENT).
Result<api::RouteSpec> to_route_spec(const config::RouteConfig& route,
                                     const dataplane::RouterState& state);

// Applies `diff(from, to)` to the state in ConfigDelta's order. Only what the file changed is
// touched, each setting one by one, so a value set at run time (routerctl, snmpset) survives
// unless the new file changed that same value (DESIGN.md "SIGHUP"). A route the file added
// replaces one added at run time for the same prefix; a route the file removed that is
// already gone is only noted. Interfaces added or removed need new ports: logged, not applied.
// Returns one line per change applied (for the log) and sets `errors` to the items that could
// not be applied (the rest still is).
std::vector<std::string> apply_delta(const config::Config& from, const config::Config& to,
                                     dataplane::RouterState& state,
                                     std::vector<std::string>& errors);

// SIGHUP: the file the running state came from, and how to move to the file's new version.
class Reloader {
public:
    Reloader(std::string path, config::Config current)
        : path_(std::move(path)), current_(std::move(current)) {}

    // Loads and validates the file. Invalid or unreadable: every diagnostic is logged, the
    // running state and the remembered file are kept, and the error says so. Valid: the delta
    // between the remembered file and the new one is applied and the new file remembered.
    Status reload(dataplane::RouterState& state);

    const config::Config& current() const { return current_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    config::Config current_;
};

}  // namespace routerd::daemon
