// SPDX-License-Identifier: Apache-2.0
// Worker: epoll loop, snapshot adoption, RX drain, TX flush, tick, QSBR quiescent points.
#include "router/dataplane/worker.hh"

#include "router/base/assert.hh"
#include "router/dataplane/pipeline.hh"
#include "router/inet/ether_output.hh"
#include "router/inet/tick.hh"

#include <algorithm>
#include <array>
#include <cstring>
#include <pthread.h>
#include <span>
#include <string>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <tuple>
#include <unistd.h>

namespace routerd::dataplane {

Worker::Worker(std::vector<packet::Port*> ports, std::vector<int> fds,
               const std::atomic<const inet::Snapshot*>& snapshot, Qsbr& qsbr, const Clock& clock,
               const WorkerOptions& opts)
    : ports_(std::move(ports)),
      fds_(std::move(fds)),
      snapshot_(snapshot),
      qsbr_(qsbr),
      clock_(clock),
      opts_(opts),
      ctx_(std::span<packet::Port* const>(ports_), opts.limits),
      batch_(std::max<std::size_t>(opts.batch, 1)),
      port_drops_(ports_.size()) {}

Worker::~Worker() {
    stop();
}

Status Worker::start() {
    if (running()) {
        return make_error(EALREADY, "worker already running");
    }
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) {
        return make_error(errno, std::string("worker: epoll_create1: ") + std::strerror(errno));
    }
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) {
        const int err = errno;
        ::close(epoll_fd_);
        epoll_fd_ = -1;
        return make_error(err, std::string("worker: eventfd: ") + std::strerror(err));
    }
    std::vector<int> all = fds_;
    all.push_back(event_fd_);
    for (int fd : all) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0) {
            const int err = errno;
            ::close(event_fd_);
            ::close(epoll_fd_);
            event_fd_ = epoll_fd_ = -1;
            return make_error(
                err, "worker: epoll_ctl fd " + std::to_string(fd) + ": " + std::strerror(err));
        }
    }
    auto reader = qsbr_.register_reader();
    if (!reader) {
        ::close(event_fd_);
        ::close(epoll_fd_);
        event_fd_ = epoll_fd_ = -1;
        return make_error(EAGAIN, "worker: no QSBR reader slot left");
    }
    stop_.store(false, std::memory_order_relaxed);
    running_.store(true, std::memory_order_release);
    thread_ = std::thread([this, id = *reader] {
        ::pthread_setname_np(::pthread_self(), "routerd-worker");
        loop(id);
    });
    return ok_status();
}

void Worker::stop() {
    if (!thread_.joinable()) {
        return;
    }
    stop_.store(true, std::memory_order_release);
    wake();
    thread_.join();
    running_.store(false, std::memory_order_release);
    ::close(event_fd_);
    ::close(epoll_fd_);
    event_fd_ = epoll_fd_ = -1;
    std::lock_guard lock(tasks_mu_);
    tasks_.clear();
}

void Worker::wake() noexcept {
    if (event_fd_ >= 0) {
        const std::uint64_t one = 1;
        // A full counter (EAGAIN) already means "wake up".
        [[maybe_unused]] auto n = ::write(event_fd_, &one, sizeof one);
    }
}

void Worker::post(Task task) {
    {
        std::lock_guard lock(tasks_mu_);
        tasks_.push_back(std::move(task));
        has_tasks_.store(true, std::memory_order_release);
    }
    wake();
}

void Worker::run_once() {
    RD_CHECK(!running());
    step();
}

