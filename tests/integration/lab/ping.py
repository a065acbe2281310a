# SPDX-License-Identifier: Apache-2.0
# ping from inside a namespace, with the summary line parsed into numbers.
"""Tests assert on loss, not on ping's exit status: ping exits 1 on any loss and 2 on errors,
and a test usually wants to say "0% loss" or "100% loss" explicitly."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from .addr import check_address
from .proc import argv

_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received(?:, \+(\d+) errors)?"
                      r"(?:, \+\d+ duplicates)?, ([\d.]+)% packet loss")


@dataclass
class PingResult:
    transmitted: int
    received: int
    errors: int
    loss: float          # percent, as ping prints it
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.transmitted > 0 and self.received == self.transmitted


def parse_ping(output: str, returncode: int = 0) -> PingResult:
    """Parse iputils ping's statistics line; raises ValueError when there is none (e.g. ping
    failed before sending: unknown host, no route)."""
    m = _SUMMARY.search(output)
    if not m:
        raise ValueError(f"no ping summary in output:\n{output}")
    return PingResult(int(m[1]), int(m[2]), int(m[3] or 0), float(m[4]), returncode, output)


def ping(ns: str, dst: str, count: int = 3, *, interval: float = 0.2, wait: float = 1.0,
         size: int | None = None, ttl: int | None = None, extra: list[str] | None = None,
         ) -> PingResult:
    """ping -c count dst from namespace ns. The whole run is bounded by ping's own -w deadline
    and by a subprocess timeout a few seconds above it."""
    check_address(dst)
    if count < 1 or count > 1000:
        raise ValueError("ping count must be 1..1000")
    deadline = int(count * interval + wait + 1.999)
    cmd = ["ping", "-n", "-c", str(count), "-i", str(interval), "-W", str(wait),
           "-w", str(deadline)]
    if size is not None:
        cmd += ["-s", str(size)]
    if ttl is not None:
        cmd += ["-t", str(ttl)]
    cmd += (extra or []) + [dst]
    r = subprocess.run(argv(cmd, ns), capture_output=True, text=True, timeout=deadline + 10,
                       stdin=subprocess.DEVNULL)
    return parse_ping(r.stdout + r.stderr, r.returncode)
