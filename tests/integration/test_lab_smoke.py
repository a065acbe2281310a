# SPDX-License-Identifier: Apache-2.0
# Smoke test of the lab library itself, on an L1 line with a Linux kernel router.
"""If these fail, no other integration test means anything: the lab must build a working line,
capture what really crosses it, refuse addresses outside the plan, and leave nothing behind —
after a failing test, and after a run that was SIGKILLed."""

from __future__ import annotations

import json
import os
import secrets
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lab import (ForbiddenAddress, Lab, build_l1, check_address, check_interface, cleanup_stale,
                 list_netns, run, wait_until)
from lab.capture import CaptureError
from lab.topo import H1_ADDR, H2_ADDR

HERE = Path(__file__).resolve().parent


def _ours(prefix: str) -> list[str]:
    return [n for n in list_netns() if n.startswith(prefix)]


def test_ping_h1_to_h2_through_kernel_router(l1_kernel):
    r = l1_kernel.h1.ping(H2_ADDR, count=3)
    assert r.transmitted == 3 and r.received == 3 and r.loss == 0.0, r.output


def test_forwarded_echo_request_has_ttl_decremented_by_one(l1_kernel):
    lab = l1_kernel.lab
    echo_req = "icmp[icmptype] == icmp-echo"
    cap_h1 = lab.capture(l1_kernel.h1, "eth0", echo_req, name="sent")
    cap_h2 = lab.capture(l1_kernel.h2, "eth0", echo_req, name="arrived")
    r = l1_kernel.h1.ping(H2_ADDR, count=3)
    assert r.ok, r.output
    cap_h1.stop()
    cap_h2.stop()

    from scapy.layers.inet import ICMP, IP

    def by_id_seq(pkts):
        return {(p[ICMP].id, p[ICMP].seq): p[IP] for p in pkts
                if IP in p and ICMP in p and p[ICMP].type == 8
                and p[IP].src == H1_ADDR and p[IP].dst == H2_ADDR}

    sent, arrived = by_id_seq(cap_h1.packets()), by_id_seq(cap_h2.packets())
    assert len(sent) == 3, cap_h1.stderr()
    assert sent.keys() == arrived.keys()
    for key, ip in sent.items():
        assert arrived[key].ttl == ip.ttl - 1, f"id/seq {key}: sent TTL {ip.ttl}, " \
                                               f"arrived TTL {arrived[key].ttl}"
    assert cap_h1.captured == 3 and cap_h2.captured == 3


def test_l1_without_kernel_router_leaves_r_unaddressed(lab):
    """The mode routerd will use: R's interfaces up, no kernel addresses, no kernel forwarding."""
    l1 = build_l1(lab, kernel_router=False)
    for iface in ("eth1", "eth2"):
        info = json.loads(l1.r.ip("-j", "addr", "show", "dev", iface).stdout)[0]
        assert not [a for a in info.get("addr_info", []) if a["family"] == "inet"], info
        assert "UP" in info["flags"]
    assert l1.r.sysctl_get("net.ipv4.ip_forward") == "0"
    assert l1.h1.ping(H2_ADDR, count=1, wait=0.5).received == 0


def test_capture_on_missing_interface_fails_fast(lab):
    ns = lab.netns("h1")
    with pytest.raises(CaptureError, match="nosuchif"):
        lab.capture(ns, "nosuchif")


def test_forbidden_addresses_are_refused(lab):
    ns = lab.netns("h1")
    with pytest.raises(ForbiddenAddress):
        ns.addr_add("lo", "10.1.1.1/24")
    assert "10.1.1.1" not in ns.ip("addr", "show", "dev", "lo").stdout
    with pytest.raises(ForbiddenAddress):
        ns.addr_add("lo", "198.18.0.1/8")        # address in the plan, subnet not
    with pytest.raises(ForbiddenAddress):
        ns.route_add("default", via="192.0.2.1")  # build hosts use 192.0.2.0/24
    with pytest.raises(ForbiddenAddress):
        ns.route_add("172.16.0.0/12", dev="lo")
    with pytest.raises(ForbiddenAddress):
        ns.ping("8.8.8.8", count=1)
    for ok in ("198.19.255.1", "198.51.100.7", "203.0.113.9", "239.1.2.3"):
        check_address(ok)
    check_interface("203.0.113.5/24")


