// SPDX-License-Identifier: Apache-2.0
// Route vocabulary: text forms for logs, routerctl and test failure messages.
#include "router/fib/route.hh"

namespace routerd::fib {

std::string to_string(NextHopKind kind) {
    switch (kind) {
        case NextHopKind::forward:
            return "forward";
        case NextHopKind::local:
            return "local";
        case NextHopKind::reject:
            return "reject";
        case NextHopKind::blackhole:
            return "blackhole";
    }
    return "?";
}

std::string to_string(const NextHop& nh) {
    switch (nh.kind) {
        case NextHopKind::forward:
            if (nh.gateway.is_zero()) {
                return "dev " + std::to_string(nh.ifindex);
            }
            return "via " + nh.gateway.to_string() + " dev " + std::to_string(nh.ifindex);
        case NextHopKind::local:
            return "local dev " + std::to_string(nh.ifindex);
        case NextHopKind::reject:
        case NextHopKind::blackhole:
            return to_string(nh.kind);
    }
    return "?";
}

std::string to_string(RouteSource source) {
    switch (source) {
        case RouteSource::connected:
            return "connected";
        case RouteSource::static_route:
            return "static";
    }
    return "?";
}

}  // namespace routerd::fib
