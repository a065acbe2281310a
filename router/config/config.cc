// SPDX-License-Identifier: Apache-2.0
// The YAML key of each setting, for messages and reload logs.
#include "router/config/config.hh"

namespace routerd::config {

std::string_view key_name(IpSetting s) {
    switch (s) {
        case IpSetting::forwarding:
            return "forwarding";
        case IpSetting::default_ttl:
            return "default-ttl";
        case IpSetting::reassembly_timeout:
            return "reassembly-timeout";
        case IpSetting::send_redirects:
            return "send-redirects";
        case IpSetting::source_route:
            return "source-route";
    }
    return "?";
}

std::string_view key_name(InterfaceSetting s) {
    switch (s) {
        case InterfaceSetting::mtu:
            return "mtu";
        case InterfaceSetting::mask_reply:
            return "mask-reply";
        case InterfaceSetting::redirects:
            return "redirects";
        case InterfaceSetting::directed_broadcast:
            return "directed-broadcast";
    }
    return "?";
}

std::string_view key_name(IgmpSetting s) {
    switch (s) {
        case IgmpSetting::querier:
            return "querier";
        case IgmpSetting::version:
            return "version";
        case IgmpSetting::query_interval:
            return "query-interval";
        case IgmpSetting::query_response_interval:
            return "query-response-interval";
        case IgmpSetting::robustness:
            return "robustness";
        case IgmpSetting::last_member_query_interval:
            return "last-member-query-interval";
    }
    return "?";
}

}  // namespace routerd::config