def test_teardown_removes_everything_when_the_body_raises(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        with Lab(workdir=tmp_path / "lab") as lab:
            l1 = build_l1(lab)
            sleeper = l1.h2.spawn(["sleep", "60"])
            cap = lab.capture(l1.h1, "eth0", "icmp")
            names = [ns.name for ns in lab.namespaces.values()]
            assert set(names) <= set(list_netns())
            raise RuntimeError("boom")
    assert not _ours(lab.prefix), f"left behind: {_ours(lab.prefix)}"
    assert sleeper.returncode is not None and not cap.proc.alive()
    assert not lab.state_path.exists()


def test_fixture_teardown_after_a_failing_test(tmp_path):
    """Run a failing test with the real `lab` fixture in a child pytest; nothing may remain."""
    inner = tmp_path / "test_inner.py"
    out = tmp_path / "prefix.txt"
    inner.write_text(textwrap.dedent(f"""
        from lab import build_l1
        def test_fails(lab):
            build_l1(lab)
            open({str(out)!r}, "w").write(lab.prefix)
            assert False, "deliberate failure"
    """))
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "-p", "lab.fixtures", "--rootdir", str(tmp_path), str(inner)],
                       capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 1 and "deliberate failure" in r.stdout, r.stdout + r.stderr
    prefix = out.read_text()
    assert prefix and not _ours(prefix)


def test_stale_lab_of_dead_creator_is_removed_and_live_one_kept(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait(timeout=10)
    stale = {}
    for label, pid, start in (("dead", dead.pid, 1),            # creator exited
                              ("recycled", os.getpid(), -1)):  # PID alive, start time differs
        prefix = f"rd{secrets.token_hex(3)}-"
        run(["ip", "netns", "add", prefix + "x"])
        (state / f"{prefix[:-1]}.json").write_text(json.dumps({"pid": pid, "start": start}))
        stale[label] = prefix
    try:
        with Lab(workdir=tmp_path / "live", state_dir=state, remove_stale=False) as live:
            live.netns("h1")
            removed = cleanup_stale(state)
            assert sorted(removed) == sorted(stale.values())
            for prefix in stale.values():
                assert not _ours(prefix)
                assert not (state / f"{prefix[:-1]}.json").exists()
            assert _ours(live.prefix) == [live.prefix + "h1"]
            assert live.state_path.exists()
    finally:
        for prefix in stale.values():
            for name in _ours(prefix):
                run(["ip", "netns", "del", name], check=False)


def test_sigkilled_run_leaves_a_lab_the_next_run_removes(tmp_path):
    """A real killed run: a child builds L1 with a process inside, prints its prefix and hangs;
    we SIGKILL it by PID. PDEATHSIG must have killed its process; cleanup_stale the rest."""
    script = textwrap.dedent("""
        import sys, time
        from lab import Lab, build_l1
        lab = Lab(workdir=sys.argv[1])
        l1 = build_l1(lab)
        l1.h1.spawn(["sleep", "120"])
        print(lab.prefix, flush=True)
        time.sleep(120)
    """)
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "lab")], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        prefix = child.stdout.readline().strip() if ready else ""   # one flushed line
        assert prefix.startswith("rd"), child.stderr.read() if child.poll() is not None else ""
        assert len(_ours(prefix)) == 3
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()
    wait_until(lambda: not run(["ip", "netns", "pids", prefix + "h1"]).stdout.strip(),
               timeout=5, what="PDEATHSIG to kill the child's process in h1")
    assert len(_ours(prefix)) == 3          # stale, until a new run cleans it
    assert prefix in cleanup_stale()
    assert not _ours(prefix)
