// SPDX-License-Identifier: Apache-2.0
// Tests for Qsbr: grace periods follow the readers' quiescent states; offline readers never block.
#include "router/base/qsbr.hh"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace routerd {
namespace {

TEST(Qsbr, NoReadersMeansEveryGraceHasElapsed) {
    Qsbr q;
    const auto t = q.start_grace();
    EXPECT_TRUE(q.elapsed(t));
    int ran = 0;
    q.retire([&] { ++ran; });
    EXPECT_EQ(q.poll(), 1u);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(q.pending(), 0u);
}

TEST(Qsbr, GraceWaitsForEveryOnlineReader) {
    Qsbr q;
    auto r1 = q.register_reader();
    auto r2 = q.register_reader();
    ASSERT_TRUE(r1 && r2);
    EXPECT_NE(*r1, *r2);
    const auto t = q.start_grace();
    EXPECT_FALSE(q.elapsed(t));
    q.quiescent(*r1);
    EXPECT_FALSE(q.elapsed(t));
    q.quiescent(*r2);
    EXPECT_TRUE(q.elapsed(t));
    // A later grace needs new quiescent states.
    const auto t2 = q.start_grace();
    EXPECT_GT(t2, t);
    EXPECT_FALSE(q.elapsed(t2));
    q.quiescent(*r1);
    q.quiescent(*r2);
    EXPECT_TRUE(q.elapsed(t2));
}

TEST(Qsbr, QuiescentBeforeTheGraceStartedDoesNotCount) {
    Qsbr q;
    auto r = q.register_reader();
    ASSERT_TRUE(r);
    q.quiescent(*r);
    const auto t = q.start_grace();
    EXPECT_FALSE(q.elapsed(t));
}

TEST(Qsbr, OfflineReaderDoesNotBlockAndOnlineOneDoes) {
    Qsbr q;
    auto r = q.register_reader();
    ASSERT_TRUE(r);
    q.offline(*r);
    EXPECT_TRUE(q.elapsed(q.start_grace()));
    q.online(*r);
    const auto t = q.start_grace();
    EXPECT_FALSE(q.elapsed(t));
    q.offline(*r);
    EXPECT_TRUE(q.elapsed(t));
}

TEST(Qsbr, RetiredCallbacksRunInOrderOnceElapsed) {
    Qsbr q;
    auto r = q.register_reader();
    ASSERT_TRUE(r);
    std::vector<int> ran;
    q.retire([&] { ran.push_back(1); });
    q.retire([&] { ran.push_back(2); });
    EXPECT_EQ(q.poll(), 0u);
    EXPECT_EQ(q.pending(), 2u);
    q.quiescent(*r);
    EXPECT_EQ(q.poll(), 2u);
    EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(Qsbr, UnregisterFreesTheSlotAndUnblocks) {
    Qsbr q;
    std::vector<Qsbr::ReaderId> ids;
    for (std::size_t i = 0; i < Qsbr::kMaxReaders; ++i) {
        auto r = q.register_reader();
        ASSERT_TRUE(r);
        ids.push_back(*r);
    }
    EXPECT_FALSE(q.register_reader());
    const auto t = q.start_grace();
    for (auto id : ids) {
        q.unregister_reader(id);
    }
    EXPECT_TRUE(q.elapsed(t));
    EXPECT_TRUE(q.register_reader());
}

TEST(Qsbr, DestructorRunsWhatIsStillPending) {
    int ran = 0;
    {
        Qsbr q;
        auto r = q.register_reader();
        ASSERT_TRUE(r);
        q.retire([&] { ++ran; });
        EXPECT_EQ(q.poll(), 0u);
    }
    EXPECT_EQ(ran, 1);
}

// The writer's synchronize() returns once a reader thread has passed a quiescent state. (The
// stress test with many retirements under TSan is in tests/unit/router/fib, label concurrency.)
TEST(Qsbr, SynchronizeWaitsForAReaderThread) {
    Qsbr q;
    std::atomic<bool> stop{false};
    std::atomic<bool> registered{false};
    std::thread reader([&] {
        auto id = q.register_reader();
        ASSERT_TRUE(id);
        registered.store(true);
        while (!stop.load(std::memory_order_relaxed)) {
            q.quiescent(*id);
            std::this_thread::yield();
        }
        q.unregister_reader(*id);
    });
    while (!registered.load()) {
        std::this_thread::yield();
    }
    int ran = 0;
    q.retire([&] { ++ran; });
    q.synchronize();
    EXPECT_EQ(ran, 1);
    stop.store(true);
    reader.join();
}

}  // namespace
}  // namespace routerd
