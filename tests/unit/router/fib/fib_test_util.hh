// SPDX-License-Identifier: Apache-2.0
// Test helpers for the FIB: random clustered tables, update streams and probe addresses.
#pragma once

#include "router/base/ip4.hh"
#include "router/fib/route.hh"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace routerd::fib::testing {

struct TestRoute {
    Ip4Prefix prefix;
    NhIndex nh = kNoRoute;
};

// Multiplies the work of the long differential tests: ROUTERD_FIB_TEST_SCALE=20 in a release
// build gives the "millions of lookups" run without slowing the ASan build of every commit.
inline unsigned test_scale() {
    const char* s = std::getenv("ROUTERD_FIB_TEST_SCALE");  // NOLINT(concurrency-mt-unsafe)
    const int v = s != nullptr ? std::atoi(s) : 1;
    return v > 0 ? static_cast<unsigned>(v) : 1;
}

// A random prefix biased to collide: most fall inside a few "regions" so that lengths nest and
// overlap (/0 to /32 all occur), the rest anywhere.
class PrefixGen {
public:
    // min_len > 0 raises shorter lengths to it (the TSan tests: ThreadSanitizer keeps state for
    // every atomic a release store touched, and a /0 touches 2^24 of them).
    explicit PrefixGen(std::uint32_t seed, unsigned regions = 8, NhIndex max_nh = 200,
                       unsigned min_len = 0)
        : rng_(seed), max_nh_(max_nh), min_len_(min_len) {
        for (unsigned i = 0; i < regions; ++i) {
            const unsigned len = 8 + static_cast<unsigned>(rng_() % 12);
            regions_.push_back(
                Ip4Prefix{Ip4Addr(static_cast<std::uint32_t>(rng_()) & ip4_mask(len)),
                          static_cast<std::uint8_t>(len)});
        }
    }

    Ip4Prefix prefix() {
        const unsigned r = rng_() % 1000;
        unsigned len;
        if (r < 2) {
            // Very short: rare, as each rewrites up to 2^24 entries.
            len = static_cast<unsigned>(rng_() % 9);
        } else if (r < 30) {
            len = 9 + static_cast<unsigned>(rng_() % 7);
        } else if (r < 500) {
            len = 24;
        } else if (r < 750) {
            len = 16 + static_cast<unsigned>(rng_() % 9);
        } else {
            len = 25 + static_cast<unsigned>(rng_() % 8);  // the tbl8 side
        }
        len = std::max(len, min_len_);
        std::uint32_t addr = static_cast<std::uint32_t>(rng_());
        if (!regions_.empty() && rng_() % 10 < 8) {
            const Ip4Prefix& reg = regions_[rng_() % regions_.size()];
            if (len > reg.len) {
                addr = reg.addr.value() | (addr & ~reg.mask());
            }
        }
        return Ip4Prefix{Ip4Addr(addr & ip4_mask(len)), static_cast<std::uint8_t>(len)};
    }

    NhIndex next_hop() { return static_cast<NhIndex>(1 + rng_() % max_nh_); }

    // An address inside p (uniform host part), or a uniform one.
    std::uint32_t address_in(const Ip4Prefix& p) {
        return p.addr.value() | (static_cast<std::uint32_t>(rng_()) & ~p.mask());
    }
    std::uint32_t any_address() { return static_cast<std::uint32_t>(rng_()); }
    std::mt19937& rng() { return rng_; }

private:
    std::mt19937 rng_;
    NhIndex max_nh_;
    unsigned min_len_;
    std::vector<Ip4Prefix> regions_;
};

// The addresses where answers change around p: its first and last address and their outside
// neighbours.
inline std::vector<std::uint32_t> edge_addresses(const Ip4Prefix& p) {
    const std::uint32_t lo = p.addr.value();
    const std::uint32_t hi = p.broadcast().value();
    return {lo, hi, lo - 1, hi + 1, lo + 1, hi - 1};
}

}  // namespace routerd::fib::testing
