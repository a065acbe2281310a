// SPDX-License-Identifier: Apache-2.0
// Qsbr: quiescent-state-based reclamation. Readers never lock; the writer frees later.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

namespace routerd {

// One writer (the control thread) unlinks an object, then asks for a grace period; the object
// is freed once every online reader has announced a quiescent state (a point where it holds no
// pointer into shared structures, e.g. between two RX batches) after the unlink. The reader side
// is one relaxed load and one release store, no lock and no read-modify-write (the model of
// liburcu's QSBR flavour and grout). Two writer interfaces:
//   * tokens: `t = start_grace()` after unlinking, later `elapsed(t)`; the FIB keeps its own
//     FIFO of retired tbl8 groups and next-hop slots this way, with no callbacks;
//   * callbacks: `retire(fn)` queues fn, `poll()` runs those whose grace elapsed,
//     `synchronize()` waits for one full grace period and runs them all.
// Writer calls must come from one thread at a time; reader calls from the reader's own thread.
class Qsbr {
public:
    static constexpr std::size_t kMaxReaders = 64;
    using ReaderId = std::uint32_t;
    using Token = std::uint64_t;

    Qsbr() = default;
    Qsbr(const Qsbr&) = delete;
    Qsbr& operator=(const Qsbr&) = delete;
    ~Qsbr();

    // ---- reader side ----
    // Claims a slot (online from the start); nullopt when all kMaxReaders slots are taken.
    std::optional<ReaderId> register_reader() noexcept;
    void unregister_reader(ReaderId id) noexcept;
    // "I hold no reference obtained before this call."
    void quiescent(ReaderId id) noexcept {
        slots_[id].epoch.store(epoch_.load(std::memory_order_acquire), std::memory_order_release);
    }
    // An offline reader (e.g. sleeping in epoll) never delays the writer.
    void offline(ReaderId id) noexcept;
    void online(ReaderId id) noexcept;

    // ---- writer side ----
    // Call after unlinking: the returned token has elapsed once every reader online now has
    // passed a quiescent state.
    Token start_grace() noexcept { return epoch_.fetch_add(1, std::memory_order_seq_cst) + 1; }
    bool elapsed(Token token) const noexcept;

    void retire(std::function<void()> fn);
    // Runs the retired callbacks whose grace period has elapsed; returns how many ran.
    std::size_t poll();
    // Waits (spinning, yielding the CPU) until one full grace period has passed, then polls.
    // Never call it from a reader thread that is online: it would wait for itself.
    void synchronize();
    std::size_t pending() const noexcept { return retired_.size(); }

private:
    static constexpr Token kOffline = 0;

    struct alignas(64) Slot {
        std::atomic<Token> epoch{kOffline};
        std::atomic<bool> used{false};
    };

    struct Retired {
        Token token;
        std::function<void()> fn;
    };

    alignas(64) std::atomic<Token> epoch_{1};
    std::array<Slot, kMaxReaders> slots_{};
    std::deque<Retired> retired_;
};

}  // namespace routerd
