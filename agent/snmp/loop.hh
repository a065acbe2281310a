// SPDX-License-Identifier: Apache-2.0
// SnmpLoop: Net-SNMP driven from a Boost.Asio io_context on one thread (ARCHITECTURE.md 12, D6
// option A; SNMP-AGENT.md 2.2). The only file that knows how Net-SNMP is driven.
#pragma once

#include "agent/snmp/asio.hh"

#include <cstdint>
#include <map>
#include <memory>
#include <sys/types.h>

namespace routerd::agent {

class SnmpLoop {
public:
    explicit SnmpLoop(boost::asio::io_context& io) : io_(io), timer_(io) {}
    SnmpLoop(const SnmpLoop&) = delete;
    SnmpLoop& operator=(const SnmpLoop&) = delete;
    ~SnmpLoop();

    /// Re-reads Net-SNMP's fd set and next timeout and (re-)arms the watchers. Call after every
    /// call into Net-SNMP (read, timeout, send_v2trap).
    void sync();

private:
    // One fd Net-SNMP wants read. An fd number is trusted only together with the identity of
    // the file behind it: after an AgentX reconnect the new socket gets the same number
    // (keepalived issue #2726), and its watcher must be a new epoll registration.
    struct Watcher {
        std::unique_ptr<boost::asio::posix::stream_descriptor> desc;
        dev_t dev = 0;
        ino_t ino = 0;
        std::uint64_t id = 0;
        bool armed = false;
    };

    void arm(int fd, Watcher& w);
    void on_readable(int fd);
    void on_timeout();

    boost::asio::io_context& io_;
    boost::asio::steady_timer timer_;
    std::map<int, Watcher> watchers_;
    std::uint64_t next_id_ = 1;
    unsigned long timer_gen_ = 0;
};

}  // namespace routerd::agent
