# SPDX-License-Identifier: Apache-2.0
# Tests of scripts/check-layering: the real tree passes, and each kind of violation is caught.
"""The checker guards ARCHITECTURE 13; a checker that silently passes everything would be worse
than none, so each rule is shown to fire on a small tree made in tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("ROUTERD_SOURCE_DIR") or Path(__file__).resolve().parents[2])
SCRIPT = SOURCE / "scripts" / "check-layering"


def check(root: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT)] + (["--root", str(root)] if root else [])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (tmp_path / "router").mkdir(exist_ok=True)
    return tmp_path


def test_script_is_executable_python():
    assert os.access(SCRIPT, os.X_OK)
    assert SCRIPT.read_text().startswith("#!/usr/bin/python3\n")


def test_real_tree_passes():
    r = check()
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("layering: ") and r.stdout.rstrip().endswith("files checked, OK")


def test_lower_folder_including_higher_fails(tmp_path):
    root = tree(tmp_path, {"router/base/x.hh": '#pragma once\n#include "router/inet/ip_input.hh"\n'})
    r = check(root)
    assert r.returncode == 1
    assert r.stdout.strip() == ("router/base/x.hh:2: router/base may not include router/inet "
                                "(allowed: none)")


def test_allowed_includes_pass(tmp_path):
    root = tree(tmp_path, {
        "router/base/ip4.hh": "#pragma once\n#include <cstdint>\n",
        "router/packet/frame.hh": '#include "router/base/ip4.hh"\n#include "router/packet/x.hh"\n',
        "router/inet/ip_input.cc": '#include "router/packet/frame.hh"\n#include "router/fib/fib.hh"\n',
        "router/config/load.cc": '#include <yaml-cpp/yaml.h>\n#include "router/base/log.hh"\n',
        "router/dataplane/d.cc": '#include <boost/asio.hpp>\n#include "router/inet/ip_input.hh"\n',
        "router/daemon/main.cc": '#include "router/platform/af_packet.hh"\n#include <systemd/sd-daemon.h>\n',
        "agent/mib/if_mib.cc": '#include "router/api/codec.hh"\n#include "agent/mib/x.hh"\n'
                               '#include <net-snmp/net-snmp-config.h>\n',
        "tests/unit/router/packet/frame_test.cc": '#include <gtest/gtest.h>\n'
                                                  '#include "router/packet/frame.hh"\n'
                                                  '#include "tests/support/frames.hh"\n'
                                                  '#include "tests/unit/router/packet/util.hh"\n',
    })
    r = check(root)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "layering: 8 files checked, OK"


@pytest.mark.parametrize("rel,text,expected", [
    ("router/platform/p.cc", "#include <boost/asio.hpp>\n",
     "router/platform/p.cc:1: router/platform may not include <boost/asio.hpp> "
     "(boost only in: dataplane, control, daemon, agent)"),
    ("agent/a.cc", '#include "router/inet/ip_input.hh"\n',
     "agent/a.cc:1: agent may not include router/inet (allowed: router/base, router/api, agent)"),
    ("router/frob/f.cc", "#include <cstdint>\n",
     "router/frob/f.cc:1: unknown folder router/frob"),
    ("router/dataplane/d.cc", '#include "router/platform/af_packet.hh"\n',
     "router/dataplane/d.cc:1: router/dataplane may not include router/platform "
     "(allowed: router/base, router/packet, router/fib, router/api, router/inet)"),
    ("router/daemon/c.cc", "#include <yaml-cpp/yaml.h>\n",
     "router/daemon/c.cc:1: router/daemon may not include <yaml-cpp/yaml.h> "
     "(yaml-cpp only in: config)"),
    ("router/inet/i.cc", "#include <netlink/netlink.h>\n",
     "router/inet/i.cc:1: router/inet may not include <netlink/netlink.h> "
     "(libnl only in: platform)"),
    ("router/base/b.cc", '#include "agent/mib/x.hh"\n',
     "router/base/b.cc:1: router/base may not include agent (allowed: none)"),
    ("router/fib/f.cc", '#include "../base/ip4.hh"\n',
     'router/fib/f.cc:1: router/fib may not include "../base/ip4.hh"'),
    ("router/inet/t.cc", '#include "tests/support/frames.hh"\n',
     'router/inet/t.cc:1: router/inet may not include "tests/support/frames.hh"'),
    ("tests/unit/router/base/y_test.cc", '#include "tests/unit/router/fib/util.hh"\n',
     'tests/unit/router/base/y_test.cc:1: tests/unit/router/base may not include '
     '"tests/unit/router/fib/util.hh"'),
    ("tests/unit/router/base/x_test.cc", '#include "router/packet/frame.hh"\n',
     "tests/unit/router/base/x_test.cc:1: tests/unit/router/base may not include router/packet "
     "(allowed: none)"),
    ("router/inet/q.cc", '#include "router/nosuch/x.hh"\n',
     'router/inet/q.cc:1: router/inet includes "router/nosuch/x.hh": unknown folder '
     "router/nosuch"),
])
def test_violations_are_reported(tmp_path, rel, text, expected):
    r = check(tree(tmp_path, {rel: text}))
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), r.stdout


def test_includes_in_comments_are_ignored(tmp_path):
    root = tree(tmp_path, {"router/base/c.hh": '/* example:\n#include "router/inet/x.hh"\n*/\n'
                                              '// #include "router/inet/x.hh"\n'})
    assert check(root).returncode == 0


def test_every_violation_gets_its_own_line(tmp_path):
    root = tree(tmp_path, {"router/packet/p.cc": '#include "router/fib/a.hh"\n'
                                                '#include <boost/asio.hpp>\n'
                                                '#include "router/inet/b.hh"\n'})
    r = check(root)
    assert r.returncode == 1
    assert [ln.split(":")[1] for ln in r.stdout.strip().splitlines()] == ["1", "2", "3"]


def test_missing_root_is_an_error(tmp_path):
    r = subprocess.run([str(SCRIPT), "--root", str(tmp_path / "nope")], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "no router/" in r.stderr
