// SPDX-License-Identifier: Apache-2.0
// IGMP interfaces: their configured settings and the groups known; SET_IGMP.
#include "router/control/router_handler.hh"

namespace routerd::control {

namespace {

api::IgmpInterface igmp_row(const dataplane::InterfaceState& i) {
    api::IgmpInterface row;
    row.ifindex = static_cast<std::uint32_t>(i.ifindex);
    row.settings = i.igmp;
    // This build's data plane runs no IGMP querier and learns no groups yet: it is not the
    // querier, knows of none, and has no members to list. Saying so is the truthful answer.
    row.is_querier = false;
    return row;
}

}  // namespace

api::ReplyBody RouterHandler::on(const api::GetIgmpGroupsRequest& m) {
    api::GetIgmpGroupsReply r;
    if (m.ifindex == 0) {
        for (const auto& i : state_.interfaces()) {
            r.interfaces.push_back(igmp_row(i));
        }
        return r;
    }
    const dataplane::InterfaceState* ifs = find(m.ifindex);
    if (ifs == nullptr) {
        return error_reply(api::MsgType::GET_IGMP_GROUPS, ENOENT,
                           "no interface with ifindex " + std::to_string(m.ifindex));
    }
    r.interfaces.push_back(igmp_row(*ifs));
    return r;
}

api::ReplyBody RouterHandler::on(const api::SetIgmpRequest& m) {
    const dataplane::InterfaceState* ifs = find(m.ifindex);
    if (ifs == nullptr) {
        return error_reply(api::MsgType::SET_IGMP, ENOENT,
                           "no interface with ifindex " + std::to_string(m.ifindex));
    }
    if (!m.querier && !m.version && !m.query_interval_s && !m.query_response_interval_tenths &&
        !m.robustness && !m.last_member_query_interval_tenths) {
        return error_reply(api::MsgType::SET_IGMP, EINVAL, "nothing to set");
    }
    // Merge, then the state checks the result as a whole (response < query interval).
    api::IgmpSettings g = ifs->igmp;
    if (m.querier) {
        g.querier = *m.querier;
    }
    if (m.version) {
        g.version = *m.version;
    }
    if (m.query_interval_s) {
        g.query_interval_s = *m.query_interval_s;
    }
    if (m.query_response_interval_tenths) {
        g.query_response_interval_tenths = *m.query_response_interval_tenths;
    }
    if (m.robustness) {
        g.robustness = *m.robustness;
    }
    if (m.last_member_query_interval_tenths) {
        g.last_member_query_interval_tenths = *m.last_member_query_interval_tenths;
    }
    if (auto st = state_.set_if_igmp(ifs->ifindex, g); !st) {
        return error_reply(api::MsgType::SET_IGMP, st.error());
    }
    return api::SetIgmpReply{};
}

}  // namespace routerd::control
