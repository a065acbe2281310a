# SPDX-License-Identifier: Apache-2.0
# Address-plan guard: the lab refuses any IPv4 address outside the project's test plan.
"""Every address the lab library is given passes through here.

Why: lab traffic must stay on addresses that can never be real (DESIGN "Tests and labs"):
198.18.0.0/15 (RFC 2544 benchmarking), 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737) and
239.0.0.0/8 groups. A typo such as 10.1.1.1 or 192.0.2.1 (used by build hosts) must fail loudly
at the call site instead of reaching a real network.
"""

from __future__ import annotations

import ipaddress

ALLOWED_NETWORKS: tuple[ipaddress.IPv4Network, ...] = tuple(
    ipaddress.IPv4Network(n)
    for n in ("198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "239.0.0.0/8")
)


class ForbiddenAddress(ValueError):
    """An address (or prefix) outside the test address plan was given to the lab."""


def _allowed(net: ipaddress.IPv4Network) -> bool:
    return any(net.subnet_of(a) for a in ALLOWED_NETWORKS)


def check_address(text: str) -> ipaddress.IPv4Address:
    """Return the address if it is in the plan, else raise ForbiddenAddress."""
    try:
        a = ipaddress.IPv4Address(text)
    except ValueError as e:
        raise ForbiddenAddress(f"not an IPv4 address: {text!r}") from e
    if not _allowed(ipaddress.IPv4Network(a)):
        raise ForbiddenAddress(f"{a} is outside the lab address plan "
                               f"({', '.join(map(str, ALLOWED_NETWORKS))})")
    return a


def check_interface(text: str) -> ipaddress.IPv4Interface:
    """Check "A.B.C.D/len" for an interface: the address and its whole subnet must be in the plan,
    so a wide mask cannot make a lab host claim on-link reachability outside the plan."""
    try:
        i = ipaddress.IPv4Interface(text)
    except ValueError as e:
        raise ForbiddenAddress(f"not an IPv4 interface address: {text!r}") from e
    if not _allowed(i.network):
        raise ForbiddenAddress(f"{i} is outside the lab address plan "
                               f"({', '.join(map(str, ALLOWED_NETWORKS))})")
    return i


def check_prefix(text: str) -> ipaddress.IPv4Network:
    """Check a route destination: "default" is allowed (routes then point at a checked
    gateway); any other prefix must lie inside the plan."""
    if text == "default":
        return ipaddress.IPv4Network("0.0.0.0/0")
    try:
        n = ipaddress.IPv4Network(text, strict=True)
    except ValueError as e:
        raise ForbiddenAddress(f"not an IPv4 prefix: {text!r}") from e
    if not _allowed(n):
        raise ForbiddenAddress(f"{n} is outside the lab address plan "
                               f"({', '.join(map(str, ALLOWED_NETWORKS))})")
    return n
