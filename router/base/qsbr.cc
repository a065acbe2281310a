// SPDX-License-Identifier: Apache-2.0
// Qsbr: reader registration, grace-period tokens and deferred callbacks.
#include "router/base/qsbr.hh"

#include <thread>
#include <utility>

namespace routerd {

Qsbr::~Qsbr() {
    // Whoever destroys the domain has stopped the readers; everything retired may go now.
    for (auto& r : retired_) {
        r.fn();
    }
}

std::optional<Qsbr::ReaderId> Qsbr::register_reader() noexcept {
    for (ReaderId i = 0; i < kMaxReaders; ++i) {
        bool expected = false;
        if (slots_[i].used.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
            online(i);
            return i;
        }
    }
    return std::nullopt;
}

void Qsbr::unregister_reader(ReaderId id) noexcept {
    offline(id);
    slots_[id].used.store(false, std::memory_order_release);
}

void Qsbr::offline(ReaderId id) noexcept {
    // Release: the reader's earlier loads happen before a writer that sees it offline frees.
    slots_[id].epoch.store(kOffline, std::memory_order_release);
}

void Qsbr::online(ReaderId id) noexcept {
    // Store then load, both seq_cst (Dekker): either the writer's elapsed() sees this slot, or
    // the load below sees the writer's start_grace() and with it everything unlinked before.
    // Without it a writer could skip this reader as offline while it reads a retired object.
    slots_[id].epoch.store(epoch_.load(std::memory_order_acquire), std::memory_order_seq_cst);
    (void)epoch_.load(std::memory_order_seq_cst);
}

bool Qsbr::elapsed(Token token) const noexcept {
    for (const auto& s : slots_) {
        // seq_cst pairs with online(); acquire would do for quiescent().
        const Token e = s.epoch.load(std::memory_order_seq_cst);
        if (e != kOffline && e < token) {
            return false;
        }
    }
    return true;
}

void Qsbr::retire(std::function<void()> fn) {
    retired_.push_back({start_grace(), std::move(fn)});
}

std::size_t Qsbr::poll() {
    std::size_t ran = 0;
    // Tokens grow in queue order, so the first one not yet elapsed ends the scan.
    while (!retired_.empty() && elapsed(retired_.front().token)) {
        auto fn = std::move(retired_.front().fn);
        retired_.pop_front();
        fn();
        ++ran;
    }
    return ran;
}

void Qsbr::synchronize() {
    const Token t = start_grace();
    while (!elapsed(t)) {
        std::this_thread::yield();
    }
    poll();
}

}  // namespace routerd
