// SPDX-License-Identifier: Apache-2.0
// martian_log_lines: the RFC 1812 5.3.7 log lines from a sample ring (conformance B09).
#include "router/dataplane/martian_log.hh"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace routerd::dataplane {
namespace {

constexpr std::uint64_t kRing = inet::Context::kMartianRing;
const MacAddr kMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

inet::Snapshot names() {
    inet::Snapshot s;
    inet::Interface in;
    in.ifindex = 7;
    in.name = "rtr-in";
    s.interfaces.push_back(in);
    return s;
}

// Martian number n (counting from 0) has source 0.0.0.n and sits in its ring slot.
void record(MartianSample& s, std::uint64_t n, int ifindex = 7) {
    inet::Context::Martian& m = s.ring[n % kRing];
    m.src = Ip4Addr::from_octets(0, 0, 0, static_cast<std::uint8_t>(n));
    m.dst = *Ip4Addr::parse("198.19.0.1");
    m.ifindex = ifindex;
    m.mac = kMac;
}

std::string line(std::uint64_t n) {
    return "martian: src 0.0.0." + std::to_string(n & 0xff) +
           " dst 198.19.0.1 on rtr-in from 02:00:00:00:00:01";
}

TEST(MartianLog, NothingNewNoLine) {
    const inet::Snapshot snap = names();
    MartianSample s;
    EXPECT_TRUE(martian_log_lines(0, s, &snap).empty());
    record(s, 0);
    s.count = 1;
    EXPECT_TRUE(martian_log_lines(1, s, &snap).empty());
}

TEST(MartianLog, NewSamplesOldestFirstWithSourceDestinationInterfaceAndMac) {
    // conformance B09: RFC 1812 5.3.7 asks for source, destination, interface and MAC.
    const inet::Snapshot snap = names();
    MartianSample s;
    for (std::uint64_t n = 0; n < 3; ++n) {
        record(s, n);
    }
    s.count = 3;
    EXPECT_EQ(martian_log_lines(0, s, &snap),
              (std::vector<std::string>{line(0), line(1), line(2)}));
    EXPECT_EQ(martian_log_lines(2, s, &snap), (std::vector<std::string>{line(2)}));
}

TEST(MartianLog, AFullRingIsShownWithoutASummary) {
    const inet::Snapshot snap = names();
    MartianSample s;
    for (std::uint64_t n = 0; n < 10; ++n) {
        record(s, n);
    }
    s.count = 10;
    const auto lines = martian_log_lines(2, s, &snap);
    ASSERT_EQ(lines.size(), kRing);
    EXPECT_EQ(lines.front(), line(2));
    EXPECT_EQ(lines.back(), line(9));
}

TEST(MartianLog, MoreThanTheRingHoldsGivesOneSummaryThenTheNewestOldestFirst) {
    const inet::Snapshot snap = names();
    MartianSample s;
    for (std::uint64_t n = 0; n < 20; ++n) {
        record(s, n);
    }
    s.count = 20;
    const auto lines = martian_log_lines(5, s, &snap);  // 15 new, 8 shown
    ASSERT_EQ(lines.size(), kRing + 1);
    EXPECT_EQ(lines[0], "martian: 7 earlier not shown (counted in ips_badaddr)");
    for (std::uint64_t i = 0; i < kRing; ++i) {
        EXPECT_EQ(lines[1 + i], line(12 + i));
    }
}

TEST(MartianLog, CountWrapAroundIsJustMoreSamples) {
    const inet::Snapshot snap = names();
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    MartianSample s;
    // Martians number kMax - 1, kMax, then 0 and 1 after the wrap: 4 new since kMax - 1.
    for (std::uint64_t n : {kMax - 1, kMax, std::uint64_t{0}, std::uint64_t{1}}) {
        record(s, n);
    }
    s.count = 2;
    EXPECT_EQ(martian_log_lines(kMax - 1, s, &snap),
              (std::vector<std::string>{line(kMax - 1), line(kMax), line(0), line(1)}));
}

TEST(MartianLog, UnknownInterfaceIsNamedByIfindex) {
    const inet::Snapshot snap = names();
    MartianSample s;
    record(s, 0, 99);
    s.count = 1;
    const std::string want =
        "martian: src 0.0.0.0 dst 198.19.0.1 on ifindex 99 from 02:00:00:00:00:01";
    EXPECT_EQ(martian_log_lines(0, s, &snap), std::vector<std::string>{want});
    EXPECT_EQ(martian_log_lines(0, s, nullptr), std::vector<std::string>{want});
}

}  // namespace
}  // namespace routerd::dataplane
