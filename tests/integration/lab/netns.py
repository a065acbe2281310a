# SPDX-License-Identifier: Apache-2.0
# Labs: a set of network namespaces joined by veth pairs, owned by one test and always removed.
"""A Lab owns everything a test builds: namespaces, veth pairs, processes, captures.

Names: every namespace is "rd" + 6 random hex digits + "-" + a short name ("rd3fa91c-h1"), so
parallel runs never collide and a lab's namespaces are found by prefix. Before creating anything,
the lab writes /run/routerd-lab/<prefix>.json with the creating process's PID and start time.
A later Lab() (cleanup_stale) removes labs whose creator is gone — a SIGKILLed pytest leaves no
finalizer behind — and never touches a lab whose creator still runs. The start time guards
against a recycled PID.

veth pairs are created directly inside their namespaces with their final names
(`ip -n A link add eth1 type veth peer name eth0 netns B`), so no temporary name ever exists in
the root namespace. Deleting a namespace deletes its veths; processes still inside are killed by
PID first, because a namespace with live processes outlives its name.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from .addr import check_address, check_interface, check_prefix
from .capture import Capture
from .ping import PingResult, ping
from .proc import Command, Proc, run, spawn
from .wait import wait_until

STATE_DIR = Path("/run/routerd-lab")
PREFIX_RE = re.compile(r"^rd[0-9a-f]{6}-$")
_NS_NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,7}$")
# ≤ 15 chars (IFNAMSIZ - 1), and at least two so names like "a"/"b" (iproute2 keywords) are out.
_IF_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,14}$")


# -- namespace and process helpers shared by Lab and stale-lab removal ------------------------

def list_netns() -> list[str]:
    """Names of all named network namespaces (`ip netns list`, first word of each line)."""
    out = run(["ip", "netns", "list"], timeout=10).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def netns_pids(name: str) -> list[int]:
    r = run(["ip", "netns", "pids", name], timeout=10, check=False)
    return [int(p) for p in r.stdout.split() if p.isdigit()]


def delete_netns(name: str, timeout: float = 10.0) -> None:
    """Kill (by PID) whatever still runs inside the namespace, then delete it. Only called on
    namespaces of a lab, so every such process was started by that lab."""
    for pid in netns_pids(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_until(lambda: not netns_pids(name), timeout=timeout,
               what=f"processes in netns {name} to exit")
    r = run(["ip", "netns", "del", name], timeout=timeout, check=False)
    if r.returncode != 0 and name in list_netns():
        raise RuntimeError(f"cannot delete netns {name}: {r.stderr.strip()}")


def remove_lab_namespaces(prefix: str) -> list[str]:
    """Delete every namespace whose name starts with prefix; returns the names deleted."""
    if not PREFIX_RE.match(prefix):
        raise ValueError(f"refusing to remove namespaces for malformed prefix {prefix!r}")
    gone = []
    for name in list_netns():
        if name.startswith(prefix):
            delete_netns(name)
            gone.append(name)
    return gone


def process_start_time(pid: int) -> int | None:
    """Field 22 of /proc/PID/stat (start time in clock ticks since boot), or None if there is no
    such process. Used with the PID to tell "same process" from "recycled PID"."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[19])


def _state_file(state_dir: Path, prefix: str) -> Path:
    return state_dir / f"{prefix.rstrip('-')}.json"


def _creator_alive(state: dict) -> bool:
    pid, start = state.get("pid"), state.get("start")
    return isinstance(pid, int) and pid > 0 and process_start_time(pid) == start


def cleanup_stale(state_dir: Path = STATE_DIR, grace: float = 10.0) -> list[str]:
    """Remove labs whose creating process is gone; return their prefixes.

    A state file that cannot be parsed is treated as stale only once it is older than `grace`
    seconds (its writer may be between creating and filling it).
    """
    removed = []
    if not state_dir.is_dir():
        return removed
    for f in sorted(state_dir.glob("rd*.json")):
        prefix = f.stem + "-"
        if not PREFIX_RE.match(prefix):
            continue
        try:
            state = json.loads(f.read_text())
        except FileNotFoundError:
            continue  # removed by its owner or a concurrent cleaner meanwhile
        except ValueError:
            try:
                if time.time() - f.stat().st_mtime < grace:
                    continue
            except FileNotFoundError:
                continue
            state = {}
        if _creator_alive(state):
            continue
        try:
            remove_lab_namespaces(prefix)
        except Exception as e:  # noqa: BLE001 - one stuck stale lab must not block new labs
            warnings.warn(f"could not remove stale lab {prefix}: {e}", RuntimeWarning)
            continue
        f.unlink(missing_ok=True)
        removed.append(prefix)
    return removed


# -- the lab ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """One veth pair: a.a_if <-> b.b_if."""
    a: "Netns"
    a_if: str
    b: "Netns"
    b_if: str


