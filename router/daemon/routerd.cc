// SPDX-License-Identifier: Apache-2.0
// routerd's wiring (ARCHITECTURE.md sections 11 and 14): one control thread, one worker.
#include "router/daemon/routerd.hh"

#include "router/base/clock.hh"
#include "router/base/log.hh"
#include "router/base/qsbr.hh"
#include "router/config/load.hh"
#include "router/control/asio.hh"
#include "router/control/router_handler.hh"
#include "router/control/server.hh"
#include "router/daemon/reload.hh"
#include "router/daemon/watchdog_gate.hh"
#include "router/dataplane/martian_log.hh"
#include "router/dataplane/router_state.hh"
#include "router/dataplane/worker.hh"
#include "router/platform/af_packet_port.hh"
#include "router/platform/kernel_quiet.hh"
#include "router/platform/link_monitor.hh"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <vector>

namespace routerd::daemon {

namespace {

namespace asio = boost::asio;
using ErrorCode = boost::system::error_code;

std::string parent_dir(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

// mkdir -p with mode 0755 (the state file's directory, /run/routerd by default).
void make_dirs(const std::string& dir) {
    std::string partial;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = dir.find('/', pos + 1);
        partial = dir.substr(0, pos);
        if (!partial.empty()) {
            ::mkdir(partial.c_str(), 0755);  // EEXIST is fine; a real failure shows later
        }
    }
}

// True when something accepts connections on the unix socket at `path`: a live routerd. Its
// kernel state file must not be "restored" by a second one that is about to fail anyway.
bool socket_answers(const std::string& path) {
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path) {
        return false;
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    const bool live = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return live;
}

dataplane::LinkStatus to_status(const platform::LinkState& s) {
    return dataplane::LinkStatus{s.ifindex, s.admin_up, s.oper_up, s.mtu, s.flags, s.removed};
}

// Follows the LinkMonitor's netlink socket on the control thread's io_context.
class LinkWatch {
public:
    LinkWatch(asio::io_context& io, platform::LinkMonitor& mon) : mon_(mon), fd_(io, mon.fd()) {}
    ~LinkWatch() {
        // The LinkMonitor owns the socket: Asio must not close it.
        ErrorCode ec;
        fd_.cancel(ec);
        (void)fd_.release();
    }
    void start() {
        fd_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const ErrorCode& ec) {
            if (ec) {
                return;  // cancelled at exit
            }
            if (auto st = mon_.process(); !st) {
                log::warning("link monitor: " + st.error().message);
            }
            start();
        });
    }

private:
    platform::LinkMonitor& mon_;
    asio::posix::stream_descriptor fd_;
};

// A periodic job on the io_context (watchdog, martian log, snapshot reclamation).
class Every {
public:
    Every(asio::io_context& io, std::chrono::milliseconds period, std::function<void()> fn)
        : timer_(io), period_(period), fn_(std::move(fn)) {}
    void start() {
        timer_.expires_after(period_);
        timer_.async_wait([this](const ErrorCode& ec) {
            if (ec) {
                return;
            }
            fn_();
            start();
        });
    }
    void cancel() {
        ErrorCode ec;
        timer_.cancel(ec);
    }

private:
    asio::steady_timer timer_;
    std::chrono::milliseconds period_;
    std::function<void()> fn_;
};

using Workers = std::vector<dataplane::Worker*>;

// RFC 1812 5.3.7 (conformance B09) asks to log martians. The workers never log: each keeps a
// sample ring, fetched here (a posted call, bounded wait) and logged from the control thread.
// At most ring size + 1 summary lines per worker per call is the rate limit; every martian is
// counted in ips_badaddr anyway. seen[i]: worker i's martian count at the previous call.
void log_martians(const Workers& workers, std::vector<std::uint64_t>& seen,
                  const inet::Snapshot* snap) {
    for (std::size_t i = 0; i < workers.size(); ++i) {
        auto sample = workers[i]->martian_sample(std::chrono::milliseconds(200));
        if (!sample) {
            continue;  // a worker that does not answer is the watchdog's to report
        }
        for (const auto& line : dataplane::martian_log_lines(seen[i], *sample, snap)) {
            log::warning(line);
        }
        seen[i] = sample->count;
    }
}

std::vector<std::uint64_t> wakeups(const Workers& workers) {
    std::vector<std::uint64_t> counts;
    for (const dataplane::Worker* w : workers) {
        counts.push_back(w->wakeups());
    }
    return counts;
}

