# SPDX-License-Identifier: Apache-2.0
# The route-table figure of issue #7: snmpbulkwalk of ipRouteTable with 10,000 routes through
# router-agent (routerd's FIB, paged over the control socket) against net-snmp's own
# kernel-backed ipRouteTable over 10,000 kernel routes. Also a completeness check of both walks.
"""Prints the two times (pytest -s shows them); asserts only that each walk returns every row
in order, since the machine is shared and times vary. ROUTERD_AGENT_ROUTES changes the count."""

from __future__ import annotations

import os
import time

from lab import build_l1
from lab.routerd import Routerd, l1_yaml
from test_agent import INET_CIDR_ROUTE_ENTRY as CIDR_ENTRY
from test_agent import IP_ROUTE_ENTRY, Snmp

N = int(os.environ.get("ROUTERD_AGENT_ROUTES", "10000"))
BASE = (198 << 24) | (18 << 16) | (64 << 8)  # 198.18.64.0: /32 routes from here, in the plan


def dotted(a: int) -> str:
    return ".".join(str((a >> s) & 0xFF) for s in (24, 16, 8, 0))


def dests() -> list[str]:
    return [dotted(BASE + i) for i in range(N)]


def timed_walk(snmp: Snmp, table: str) -> tuple[float, int, list[str]]:
    """Seconds to bulk-walk the whole table, its instance count, and column 1's indexes (the
    row index order; for inetCidrRouteTable column 7, its first readable one)."""
    t0 = time.monotonic()
    vs = snmp.walk(table)
    took = time.monotonic() - t0
    first = f".{table}.{1 if table == IP_ROUTE_ENTRY else 7}."
    return took, len(vs), [v.oid[len(first):] for v in vs if v.oid.startswith(first)]


def test_route_table_walk_through_router_agent_vs_kernel_snmpd(lab, tmp_path):
    assert N <= 16000  # stays inside 198.18.64.0/18
    l1 = build_l1(lab, kernel_router=False)
    routes = "".join(f"  - {{prefix: {d}/32, via: 198.19.0.10}}\n" for d in dests())
    rd = Routerd(lab, l1.r, l1_yaml(routes=routes), log_level="info").start(timeout=60)
    snmp = Snmp(lab, l1.r, rd.socket_path)
    snmp.start_snmpd()
    snmp.start_agent(cache_ms=1000)

    # The kernel side: namespace k, a veth pair inside it (no dummy module here), N kernel
    # routes, snmpd's own modules.
    k = lab.netns("k")
    k.ip("link", "add", "d0", "type", "veth", "peer", "name", "d1")
    k.ip("link", "set", "d1", "up")
    k.ip("link", "set", "d0", "up")
    k.addr_add("d0", "198.19.0.1/24")
    batch = tmp_path / "routes.batch"
    batch.write_text("".join(f"route add {d}/32 via 198.19.0.10\n" for d in dests()))
    k.ip("-batch", str(batch))
    kernel = Snmp(lab, k, rd.socket_path)
    kernel.start_snmpd()

    want = set(dests())
    report = []
    for name, table in (("ipRouteTable", IP_ROUTE_ENTRY), ("inetCidrRouteTable", CIDR_ENTRY)):
        t_agent, n_agent, agent_rows = timed_walk(snmp, table)
        t_kernel, n_kernel, kernel_rows = timed_walk(kernel, table)
        dest = (lambda r: r) if table == IP_ROUTE_ENTRY else (lambda r: ".".join(r.split(".")[2:6]))
        assert want <= {dest(r) for r in agent_rows} and len(agent_rows) == N + 2  # + connected
        assert want <= {dest(r) for r in kernel_rows}
        for rows in (agent_rows, kernel_rows):
            keys = [tuple(int(x) for x in r.split(".")) for r in rows]
            assert keys == sorted(keys)
        report.append(f"{name} snmpbulkwalk, {N} routes: router-agent {t_agent:.2f}s "
                      f"({len(agent_rows)} rows, {n_agent} objects), net-snmp kernel-backed "
                      f"{t_kernel:.2f}s ({len(kernel_rows)} rows, {n_kernel} objects)")
    print("\n" + "\n".join(report))
