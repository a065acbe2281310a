# SPDX-License-Identifier: Apache-2.0
# Background packet capture: tcpdump inside a namespace, read back with scapy.
"""A capture is only useful if it was really listening before the traffic and really flushed
after it. So start() blocks until tcpdump prints "listening on" (with a deadline, reporting its
stderr if it dies instead), tcpdump runs with -U and --immediate-mode so each packet reaches the
file as soon as it is seen, and stop() waits for the file to stop growing before sending SIGTERM
(tcpdump's handler closes the file cleanly) to the capture's own PID.

-Z root keeps tcpdump from switching to the `tcpdump` user, which could not write into pytest's
root-only tmp_path on every setup. Packets are decoded with Debian's scapy (/usr/bin/python3).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from .proc import Proc, spawn
from .wait import wait_until


class CaptureError(RuntimeError):
    """tcpdump did not start, or died."""


class Capture:
    """tcpdump -i iface -w path [filter] inside namespace ns."""

    def __init__(self, ns: str, iface: str, path: Path, filter: str = "",
                 snaplen: int = 0, promisc: bool = True):
        self.ns = ns
        self.iface = iface
        self.path = Path(path)
        self.filter = filter
        self.snaplen = snaplen
        self.promisc = promisc
        self.proc: Proc | None = None
        self.stderr_lines: list[str] = []
        self._listening = threading.Event()
        self._reader: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> "Capture":
        if self.proc is not None:
            raise CaptureError("capture already started")
        cmd = ["tcpdump", "-n", "-U", "--immediate-mode", "-Z", "root", "-w", str(self.path),
               "-i", self.iface]
        if self.snaplen:
            cmd += ["-s", str(self.snaplen)]
        if not self.promisc:
            cmd.append("-p")
        if self.filter:
            cmd.append(self.filter)
        self.proc = spawn(cmd, self.ns, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          name=f"tcpdump[{self.ns}:{self.iface}]")
        self._reader = threading.Thread(target=self._read_stderr, daemon=True,
                                        name=f"tcpdump-stderr-{self.proc.pid}")
        self._reader.start()
        try:
            wait_until(lambda: self._listening.is_set() or not self.proc.alive(),
                       timeout=timeout, interval=0.02,
                       what=f"tcpdump on {self.ns}:{self.iface} to start listening")
        except TimeoutError:
            self.proc.stop(close_streams=False)
            self._join_reader()
            raise CaptureError(f"tcpdump on {self.ns}:{self.iface} did not start within "
                               f"{timeout}s: {self.stderr()}") from None
        if not self._listening.is_set():
            self.proc.stop(close_streams=False)
            self._join_reader()
            raise CaptureError(f"tcpdump on {self.ns}:{self.iface} exited "
                               f"({self.proc.returncode}): {self.stderr()}")
        return self

    def _read_stderr(self) -> None:
        """Drain tcpdump's stderr (so it can never block on a full pipe) and note when it is
        listening."""
        assert self.proc and self.proc.popen.stderr
        for raw in self.proc.popen.stderr:
            line = raw.decode(errors="replace").rstrip("\n")
            self.stderr_lines.append(line)
            if "listening on" in line:
                self._listening.set()

    def _join_reader(self) -> None:
        """After tcpdump exited: let the reader see EOF (so the "packets captured" lines are
        kept), then close the pipe."""
        if self._reader:
            self._reader.join(timeout=5)
        if self.proc:
            self.proc.close_streams()

    def stderr(self) -> str:
        return "\n".join(self.stderr_lines)

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def stop(self, settle: float = 0.2, timeout: float = 5.0) -> "Capture":
        """Wait (at most `timeout`) until the file has not grown for `settle` seconds, then stop
        tcpdump by PID. Idempotent."""
        if self.proc is None or not self.proc.alive():
            if self.proc is not None:
                self.proc.stop(close_streams=False)
                self._join_reader()
            return self
        deadline = time.monotonic() + timeout
        size, since = self._size(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < settle:
            time.sleep(0.05)
            s = self._size()
            if s != size:
                size, since = s, time.monotonic()
        self.proc.stop(timeout=timeout, close_streams=False)
        self._join_reader()
        return self

    @property
    def captured(self) -> int | None:
        """tcpdump's own "N packets captured" count (after stop), for cross-checking."""
        for line in self.stderr_lines:
            m = re.match(r"(\d+) packets? captured", line)
            if m:
                return int(m[1])
        return None

    def __enter__(self) -> "Capture":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- reading -----------------------------------------------------------------------------

    def packets(self) -> list:
        """All packets written so far, as scapy packets (Ether/IP/... decoded). Works while the
        capture runs: tcpdump -U writes whole records, and a torn last record is dropped."""
        from scapy.error import Scapy_Exception
        import scapy.layers.inet  # noqa: F401 - registers IP/ICMP/UDP dissectors
        import scapy.layers.l2  # noqa: F401 - registers Ether/ARP
        from scapy.utils import PcapReader

        if self._size() < 24:  # pcap global header not written yet
            return []
        out = []
        try:
            with PcapReader(str(self.path)) as reader:
                for pkt in reader:
                    out.append(pkt)
        except (EOFError, Scapy_Exception):
            pass
        return out

    def wait_for(self, match: Callable[[object], bool], count: int = 1,
                 timeout: float = 5.0) -> list:
        """Poll the file until at least `count` packets satisfy `match`; return them."""
        def found():
            hits = [p for p in self.packets() if match(p)]
            return hits if len(hits) >= count else None
        return wait_until(found, timeout=timeout, interval=0.1,
                          what=f"{count} matching packet(s) on {self.ns}:{self.iface}")
