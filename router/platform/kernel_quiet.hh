// SPDX-License-Identifier: Apache-2.0
// KernelQuiet: keeps the Linux stack silent on routed ports and puts everything back at exit.
#pragma once

#include "router/base/result.hh"

#include <memory>
#include <string>
#include <vector>

namespace routerd::platform {

/// What routerd changes on each routed interface (DESIGN.md "Data plane"):
///   - its IPv4 addresses are removed (routerd owns them in user space);
///   - net.ipv4.conf.IF.forwarding = 0, net.ipv6.conf.IF.disable_ipv6 = 1;
///   - net.ipv4.conf.IF.arp_ignore = 8: no kernel ARP replies for the host's other addresses;
///   - IPv4 and ARP are dropped at the netdev ingress hook (nftables table `netdev routerd`),
///     which runs after the AF_PACKET ETH_P_ALL taps: routerd still sees every frame and the
///     kernel's ip_rcv / arp_rcv never runs for them (no route lookups, no ICMP of its own).
/// nftables rather than tc: one named table is created and deleted atomically, and deleting
/// it is a complete undo; a tc clsact qdisc could collide with an operator's own.
///
/// Every old value is written to a state file before anything changes, so a routerd that
/// crashed is undone by the next start (restore_leftovers), not only by a clean exit.
class KernelQuiet {
public:
    struct Options {
        std::string state_file = "/run/routerd/kernel-state";
        std::string nft_table = "routerd";
        bool ingress_drop = true;
    };

    /// Applies the changes to `ifnames`; on failure undoes what it did and returns the error.
    static Result<std::unique_ptr<KernelQuiet>> apply(const std::vector<std::string>& ifnames,
                                                      const Options& opts);
    /// Undoes a previous run's changes recorded in `state_file`, if the file exists.
    static Status restore_leftovers(const Options& opts);

    /// Restores everything (also called by the destructor); idempotent.
    Status restore();
    ~KernelQuiet();
    KernelQuiet(const KernelQuiet&) = delete;
    KernelQuiet& operator=(const KernelQuiet&) = delete;

    struct Record;

private:
    KernelQuiet(Options opts, std::vector<Record> records);
    Options opts_;
    std::vector<Record> records_;
    bool restored_ = false;
};

}  // namespace routerd::platform
