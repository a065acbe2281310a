# SPDX-License-Identifier: Apache-2.0
# pytest fixtures for labs; conftest.py re-exports them, other runs load them with -p lab.fixtures.
"""Kept in the package (not only in conftest.py) so a test can run an inner pytest with the very
same fixtures, e.g. to prove that a failing test still leaves no namespace behind."""

from __future__ import annotations

import os
import shutil

import pytest

from .netns import Lab
from .topo import L1, build_l1

# ethtool: TX checksum offload must be off on lab veths (CONFORMANCE 0.1), or UDP/TCP through
# routerd fails while ping works — better a clear "missing ethtool" than that.
REQUIRED_TOOLS = ("ip", "tcpdump", "ping", "sysctl", "ethtool")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _missing_prerequisite() -> str | None:
    if os.geteuid() != 0:
        return "integration tests need root (network namespaces, veths, tcpdump)"
    missing = [t for t in REQUIRED_TOOLS if not shutil.which(t)]
    if missing:
        return f"integration tests need {', '.join(missing)} on PATH"
    try:
        import scapy  # noqa: F401
    except ImportError:
        return "integration tests need scapy: run them with Debian's /usr/bin/python3"
    return None


def require_lab_prerequisites() -> None:
    """Skip when the lab cannot run here — but fail under CI=true, where a skip would turn
    the whole integration suite into a silent pass."""
    reason = _missing_prerequisite()
    if reason:
        if in_ci():
            pytest.fail(f"{reason} (CI=true: refusing to skip)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _lab_prerequisites() -> None:
    require_lab_prerequisites()


@pytest.fixture
def lab(tmp_path) -> Lab:
    """A fresh lab; everything in it is removed after the test, pass or fail. Captures and
    process logs stay in tmp_path/lab for post-mortems (pytest keeps the last 3 runs)."""
    the_lab = Lab(workdir=tmp_path / "lab")
    try:
        yield the_lab
    finally:
        the_lab.close()


@pytest.fixture
def l1_kernel(lab) -> L1:
    """The L1 line with a Linux kernel router in R."""
    return build_l1(lab, kernel_router=True)
