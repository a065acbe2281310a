// SPDX-License-Identifier: Apache-2.0
// Bench helpers for the FIB: read a gen-prefixes table, make a synthetic one, draw addresses.
#pragma once

#include "router/base/ip4.hh"
#include "router/fib/route.hh"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace routerd::bench {

struct TableRoute {
    std::uint32_t addr;
    std::uint8_t len;
    std::uint16_t nh;
};

// ../shared/tools/gen-prefixes output: one "a.b.c.d/len nexthop" a line.
inline std::optional<std::vector<TableRoute>> load_table(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) {
        return std::nullopt;
    }
    std::vector<TableRoute> out;
    out.reserve(1 << 20);
    unsigned a = 0, b = 0, c = 0, d = 0, len = 0, nh = 0;
    while (std::fscanf(f, "%u.%u.%u.%u/%u %u", &a, &b, &c, &d, &len, &nh) == 6) {
        if (a > 255 || b > 255 || c > 255 || d > 255 || len > 32 || nh == 0 ||
            nh > fib::kMaxNhIndex) {
            std::fclose(f);
            return std::nullopt;
        }
        out.push_back({(a << 24) | (b << 16) | (c << 8) | d, static_cast<std::uint8_t>(len),
                       static_cast<std::uint16_t>(nh)});
    }
    std::fclose(f);
    return out;
}

// When no table file is given: the same length mix as gen-prefixes (about 60 % /24, 23 % /22-/23,
// 12 % /17-/21, 1.3 % /16, 0.5 % longer than /24), half of the long ones nested in shorter
// prefixes; duplicates removed. Close enough for relative figures, not a substitute for the file.
inline std::vector<TableRoute> synthetic_table(std::size_t count, std::uint32_t seed) {
    static constexpr std::pair<int, double> kShare[] = {
        {8, 0.00002}, {12, 0.0001}, {14, 0.0012}, {15, 0.0015}, {16, 0.013},  {17, 0.005},
        {18, 0.010},  {19, 0.023},  {20, 0.040},  {21, 0.045},  {22, 0.130},  {23, 0.100},
        {24, 0.586},  {25, 0.0015}, {26, 0.001},  {27, 0.0007}, {28, 0.0005}, {29, 0.0004},
        {30, 0.0004}, {31, 0.0002}, {32, 0.0003}};
    std::mt19937 rng(seed);
    std::vector<double> weights;
    for (const auto& s : kShare) {
        weights.push_back(s.second);
    }
    std::discrete_distribution<int> pick(weights.begin(), weights.end());
    std::vector<TableRoute> out;
    std::vector<std::uint32_t> covers;
    std::vector<std::uint64_t> seen;
    out.reserve(count);
    while (out.size() < count) {
        const auto len = static_cast<unsigned>(kShare[pick(rng)].first);
        std::uint32_t a = (1u << 24) + static_cast<std::uint32_t>(rng() % (222u << 24));
        if (len >= 20 && !covers.empty() && rng() % 10 < 4) {
            a = covers[rng() % covers.size()] | (static_cast<std::uint32_t>(rng()) & 0xfffffu);
        }
        a &= ip4_mask(len);
        if (len >= 16 && len <= 19) {
            covers.push_back(a & ip4_mask(len));
        }
        out.push_back(
            {a, static_cast<std::uint8_t>(len), static_cast<std::uint16_t>(1 + rng() % 64)});
        seen.push_back((std::uint64_t{a} << 8) | len);
        if (out.size() == count) {
            // Drop duplicates once, then top up.
            std::vector<std::size_t> order(out.size());
            for (std::size_t i = 0; i < order.size(); ++i) {
                order[i] = i;
            }
            std::sort(order.begin(), order.end(),
                      [&](std::size_t x, std::size_t y) { return seen[x] < seen[y]; });
            std::vector<bool> dup(out.size(), false);
            for (std::size_t i = 1; i < order.size(); ++i) {
                dup[order[i]] = seen[order[i]] == seen[order[i - 1]];
            }
            std::vector<TableRoute> kept;
            std::vector<std::uint64_t> kept_seen;
            for (std::size_t i = 0; i < out.size(); ++i) {
                if (!dup[i]) {
                    kept.push_back(out[i]);
                    kept_seen.push_back(seen[i]);
                }
            }
            out.swap(kept);
            seen.swap(kept_seen);
            if (out.size() == count) {
                break;
            }
        }
    }
    return out;
}

// Addresses inside the table: a route drawn uniformly, then a uniform host part.
inline std::vector<std::uint32_t> addresses_inside(const std::vector<TableRoute>& table,
                                                   std::size_t n, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::uint32_t> out(n);
    for (auto& a : out) {
        const TableRoute& r = table[rng() % table.size()];
        a = r.addr | (static_cast<std::uint32_t>(rng()) & ~ip4_mask(r.len));
    }
    return out;
}

inline std::vector<std::uint32_t> addresses_uniform(std::size_t n, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::uint32_t> out(n);
    for (auto& a : out) {
        a = static_cast<std::uint32_t>(rng());
    }
    return out;
}

}  // namespace routerd::bench
