# SPDX-License-Identifier: Apache-2.0
# Standard topologies from CONFORMANCE section 0; for now the L1 line.
"""L1 line:

    h1 eth0 198.18.0.10/24 ── eth1 R eth2 ── eth0 h2 198.19.0.10/24
            gw .254            198.18.0.254/24 | 198.19.0.254/24      gw .254

With kernel_router=True, R is a Linux kernel router (addresses on eth1/eth2, ip_forward=1): the
LREF reference of CONFORMANCE 0 and the smoke test's subject. With kernel_router=False the R
namespace only has its two interfaces up and no addresses, because routerd owns the router
addresses in user space and the kernel must not answer for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .netns import Lab, Link, Netns
from .wait import wait_until

H1_ADDR = "198.18.0.10"
H2_ADDR = "198.19.0.10"
R_ETH1_ADDR = "198.18.0.254"
R_ETH2_ADDR = "198.19.0.254"
PLEN = 24


@dataclass
class L1:
    lab: Lab
    h1: Netns
    r: Netns
    h2: Netns
    left: Link    # h1 eth0 <-> r eth1
    right: Link   # r eth2 <-> h2 eth0


def wait_oper_up(ns: Netns, ifaces: tuple[str, ...], timeout: float = 5.0) -> None:
    """Wait until every iface in ns is operationally up. A new veth pair reports NO-CARRIER
    for up to a second after both ends are set up (the kernel's linkwatch delay): a router
    started in that window sees the port down, then a link-up event."""
    def up() -> bool:
        links = json.loads(ns.ip("-j", "link", "show").stdout)
        state = {link["ifname"]: link.get("operstate") for link in links}
        return all(state.get(i) == "UP" for i in ifaces)
    wait_until(up, timeout=timeout, interval=0.05, what=f"{ns.name} {ifaces} operstate UP")


def build_l1(lab: Lab, kernel_router: bool = True, r_ipv6: bool = False,
             wait_up: bool = True) -> L1:
    """Build the L1 line in `lab`; see the module docstring for the two router modes.
    r_ipv6=True leaves IPv6 on in R (as on a real host), so a test can check that routerd
    turns it off on its ports and back on at exit. wait_up: return only once all four veth
    ends are operationally up (see wait_oper_up)."""
    h1, r, h2 = lab.netns("h1"), lab.netns("r", ipv6=r_ipv6), lab.netns("h2")
    left = lab.link(h1, "eth0", r, "eth1")
    right = lab.link(r, "eth2", h2, "eth0")
    lab.host("h1", "eth0", f"{H1_ADDR}/{PLEN}", gateway=R_ETH1_ADDR)
    lab.host("h2", "eth0", f"{H2_ADDR}/{PLEN}", gateway=R_ETH2_ADDR)
    if kernel_router:
        r.addr_add("eth1", f"{R_ETH1_ADDR}/{PLEN}")
        r.addr_add("eth2", f"{R_ETH2_ADDR}/{PLEN}")
        r.sysctl("net.ipv4.ip_forward", 1)
    if wait_up:
        wait_oper_up(r, ("eth1", "eth2"))
        wait_oper_up(h1, ("eth0",))
        wait_oper_up(h2, ("eth0",))
    return L1(lab, h1, r, h2, left, right)
