// SPDX-License-Identifier: Apache-2.0
// Monotonic time for protocol timers; the Clock seam lets tests drive time (FakeClock).
#pragma once

#include <chrono>
#include <cstdint>

namespace routerd {

using Duration = std::chrono::nanoseconds;

/// A point on the monotonic clock. Pure code takes it as an argument and never reads a clock.
struct MonoTime {
    Duration since_epoch{0};

    friend constexpr MonoTime operator+(MonoTime t, Duration d) { return {t.since_epoch + d}; }
    friend constexpr MonoTime operator-(MonoTime t, Duration d) { return {t.since_epoch - d}; }
    friend constexpr Duration operator-(MonoTime a, MonoTime b) {
        return a.since_epoch - b.since_epoch;
    }
    friend constexpr auto operator<=>(MonoTime, MonoTime) = default;
};

/// Where time comes from. The daemon uses SteadyClock; tests use tests/support FakeClock.
class Clock {
public:
    virtual ~Clock() = default;
    virtual MonoTime now() const noexcept = 0;
};

class SteadyClock final : public Clock {
public:
    MonoTime now() const noexcept override {
        return MonoTime{std::chrono::duration_cast<Duration>(
            std::chrono::steady_clock::now().time_since_epoch())};
    }
};

}  // namespace routerd
