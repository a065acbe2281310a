// SPDX-License-Identifier: Apache-2.0
// LinkMonitor: follows links through rtnetlink (libnl-route) and reports their state changes.
#pragma once

#include "router/base/clock.hh"
#include "router/base/result.hh"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace routerd::platform {

/// What routerd keeps of a link: enough for ifnet flags, the MIB's ifAdminStatus/ifOperStatus
/// and the SET_MGMT event stream.
struct LinkState {
    int ifindex = 0;
    std::string name;
    bool admin_up = false;  // IFF_UP
    bool oper_up = false;   // RFC 2863 operstate "up" (IF_OPER_UP), or carrier when unknown
    bool carrier = false;   // IFF_LOWER_UP
    std::uint32_t mtu = 0;
    std::uint32_t flags = 0;  // the kernel's IFF_* flags as reported
    bool removed = false;     // RTM_DELLINK

    friend bool operator==(const LinkState&, const LinkState&) = default;
};

/// Opens a NETLINK_ROUTE socket joined to RTNLGRP_LINK. The owner polls fd() for readability
/// (the control thread's Asio loop) and calls process(), which invokes `on_change` for every
/// link whose state differs from what was last reported. Not thread-safe: one owner thread.
class LinkMonitor {
public:
    using Callback = std::function<void(const LinkState&)>;

    static Result<std::unique_ptr<LinkMonitor>> open(Callback on_change);
    ~LinkMonitor();
    LinkMonitor(const LinkMonitor&) = delete;
    LinkMonitor& operator=(const LinkMonitor&) = delete;

    int fd() const;
    /// Reads every pending message without blocking.
    Status process();
    /// The current state of every link, read by a fresh dump (start-up and resync after an
    /// ENOBUFS overrun, when events were lost).
    Result<std::vector<LinkState>> dump();

    struct Impl;

private:
    explicit LinkMonitor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace routerd::platform
