// SPDX-License-Identifier: Apache-2.0
// SET_IP_MISC, SET_IP_SETTINGS, the route table (paged, add, delete) and the ARP table.
#include "router/api/codec.hh"
#include "router/control/router_handler.hh"

#include <algorithm>
#include <tuple>

namespace routerd::control {

api::ReplyBody RouterHandler::on(const api::SetIpMiscRequest& m) {
    // The seed's ip_misc: arg 1 sets ip_forwarding, arg 2 ip_default_ttl; anything else,
    // a value out of range or no argument at all is EINVAL (DESIGN.md). The codec refuses the
    // same on decode; checked again here so the rule holds for every caller of the handler.
    if (auto st = api::validate_ip_misc(m); !st) {
        return error_reply(api::MsgType::SET_IP_MISC, st.error());
    }
    Status st = m.arg == api::kIpMiscForwarding ? state_.set_forwarding(m.ip_forwarding == 1)
                                                : state_.set_default_ttl(m.ip_default_ttl);
    if (!st) {
        return error_reply(api::MsgType::SET_IP_MISC, st.error());
    }
    return api::SetIpMiscReply{};
}

api::ReplyBody RouterHandler::on(const api::SetIpSettingsRequest& m) {
    if (!m.ip_sendredirects && !m.source_route && !m.ipq_ttl) {
        return error_reply(api::MsgType::SET_IP_SETTINGS, EINVAL, "nothing to set");
    }
    inet::IpSettings ip = state_.ip();
    if (m.ip_sendredirects) {
        ip.send_redirects = *m.ip_sendredirects;
    }
    if (m.source_route) {
        ip.source_route = *m.source_route;
    }
    if (m.ipq_ttl) {
        if (*m.ipq_ttl < 1 || *m.ipq_ttl > dataplane::kMaxReassemblyTimeoutS) {
            return error_reply(api::MsgType::SET_IP_SETTINGS, EINVAL,
                               "ipq_ttl " + std::to_string(*m.ipq_ttl) + " is not 1-" +
                                   std::to_string(dataplane::kMaxReassemblyTimeoutS));
        }
        ip.reassembly_timeout_s = static_cast<std::uint32_t>(*m.ipq_ttl);
    }
    // All given values at once, in one snapshot.
    if (auto st = state_.set_ip(ip); !st) {
        return error_reply(api::MsgType::SET_IP_SETTINGS, st.error());
    }
    return api::SetIpSettingsReply{};
}

api::ReplyBody RouterHandler::on(const api::GetRoutesRequest& m) {
    if (m.max_count < 1 || m.max_count > api::kMaxRoutesPerPage || m.start.len > 32 ||
        m.start.has_host_bits()) {
        return error_reply(api::MsgType::GET_ROUTES, EINVAL, "bad route cursor or page size");
    }
    api::GetRoutesReply r;
    r.routes = state_.routes(m.start, m.after, m.max_count, &r.more);
    r.route_count = static_cast<std::uint32_t>(state_.route_count());
    return r;
}

api::ReplyBody RouterHandler::on(const api::RouteAddRequest& m) {
    if (auto st = state_.add_static_route(m.route); !st) {
        return error_reply(api::MsgType::ROUTE_ADD, st.error());
    }
    return api::RouteAddReply{};
}

api::ReplyBody RouterHandler::on(const api::RouteDelRequest& m) {
    if (auto st = state_.del_static_route(m.route); !st) {
        return error_reply(api::MsgType::ROUTE_DEL, st.error());
    }
    return api::RouteDelReply{};
}

api::ReplyBody RouterHandler::on(const api::GetArpRequest& m) {
    if (m.max_count < 1 || m.max_count > api::kMaxArpPerPage) {
        return error_reply(api::MsgType::GET_ARP, EINVAL, "bad page size");
    }
    // The ARP caches live on the workers (their Context): ask each, merge in cursor order.
    std::vector<api::ArpEntry> all;
    for (auto* w : workers_) {
        auto part = w->arp_dump(opts_.worker_timeout);
        if (!part) {
            return error_reply(api::MsgType::GET_ARP, part.error());
        }
        all.insert(all.end(), part->begin(), part->end());
    }
    auto less = [](const api::ArpEntry& a, const api::ArpEntry& b) {
        return std::tie(a.ifindex, a.addr) < std::tie(b.ifindex, b.addr);
    };
    std::sort(all.begin(), all.end(), less);
    const auto cursor = std::make_tuple(m.start_ifindex, m.start_addr);
    auto it = std::find_if(all.begin(), all.end(), [&](const api::ArpEntry& e) {
        const auto k = std::make_tuple(e.ifindex, e.addr);
        return m.after ? k > cursor : k >= cursor;
    });
    api::GetArpReply r;
    for (; it != all.end() && r.entries.size() < m.max_count; ++it) {
        r.entries.push_back(*it);
    }
    r.more = it != all.end();
    return r;
}

}  // namespace routerd::control
