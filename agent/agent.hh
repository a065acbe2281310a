// SPDX-License-Identifier: Apache-2.0
// Agent: owns the routerd Source, the MIB providers and their registrations, and the SET_MGMT
// link-event subscription that becomes linkUp/linkDown notifications.
#pragma once

#include "agent/mib/mib2_ip.hh"
#include "agent/snmp/asio.hh"
#include "agent/snmp/loop.hh"
#include "agent/source/source.hh"
#include "agent/traps/link_traps.hh"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace routerd::agent {

struct AgentOptions {
    std::string control_socket = "/run/routerd/control.sock";
    /// How long one snapshot of routerd data answers requests (one walk = one snapshot).
    std::chrono::milliseconds cache{1000};
    /// Per-request wait on routerd: well inside snmpd's default agentXTimeout of 1 s.
    std::chrono::milliseconds routerd_timeout{300};
    int priority = 100;
    std::uint32_t route_page = 256;
};

class Agent {
public:
    Agent(boost::asio::io_context& io, SnmpLoop& loop, AgentOptions opts);
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    /// Registers every subtree with Net-SNMP (before init_snmp connects to the master).
    void register_all();
    /// Starts the link-event subscription (reconnects by itself with backoff).
    void start_events();

private:
    void register_writers();
    void connect_events();
    void arm_events();
    void on_event_readable();
    void retry_events_later();

    boost::asio::io_context& io_;
    SnmpLoop& loop_;
    AgentOptions opts_;
    Source source_;
    RoutePager pager_;
    std::shared_ptr<class CachedRows> ip_scalars_;
    std::shared_ptr<CachedRows> if_rows_;
    std::shared_ptr<CachedRows> rd_rows_;
    std::shared_ptr<CachedRows> igmp_rows_;

    // The SET_MGMT connection: its own Client, watched by Asio, never used for requests.
    std::optional<api::Client> events_;
    std::unique_ptr<boost::asio::posix::stream_descriptor> events_fd_;
    boost::asio::steady_timer events_retry_;
    std::chrono::milliseconds events_backoff_{250};
    LinkTrapFilter trap_filter_;
};

}  // namespace routerd::agent
