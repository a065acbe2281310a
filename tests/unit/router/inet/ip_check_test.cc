// SPDX-License-Identifier: Apache-2.0
#include "router/inet/ip_check.hh"

#include "tests/support/inet_harness.hh"

#include <gtest/gtest.h>

namespace routerd::test {
namespace {

using inet::IpCheck;

std::vector<std::uint8_t> good(std::size_t payload = 8) {
    std::vector<std::uint8_t> p(payload, 0xab);
    return raw_datagram(params(ip4("198.18.0.10"), ip4("198.19.0.10")), IPPROTO_UDP, p);
}

void resum(std::vector<std::uint8_t>& d) {
    packet::Ip4View::parse(d)->update_sum();
}

TEST(IpCheck, AcceptsAWellFormedHeader) {
    EXPECT_EQ(inet::ip_check(good()), IpCheck::ok);
}

TEST(IpCheck, B01_FewerThanTwentyOctets) {  // conformance B01
    auto d = good();
    EXPECT_EQ(inet::ip_check(std::span(d).first(19)), IpCheck::too_small);
    EXPECT_EQ(inet::ip_check({}), IpCheck::too_small);
}

TEST(IpCheck, B02_VersionNotFour) {  // conformance B02
    for (std::uint8_t v : {0, 5, 6, 15}) {
        auto d = good();
        d[0] = static_cast<std::uint8_t>((v << 4) | 5);
        resum(d);
        EXPECT_EQ(inet::ip_check(d), IpCheck::bad_vers) << int{v};
    }
}

TEST(IpCheck, B03_HeaderLengthBelowFiveOrBeyondTheData) {  // conformance B03
    auto d = good(0);
    d[0] = 0x44;
    resum(d);
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_hlen);
    d[0] = 0x4f;  // 60 octets claimed, 20 held
    resum(d);
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_hlen);
}

TEST(IpCheck, B04_BadChecksum) {  // conformance B04
    auto d = good();
    d[10] ^= 0x01;
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_sum);
}

TEST(IpCheck, B05_TotalLengthBelowHeaderLength) {  // conformance B05
    auto d = good();
    packet::Ip4View::parse(d)->set_ip_len(16);
    resum(d);
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_len);
}

TEST(IpCheck, B06_TotalLengthBeyondTheData) {  // conformance B06
    auto d = good(80);
    packet::Ip4View::parse(d)->set_ip_len(1000);
    resum(d);
    EXPECT_EQ(inet::ip_check(d), IpCheck::too_short);
}

TEST(IpCheck, B07_TrailingOctetsAreNotAnError) {  // conformance B07: trimmed by ip_input
    auto d = good();
    d.insert(d.end(), 30, 0xff);
    EXPECT_EQ(inet::ip_check(d), IpCheck::ok);
}

TEST(IpCheck, OrderFollowsBsdIpInput) {
    // Version is judged before the header length and the checksum: a v6 header with IHL 4 and
    // a wrong checksum is a version error.
    auto d = good();
    d[0] = 0x64;
    d[10] ^= 0xff;
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_vers);
    // The header length before the checksum.
    d = good();
    d[0] = 0x44;
    d[10] ^= 0xff;
    EXPECT_EQ(inet::ip_check(d), IpCheck::bad_hlen);
}

TEST(IpCheck, EachVerdictHasItsOwnCounter) {
    using api::IpStatId;
    EXPECT_EQ(inet::counter_for(IpCheck::too_small), IpStatId::ips_toosmall);
    EXPECT_EQ(inet::counter_for(IpCheck::bad_vers), IpStatId::ips_badvers);
    EXPECT_EQ(inet::counter_for(IpCheck::bad_hlen), IpStatId::ips_badhlen);
    EXPECT_EQ(inet::counter_for(IpCheck::bad_sum), IpStatId::ips_badsum);
    EXPECT_EQ(inet::counter_for(IpCheck::bad_len), IpStatId::ips_badlen);
    EXPECT_EQ(inet::counter_for(IpCheck::too_short), IpStatId::ips_tooshort);
}

}  // namespace
}  // namespace routerd::test
