// SPDX-License-Identifier: Apache-2.0
// Source: routerd's data for the MIB code, over one blocking api::Client that reconnects itself.
#pragma once

#include "router/api/client.hh"
#include "router/api/messages.hh"
#include "router/base/result.hh"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace routerd::agent {

/// Everything about the interfaces at one moment: GET_IF_LIST plus each one's GET_IFREQ_ALL.
struct InterfaceView {
    api::IfListEntry entry;
    api::IfreqAll ifreq;
};

/// Request/response access to routerd's control socket. Calls run inside SNMP request
/// processing, so every wait is short (`timeout`, well below snmpd's 1 s agentXTimeout); when
/// routerd is away each call fails at once and the next one tries to connect again.
class Source {
public:
    Source(std::string socket_path, std::chrono::milliseconds timeout)
        : path_(std::move(socket_path)), timeout_(timeout) {}

    /// Sends `body`; on a broken connection reconnects once and retries.
    Result<api::ReplyBody> call(const api::RequestBody& body);
    template <typename T>
    Result<T> call_as(const api::RequestBody& body) {
        return api::reply_as<T>(call(body));
    }

    Result<api::IpStuff> ip_stuff();
    Result<api::IcmpStat> icmp_stat();
    Result<api::IgmpStat> igmp_stat();
    Result<std::vector<InterfaceView>> interfaces();
    /// Every interface's IGMP state (one request; per interface when that does not fit).
    Result<std::vector<api::IgmpInterface>> igmp();
    /// The whole ARP cache, page by page (bounded).
    Result<std::vector<api::ArpEntry>> arp();
    /// One page of routes from `start` (strictly after it when `after`).
    Result<api::GetRoutesReply> routes(const Ip4Prefix& start, bool after, std::uint32_t max);

    bool connected() const { return client_.has_value(); }
    /// routerd's start time (HELLO), unix ns; 0 before the first connection.
    std::uint64_t routerd_start_ns() const { return start_ns_; }

private:
    Status ensure_connected();

    std::string path_;
    std::chrono::milliseconds timeout_;
    std::optional<api::Client> client_;
    std::uint64_t start_ns_ = 0;
    // After a timed-out exchange (routerd hung, not gone): fail at once until then, so one SNMP
    // request cannot stack several timeouts past snmpd's agentXTimeout.
    std::chrono::steady_clock::time_point hold_off_until_{};
};

/// True for errors that mean the connection is gone (reconnect), false for routerd's own
/// refusals (an ErrorReply's errno, e.g. EINVAL for a value it will not take).
bool is_connection_error(int code);

}  // namespace routerd::agent
