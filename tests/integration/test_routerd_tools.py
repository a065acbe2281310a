# SPDX-License-Identifier: Apache-2.0
# scripts/demo (README's first command) and bench/routerd-forward (the forward-bench wrapper).
"""The demo must show routerd working and leave nothing behind, whether it ends by --for or by
Ctrl-C. The benchmark wrapper must turn forward-bench's environment into a configuration that
routerd accepts (checked with --check-config: no traffic, no benchmark run here)."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path

from lab import build_dir, list_netns, source_dir
from lab.routerd import routerd_bin


def _demo_cmd(*args: str) -> list[str]:
    return [str(source_dir() / "scripts" / "demo"), "--build-dir", str(build_dir()), *args]


def _procs_mentioning(text: str) -> list[int]:
    """PIDs whose command line mentions text (read-only scan; nothing is signalled)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if text.encode() in (d / "cmdline").read_bytes():
                pids.append(int(d.name))
        except OSError:
            continue
    return pids


def _check_demo_left_nothing(out: str) -> None:
    m = re.search(r"lab prefix (rdemo\d+)", out)
    assert m, out
    prefix = m[1]
    assert not [n for n in list_netns() if n.startswith(prefix + "-")], "namespaces left"
    m = re.search(r"\(log: (/tmp/routerd-demo\.[^/]+)/routerd\.log\)", out)
    assert m, out
    assert not Path(m[1]).exists(), f"{m[1]} left behind"
    assert not _procs_mentioning(m[1]), "a process of the demo still runs"
    assert f"removed namespaces {prefix}-h1 {prefix}-r {prefix}-h2" in out, out


def test_demo_for_5_seconds_shows_routerd_working_and_cleans_up():
    t0 = time.monotonic()
    r = subprocess.run(_demo_cmd("--for", "5"), capture_output=True, text=True, timeout=180,
                       stdin=subprocess.DEVNULL)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert time.monotonic() - t0 >= 5
    assert len(re.findall(r" 0% packet loss", out)) == 3, out
    # Both traceroutes: hop 1 is routerd, hop 2 is h2.
    assert len(re.findall(r"^ 1\s+198\.18\.0\.254\s", out, re.M)) == 2, out
    assert len(re.findall(r"^ 2\s+198\.19\.0\.10\s", out, re.M)) == 2, out
    assert re.search(r"^INDEX\s+NAME\s+FLAGS", out, re.M), out
    assert re.search(r"^\s*\d+\s+eth1\s.*198\.18\.0\.254/24", out, re.M), out
    assert re.search(r"^ips_forward\s+([1-9]\d*)\s", out, re.M), out
    _check_demo_left_nothing(out)


def test_demo_ctrl_c_cleans_up():
    p = subprocess.Popen(_demo_cmd(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    out = b""
    try:
        deadline = time.monotonic() + 120
        while b"demo: Ctrl-C to stop" not in out:
            assert p.poll() is None, out.decode(errors="replace")
            left = deadline - time.monotonic()
            assert left > 0, "demo did not reach its running state: " + out.decode()
            ready, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if ready:
                out += os.read(p.stdout.fileno(), 65536)
        p.send_signal(signal.SIGINT)
        rest, _ = p.communicate(timeout=60)
        out += rest
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)
    text = out.decode(errors="replace")
    assert p.returncode == 0, text
    _check_demo_left_nothing(text)


BENCH_ENV = {
    "RTR_IN": "rtr-in", "RTR_OUT": "rtr-out",
    "RTR_IN_MAC": "02:00:00:00:01:01", "RTR_OUT_MAC": "02:00:00:00:01:02",
    "RTR_IN_ADDR": "198.18.0.254/24", "RTR_OUT_ADDR": "198.19.0.254/24",
    "GEN_ADDR": "198.18.0.1", "GEN_MAC": "02:00:00:00:02:01",
    "SINK_ADDR": "198.19.0.1", "SINK_MAC": "02:00:00:00:03:01",
    "BENCH_RTR_CPU": "1", "BENCH_NETNS": "fb0-rtr",
}


def _wrapper(env: dict, *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in BENCH_ENV}
    full.update(env)
    return subprocess.run([str(source_dir() / "bench" / "routerd-forward"), *args],
                          capture_output=True, text=True, timeout=60, env=full,
                          stdin=subprocess.DEVNULL)


def test_bench_wrapper_writes_a_config_routerd_accepts():
    r = _wrapper({**BENCH_ENV, "ROUTERD_BIN": str(routerd_bin()), "ROUTERD_FORWARD_KEEP": "1"},
                 "--check-config")
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"^(/tmp/routerd-forward\.\d+\.\w+/routerd\.yaml): OK$", r.stdout, re.M)
    assert m, r.stdout
    yaml = r.stderr
    assert "- name: rtr-in\n    addresses: [198.18.0.254/24]" in yaml, yaml
    assert "- name: rtr-out\n    addresses: [198.19.0.254/24]" in yaml, yaml
    assert "forwarding: true" in yaml


