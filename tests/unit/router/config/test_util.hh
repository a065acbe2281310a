// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the config tests: a two-port base file and diagnostics as printed lines.
#pragma once

#include "router/config/load.hh"

#include <string>
#include <string_view>
#include <vector>

namespace routerd::config::test {

// Two routed ports; tests append keys or sections to it.
inline constexpr std::string_view kTwoPorts =
    "interfaces:\n"
    "  - name: eth1\n"
    "    addresses: [198.18.0.254/24]\n"
    "  - name: eth2\n"
    "    addresses: [198.19.0.254/24]\n";

// Diagnostics as printed by routerd --check-config.
inline std::vector<std::string> lines(const LoadResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) {
        out.push_back(d.to_string());
    }
    return out;
}

// Every diagnostic of `yaml` loaded as "t.yaml".
inline std::vector<std::string> check(std::string_view yaml) {
    return lines(load_from_string(yaml, "t.yaml"));
}

// kTwoPorts followed by `more`.
inline std::vector<std::string> check_with_ports(std::string_view more) {
    return check(std::string(kTwoPorts) + std::string(more));
}

// One interface whose igmp mapping holds `block` (e.g. "version: 3, robustness: 1").
inline std::vector<std::string> igmp(const std::string& block) {
    return check("interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n    igmp: {" +
                 block + "}\n");
}

}  // namespace routerd::config::test