void Worker::step() {
    ctx_.now = clock_.now();
    // Load the published pointer once per wake-up: every frame of it sees one state.
    const inet::Snapshot* snap = snapshot_.load(std::memory_order_acquire);
    if (snap != nullptr && (!seen_ || seen_->generation != snap->generation)) {
        ctx_.snap = snap;
        inet::snapshot_changed(ctx_, seen_ ? &*seen_ : nullptr);
        seen_ = *snap;  // worker-side copy, once per publish (never per packet)
    }
    ctx_.snap = snap;

    // Control requests are rare: one relaxed load per wake-up, the mutex only when one waits.
    if (has_tasks_.load(std::memory_order_acquire)) {
        std::vector<Task> tasks;
        {
            std::lock_guard lock(tasks_mu_);
            tasks.swap(tasks_);
            has_tasks_.store(false, std::memory_order_relaxed);
        }
        for (auto& t : tasks) {
            t(ctx_);
        }
    }

    if (snap != nullptr) {
        const std::span<packet::Packet> frames(batch_);
        for (packet::Port* port : ports_) {
            for (std::size_t b = 0; b < opts_.max_batches_per_port; ++b) {
                const std::size_t n = port->rx_batch(frames);
                for (std::size_t i = 0; i < n; ++i) {
                    Pipeline::on_frame(ctx_, frames[i]);
                }
                // Forwarded frames queued by the batch point into this port's RX blocks, which
                // the next rx_batch() / rx_release() hands back to the kernel: copy them out to
                // the egress ports (one tx_batch and one kick per port) before that.
                inet::tx_flush_all(ctx_);
                if (n < frames.size()) {
                    break;
                }
            }
            // The ring blocks go back to the kernel before the worker sleeps.
            port->rx_release();
        }
        if (ctx_.now >= next_tick_) {
            // ICMP timestamps (RFC 792) need the wall clock; the offset drifts slowly, so it is
            // refreshed once per tick, not per packet.
            ctx_.wall_offset = std::chrono::duration_cast<Duration>(
                                   std::chrono::system_clock::now().time_since_epoch()) -
                               clock_.now().since_epoch;
            inet::inet_tick(ctx_);
            inet::tx_flush_all(ctx_);
            charge_port_drops();
            next_tick_ = ctx_.now + opts_.tick;
        }
    }
    wakeups_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::charge_port_drops() noexcept {
    // The ports count what they lose on their side; the worker, the only writer of its Stats,
    // moves the increase into the interface counters once per tick (one getsockopt per port).
    for (std::size_t slot = 0; slot < ports_.size() && slot < ctx_.stats.interfaces(); ++slot) {
        const packet::PortDrops now = ports_[slot]->drops();
        packet::PortDrops& was = port_drops_[slot];
        inet::IfCounters& c = ctx_.stats.ifs(slot);
        auto charge = [](inet::IfCounters& cs, api::IfStatsId id, std::uint64_t a,
                         std::uint64_t b) {
            if (a > b) {
                cs.add(id, a - b);
            }
        };
        charge(c, api::IfStatsId::ifs_oerrors, now.tx_errors, was.tx_errors);
        charge(c, api::IfStatsId::ifs_oqdrops, now.tx_drops, was.tx_drops);
        charge(c, api::IfStatsId::ifs_iqdrops, now.rx_drops, was.rx_drops);
        charge(c, api::IfStatsId::ifs_noproto, now.rx_vlan, was.rx_vlan);
        // Frames lost after the forwarding decision are output drops of IP too.
        if (now.tx_errors + now.tx_drops > was.tx_errors + was.tx_drops) {
            ctx_.stats.ip.add(api::IpStatId::ips_odropped,
                              now.tx_errors + now.tx_drops - was.tx_errors - was.tx_drops);
        }
        was = now;
    }
}

void Worker::loop(Qsbr::ReaderId reader) {
    std::array<epoll_event, 16> events{};
    while (!stop_.load(std::memory_order_acquire)) {
        qsbr_.online(reader);
        step();
        qsbr_.quiescent(reader);
        qsbr_.offline(reader);
        const auto left = next_tick_ - clock_.now();
        const int ms = static_cast<int>(std::clamp<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1, 0,
            std::chrono::duration_cast<std::chrono::milliseconds>(opts_.tick).count()));
        const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), ms);
        for (int i = 0; i < n; ++i) {
            if (events[static_cast<std::size_t>(i)].data.fd == event_fd_) {
                std::uint64_t v = 0;
                [[maybe_unused]] auto r = ::read(event_fd_, &v, sizeof v);
            }
        }
    }
    qsbr_.unregister_reader(reader);
}

Result<std::vector<api::ArpEntry>> Worker::arp_dump(Duration timeout) {
    return call(
        [](inet::Context& ctx) {
            std::vector<api::ArpEntry> out;
            ctx.arp.dump(out, ctx.now);
            std::sort(out.begin(), out.end(), [](const api::ArpEntry& a, const api::ArpEntry& b) {
                return std::tie(a.ifindex, a.addr) < std::tie(b.ifindex, b.addr);
            });
            return out;
        },
        timeout);
}

Result<MartianSample> Worker::martian_sample(Duration timeout) {
    return call(
        [](inet::Context& ctx) {
            MartianSample s;
            s.ring = ctx.martians;
            s.count = ctx.martian_count;
            return s;
        },
        timeout);
}

}  // namespace routerd::dataplane
