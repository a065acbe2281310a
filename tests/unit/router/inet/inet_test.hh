// SPDX-License-Identifier: Apache-2.0
// The fixture every inet test starts from: the InetHarness lab with h1 and h2 in the ARP cache.
#pragma once

#include "tests/support/inet_harness.hh"

#include <gtest/gtest.h>

namespace routerd::test {

class InetTest : public ::testing::Test {
protected:
    using H = InetHarness;
    using C = InetHarness::Counters;

    void SetUp() override { h.learn_hosts(); }

    // h1 -> R's eth1 MAC, and the reverse direction's helpers.
    std::vector<std::uint8_t> from_h1(const std::vector<std::uint8_t>& datagram) {
        return frame_of(H::kMacR1, H::kMacH1, datagram);
    }
    // The frames sent on every port, in port order.
    std::vector<Out> all_sent() const {
        std::vector<Out> v;
        for (std::size_t s = 0; s < H::kPorts; ++s) {
            for (const auto& f : h.sent(s)) {
                v.push_back(out(f));
            }
        }
        return v;
    }

    H h;
    const Ip4Addr kH1 = ip4("198.18.0.10");
    const Ip4Addr kG1 = ip4("198.18.0.1");
    const Ip4Addr kH2 = ip4("198.19.0.10");
    const Ip4Addr kR1 = ip4("198.18.0.254");
    const Ip4Addr kR2 = ip4("198.19.0.254");
    const Ip4Addr kR3 = ip4("198.18.1.254");
};

}  // namespace routerd::test
