# SPDX-License-Identifier: Apache-2.0
# routerd --check-config end to end: exit codes, exact FILE:LINE:COL lines, and no side effects.
"""DESIGN.md: `--check-config` validates, prints each error as `FILE:LINE:COL: message` with FILE
exactly as given, exits exactly 1 on error and 0 when clean. Command-line mistakes exit 2 (so 1
always means "the configuration is invalid"). No namespaces needed: the check must not touch the
network at all, which test_check_config_touches_nothing asserts."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("ROUTERD_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("ROUTERD_BUILD_DIR", SOURCE / "build"))
ROUTERD = BUILD / "router" / "daemon" / "routerd"
EXAMPLES = sorted(p for p in (SOURCE / "config").rglob("*.yaml"))

TWO_PORTS = """\
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24]
  - name: eth2
    addresses: [198.19.0.254/24]
"""


@pytest.fixture(autouse=True)
def _lab_prerequisites() -> None:
    """Overrides conftest's lab check: these tests build no lab and run anywhere."""


def routerd(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    if not ROUTERD.exists():
        pytest.fail(f"{ROUTERD} not built (set ROUTERD_BUILD_DIR)")
    return subprocess.run([str(ROUTERD), *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd, stdin=subprocess.DEVNULL)


def check(config: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return routerd("--check-config", "--config", str(config), cwd=cwd)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_files_are_valid(example: Path) -> None:
    result = check(example)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{example}: OK\n"
    assert result.stderr == ""


def test_there_are_examples() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"routerd.yaml", "two-port.yaml", "igmp-querier.yaml", "reject-blackhole.yaml",
            "lab.yaml"} <= names


# (id, file text, expected stderr lines with FILE standing for the path given)
BROKEN = [
    ("yaml-syntax", "ip:\n  forwarding: [true\n  default-ttl: 64\n",
     ["FILE:3:14: YAML syntax error: end of sequence flow not found"]),
    ("empty", "",
     ["FILE:1:1: empty configuration (expected a mapping with keys ip, interfaces, routes, "
      "control)"]),
    ("unknown-key", TWO_PORTS + "ip:\n  forwardng: true\n",
     ["FILE:7:3: unknown key 'forwardng' in ip (did you mean 'forwarding'?)"]),
    ("wrong-type", TWO_PORTS + "ip:\n  forwarding: yes\n",
     ["FILE:7:15: expected a boolean (true or false) for 'forwarding', got 'yes'"]),
    ("out-of-range", TWO_PORTS + "ip:\n  default-ttl: 256\n",
     ["FILE:7:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 256"]),
    ("mtu", "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n    mtu: 67\n",
     ["FILE:4:10: 'mtu' must be 68-65535 (RFC 791 3.2), got 67"]),
    ("bad-prefix", TWO_PORTS + "routes:\n  - {prefix: 203.0.113/24, reject: true}\n",
     ["FILE:7:14: bad prefix '203.0.113/24' (expected A.B.C.D/LEN)"]),
    ("host-bits", TWO_PORTS + "routes:\n  - {prefix: 203.0.113.9/24, reject: true}\n",
     ["FILE:7:14: prefix 203.0.113.9/24 has host bits set (did you mean 203.0.113.0/24?)"]),
    ("duplicate-interface",
     "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n"
     "  - name: eth1\n    addresses: [198.19.0.254/24]\n",
     ["FILE:4:11: duplicate interface 'eth1' (first at line 2)"]),
    ("same-address",
     "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n"
     "  - name: eth2\n    addresses: [198.18.0.254/24]\n",
     ["FILE:5:17: address 198.18.0.254 is also on interface 'eth1' (line 3)"]),
    ("overlap",
     "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n"
     "  - name: eth2\n    addresses: [198.18.1.254/23]\n",
     ["FILE:5:17: subnet 198.18.0.0/23 of 198.18.1.254/23 overlaps 198.18.0.0/24 of interface "
      "'eth1' (line 3)"]),
    ("via-not-connected", TWO_PORTS + "routes:\n  - {prefix: 0.0.0.0/0, via: 203.0.113.1}\n",
     ["FILE:7:30: next hop 203.0.113.1 is on no connected subnet"]),
    ("unknown-interface",
     TWO_PORTS + "routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1, interface: eth7}\n",
     ["FILE:7:58: unknown interface 'eth7' (interfaces: eth1, eth2)"]),
    ("duplicate-route",
     TWO_PORTS + "routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1}\n"
     "  - {prefix: 203.0.113.0/24, reject: true}\n",
     ["FILE:8:14: duplicate route 203.0.113.0/24 (first at line 7)"]),
    ("via-and-reject",
     TWO_PORTS + "routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1, reject: true}\n",
     ["FILE:7:47: 'reject' cannot be combined with 'via'"]),
    ("eleven-addresses",
     "interfaces:\n  - name: eth1\n    addresses: ["
     + ", ".join(f"198.18.{i}.1/24" for i in range(11)) + "]\n",
     ["FILE:3:167: interface 'eth1' has more than 10 addresses"]),
    # CONFORMANCE J18: QRI >= QI, robustness 0, v2 QRI 30 s.
    ("igmp-j18",
     "interfaces:\n"
     "  - name: eth1\n    addresses: [198.18.0.254/24]\n"
     "    igmp: {querier: true, query-interval: 10, query-response-interval: 10}\n"
     "  - name: eth2\n    addresses: [198.19.0.254/24]\n"
     "    igmp: {querier: true, robustness: 0}\n"
     "  - name: eth3\n    addresses: [203.0.113.254/24]\n"
     "    igmp: {querier: true, version: 2, query-response-interval: 30}\n",
     ["FILE:4:72: 'query-response-interval' (10 s) must be shorter than 'query-interval' (10 s) "
      "(RFC 2236 8.3, RFC 3376 8.3)",
      "FILE:7:39: 'robustness' must be 1-255 (RFC 3376 8.1), got 0",
      "FILE:10:64: 'query-response-interval' must be at most 25.5 s with IGMP version 2 "
      "(RFC 2236 2.2), got 30"]),
    ("many-errors-in-file-order",
     "routes:\n  - {prefix: 203.0.113.0/24, via: 198.51.100.1}\n"
     "ip:\n  default-ttl: 0\n  bogus: 1\n"
     "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n    mtu: 10\n",
     ["FILE:2:35: next hop 198.51.100.1 is on no connected subnet",
      "FILE:4:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0",
      "FILE:5:3: unknown key 'bogus' in ip (expected one of: forwarding, default-ttl, "
      "reassembly-timeout, send-redirects, source-route)",
      "FILE:9:10: 'mtu' must be 68-65535 (RFC 791 3.2), got 10"]),
]


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in BROKEN],
                         ids=[i for i, _, _ in BROKEN])
