// SPDX-License-Identifier: Apache-2.0
// SnmpLoop: snmp_select_info2 / snmp_read2 / snmp_timeout + run_alarms under Asio.
#include "agent/snmp/loop.hh"

#include "agent/snmp/netsnmp.hh"

#include <poll.h>
#include <sys/stat.h>
#include <vector>

namespace routerd::agent {

namespace {

// Bounds how many queued AgentX packets one readiness drains before going back to the loop.
constexpr int kMaxReadsPerWakeup = 16;

bool file_id(int fd, dev_t& dev, ino_t& ino) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return false;
    }
    dev = st.st_dev;
    ino = st.st_ino;
    return true;
}

bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

}  // namespace

SnmpLoop::~SnmpLoop() {
    // Net-SNMP owns the fds: release, never close.
    for (auto& [fd, w] : watchers_) {
        w.desc->release();
    }
}

void SnmpLoop::arm(int fd, Watcher& w) {
    w.armed = true;
    w.desc->async_wait(boost::asio::posix::descriptor_base::wait_read,
                       [this, fd, id = w.id](boost::system::error_code ec) {
                           auto it = watchers_.find(fd);
                           if (it == watchers_.end() || it->second.id != id) {
                               return;  // released since; a newer watcher owns the fd
                           }
                           it->second.armed = false;
                           if (!ec) {
                               on_readable(fd);
                           }
                       });
}

void SnmpLoop::sync() {
    netsnmp_large_fd_set set;
    netsnmp_large_fd_set_init(&set, FD_SETSIZE);
    int maxfd = 0;
    int block = 1;  // 1 on entry: "no timeout wanted" unless Net-SNMP says otherwise
    timeval tv{0, 0};
    snmp_select_info2(&maxfd, &set, &tv, &block);

    // Drop watchers of fds Net-SNMP no longer wants, or whose number now names another file.
    for (auto it = watchers_.begin(); it != watchers_.end();) {
        dev_t dev = 0;
        ino_t ino = 0;
        bool keep = it->first < maxfd && NETSNMP_LARGE_FD_ISSET(it->first, &set) &&
                    file_id(it->first, dev, ino) && dev == it->second.dev && ino == it->second.ino;
        if (keep) {
            ++it;
            continue;
        }
        it->second.desc->release();
        it = watchers_.erase(it);
    }
    // Watch the new ones; re-arm those whose wait completed. A kept registration never misses
    // data: on_readable drains what is queued before the wait is re-armed, and anything that
    // arrives later is a new edge for epoll.
    for (int fd = 0; fd < maxfd; ++fd) {
        if (!NETSNMP_LARGE_FD_ISSET(fd, &set)) {
            continue;
        }
        auto it = watchers_.find(fd);
        if (it == watchers_.end()) {
            Watcher w;
            if (!file_id(fd, w.dev, w.ino)) {
                continue;
            }
            w.desc = std::make_unique<boost::asio::posix::stream_descriptor>(io_, fd);
            w.id = next_id_++;
            it = watchers_.emplace(fd, std::move(w)).first;
        }
        if (!it->second.armed) {
            arm(fd, it->second);
        }
    }
    netsnmp_large_fd_set_cleanup(&set);

    ++timer_gen_;
    timer_.cancel();
    if (block == 0) {
        timer_.expires_after(std::chrono::seconds(tv.tv_sec) +
                             std::chrono::microseconds(tv.tv_usec));
        timer_.async_wait([this, g = timer_gen_](boost::system::error_code ec) {
            if (!ec && g == timer_gen_) {
                on_timeout();
            }
        });
    }
}

void SnmpLoop::on_readable(int fd) {
    dev_t dev = 0;
    ino_t ino = 0;
    file_id(fd, dev, ino);
    for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
        netsnmp_large_fd_set set;
        netsnmp_large_fd_set_init(&set, FD_SETSIZE);
        NETSNMP_LARGE_FD_SET(fd, &set);
        snmp_read2(&set);
        netsnmp_large_fd_set_cleanup(&set);
        netsnmp_check_outstanding_agent_requests();
        // Stop when nothing more is queued, or when the read closed (or replaced) the fd.
        dev_t d = 0;
        ino_t n = 0;
        if (!file_id(fd, d, n) || d != dev || n != ino || !readable_now(fd)) {
            break;
        }
    }
    sync();
}

void SnmpLoop::on_timeout() {
    // Timeouts drive AgentX pings and the reconnect alarm (subagent.c): without them the agent
    // would never notice snmpd went away nor come back.
    snmp_timeout();
    run_alarms();
    netsnmp_check_outstanding_agent_requests();
    sync();
}

}  // namespace routerd::agent