class Netns:
    """One namespace of a lab. `name` is the real netns name, `short` the test's name for it."""

    def __init__(self, lab: "Lab", short: str):
        self.lab = lab
        self.short = short
        self.name = lab.prefix + short

    def __repr__(self) -> str:
        return f"Netns({self.name})"

    def run(self, cmd: Command, **kw) -> subprocess.CompletedProcess:
        """run() inside this namespace (ip netns exec)."""
        return run(cmd, self.name, **kw)

    def ip(self, *args: str, **kw) -> subprocess.CompletedProcess:
        """`ip -n NS ARGS...` — no exec into the namespace needed for iproute2 itself."""
        return run(["ip", "-n", self.name, *args], **kw)

    def link_up(self, iface: str) -> None:
        self.ip("link", "set", iface, "up")

    def addr_add(self, iface: str, cidr: str) -> None:
        """Add "A.B.C.D/len" to iface; refuses addresses outside the plan."""
        check_interface(cidr)
        self.ip("addr", "add", cidr, "dev", iface)

    def route_add(self, dst: str, via: str | None = None, dev: str | None = None) -> None:
        """Add a route; dst is "default" or a plan prefix, via a plan address."""
        check_prefix(dst)
        args = ["route", "add", dst]
        if via:
            check_address(via)
            args += ["via", via]
        if dev:
            args += ["dev", dev]
        if not via and not dev:
            raise ValueError("route_add needs via or dev")
        self.ip(*args)

    def default_route(self, via: str) -> None:
        self.route_add("default", via=via)

    def sysctl(self, key: str, value: str | int) -> None:
        """Set a sysctl inside this namespace (net.* keys are per namespace)."""
        self.run(["sysctl", "-q", "-w", f"{key}={value}"], timeout=10)

    def sysctl_get(self, key: str) -> str:
        return self.run(["sysctl", "-n", key], timeout=10).stdout.strip()

    def hwaddr(self, iface: str) -> str:
        return json.loads(self.ip("-j", "link", "show", iface).stdout)[0]["address"]

    def pids(self) -> list[int]:
        return netns_pids(self.name)

    def spawn(self, cmd: Command, name: str | None = None, **kw) -> Proc:
        return self.lab.spawn(cmd, self, name=name, **kw)

    def capture(self, iface: str, filter: str = "", name: str | None = None, **kw) -> Capture:
        return self.lab.capture(self, iface, filter, name=name, **kw)

    def ping(self, dst: str, count: int = 3, **kw) -> PingResult:
        return ping(self.name, dst, count, **kw)

    def send_frames(self, iface: str, frames: list[bytes], timeout: float = 20.0) -> None:
        """Transmit raw Ethernet frames (as built, e.g. bytes(scapy_packet)) on iface, in
        order, through an AF_PACKET socket inside this namespace. The frames are built by the
        test, so whatever they carry (bad checksums, martian addresses) stays on this lab's
        veths. No padding is added: a 25-byte frame leaves as 25 bytes."""
        if not _IF_NAME_RE.match(iface):
            raise ValueError(f"interface name {iface!r}")
        if not frames or len(frames) > 100_000:
            raise ValueError("send_frames: 1..100000 frames")
        script = ("import socket,sys\n"
                  "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\n"
                  "s.bind((sys.argv[1],0))\n"
                  "for line in sys.stdin:\n"
                  "    line=line.strip()\n"
                  "    if line: s.send(bytes.fromhex(line))\n")
        self.run(["/usr/bin/python3", "-c", script, iface], timeout=timeout,
                 input="\n".join(bytes(f).hex() for f in frames) + "\n")


