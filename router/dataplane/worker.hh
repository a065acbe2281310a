// SPDX-License-Identifier: Apache-2.0
// Worker: the thread that owns an inet::Context and runs the receive path over its ports.
#pragma once

#include "router/api/messages.hh"
#include "router/base/clock.hh"
#include "router/base/qsbr.hh"
#include "router/base/result.hh"
#include "router/dataplane/martian_log.hh"
#include "router/inet/context.hh"
#include "router/packet/packet.hh"
#include "router/packet/port.hh"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace routerd::dataplane {

struct WorkerOptions {
    // inet_tick period (ARCHITECTURE.md 14: 50-100 ms); also the longest sleep.
    Duration tick = std::chrono::milliseconds(100);
    // Frames taken from a port per rx_batch() call.
    std::size_t batch = 64;
    // Batches per port per wake-up, so one busy port cannot starve the others or the tick.
    std::size_t max_batches_per_port = 16;
    inet::ContextLimits limits;
};

// One worker thread (ARCHITECTURE.md section 14). Per wake-up: load the snapshot pointer once
// (inet::snapshot_changed when it is a new one), run requests posted by the control thread,
// drain each port's RX ring through Pipeline::on_frame, flush TX, inet_tick when due, then a
// QSBR quiescent point; offline while it sleeps in epoll_wait on the ports' fds.
// The Context is touched only by the worker thread (or by the caller of run_once() while the
// thread is not running); stats() may be read from any thread.
class Worker {
public:
    // ports[slot] is the Port of Snapshot::interfaces[slot]; fds are what to wait on (the
    // daemon passes the AF_PACKET sockets; tests with FakePorts pass none and post work).
    Worker(std::vector<packet::Port*> ports, std::vector<int> fds,
           const std::atomic<const inet::Snapshot*>& snapshot, Qsbr& qsbr, const Clock& clock,
           const WorkerOptions& opts = {});
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Starts the thread. Errors: the epoll or eventfd could not be made, no QSBR reader slot.
    Status start();
    // Stops and joins the thread; idempotent. Posted work not yet run is dropped.
    void stop();
    bool running() const noexcept { return running_.load(std::memory_order_acquire); }

    // One wake-up's work on the calling thread. Only while the thread is not running (tests).
    void run_once();

    // Runs fn(Context&) on the worker and returns its result, waiting at most `timeout`
    // (ETIMEDOUT; the function may still run later). Runs inline when the thread is not
    // running. For rare control requests (ARP table), never per packet.
    template <typename F>
    auto call(F&& fn, Duration timeout) -> Result<std::invoke_result_t<F, inet::Context&>> {
        using R = std::invoke_result_t<F, inet::Context&>;
        if (!running()) {
            return fn(ctx_);
        }
        auto promise = std::make_shared<std::promise<R>>();
        auto future = promise->get_future();
        post([promise, fn = std::forward<F>(fn)](inet::Context& ctx) mutable {
            promise->set_value(fn(ctx));
        });
        if (future.wait_for(timeout) != std::future_status::ready) {
            return make_error(ETIMEDOUT, "the worker did not answer in time");
        }
        try {
            return future.get();
        } catch (const std::future_error&) {
            return make_error(ESHUTDOWN, "the worker stopped before answering");
        }
    }

    // The ARP cache in (ifindex, address) order (GET_ARP), read on the worker.
    Result<std::vector<api::ArpEntry>> arp_dump(Duration timeout);
    // A copy of the martian sample ring, read on the worker: the control thread logs it
    // (RFC 1812 5.3.7; the worker itself never logs, ARCHITECTURE.md section 15).
    Result<MartianSample> martian_sample(Duration timeout);

    // The worker's counters (single writer: the worker; read with relaxed loads).
    const inet::Stats& stats() const noexcept { return ctx_.stats; }
    // Wake-ups so far: at least one per tick even when idle (tests and the daemon's watchdog).
    std::uint64_t wakeups() const noexcept { return wakeups_.load(std::memory_order_relaxed); }

private:
    using Task = std::function<void(inet::Context&)>;
    void post(Task task);
    void step();
    void loop(Qsbr::ReaderId reader);
    void wake() noexcept;
    void charge_port_drops() noexcept;

    std::vector<packet::Port*> ports_;
    std::vector<int> fds_;
    const std::atomic<const inet::Snapshot*>& snapshot_;
    Qsbr& qsbr_;
    const Clock& clock_;
    WorkerOptions opts_;
    inet::Context ctx_;
    std::vector<packet::Packet> batch_;
    // A copy of the last snapshot this worker adopted: snapshot_changed() compares against it,
    // and the published original may be freed as soon as the worker is quiescent.
    std::optional<inet::Snapshot> seen_;
    MonoTime next_tick_{};
    // Each port's PortDrops at the last tick: the increase is charged to its interface.
    std::vector<packet::PortDrops> port_drops_;

    std::mutex tasks_mu_;  // control requests only; the packet path never takes it
    std::vector<Task> tasks_;
    std::atomic<bool> has_tasks_{false};
    int epoll_fd_ = -1;
    int event_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
    std::atomic<std::uint64_t> wakeups_{0};
    std::thread thread_;
};

}  // namespace routerd::dataplane
