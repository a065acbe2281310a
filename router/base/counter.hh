// SPDX-License-Identifier: Apache-2.0
// Counter: single-writer 64-bit counter; CounterBlock: a per-thread array of them, summed on read.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace routerd {

/// One writer thread increments with a relaxed load and store (no locked instruction, BSD's
/// per-CPU counters); any thread may read. A reader sees some recent value, never a torn one.
class Counter {
public:
    void add(std::uint64_t n) noexcept {
        v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void inc() noexcept { add(1); }
    std::uint64_t load() const noexcept { return v_.load(std::memory_order_relaxed); }
    // Only the writer (or a quiescent owner) may reset.
    void reset() noexcept { v_.store(0, std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> v_{0};
};

static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

/// N counters indexed by an enum whose values run 0..N-1 (generated from router/api/stats.def).
/// Each worker owns one block per statistics group; readers sum every worker's block.
template <typename Enum, std::size_t N>
class CounterBlock {
public:
    static constexpr std::size_t kSize = N;

    void inc(Enum e) noexcept { c_[static_cast<std::size_t>(e)].inc(); }
    void add(Enum e, std::uint64_t n) noexcept { c_[static_cast<std::size_t>(e)].add(n); }
    std::uint64_t load(Enum e) const noexcept { return c_[static_cast<std::size_t>(e)].load(); }
    std::uint64_t load_index(std::size_t i) const noexcept { return c_[i].load(); }

    /// Adds every counter of this block into `out` (size N): the summed-on-read step.
    void add_to(std::span<std::uint64_t, N> out) const noexcept {
        for (std::size_t i = 0; i < N; ++i) {
            out[i] += c_[i].load();
        }
    }

private:
    std::array<Counter, N> c_{};
};

/// The sum of several writers' blocks, index by index.
template <typename Enum, std::size_t N>
std::array<std::uint64_t, N> sum_blocks(std::span<const CounterBlock<Enum, N>* const> blocks) {
    std::array<std::uint64_t, N> out{};
    for (const auto* b : blocks) {
        b->add_to(out);
    }
    return out;
}

}  // namespace routerd
