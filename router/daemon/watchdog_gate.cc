// SPDX-License-Identifier: Apache-2.0
// WatchdogGate: ping only when every worker's wake-up count moved since the last ping.
#include "router/daemon/watchdog_gate.hh"

namespace routerd::daemon {

WatchdogGate::WatchdogGate(std::span<const std::uint64_t> wakeups)
    : at_ping_(wakeups.begin(), wakeups.end()) {}

WatchdogGate::Verdict WatchdogGate::check(std::span<const std::uint64_t> wakeups) {
    if (wakeups.size() == at_ping_.size()) {
        for (std::size_t i = 0; i < wakeups.size(); ++i) {
            // "!=" rather than ">": a count that wrapped still moved.
            if (wakeups[i] == at_ping_[i]) {
                const bool first = !stalled_;
                stalled_ = true;
                stalled_worker_ = i;
                return first ? Verdict::stalled : Verdict::still_stalled;
            }
        }
    }
    at_ping_.assign(wakeups.begin(), wakeups.end());
    const bool recovered = stalled_;
    stalled_ = false;
    return recovered ? Verdict::ping_recovered : Verdict::ping;
}

}  // namespace routerd::daemon