// WATCHDOG=1 only while every worker's wake-up count moves (each wakes at least once per
// 100 ms tick), so systemd restarts a routerd whose data plane is stuck, not only one whose
// control thread is (systemd/routerd.service).
void watchdog_ping(WatchdogGate& gate, const Workers& workers) {
    switch (gate.check(wakeups(workers))) {
        case WatchdogGate::Verdict::ping_recovered:
            log::info("routerd: the data plane progresses again; watchdog pings resumed");
            [[fallthrough]];
        case WatchdogGate::Verdict::ping:
            sd_notify(0, "WATCHDOG=1");
            break;
        case WatchdogGate::Verdict::stalled:
            log::error("routerd: worker " + std::to_string(gate.stalled_worker()) +
                       " made no progress; withholding WATCHDOG=1 (systemd will restart)");
            break;
        case WatchdogGate::Verdict::still_stalled:
            break;
    }
}

}  // namespace

int run_daemon(const DaemonOptions& opts) {
    const std::uint64_t start_ns = dataplane::unix_time_ns();
    // Signals first: a SIGTERM during start-up waits in the set and ends the run cleanly once
    // the loop runs, instead of killing routerd with the kernel still silenced.
    asio::io_context io;
    asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);

    // 1. The file. Nothing is touched before it is known to be valid.
    config::LoadResult loaded = config::load_file(opts.config_path);
    for (const auto& d : loaded.diagnostics) {
        log::write(d.severity == config::Severity::error ? log::Level::error : log::Level::warning,
                   d.to_string());
    }
    if (!loaded.ok()) {
        log::error("routerd: " + opts.config_path + ": invalid configuration, not started");
        return kExitConfigInvalid;
    }
    const config::Config& cfg = loaded.config;
    const std::string socket_path = opts.control_socket.value_or(cfg.control.socket);

    // 2. A crashed run's kernel changes are undone first (its state file), then ours applied;
    //    but never those of a routerd that is still running on the same socket.
    if (socket_answers(socket_path)) {
        log::error("routerd: another routerd answers on " + socket_path + "; not started");
        return kExitStartup;
    }
    platform::KernelQuiet::Options kq_opts;
    kq_opts.state_file = opts.kernel_state_file.empty() ? parent_dir(socket_path) + "/kernel-state"
                                                        : opts.kernel_state_file;
    make_dirs(parent_dir(kq_opts.state_file));
    if (auto st = platform::KernelQuiet::restore_leftovers(kq_opts); !st) {
        log::warning("routerd: restoring a previous run's kernel state: " + st.error().message);
    }
    std::vector<std::string> names;
    for (const auto& i : cfg.interfaces) {
        names.push_back(i.name);
    }
    auto quiet = platform::KernelQuiet::apply(names, kq_opts);
    if (!quiet) {
        log::error("routerd: cannot silence the kernel on the routed ports: " +
                   quiet.error().message);
        return kExitStartup;
    }
    // From here on every return restores the kernel (KernelQuiet's destructor, or restore()).
    auto fail = [&](const std::string& line) {
        log::error("routerd: " + line);
        if (auto st = (*quiet)->restore(); !st) {
            log::error("routerd: restoring the kernel: " + st.error().message);
        }
        return kExitStartup;
    };

    // 3. Links: their state now, and their changes from now on (the callback is wired below).
    std::function<void(const platform::LinkState&)> on_link;
    auto monitor = platform::LinkMonitor::open([&on_link](const platform::LinkState& s) {
        if (on_link) {
            on_link(s);
        }
    });
    if (!monitor) {
        return fail("cannot open the link monitor: " + monitor.error().message);
    }
    auto links = (*monitor)->dump();
    if (!links) {
        return fail("cannot read the links: " + links.error().message);
    }

    // 4. One AF_PACKET port per configured interface.
    std::vector<std::unique_ptr<platform::AfPacketPort>> ports;
    std::vector<dataplane::InterfaceSpec> specs;
    for (const auto& ifc : cfg.interfaces) {
        auto port = platform::AfPacketPort::open(ifc.name);
        if (!port) {
            return fail("cannot open a port on " + ifc.name + ": " + port.error().message);
        }
        dataplane::InterfaceSpec s;
        s.ifindex = (*port)->ifindex();
        s.name = ifc.name;
        s.mac = (*port)->mac();
        s.link_mtu = static_cast<std::uint32_t>((*port)->mtu());
        if (ifc.mtu) {
            s.mtu = static_cast<std::uint32_t>(*ifc.mtu);
        }
        s.addresses = ifc.addresses;
        s.settings = to_if_settings(ifc);
        s.igmp = to_igmp_settings(ifc.igmp);
        for (const auto& l : *links) {
            if (l.ifindex == s.ifindex) {
                s.link_admin_up = l.admin_up;
                s.link_oper_up = l.oper_up;
                s.link_flags = l.flags;
                if (l.mtu != 0) {
                    s.link_mtu = l.mtu;
                }
            }
        }
        specs.push_back(std::move(s));
        ports.push_back(std::move(*port));
    }

    // 5. The master copy, its first snapshot, the YAML's static routes.
    Qsbr qsbr;
    SteadyClock clock;
    dataplane::RouterState state(qsbr, clock);
    if (auto st = state.init(to_ip_settings(cfg.ip), specs); !st) {
        return fail(st.error().message);
    }
    for (const auto& r : cfg.routes) {
        auto spec = to_route_spec(r, state);
        Status st = spec ? state.add_static_route(*spec) : Status(spec.error());
        if (!st) {
            return fail("route " + r.prefix.to_string() + ": " + st.error().message);
        }
    }

    // 6. The worker over every port.
    std::vector<packet::Port*> port_ptrs;
    std::vector<int> fds;
    for (auto& p : ports) {
        port_ptrs.push_back(p.get());
        fds.push_back(p->fd());
    }
    dataplane::Worker worker(port_ptrs, fds, state.snapshot(), qsbr, clock);
    if (auto st = worker.start(); !st) {
        return fail("cannot start the worker: " + st.error().message);
    }
    // Stops the worker before anything it reads (ports, state) goes away.
    struct StopWorker {
        dataplane::Worker& w;
        ~StopWorker() { w.stop(); }
    } stop_worker{worker};

    // 7. The control thread: control socket, link events, signals, reload, timers.
    control::RouterHandlerOptions hopts;
    hopts.server_name = std::string("routerd ") + ROUTERD_VERSION;
    hopts.start_time_ns = start_ns;
    const Workers workers{&worker};
    control::RouterHandler handler(state, workers, hopts);
    control::ControlServer server(io, handler);
    state.set_link_event_sink([&server](const api::LinkEvent& ev) {
        log::info("link " + ev.name + ": admin " +
                  (ev.admin == api::AdminState::up ? "up" : "down") + ", oper " +
                  (ev.oper == api::OperState::up ? "up" : "down"));
        server.publish(ev);
    });
    on_link = [&state](const platform::LinkState& s) { state.link_changed(to_status(s)); };
    // Changes between the dump above and now were reported to no one: apply the dump again.
    if (auto again = (*monitor)->dump()) {
        for (const auto& l : *again) {
            state.link_changed(to_status(l));
        }
    }
    LinkWatch link_watch(io, **monitor);
    link_watch.start();

    if (auto st = server.listen(socket_path); !st) {
        return fail("cannot listen on " + socket_path + ": " + st.error().message);
    }

    Reloader reloader(opts.config_path, std::move(loaded.config));
    std::function<void()> wait_signal;
    wait_signal = [&] {
        signals.async_wait([&](const ErrorCode& ec, int signo) {
            if (ec) {
                return;
            }
            if (signo == SIGHUP) {
                sd_notify(0, "RELOADING=1");
                log::info("routerd: SIGHUP: reloading " + opts.config_path);
                (void)reloader.reload(state);
                sd_notify(0, "READY=1");
                wait_signal();
                return;
            }
            log::info(std::string("routerd: ") + ::strsignal(signo) + ": exiting");
            sd_notify(0, "STOPPING=1");
            server.close();
            io.stop();
        });
    };
    wait_signal();

    Every reclaim(io, std::chrono::milliseconds(1000), [&state] { state.reclaim(); });
    reclaim.start();

    // RFC 1812 5.3.7 (conformance B09): the workers' martian samples, logged once per second.
    std::vector<std::uint64_t> martians_seen(workers.size(), 0);
    Every martian_log(io, std::chrono::milliseconds(1000),
                      [&] { log_martians(workers, martians_seen, state.current()); });
    martian_log.start();

    // systemd's watchdog (sd_watchdog_enabled(3)): a ping at half the interval, but only while
    // every worker makes progress (watchdog_ping).
    std::unique_ptr<WatchdogGate> watchdog_gate;  // before the timer that uses it
    std::unique_ptr<Every> watchdog;
    std::uint64_t watchdog_usec = 0;
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
        const auto half =
            std::chrono::milliseconds(std::max<std::uint64_t>(watchdog_usec / 2000, 1));
        watchdog_gate = std::make_unique<WatchdogGate>(wakeups(workers));
        watchdog =
            std::make_unique<Every>(io, half, [&] { watchdog_ping(*watchdog_gate, workers); });
        watchdog->start();
    }

    // Every port is open and the control socket answers: ready (systemd Type=notify).
    sd_notify(0, "READY=1");
    log::info("routerd: ready: " + std::to_string(ports.size()) + " port(s), control socket " +
              socket_path);

    io.run();

    worker.stop();
    server.close();
    if (auto st = (*quiet)->restore(); !st) {
        log::error("routerd: restoring the kernel: " + st.error().message);
        return kExitStartup;
    }
    log::info("routerd: kernel state restored, bye");
    return kExitOk;
}

}  // namespace routerd::daemon
