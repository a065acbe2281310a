# SPDX-License-Identifier: Apache-2.0
# routerd and routerctl inside a lab: start on a YAML, wait for READY=1, talk over the control socket.
"""Routerd runs the real daemon in a lab namespace the way systemd would (Type=notify):

* the test binds a unix datagram socket and passes it as NOTIFY_SOCKET; start() returns only
  after routerd sent READY=1 there (DESIGN: once every port is open and the control socket
  answers), or fails with routerd's log if it exits or stays silent;
* the control socket lives in a short private directory (sun_path is 108 bytes), and
  `--control-socket` names it, so parallel labs never share /run/routerd/control.sock;
* routerctl runs in the root namespace: a unix socket is a file, reachable from any netns.

Nothing here waits without a deadline, and routerd is stopped by its own PID (Lab.close()).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from .netns import Lab, Netns
from .paths import build_dir
from .proc import Proc
from .wait import wait_until

ROUTERD_REL = ("router", "daemon", "routerd")
ROUTERCTL_REL = ("router", "routerctl", "routerctl")


def routerd_bin() -> Path:
    return build_dir().joinpath(*ROUTERD_REL)


def routerctl_bin() -> Path:
    return build_dir().joinpath(*ROUTERCTL_REL)


def l1_yaml(extra_ip: str = "", eth1_extra: str = "", eth2_extra: str = "",
            routes: str = "") -> str:
    """The L1 router's YAML (config/examples/lab.yaml plus optional blocks). Each extra is YAML
    text already indented for its place (ip keys by 2, interface keys by 4, route items by 2)."""
    text = "ip:\n  forwarding: true\n" + extra_ip
    text += "interfaces:\n"
    text += "  - name: eth1\n    addresses: [198.18.0.254/24]\n" + eth1_extra
    text += "  - name: eth2\n    addresses: [198.19.0.254/24]\n" + eth2_extra
    if routes:
        text += "routes:\n" + routes
    return text


class RouterdError(RuntimeError):
    """routerd did not start, or a routerctl command failed when it should not."""


class Routerd:
    """One routerd process in namespace `ns` of `lab`, on a YAML file the test controls."""

    def __init__(self, lab: Lab, ns: Netns, config: str, *, name: str = "routerd",
                 log_level: str = "debug", extra_args: tuple[str, ...] = ()):
        self.lab = lab
        self.ns = ns
        self.name = name
        # A short directory: pytest's tmp_path can push sun_path past 108 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix=f"rd-{ns.short}-", dir="/tmp"))
        self.config_path = self.dir / "routerd.yaml"
        self.socket_path = self.dir / "ctl.sock"
        self.notify_path = self.dir / "notify.sock"
        self.log_level = log_level
        self.extra_args = tuple(extra_args)
        self.proc: Proc | None = None
        self.notify_sock: socket.socket | None = None
        self.notifications: list[str] = []
        self.write_config(config)
        lab.add_cleanup(self._remove_dir)

    # -- files --------------------------------------------------------------------------------

    def write_config(self, text: str) -> None:
        """(Re)write the YAML atomically (rename), so a SIGHUP never reads half a file."""
        tmp = self.config_path.with_suffix(".tmp")
        tmp.write_text(textwrap.dedent(text))
        os.replace(tmp, self.config_path)

    def _remove_dir(self) -> None:
        if self.notify_sock:
            self.notify_sock.close()
            self.notify_sock = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        return self.proc.output() if self.proc else ""

    # -- lifecycle ----------------------------------------------------------------------------

    def command(self) -> list[str]:
        exe = routerd_bin()
        if not exe.exists():
            raise FileNotFoundError(f"{exe} not built (set ROUTERD_BUILD_DIR)")
        return [str(exe), "--config", str(self.config_path), "--control-socket",
                str(self.socket_path), "--log-level", self.log_level, *self.extra_args]

    def start(self, timeout: float = 15.0, wait_ready: bool = True,
              env: dict[str, str] | None = None) -> "Routerd":
        """Start routerd with NOTIFY_SOCKET set and (by default) wait for READY=1. May be called
        again once the previous process has exited: the same files (YAML, control socket and
        so the kernel-state file beside it) are used, as a restarted service would."""
        if self.proc is not None and self.proc.alive():
            raise RouterdError("routerd is still running")
        if self.notify_sock:
            self.notify_sock.close()
        self.notify_path.unlink(missing_ok=True)
        self.notifications = []
        self.notify_sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify_sock.bind(str(self.notify_path))
        self.notify_sock.setblocking(False)
        env = {**(env or {}), "NOTIFY_SOCKET": str(self.notify_path)}
        self.proc = self.lab.spawn(self.command(), self.ns, name=self.name, env=env)
        if wait_ready:
            self.wait_ready(timeout)
        return self

    def _drain_notify(self) -> None:
        while self.notify_sock:
            try:
                data = self.notify_sock.recv(4096)
            except BlockingIOError:
                return
            self.notifications.extend(data.decode(errors="replace").splitlines())

    def ready(self) -> bool:
        self._drain_notify()
        return "READY=1" in self.notifications

    def wait_ready(self, timeout: float = 15.0) -> None:
        assert self.proc
        try:
            wait_until(lambda: self.ready() or not self.proc.alive(), timeout=timeout,
                       interval=0.05, what="routerd to send READY=1")
        except TimeoutError:
            raise RouterdError(f"routerd sent no READY=1 within {timeout}s "
                               f"(got {self.notifications}); log:\n{self.log()}") from None
        if not self.ready():
            raise RouterdError(f"routerd exited ({self.proc.returncode}) before READY=1; "
                               f"log:\n{self.log()}")

    def alive(self) -> bool:
        return bool(self.proc and self.proc.alive())

    @property
    def pid(self) -> int:
        assert self.proc
        return self.proc.pid

    def send_signal(self, sig: int) -> None:
        assert self.proc and self.proc.alive(), "routerd is not running"
        self.proc.popen.send_signal(sig)

    def hup(self) -> None:
        self.send_signal(signal.SIGHUP)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Signal routerd and wait for it (SIGKILL after timeout); returns the exit status."""
        assert self.proc
        return self.proc.stop(timeout=timeout, sig=sig)

    # -- routerctl ----------------------------------------------------------------------------

    def ctl_run(self, *args: str, json_out: bool = False, timeout: float = 20.0,
                check: bool = True) -> subprocess.CompletedProcess:
        """routerctl --control-socket ... [--json] ARGS; raises RouterdError on a non-zero exit
        when check is set."""
        exe = routerctl_bin()
        if not exe.exists():
            raise FileNotFoundError(f"{exe} not built (set ROUTERD_BUILD_DIR)")
        cmd = [str(exe), "--control-socket", str(self.socket_path)]
        if json_out:
            cmd.append("--json")
        cmd += list(args)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise RouterdError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr}{r.stdout}")
        return r

    def ctl(self, *args: str, **kw) -> str:
        """routerctl text output."""
        return self.ctl_run(*args, **kw).stdout

    def ctl_json(self, *args: str, **kw) -> Any:
        """routerctl --json output, parsed."""
        out = self.ctl_run(*args, json_out=True, **kw).stdout
        try:
            return json.loads(out)
        except ValueError as e:
            raise RouterdError(f"routerctl --json {' '.join(args)} printed no JSON: {out!r}") from e

    # -- convenience views --------------------------------------------------------------------

    def ipstat(self) -> dict[str, int]:
        return self.ctl_json("show", "stats", "ip")

    def icmpstat(self) -> dict[str, Any]:
        return self.ctl_json("show", "stats", "icmp")

    def interfaces(self) -> dict[str, dict]:
        return {i["if_name"]: i for i in self.ctl_json("show", "interfaces")}

    def routes(self) -> dict[str, dict]:
        return {r["prefix"]: r for r in self.ctl_json("show", "routes")}

    def wait_log(self, text: str, timeout: float = 5.0) -> str:
        return wait_until(lambda: text in self.log() and self.log(), timeout=timeout,
                          interval=0.05, what=f"routerd to log {text!r}")


def start_routerd(lab: Lab, ns: Netns, config: str, **kw) -> Routerd:
    """A started routerd (READY=1 seen)."""
    return Routerd(lab, ns, config, **kw).start()


def elapsed(since: float) -> float:
    return time.monotonic() - since
