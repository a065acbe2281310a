// SPDX-License-Identifier: Apache-2.0
// The log lines RFC 1812 5.3.7 asks for martians, from a worker's sample ring (conformance B09).
#pragma once

#include "router/inet/context.hh"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace routerd::dataplane {

// A copy of one worker's martian ring (inet::Context::martians / martian_count), taken on the
// worker by Worker::martian_sample() so the control thread can format it at leisure.
struct MartianSample {
    std::array<inet::Context::Martian, inet::Context::kMartianRing> ring{};
    std::uint64_t count = 0;  // martians recorded so far (ring[count % kMartianRing] is next)
};

// The lines for the martians recorded after the first `seen` ones, oldest first, e.g.
// "martian: src 0.1.2.3 dst 198.19.0.1 on eth1 from 02:00:00:00:00:01". When more arrived
// than the ring holds, one summary line first says how many were not shown (ips_badaddr still
// counts them). Nothing new: no line. The count is compared modulo 2^64, so a wrap is harmless.
// `snap` names the interfaces ("ifindex N" when it does not know one). Pure: no logging here;
// at most kMartianRing + 1 lines per call is what rate-limits the log.
std::vector<std::string> martian_log_lines(std::uint64_t seen, const MartianSample& now,
                                           const inet::Snapshot* snap);

}  // namespace routerd::dataplane
