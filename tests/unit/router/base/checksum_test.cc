// SPDX-License-Identifier: Apache-2.0
// Tests for the Internet checksum (RFC 1071) and its incremental update (RFC 1624).
#include "router/base/checksum.hh"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace routerd {
namespace {

// Straightforward RFC 1071 4.1 reference: big-endian 16-bit words, 32-bit accumulator.
std::uint16_t reference_cksum(const std::vector<std::uint8_t>& d) {
    std::uint32_t sum = 0;
    std::size_t i = 0;
    for (; i + 1 < d.size(); i += 2) {
        sum += static_cast<std::uint32_t>(d[i] << 8 | d[i + 1]);
    }
    if (i < d.size()) {
        sum += static_cast<std::uint32_t>(d[i] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

TEST(Checksum, Rfc1071Example) {
    // RFC 1071 3: the words 0x0001 f203 f4f5 f6f7 sum to 0xddf2.
    const std::uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    EXPECT_EQ(cksum_add(d, sizeof d), 0xddf2);
    EXPECT_EQ(in_cksum(d, sizeof d), static_cast<std::uint16_t>(~0xddf2));
}

TEST(Checksum, KnownIpHeader) {
    // A real IPv4 header (checksum field zeroed); its checksum is 0xb861.
    std::uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                        0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    EXPECT_EQ(in_cksum(h, sizeof h), 0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    EXPECT_EQ(in_cksum(h, sizeof h), 0);  // RFC 1071 1 (3): verification sums to zero
}

TEST(Checksum, MatchesReferenceForEveryLengthAndOffset) {
    std::mt19937 rng(7);
    for (std::size_t len = 0; len <= 300; ++len) {
        std::vector<std::uint8_t> d(len + 8);
        for (auto& b : d) {
            b = static_cast<std::uint8_t>(rng());
        }
        // Unaligned starts too: the sum must not depend on alignment.
        for (std::size_t off = 0; off < 8; off += 2) {
            std::vector<std::uint8_t> part(d.begin() + static_cast<long>(off),
                                           d.begin() + static_cast<long>(off + len));
            ASSERT_EQ(in_cksum(d.data() + off, len), reference_cksum(part))
                << "len " << len << " off " << off;
        }
    }
}

TEST(Checksum, IpHeaderSumMatchesReferenceForEveryHeaderLength) {
    std::mt19937 rng(11);
    for (std::size_t words = 5; words <= 15; ++words) {  // RFC 791: IHL 5..15
        for (int round = 0; round < 200; ++round) {
            std::vector<std::uint8_t> d(words * 4 + 3);
            for (auto& b : d) {
                b = static_cast<std::uint8_t>(rng());
            }
            if (round == 0) {
                std::fill(d.begin(), d.end(), 0xff);  // the largest sums: every carry
            }
            for (std::size_t off = 0; off < 4; ++off) {  // unaligned starts too
                std::vector<std::uint8_t> part(d.begin() + static_cast<long>(off),
                                               d.begin() + static_cast<long>(off + words * 4));
                ASSERT_EQ(ip_header_cksum(d.data() + off, words * 4), reference_cksum(part))
                    << "words " << words << " off " << off;
            }
        }
    }
    // A header holding its own checksum verifies as zero (198.18.0.1 -> 198.19.0.1, UDP).
    std::vector<std::uint8_t> h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                   0x00, 0x00, 198,  18,   0,    1,    198,  19,   0,    1};
    const std::uint16_t sum = reference_cksum(h);
    h[10] = static_cast<std::uint8_t>(sum >> 8);
    h[11] = static_cast<std::uint8_t>(sum);
    EXPECT_NE(sum, 0);
    EXPECT_EQ(ip_header_cksum(h.data(), h.size()), 0);
    h[19] ^= 1;  // one flipped bit no longer verifies
    EXPECT_NE(ip_header_cksum(h.data(), h.size()), 0);
}

TEST(Checksum, PartialSumsCompose) {
    std::vector<std::uint8_t> d(100);
    for (std::size_t i = 0; i < d.size(); ++i) {
        d[i] = static_cast<std::uint8_t>(i * 37 + 11);
    }
    std::uint16_t first = cksum_add(d.data(), 40);
    EXPECT_EQ(static_cast<std::uint16_t>(~cksum_add(d.data() + 40, 60, first)),
              in_cksum(d.data(), d.size()));
}

TEST(Checksum, AllOnesAndZeros) {
    std::vector<std::uint8_t> ones(1500, 0xff);
    std::vector<std::uint8_t> zeros(1500, 0);
    EXPECT_EQ(in_cksum(ones.data(), ones.size()), reference_cksum(ones));
    EXPECT_EQ(in_cksum(zeros.data(), zeros.size()), 0xffff);
}

// An IPv4 header whose checksum field holds exactly `want` after a full computation: the
// ID field is solved for (RFC 1071 arithmetic is linear in one's complement).
std::array<std::uint8_t, 20> header_with_checksum(std::uint8_t ttl, std::uint16_t want) {
    std::array<std::uint8_t, 20> h = {0x45, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00, 0x00, ttl, 0x01,
                                      0x00, 0x00, 198,  18,   0,    10,   198,  19,   0,   10};
    std::uint16_t base = cksum_add(h.data(), h.size());  // with ID = 0 and sum = 0
    // We need ~(base + id) == want, i.e. id = ~want - base in one's complement.
    std::uint32_t target = static_cast<std::uint16_t>(~want);
    std::uint32_t id = target + static_cast<std::uint16_t>(~base);
    id = (id & 0xffff) + (id >> 16);
    h[4] = static_cast<std::uint8_t>(id >> 8);
    h[5] = static_cast<std::uint8_t>(id);
    std::uint16_t sum = in_cksum(h.data(), h.size());
    h[10] = static_cast<std::uint8_t>(sum >> 8);
    h[11] = static_cast<std::uint8_t>(sum);
    return h;
}

// conformance B14: exhaustive TTL x checksum. After the TTL decrement the incrementally
// updated checksum equals a full recomputation, including the 0x0000/0xffff corner that
// RFC 1141's shortcut gets wrong.
TEST(Checksum, B14_IncrementalTtlDecrementExhaustive) {
    std::uint64_t corner_hits = 0;
    for (unsigned ttl = 2; ttl <= 255; ++ttl) {
        for (std::uint32_t c = 0; c <= 0xffff; ++c) {
            auto h =
                header_with_checksum(static_cast<std::uint8_t>(ttl), static_cast<std::uint16_t>(c));
            std::uint16_t hc = static_cast<std::uint16_t>(h[10] << 8 | h[11]);
            std::uint16_t old_word = static_cast<std::uint16_t>(h[8] << 8 | h[9]);
            h[8] = static_cast<std::uint8_t>(ttl - 1);
            std::uint16_t new_word = static_cast<std::uint16_t>(h[8] << 8 | h[9]);
            std::uint16_t updated = cksum_update16(hc, old_word, new_word);
            h[10] = static_cast<std::uint8_t>(updated >> 8);
            h[11] = static_cast<std::uint8_t>(updated);
            // A receiver verifying the header must get zero (RFC 1071 1 (3)).
            if (in_cksum(h.data(), h.size()) != 0) [[unlikely]] {
                FAIL() << "ttl " << ttl << " checksum " << std::hex << hc;
            }
            corner_hits += (hc == 0x0000 || hc == 0xffff || updated == 0x0000) ? 1 : 0;
        }
    }
    EXPECT_GT(corner_hits, 0u);
}

TEST(Checksum, B14_Rfc1624Section3Example) {
    // RFC 1624 3's example: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285. Eqn. 3 gives 0x0000, the
    // correct checksum; RFC 1141's HC + m - m' gives 0xffff, the one's-complement -0.
    EXPECT_EQ(cksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(Checksum, Update32IsTwoWords) {
    std::array<std::uint8_t, 20> h = header_with_checksum(64, 0x1234);
    std::uint16_t hc = static_cast<std::uint16_t>(h[10] << 8 | h[11]);
    std::uint32_t old_dst = 0xc6130000u | 10;  // 198.19.0.10
    std::uint32_t new_dst = 0xcb007105u;       // 203.0.113.5
    h[16] = 203;
    h[17] = 0;
    h[18] = 113;
    h[19] = 5;
    std::uint16_t updated = cksum_update32(hc, old_dst, new_dst);
    h[10] = static_cast<std::uint8_t>(updated >> 8);
    h[11] = static_cast<std::uint8_t>(updated);
    EXPECT_EQ(in_cksum(h.data(), h.size()), 0);
}

}  // namespace
}  // namespace routerd
