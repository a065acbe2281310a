// SPDX-License-Identifier: Apache-2.0
// FibReference: the obviously correct longest-prefix match (one hash map per length), the oracle.
#pragma once

#include "router/base/ip4.hh"
#include "router/fib/route.hh"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

namespace routerd::fib {

// Same contract as Fib::add/remove/lookup, written for clarity, not speed: tests, the fuzzer
// and the benchmarks check Fib against it. Prefixes with host bits are masked here; the caller
// compares that with Fib's refusal where it matters.
class FibReference {
public:
    // Returns true when the prefix was new.
    bool add(Ip4Prefix prefix, NhIndex nh);
    // Returns false when the prefix was absent.
    bool remove(Ip4Prefix prefix);
    std::optional<NhIndex> find(Ip4Prefix prefix) const;
    // Tries /32, /31, ... /0 and returns the first hit; kNoRoute when nothing matches.
    NhIndex lookup(Ip4Addr dst) const;
    std::size_t size() const;

private:
    std::array<std::unordered_map<std::uint32_t, NhIndex>, 33> by_len_;
};

}  // namespace routerd::fib
