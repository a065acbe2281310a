// SPDX-License-Identifier: Apache-2.0
// FakeClock: time that moves only when a test says so (unit tests never sleep).
#pragma once

#include "router/base/clock.hh"

namespace routerd::test {

class FakeClock final : public Clock {
public:
    explicit FakeClock(MonoTime start = MonoTime{std::chrono::seconds(1000)}) : now_(start) {}
    MonoTime now() const noexcept override { return now_; }
    void advance(Duration d) { now_ = now_ + d; }

private:
    MonoTime now_;
};

}  // namespace routerd::test
