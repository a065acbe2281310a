// SPDX-License-Identifier: Apache-2.0
// WatchdogGate: WATCHDOG=1 only while every worker makes progress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace routerd::daemon {

// systemd restarts a service that stops pinging (WatchdogSec=); a ping from the control thread
// alone would keep a routerd alive whose data plane is stuck. Each worker wakes at least once
// per tick (100 ms) even when idle, so its wake-up count must advance between two pings
// (sent at half of WATCHDOG_USEC). Pure: the daemon feeds the counts and acts on the verdict.
class WatchdogGate {
public:
    enum class Verdict {
        ping,            // every worker advanced since the last ping: send WATCHDOG=1
        ping_recovered,  // the same, after a stall was reported: also log the recovery
        stalled,         // a worker did not advance: no ping, log an error (once per stall)
        still_stalled,   // no ping, already logged
    };

    // `wakeups`: each worker's count when the watchdog starts (the first baseline).
    explicit WatchdogGate(std::span<const std::uint64_t> wakeups);

    // One check per watchdog period with each worker's current count (same order and size; a
    // different size starts over from these counts and pings).
    Verdict check(std::span<const std::uint64_t> wakeups);

    // The first worker that did not advance at the last stalled check.
    std::size_t stalled_worker() const noexcept { return stalled_worker_; }

private:
    std::vector<std::uint64_t> at_ping_;  // the counts at the last ping (or the start)
    bool stalled_ = false;
    std::size_t stalled_worker_ = 0;
};

}  // namespace routerd::daemon
