// SPDX-License-Identifier: Apache-2.0
// RouterHandler: dispatch by request type; HELLO; errors as replies.
#include "router/control/router_handler.hh"

#include <type_traits>
#include <utility>

namespace routerd::control {

api::ReplyBody error_reply(api::MsgType type, const Error& error) {
    return api::ErrorReply{type, error.code > 0 ? error.code : EINVAL,
                           error.message.substr(0, api::kMaxErrorMessageLen)};
}

api::ReplyBody error_reply(api::MsgType type, int code, std::string message) {
    return error_reply(type, make_error(code, std::move(message)));
}

RouterHandler::RouterHandler(dataplane::RouterState& state, std::vector<dataplane::Worker*> workers,
                             RouterHandlerOptions opts)
    : state_(state), workers_(std::move(workers)), opts_(std::move(opts)) {
    for (const auto* w : workers_) {
        stats_.push_back(&w->stats());
    }
}

api::ReplyBody RouterHandler::handle(const api::RequestBody& request) {
    return std::visit([this](const auto& m) { return on(m); }, request);
}

api::ReplyBody RouterHandler::on(const api::HelloRequest&) {
    return api::HelloReply{opts_.server_name, opts_.start_time_ns};
}

api::ReplyBody RouterHandler::on(const api::SetMgmtRequest&) {
    // ControlServer answers SET_MGMT itself (it owns the subscriptions).
    return error_reply(api::MsgType::SET_MGMT, ENOTSUP, "SET_MGMT is handled by the server");
}

const dataplane::InterfaceState* RouterHandler::find(std::uint32_t ifindex) const {
    if (ifindex == 0 || ifindex > static_cast<std::uint32_t>(INT32_MAX)) {
        return nullptr;
    }
    return state_.find(static_cast<int>(ifindex));
}

}  // namespace routerd::control
