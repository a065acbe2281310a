// SPDX-License-Identifier: Apache-2.0
// Tests for Counter / CounterBlock: single writer per block, summed on read.
#include "router/base/counter.hh"

#include <gtest/gtest.h>

#include <array>
#include <thread>

namespace routerd {
namespace {

enum class Demo { a, b, c };
using DemoBlock = CounterBlock<Demo, 3>;

TEST(Counter, IncAddLoadReset) {
    Counter c;
    c.inc();
    c.add(41);
    EXPECT_EQ(c.load(), 42u);
    c.reset();
    EXPECT_EQ(c.load(), 0u);
}

TEST(CounterBlock, SumsAcrossBlocks) {
    DemoBlock w1;
    DemoBlock w2;
    w1.inc(Demo::a);
    w1.add(Demo::c, 5);
    w2.inc(Demo::a);
    w2.inc(Demo::b);
    std::array<const DemoBlock*, 2> blocks{&w1, &w2};
    auto sum = sum_blocks<Demo, 3>(blocks);
    EXPECT_EQ(sum[0], 2u);
    EXPECT_EQ(sum[1], 1u);
    EXPECT_EQ(sum[2], 5u);
    EXPECT_EQ(w1.load(Demo::c), 5u);
}

// Two writers, each on its own block, while a reader sums: the final sum is exact and no
// intermediate sum ever goes backwards (run under TSan with the concurrency label too).
TEST(CounterBlock, ConcurrentWritersAndReader) {
    constexpr int kIncrements = 200000;
    DemoBlock w1;
    DemoBlock w2;
    std::array<const DemoBlock*, 2> blocks{&w1, &w2};
    std::atomic<bool> done{false};
    std::uint64_t last = 0;
    bool monotonic = true;
    std::thread reader([&] {
        while (!done.load(std::memory_order_acquire)) {
            auto s = sum_blocks<Demo, 3>(blocks);
            monotonic = monotonic && s[0] >= last;
            last = s[0];
        }
    });
    std::thread t1([&] {
        for (int i = 0; i < kIncrements; ++i) {
            w1.inc(Demo::a);
        }
    });
    std::thread t2([&] {
        for (int i = 0; i < kIncrements; ++i) {
            w2.inc(Demo::a);
        }
    });
    t1.join();
    t2.join();
    done.store(true, std::memory_order_release);
    reader.join();
    EXPECT_TRUE(monotonic);
    auto total = sum_blocks<Demo, 3>(blocks);
    EXPECT_EQ(total[0], 2u * kIncrements);
}

}  // namespace
}  // namespace routerd
