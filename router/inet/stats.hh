// SPDX-License-Identifier: Apache-2.0
// Per-worker statistics: one CounterBlock per seed group (router/api/stats.def) and per interface.
#pragma once

#include "router/api/stats.hh"
#include "router/base/counter.hh"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace routerd::inet {

using IpCounters = CounterBlock<api::IpStatId, api::kIpStatCount>;
using IcmpCounters = CounterBlock<api::IcmpStatId, api::kIcmpStatCount>;
using IgmpCounters = CounterBlock<api::IgmpStatId, api::kIgmpStatCount>;
using RtCounters = CounterBlock<api::RtStatId, api::kRtStatCount>;
using IfCounters = CounterBlock<api::IfStatsId, api::kIfStatsCount>;

// Written by the owning worker only (relaxed load + store, no locked instruction); read by the
// control thread's stats_collect at any time. Never moves once built: readers hold references.
class Stats {
public:
    explicit Stats(std::size_t interfaces)
        : n_if_(interfaces), ifs_(std::make_unique<IfCounters[]>(interfaces)) {}
    Stats(const Stats&) = delete;
    Stats& operator=(const Stats&) = delete;

    IpCounters ip;
    IcmpCounters icmp;
    IgmpCounters igmp;
    RtCounters rt;

    std::size_t interfaces() const noexcept { return n_if_; }
    // Per-interface figures by Interface::slot.
    IfCounters& ifs(std::size_t slot) noexcept { return ifs_[slot]; }
    const IfCounters& ifs(std::size_t slot) const noexcept { return ifs_[slot]; }

    // icps_outhist[type] / icps_inhist[type]; types above ICMP_MAXTYPE are not kept (BSD).
    void icmp_out(std::uint8_t type) noexcept {
        if (type <= api::kIcmpMaxType) {
            icmp.inc(static_cast<api::IcmpStatId>(
                static_cast<std::size_t>(api::IcmpStatId::icps_outhist) + type));
        }
    }
    void icmp_in(std::uint8_t type) noexcept {
        if (type <= api::kIcmpMaxType) {
            icmp.inc(static_cast<api::IcmpStatId>(
                static_cast<std::size_t>(api::IcmpStatId::icps_inhist) + type));
        }
    }

private:
    std::size_t n_if_;
    std::unique_ptr<IfCounters[]> ifs_;
};

}  // namespace routerd::inet
