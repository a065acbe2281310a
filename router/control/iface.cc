// SPDX-License-Identifier: Apache-2.0
// The interface list, admin up/down and the per-interface switches.
#include "router/control/router_handler.hh"

#include <algorithm>

namespace routerd::control {

api::ReplyBody RouterHandler::on(const api::GetIfListRequest&) {
    api::GetIfListReply r;
    for (const auto& i : state_.interfaces()) {
        api::IfListEntry e;
        e.ifindex = static_cast<std::uint32_t>(i.ifindex);
        e.name = i.name;
        e.mac = i.mac;
        e.mtu = i.effective_mtu();
        e.flags = i.if_flags();
        e.admin = i.admin_up ? api::AdminState::up : api::AdminState::down;
        e.oper = i.oper_state();
        e.settings = i.settings;
        e.speed_bps = 0;  // veth and virtio report none that means anything
        e.last_change_ns = i.last_change_ns;
        r.interfaces.push_back(std::move(e));
    }
    std::sort(
        r.interfaces.begin(), r.interfaces.end(),
        [](const api::IfListEntry& a, const api::IfListEntry& b) { return a.ifindex < b.ifindex; });
    return r;
}

api::ReplyBody RouterHandler::on(const api::SetIfAdminRequest& m) {
    if (find(m.ifindex) == nullptr) {
        return error_reply(api::MsgType::SET_IF_ADMIN, ENOENT,
                           "no interface with ifindex " + std::to_string(m.ifindex));
    }
    // The state emits the link event (SET_MGMT subscribers, router-agent's traps).
    if (auto st = state_.set_if_admin(static_cast<int>(m.ifindex), m.admin == api::AdminState::up);
        !st) {
        return error_reply(api::MsgType::SET_IF_ADMIN, st.error());
    }
    return api::SetIfAdminReply{};
}

api::ReplyBody RouterHandler::on(const api::SetIfFlagsRequest& m) {
    if (!m.mask_reply && !m.redirects && !m.directed_broadcast) {
        return error_reply(api::MsgType::SET_IF_FLAGS, EINVAL, "nothing to set");
    }
    const dataplane::InterfaceState* ifs = find(m.ifindex);
    if (ifs == nullptr) {
        return error_reply(api::MsgType::SET_IF_FLAGS, ENOENT,
                           "no interface with ifindex " + std::to_string(m.ifindex));
    }
    api::IfSettings s = ifs->settings;
    if (m.mask_reply) {
        s.mask_reply = *m.mask_reply;
    }
    if (m.redirects) {
        s.redirects = *m.redirects;
    }
    if (m.directed_broadcast) {
        s.directed_broadcast = *m.directed_broadcast;
    }
    if (auto st = state_.set_if_settings(ifs->ifindex, s); !st) {
        return error_reply(api::MsgType::SET_IF_FLAGS, st.error());
    }
    return api::SetIfFlagsReply{};
}

}  // namespace routerd::control
