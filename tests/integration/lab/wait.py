# SPDX-License-Identifier: Apache-2.0
# Bounded polling: wait_until() is the only way lab code and tests wait for something.
"""Integration tests never sleep for a fixed time and hope; they poll a predicate with a
deadline, so a slow machine only makes them slower and a broken router makes them fail with a
message that says what was awaited instead of hanging until the ctest timeout."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.05,
               what: str | None = None) -> T:
    """Call predicate until it returns a truthy value and return that value.

    Raises TimeoutError naming `what` (or the predicate) and the last value or exception seen
    once `timeout` seconds have passed. The predicate is always tried at least once, and once
    more at the deadline, so a tiny timeout still gets a fair last chance.
    """
    if timeout < 0 or interval <= 0:
        raise ValueError("wait_until: timeout must be >= 0 and interval > 0")
    label = what or getattr(predicate, "__name__", repr(predicate))
    deadline = time.monotonic() + timeout
    last: object = None
    last_exc: BaseException | None = None
    while True:
        try:
            value = predicate()
            last_exc = None
            if value:
                return value
            last = value
        except Exception as e:  # noqa: BLE001 - reported in the TimeoutError below
            last_exc = e
        now = time.monotonic()
        if now >= deadline:
            break
        time.sleep(min(interval, deadline - now))
    detail = f"last exception: {last_exc!r}" if last_exc else f"last value: {last!r}"
    raise TimeoutError(f"timed out after {timeout:g}s waiting for {label} ({detail})")
