// SPDX-License-Identifier: Apache-2.0
// stats_collect: every worker's counter blocks summed into the api statistics structs.
#pragma once

#include "router/api/stats.hh"
#include "router/inet/stats.hh"

#include <cstdint>
#include <span>

namespace routerd::dataplane {

// Counters are per worker with one writer each (DESIGN.md "Data plane"); a read sums every
// worker's block with relaxed loads, so a figure is some recent value, never a torn one.
using StatsList = std::span<const inet::Stats* const>;

api::IpStat collect_ip(StatsList workers);
api::IcmpStat collect_icmp(StatsList workers);
api::IgmpStat collect_igmp(StatsList workers);
api::RtStat collect_rt(StatsList workers);
// One interface's figures by its slot; a worker that has no such slot adds nothing.
api::IfStats collect_if(StatsList workers, std::uint32_t slot);

}  // namespace routerd::dataplane