def test_bench_wrapper_refuses_a_missing_or_bad_environment():
    env = dict(BENCH_ENV, ROUTERD_BIN=str(routerd_bin()))
    del env["RTR_OUT"]
    r = _wrapper(env, "--check-config")
    assert r.returncode == 2 and "RTR_OUT" in r.stderr, r
    r = _wrapper(dict(BENCH_ENV, RTR_IN_ADDR="198.18.0.254", ROUTERD_BIN=str(routerd_bin())),
                 "--check-config")
    assert r.returncode == 2 and "RTR_IN_ADDR" in r.stderr, r
    r = _wrapper(dict(BENCH_ENV, ROUTERD_BIN="/nonexistent/routerd"), "--check-config")
    assert r.returncode == 1, r


def test_bench_wrapper_runs_a_forwarding_routerd_in_forward_benchs_topology(lab):
    """forward-bench's topology and environment, built by hand (no generator, no benchmark):
    the wrapper, started the way forward-bench starts it, must exec a routerd that forwards
    gen → sink and stops cleanly on SIGTERM."""
    import shutil

    from lab import wait_until

    gen, rtr, sink = lab.netns("gen"), lab.netns("rtr"), lab.netns("sink")
    lab.link(gen, "gen0", rtr, "rtr-in")
    lab.link(rtr, "rtr-out", sink, "sink0")
    lab.host("gen", "gen0", "198.18.0.1/24", gateway="198.18.0.254")
    lab.host("sink", "sink0", "198.19.0.1/24", gateway="198.19.0.254")
    env = {
        "RTR_IN": "rtr-in", "RTR_OUT": "rtr-out",
        "RTR_IN_MAC": rtr.hwaddr("rtr-in"), "RTR_OUT_MAC": rtr.hwaddr("rtr-out"),
        "RTR_IN_ADDR": "198.18.0.254/24", "RTR_OUT_ADDR": "198.19.0.254/24",
        "GEN_ADDR": "198.18.0.1", "GEN_MAC": gen.hwaddr("gen0"),
        "SINK_ADDR": "198.19.0.1", "SINK_MAC": sink.hwaddr("sink0"),
        "BENCH_RTR_CPU": "0", "BENCH_NETNS": rtr.name, "ROUTERD_BIN": str(routerd_bin()),
    }
    wrapper = rtr.spawn([str(source_dir() / "bench" / "routerd-forward")], name="wrapper",
                        env=env)
    try:
        wait_until(lambda: gen.ping("198.19.0.1", count=1, wait=0.5).ok, timeout=20,
                   interval=0.2, what="gen → sink through the wrapper's routerd")
        assert Path(f"/proc/{wrapper.pid}/comm").read_text().strip() == "routerd", "exec'd"
        assert gen.ping("198.19.0.1", count=5, interval=0.05).ok
    finally:
        rc = wrapper.stop()
        for d in Path("/tmp").glob(f"routerd-forward.{wrapper.pid}.*"):
            shutil.rmtree(d, ignore_errors=True)
    assert rc == 0, wrapper.output()
