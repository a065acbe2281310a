// SPDX-License-Identifier: Apache-2.0
// routerd's wiring: kernel, ports, state, worker, link monitor, control socket, signals.
#pragma once

#include <optional>
#include <string>

namespace routerd::daemon {

struct DaemonOptions {
    std::string config_path;
    std::optional<std::string> control_socket;  // --control-socket: overrides the YAML
    // Where KernelQuiet records what it changed; empty: `kernel-state` beside the control
    // socket (/run/routerd/kernel-state by default), so two routerds of two labs never share it.
    std::string kernel_state_file;
};

// Exit statuses of the daemon (main.cc adds the command-line ones).
inline constexpr int kExitOk = 0;
inline constexpr int kExitConfigInvalid = 1;  // the one meaning of 1 (router/daemon/README.md)
inline constexpr int kExitStartup = 71;       // sysexits EX_OSERR: a port, the socket, netlink

// Runs routerd in the foreground until SIGTERM or SIGINT; returns the exit status. Start-up:
// undo a crashed run's kernel changes, load the file, silence the kernel on the routed ports,
// open one AF_PACKET port per interface, build the state, start the worker, follow links,
// listen on the control socket, then READY=1 (systemd). A start-up failure logs one line,
// restores the kernel and returns non-zero; a clean exit restores it too.
int run_daemon(const DaemonOptions& opts);

}  // namespace routerd::daemon
