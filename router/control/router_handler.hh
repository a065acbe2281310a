// SPDX-License-Identifier: Apache-2.0
// RouterHandler: answers every control request from routerd's RouterState and its workers.
#pragma once

#include "router/api/messages.hh"
#include "router/base/clock.hh"
#include "router/base/result.hh"
#include "router/control/handler.hh"
#include "router/dataplane/router_state.hh"
#include "router/dataplane/worker.hh"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace routerd::control {

struct RouterHandlerOptions {
    std::string server_name = "routerd";  // HELLO's server name ("routerd 0.1.0")
    std::uint64_t start_time_ns = 0;      // unix time routerd started (HELLO)
    // Longest wait for a worker's answer (ARP table); a stuck worker gives ETIMEDOUT.
    Duration worker_timeout = std::chrono::seconds(1);
};

// The daemon's Handler (router/control/handler.hh). It runs on the control thread, the owner of
// RouterState, so each reply reads one consistent state; counters are summed from every
// worker's blocks at the time of the request. Every field a request carries is checked here
// too (the codec checks ranges; this checks them against the state): ENOENT an unknown
// interface or route, EEXIST a route that exists, EINVAL a value the state refuses, ENOSPC a
// full table, ENETUNREACH a next hop on no connected subnet.
// Split per ARCHITECTURE.md section 11: stats.cc, ip.cc, iface.cc, igmp.cc.
class RouterHandler final : public Handler {
public:
    RouterHandler(dataplane::RouterState& state, std::vector<dataplane::Worker*> workers,
                  RouterHandlerOptions opts = {});

    api::ReplyBody handle(const api::RequestBody& request) override;

private:
    // router_handler.cc
    api::ReplyBody on(const api::HelloRequest& m);
    api::ReplyBody on(const api::SetMgmtRequest& m);
    // stats.cc
    api::ReplyBody on(const api::GetIpStuffRequest& m);
    api::ReplyBody on(const api::GetIcmpStatRequest& m);
    api::ReplyBody on(const api::GetIgmpStatRequest& m);
    api::ReplyBody on(const api::GetIfreqAllRequest& m);
    // ip.cc
    api::ReplyBody on(const api::SetIpMiscRequest& m);
    api::ReplyBody on(const api::SetIpSettingsRequest& m);
    api::ReplyBody on(const api::GetRoutesRequest& m);
    api::ReplyBody on(const api::RouteAddRequest& m);
    api::ReplyBody on(const api::RouteDelRequest& m);
    api::ReplyBody on(const api::GetArpRequest& m);
    // iface.cc
    api::ReplyBody on(const api::GetIfListRequest& m);
    api::ReplyBody on(const api::SetIfAdminRequest& m);
    api::ReplyBody on(const api::SetIfFlagsRequest& m);
    // igmp.cc
    api::ReplyBody on(const api::GetIgmpGroupsRequest& m);
    api::ReplyBody on(const api::SetIgmpRequest& m);

    const dataplane::InterfaceState* find(std::uint32_t ifindex) const;

    dataplane::RouterState& state_;
    std::vector<dataplane::Worker*> workers_;
    std::vector<const inet::Stats*> stats_;  // one per worker, for stats_collect
    RouterHandlerOptions opts_;
};

// The ErrorReply for a refused request of `type` (the server fills in nothing more).
api::ReplyBody error_reply(api::MsgType type, const Error& error);
api::ReplyBody error_reply(api::MsgType type, int code, std::string message);

}  // namespace routerd::control
