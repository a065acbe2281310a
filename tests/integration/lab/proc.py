# SPDX-License-Identifier: Apache-2.0
# Running commands, in the root namespace or inside a lab netns, always with a timeout.
"""Two ways to run something:

* run(): a short command that must finish; returns subprocess.CompletedProcess, raises
  CommandError (with the command's stderr) on failure and subprocess.TimeoutExpired on a hang.
* spawn(): a long-lived process (routerd, tcpdump, a scapy responder) returned as a Proc that is
  stopped by its own PID: SIGTERM, a bounded wait, then SIGKILL. Nothing here ever kills by name,
  so a lab cannot touch processes it did not start.

`ip netns exec NS CMD` execs CMD in place (no fork in iproute2's non-batch mode), so the PID we
get is the PID of CMD itself.
"""

from __future__ import annotations

import ctypes
import os
import shlex
import signal
import subprocess
from pathlib import Path
from typing import IO, Sequence

DEFAULT_TIMEOUT = 30.0

Command = str | Sequence[str]


class CommandError(RuntimeError):
    """A command exited non-zero; carries the CompletedProcess for inspection."""

    def __init__(self, result: subprocess.CompletedProcess):
        self.result = result
        cmd = " ".join(shlex.quote(str(a)) for a in result.args)
        err = (result.stderr or "").strip() or (result.stdout or "").strip()
        super().__init__(f"command failed (exit {result.returncode}): {cmd}\n{err}")


def argv(cmd: Command, ns: str | None = None) -> list[str]:
    """The argument vector for cmd, prefixed with `ip netns exec NS` when ns is given."""
    args = shlex.split(cmd) if isinstance(cmd, str) else [str(a) for a in cmd]
    if not args:
        raise ValueError("empty command")
    return (["ip", "netns", "exec", ns] if ns else []) + args


def run(cmd: Command, ns: str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
        check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    """Run cmd to completion (text mode, output captured) and return the CompletedProcess."""
    result = subprocess.run(argv(cmd, ns), capture_output=True, text=True, timeout=timeout,
                            input=input, stdin=None if input is not None else subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise CommandError(result)
    return result


_PR_SET_PDEATHSIG = 1


def _child_setup() -> None:
    """Runs in the child between fork and exec: ask the kernel to SIGKILL the child when the
    test process dies (e.g. pytest itself is SIGKILLed), so a killed run leaves no routerd or
    tcpdump behind. Stale-lab removal is the second line of defence."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort; never fail the exec for it
        pass


class Proc:
    """A process the lab started. Stop it with stop(); it is never signalled by name."""

    def __init__(self, popen: subprocess.Popen, args: list[str], name: str,
                 log: Path | None = None):
        self.popen = popen
        self.args = args
        self.name = name
        self.log = log

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def stop(self, timeout: float = 5.0, sig: int = signal.SIGTERM,
             close_streams: bool = True) -> int:
        """Send sig (SIGTERM), wait up to timeout, then SIGKILL and wait again. Returns the exit
        status (negative = killed by that signal). Safe to call more than once: Popen refuses
        to signal a PID it has already reaped, so a reused PID is never hit. close_streams=False
        leaves pipes open for a reader thread that must drain them first."""
        if self.popen.poll() is None:
            try:
                self.popen.send_signal(sig)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=timeout)
        if close_streams:
            self.close_streams()
        return self.popen.returncode

    def close_streams(self) -> None:
        for stream in (self.popen.stdout, self.popen.stderr, self.popen.stdin):
            if stream:
                stream.close()

    def output(self) -> str:
        """The process's combined stdout/stderr when spawn() logged to a file."""
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def __repr__(self) -> str:
        return f"Proc({self.name!r}, pid={self.pid}, rc={self.returncode})"


def spawn(cmd: Command, ns: str | None = None, *, log: Path | None = None,
          stdout: int | IO | None = None, stderr: int | IO | None = None,
          name: str | None = None, env: dict[str, str] | None = None) -> Proc:
    """Start cmd in the background. Output goes to `log` (stdout and stderr together) when
    given, else to the given streams, else to /dev/null — never to an unread pipe, which would
    block the process once the pipe fills."""
    args = argv(cmd, ns)
    out: int | IO | None
    if log is not None:
        out = open(log, "ab")
        err: int | IO | None = subprocess.STDOUT
    else:
        out = stdout if stdout is not None else subprocess.DEVNULL
        err = stderr if stderr is not None else subprocess.DEVNULL
    try:
        popen = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True, preexec_fn=_child_setup,
                                 env={**os.environ, **env} if env else None)
    finally:
        if log is not None:
            out.close()  # the child holds its own copy
    return Proc(popen, args, name or os.path.basename(args[4 if ns else 0]), log)
