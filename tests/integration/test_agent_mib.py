# SPDX-License-Identifier: Apache-2.0
# mibs/ROUTERD-MIB.txt: smilint-clean, loadable by Net-SNMP, and in step with stats.def and with
# the OIDs router-agent serves.
"""smilint exits 0 even on syntax errors, so "clean" means no output at all. The base modules
ROUTERD-MIB imports are staged into the build tree by mibs/fetch-base-mibs (npm's net-snmp
package), never committed."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from lab import build_dir, source_dir

MIB = "ROUTERD-MIB"


@pytest.fixture(scope="module")
def mibdirs() -> str:
    base = build_dir() / "mibs-base"
    r = subprocess.run([str(source_dir() / "mibs" / "fetch-base-mibs"), str(base)],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    return f"{base}:/usr/share/snmp/mibs:{source_dir() / 'mibs'}"


def mib_text() -> str:
    return (source_dir() / "mibs" / f"{MIB}.txt").read_text()


def object_names() -> list[str]:
    """Every OBJECT-TYPE descriptor in the module."""
    return re.findall(r"^(\w+) OBJECT-TYPE", mib_text(), re.M)


def test_smilint_level_6_and_9_print_nothing(mibdirs):
    env = {**os.environ, "SMIPATH": mibdirs}
    for level in ("6", "9"):
        mib = source_dir() / "mibs" / f"{MIB}.txt"
        r = subprocess.run(["smilint", "-l", level, "-s", str(mib)], capture_output=True,
                           text=True, timeout=60, env=env)
        assert r.stdout + r.stderr == "", f"smilint -l {level}:\n{r.stdout}{r.stderr}"


def test_smilint_does_report_a_broken_module(mibdirs, tmp_path):
    """The check above can fail: a module with a bad import makes smilint talk."""
    bad = tmp_path / f"{MIB}.txt"
    bad.write_text(mib_text().replace("FROM NET-SNMP-MIB", "FROM NO-SUCH-MIB"))
    r = subprocess.run(["smilint", "-l", "6", str(bad)], capture_output=True, text=True,
                       timeout=60, env={**os.environ, "SMIPATH": mibdirs})
    assert "NO-SUCH-MIB" in r.stdout + r.stderr


def test_mib_is_what_stats_def_gives():
    r = subprocess.run([str(source_dir() / "mibs" / "gen-routerd-mib"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def translate(mibdirs: str, names: list[str]) -> list[str]:
    r = subprocess.run(["snmptranslate", "-M", mibdirs, "-m", MIB, "-On",
                        *[f"{MIB}::{n}" for n in names]],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "MIBS": "", "SNMPCONFPATH": "/nonexistent"})
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    return r.stdout.split()


def test_snmptranslate_resolves_every_object_under_the_playpen_arc(mibdirs):
    names = object_names()
    assert len(names) == len(set(names)) > 80
    oids = translate(mibdirs, names)
    assert len(oids) == len(names)
    for name, oid in zip(names, oids):
        assert oid.startswith(".1.3.6.1.4.1.8072.9999.9999.4242.1."), (name, oid)


def stats_def_names(macro: str) -> list[str]:
    text = (source_dir() / "router" / "api" / "stats.def").read_text()
    return re.findall(rf"^{macro}\((\w+),", text, re.M)


@pytest.mark.parametrize("macro,group", [("RD_IPSTAT", 1), ("RD_ICMPSTAT", 2),
                                         ("RD_IGMPSTAT", 4), ("RD_RTSTAT", 5)])
def test_counter_oids_follow_stats_def_order(mibdirs, macro, group):
    """agent/mib/routerd_mib.cc serves the N-th stats.def counter of a group at group.N.0."""
    names = stats_def_names(macro)
    descriptors = ["rd" + "".join(p[:1].upper() + p[1:] for p in n.split("_")) for n in names]
    oids = translate(mibdirs, descriptors)
    for i, (d, oid) in enumerate(zip(descriptors, oids), start=1):
        assert oid == f".1.3.6.1.4.1.8072.9999.9999.4242.1.{group}.{i}", d


def test_agent_oid_constants_match_the_mib(mibdirs):
    """agent/mib/oids.hh's column and scalar numbers against the MIB text."""
    oids_hh = (source_dir() / "agent" / "mib" / "oids.hh").read_text()
    want = {"rdIpqTtl": "6.1", "rdIpSendRedirects": "6.4", "rdIpSourceRoute": "6.5",
            "rdIfMaskReply": "7.1.7", "rdIfRedirects": "7.1.8", "rdIfDirectedBroadcast": "7.1.9",
            "rdIfFlags": "7.1.1",
            "rdIcmpHistOutPkts": "3.1.3", "rdIfAddrFlags": "8.1.4",
            "rdAgentRouterdConnected": "9.1"}
    got = translate(mibdirs, list(want))
    for (name, tail), oid in zip(want.items(), got):
        assert oid == f".1.3.6.1.4.1.8072.9999.9999.4242.1.{tail}", name
    for name in ("RdIpqTtl", "RdIpSendRedirects", "RdIpSourceRoute", "RdIfMaskReply",
                 "RdIfRedirects", "RdIfDirectedBroadcast", "RdIfFlags"):
        n = want[name[0].lower() + name[1:]].split(".")[-1]
        assert re.search(rf"k{name} = {n};", oids_hh), name