def test_broken_file_exits_1_with_positioned_errors(tmp_path: Path, text: str,
                                                   expected: list[str]) -> None:
    path = tmp_path / "routerd.yaml"
    path.write_text(text)
    result = check(path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [e.replace("FILE", str(path), 1) for e in expected]


@pytest.mark.parametrize("spelling", ["bad.yaml", "./bad.yaml", "sub/../bad.yaml"])
def test_file_is_named_exactly_as_given(tmp_path: Path, spelling: str) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "bad.yaml", TWO_PORTS + "ip:\n  default-ttl: 0\n")
    result = check(spelling, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"{spelling}:7:16: 'default-ttl' must be 1-255 "
                             "(RFC 1122 3.2.1.7), got 0\n")
    absolute = tmp_path / "bad.yaml"
    result = check(absolute)
    assert result.stderr.startswith(f"{absolute}:7:16: ")


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = check(missing)
    assert result.returncode == 1
    assert result.stderr == f"{missing}: cannot read: No such file or directory\n"
    result = check(tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path}: cannot read: Is a directory\n"


def test_default_config_path_is_etc_routerd() -> None:
    default = Path("/etc/routerd/routerd.yaml")
    if default.exists():
        pytest.skip("an installed /etc/routerd/routerd.yaml would be checked instead")
    result = routerd("--check-config")
    assert result.returncode == 1
    assert result.stderr == f"{default}: cannot read: No such file or directory\n"


def test_warning_alone_still_passes(tmp_path: Path) -> None:
    path = write(tmp_path / "w.yaml", """\
        interfaces:
          - name: eth1
            addresses: [198.18.0.254/24]
            igmp: {querier: true, robustness: 1}
        """)
    result = check(path)
    assert result.returncode == 0
    assert result.stdout == f"{path}: OK\n"
    assert result.stderr == (f"{path}:4:39: warning: 'robustness' 1 means one lost packet "
                             "loses membership (RFC 3376 8.1: should not be one)\n")


@pytest.mark.parametrize("args", [
    ["--check-config", "--bogus"],
    ["--check-config", "--log-level", "loud"],
    ["--check-config", "--config"],
    ["--check-config", "--control-socket", "relative.sock"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = routerd(*args)
    assert result.returncode == 2, result.stderr
    assert result.stderr != ""


def test_help_exits_0() -> None:
    result = routerd("--help")
    assert result.returncode == 0
    for flag in ("--config", "--check-config", "--control-socket", "--log-level"):
        assert flag in result.stdout


def test_daemon_refuses_an_invalid_file_before_touching_anything(tmp_path: Path) -> None:
    # Without --check-config routerd is the daemon; an invalid file stops it at once, with the
    # same diagnostics and exit status 1, before any port, socket or sysctl is touched.
    path = write(tmp_path / "bad.yaml", TWO_PORTS + "bogus: 1\n")
    sock = tmp_path / "control.sock"
    result = routerd("--config", str(path), "--control-socket", str(sock))
    assert result.returncode == 1, result.stderr
    assert "unknown key 'bogus'" in result.stderr
    assert not sock.exists()
    assert not (tmp_path / "kernel-state").exists()


def _system_state() -> dict[str, str]:
    def out(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout

    return {
        "links": out("ip", "-o", "link", "show"),
        "addresses": out("ip", "-o", "address", "show"),
        "routes": out("ip", "route", "show", "table", "all"),
        "forwarding": Path("/proc/sys/net/ipv4/ip_forward").read_text(),
    }


def test_check_config_touches_nothing(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    path = write(tmp_path / "cfg" / "routerd.yaml", TWO_PORTS + f"""\
control:
  socket: {run_dir}/control.sock
""")
    flag_socket = tmp_path / "flag" / "control.sock"
    before_state = _system_state()
    before_files = sorted(str(p) for p in tmp_path.rglob("*"))
    before_stat = path.stat()
    for args in (["--check-config", "--config", str(path)],
                 ["--check-config", "--config", str(path), "--control-socket", str(flag_socket),
                  "--log-level", "debug"]):
        result = routerd(*args)
        assert result.returncode == 0, result.stderr
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before_files
    assert not run_dir.exists() and not flag_socket.parent.exists()
    after_stat = path.stat()
    assert (after_stat.st_mtime_ns, after_stat.st_size) == (before_stat.st_mtime_ns,
                                                            before_stat.st_size)
    assert _system_state() == before_state
