# SPDX-License-Identifier: Apache-2.0
# The integration-test lab: namespaces, veths, processes, captures, bounded waits, topologies.
"""Import from here: `from lab import Lab, build_l1, wait_until`. See tests/integration/README.md."""

from .addr import ForbiddenAddress, check_address, check_interface, check_prefix
from .capture import Capture, CaptureError
from .netns import (STATE_DIR, Lab, Link, Netns, cleanup_stale, list_netns,
                    process_start_time, remove_lab_namespaces)
from .paths import build_dir, build_path, source_dir
from .ping import PingResult, parse_ping, ping
from .proc import CommandError, Proc, run, spawn
from .topo import L1, build_l1
from .wait import wait_until

__all__ = [
    "ForbiddenAddress", "check_address", "check_interface", "check_prefix",
    "Capture", "CaptureError",
    "STATE_DIR", "Lab", "Link", "Netns", "cleanup_stale", "list_netns", "process_start_time",
    "remove_lab_namespaces",
    "build_dir", "build_path", "source_dir",
    "PingResult", "parse_ping", "ping",
    "CommandError", "Proc", "run", "spawn",
    "L1", "build_l1",
    "wait_until",
]