class Lab:
    """Everything one test builds. Use as a context manager or through the `lab` fixture;
    close() removes it all even if the test failed half-way."""

    def __init__(self, workdir: Path | None = None, state_dir: Path = STATE_DIR,
                 remove_stale: bool = True):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(mode=0o755, parents=True, exist_ok=True)
        self.stale_removed = cleanup_stale(self.state_dir) if remove_stale else []
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="routerd-lab-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.namespaces: dict[str, Netns] = {}
        self.procs: list[Proc | Capture] = []
        self.cleanups: list = []
        self.warnings: list[str] = []
        self.closed = False
        self.prefix = self._claim_prefix()
        self.ethtool = shutil.which("ethtool")

    def _claim_prefix(self) -> str:
        """Pick an unused prefix and record its owner (O_EXCL) before any namespace exists."""
        existing = list_netns()
        for _ in range(32):
            prefix = f"rd{secrets.token_hex(3)}-"
            if any(n.startswith(prefix) for n in existing):
                continue
            path = _state_file(self.state_dir, prefix)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            pid = os.getpid()
            state = {"prefix": prefix, "pid": pid, "start": process_start_time(pid),
                     "created": time.time(), "workdir": str(self.workdir)}
            with os.fdopen(fd, "w") as f:
                json.dump(state, f)
            self.state_path = path
            return prefix
        raise RuntimeError("could not find a free lab prefix")

    # -- building ------------------------------------------------------------------------------

    def netns(self, short: str, ipv6: bool = False) -> Netns:
        """Create namespace prefix+short with lo up. IPv6 is off by default so captures and
        counters see no router solicitations or MLD reports, only the test's traffic."""
        self._check_open()
        if not _NS_NAME_RE.match(short):
            raise ValueError(f"namespace name {short!r}: use 1-8 lower-case letters/digits")
        if short in self.namespaces:
            raise ValueError(f"namespace {short!r} already exists in this lab")
        ns = Netns(self, short)
        run(["ip", "netns", "add", ns.name], timeout=10)
        self.namespaces[short] = ns
        ns.link_up("lo")
        if not ipv6 and Path("/proc/sys/net/ipv6").exists():
            ns.sysctl("net.ipv6.conf.all.disable_ipv6", 1)
            ns.sysctl("net.ipv6.conf.default.disable_ipv6", 1)
        return ns

    def host(self, short: str, iface: str, cidr: str, gateway: str | None = None) -> Netns:
        """A plain Linux host: namespace + address on iface (the link must exist already, see
        link()) + optional default route. Convenience for the common case."""
        ns = self.namespaces.get(short) or self.netns(short)
        ns.addr_add(iface, cidr)
        if gateway:
            ns.default_route(gateway)
        return ns

    def link(self, a: Netns, a_if: str, b: Netns, b_if: str, *, mtu: int | None = None,
             tx_off: bool = True, up: bool = True) -> Link:
        """A veth pair a.a_if <-> b.b_if, created inside the namespaces under its final names.

        tx_off: turn TX checksum offload off on both ends (CONFORMANCE 0.1: a frame sent with
        offload reaches an AF_PACKET relay with an unfinished checksum, and UDP/TCP through
        routerd then fail while ping works). Needs ethtool; without it the lab warns."""
        self._check_open()
        for ifn in (a_if, b_if):
            if not _IF_NAME_RE.match(ifn):
                raise ValueError(f"interface name {ifn!r}: 2-15 chars, letter first")
        args = ["link", "add", a_if]
        if mtu:
            args += ["mtu", str(mtu)]
        args += ["type", "veth", "peer", "name", b_if, "netns", b.name]
        if mtu:
            args += ["mtu", str(mtu)]
        a.ip(*args, timeout=10)
        if tx_off:
            self._tx_off(a, a_if)
            self._tx_off(b, b_if)
        if up:
            a.link_up(a_if)
            b.link_up(b_if)
        return Link(a, a_if, b, b_if)

    def _tx_off(self, ns: Netns, iface: str) -> None:
        if not self.ethtool:
            msg = ("ethtool is not installed: TX checksum offload stays on for lab veths "
                   "(install the Debian package ethtool)")
            if msg not in self.warnings:
                self.warnings.append(msg)
                warnings.warn(msg, RuntimeWarning, stacklevel=3)
            return
        ns.run([self.ethtool, "-K", iface, "tx", "off"], timeout=10)

    def add_cleanup(self, fn) -> None:
        """Call fn() in close(), after the processes stopped and before the namespaces go
        (newest first), e.g. to remove a temporary directory a helper made."""
        self._check_open()
        self.cleanups.append(fn)

    # -- processes ------------------------------------------------------------------------------

    def spawn(self, cmd: Command, ns: Netns | None = None, name: str | None = None,
              **kw) -> Proc:
        """Start a background process (inside ns if given); stdout+stderr go to
        <workdir>/<name>.log unless other streams are given. Stopped by close()."""
        self._check_open()
        if "log" not in kw and "stdout" not in kw and "stderr" not in kw:
            base = name or (cmd.split()[0] if isinstance(cmd, str) else str(cmd[0]))
            base = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.basename(base))
            tag = f"{ns.short}-" if ns else ""
            kw["log"] = self.workdir / f"{tag}{base}-{len(self.procs)}.log"
        p = spawn(cmd, ns.name if ns else None, name=name, **kw)
        self.procs.append(p)
        return p

    def capture(self, ns: Netns, iface: str, filter: str = "", name: str | None = None,
                start: bool = True, **kw) -> Capture:
        """A tcpdump capture into <workdir>/<ns>-<iface>[-name].pcap, started (and listening)
        on return unless start=False."""
        self._check_open()
        fname = f"{ns.short}-{iface}" + (f"-{name}" if name else "") + f"-{len(self.procs)}.pcap"
        c = Capture(ns.name, iface, self.workdir / fname, filter, **kw)
        self.procs.append(c)
        if start:
            c.start()
        return c

    # -- teardown -------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("lab is closed")

    def close(self) -> None:
        """Stop processes (newest first), then delete the namespaces (which deletes their
        veths), then the state file. Every step runs even if an earlier one failed; the first
        error is raised at the end so a broken teardown is still visible."""
        if self.closed:
            return
        self.closed = True
        errors: list[BaseException] = []
        for p in reversed(self.procs):
            try:
                p.stop()
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        try:
            for ns in list(self.namespaces.values()):
                try:
                    delete_netns(ns.name)
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
            remove_lab_namespaces(self.prefix)  # anything made by hand with our prefix
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        if not errors:
            self.state_path.unlink(missing_ok=True)
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if errors:
            raise errors[0]

    def __enter__(self) -> "Lab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
