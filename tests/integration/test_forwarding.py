# SPDX-License-Identifier: Apache-2.0
# routerd forwarding IPv4 between Linux hosts (issue #8): ping, traceroute, unreachables, time
# exceeded, malformed datagrams counted once and never forwarded, and a silent router kernel.
"""CONFORMANCE row ids are in the test names and docstrings. Topology L1 (CONFORMANCE 0):

    h1 198.18.0.10 ── eth1 R eth2 ── h2 198.19.0.10     (h2 also has 203.0.113.10/32 on lo)

R runs routerd on the YAML below; its kernel interfaces have no address. One lab and one routerd
serve the whole module (the tests only read counters before and after their own traffic, and
nothing else sends: IPv6 is off in the hosts, no IGMP querier runs).

Malformed datagrams are built with scapy in the test and transmitted raw from h1; each is followed
by an echo request to R in the same burst, and the test waits for its reply: frames of one port
are handled in order, so by then routerd has processed the malformed one. The counters expected
are the sync echo's own effect (measured once) plus exactly one drop counter moved by one.
"""

from __future__ import annotations

import itertools
import re

import pytest

from lab import Lab, build_l1, wait_until
from lab.fixtures import require_lab_prerequisites
from lab.routerd import start_routerd
from lab.topo import H1_ADDR, H2_ADDR, R_ETH1_ADDR, R_ETH2_ADDR

FAR_ADDR = "203.0.113.10"     # on h2's lo, behind a static route
BLACKHOLED = "203.0.113.200"  # 203.0.113.128/25 blackhole
REJECTED = "198.51.100.7"     # 198.51.100.0/24 reject
UNROUTED = "198.18.77.1"      # no route at all

FWD_YAML = """\
ip:
  forwarding: true
  send-redirects: true
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24]
  - name: eth2
    addresses: [198.19.0.254/24]
routes:
  - {prefix: 203.0.113.0/24, via: 198.19.0.10}
  - {prefix: 203.0.113.128/25, blackhole: true}
  - {prefix: 198.51.100.0/24, reject: true}
"""


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    require_lab_prerequisites()
    lab = Lab(workdir=tmp_path_factory.mktemp("fwd") / "lab")
    try:
        l1 = build_l1(lab, kernel_router=False)
        l1.h2.addr_add("lo", f"{FAR_ADDR}/32")
        rd = start_routerd(lab, l1.r, FWD_YAML)
        l1.rd = rd
        l1.r_mac = {i: l1.r.hwaddr(i) for i in ("eth1", "eth2")}
        l1.h1_mac = l1.h1.hwaddr("eth0")
        l1.h2_mac = l1.h2.hwaddr("eth0")
        yield l1
    finally:
        lab.close()


def traceroute(ns, *args: str, dst: str) -> list[list[str]]:
    """traceroute -n ... dst → per hop one entry per probe: the address that answered it, or
    '*'. (traceroute prints an address once, then the times of every probe it answered.)"""
    r = ns.run(["traceroute", "-n", "-w", "2", "-m", "5", *args, dst], timeout=60, check=False)
    hops = []
    for line in r.stdout.splitlines()[1:]:
        m = re.match(r"\s*(\d+)\s+(.*)", line)
        if not m:
            continue
        probes, addr = [], None
        for tok in re.findall(r"\d+\.\d+\.\d+\.\d+|[\d.]+ ms|\*", m[2]):
            if tok == "*":
                probes.append("*")
            elif tok.endswith(" ms"):
                probes.append(addr)
            else:
                addr = tok
        hops.append(probes)
    assert hops, r.stdout + r.stderr
    return hops


# -- ping and traceroute ------------------------------------------------------------------------

@pytest.mark.parametrize("src,dst", [("h1", H2_ADDR), ("h2", H1_ADDR), ("h1", R_ETH1_ADDR),
                                     ("h1", R_ETH2_ADDR), ("h2", R_ETH2_ADDR),
                                     ("h2", R_ETH1_ADDR), ("h1", FAR_ADDR)])
def test_a01_ping(net, src, dst):
    """A01/F01: echo through and to routerd, both ways, no loss and no duplicate (a kernel
    answering too would show as DUP!)."""
    r = getattr(net, src).ping(dst, count=3, interval=0.1, extra=["-p", "deadbeef"])
    assert r.ok and "DUP" not in r.output, r.output


def test_f02_echo_reply_comes_from_the_address_asked(net):
    cap = net.lab.capture(net.h1, "eth0", "icmp[icmptype] == icmp-echoreply")
    assert net.h1.ping(R_ETH2_ADDR, count=1).ok
    cap.stop()
    reps = [p for p in cap.packets() if p.haslayer("ICMP")]
    assert [p["IP"].src for p in reps] == [R_ETH2_ADDR]
    assert reps[0].src == net.r_mac["eth1"]


def test_b13_forwarding_decrements_ttl_by_one(net):
    cap = net.lab.capture(net.h2, "eth0", "icmp[icmptype] == icmp-echo")
    assert net.h1.ping(H2_ADDR, count=2, interval=0.1, ttl=2).ok
    cap.stop()
    ttls = [p["IP"].ttl for p in cap.packets() if p.haslayer("ICMP")]
    assert ttls == [1, 1], ttls
    # Forwarded frames leave with R's eth2 MAC towards h2's MAC.
    assert {(p.src, p.dst) for p in cap.packets()} == {(net.r_mac["eth2"], net.h2_mac)}


@pytest.mark.parametrize("mode", [[], ["-I"]], ids=["udp", "icmp"])
def test_b13_e01_traceroute_shows_the_router_then_the_far_host(net, mode):
    # traceroute sends all its probes at once; with h2 not yet in R's ARP cache only the few
    # that fit the per-next-hop queue (RFC 1122 2.3.2.2) would survive, so resolve first.
    assert net.h1.ping(H2_ADDR, count=1).ok
    hops = traceroute(net.h1, *mode, dst=H2_ADDR)
    assert len(hops) == 2, hops
    assert hops[0] == [R_ETH1_ADDR] * 3, f"E08: all three probes answered at hop 1: {hops}"
    assert H2_ADDR in hops[1], hops


def test_x07_udp_traceroute_to_the_router_ends_at_the_router(net):
    """UDP to a router address draws port unreachable, so traceroute stops at hop 1. The error
    comes from the address of the interface it leaves by (RFC 1812 4.3.2.4), here eth1's."""
    hops = traceroute(net.h1, dst=R_ETH2_ADDR)
    assert len(hops) == 1 and set(hops[0]) <= {R_ETH1_ADDR, R_ETH2_ADDR}, hops


# -- unreachables and time exceeded -------------------------------------------------------------

def _icmp_errors_on_h1(net, run, what: str):
    cap = net.lab.capture(net.h1, "eth0", "icmp and not icmp[icmptype] == icmp-echo and "
                                          "not icmp[icmptype] == icmp-echoreply", name=what)
    run()
    cap.stop()
    return [p for p in cap.packets() if p.haslayer("ICMP")]


@pytest.mark.parametrize("dst,row", [(UNROUTED, "C02"), (REJECTED, "C03")])
def test_c02_c03_no_route_and_reject_route_give_net_unreachable(net, dst, row):
    rd = net.rd
    ip0, rt0 = rd.ipstat(), rd.ctl_json("show", "stats", "route")
    res = {}
    # (ping stops at the first error it gets: one echo request each, twice)
    errs = _icmp_errors_on_h1(net, lambda: res.update(
        r=[net.h1.ping(dst, count=1, wait=2) for _ in range(2)]), row)
    for r in res["r"]:
        assert r.transmitted == 1 and r.received == 0, r.output
        assert f"From {R_ETH1_ADDR} icmp_seq=1 Destination Net Unreachable" in r.output, r.output
    assert [(p["ICMP"].type, p["ICMP"].code, p["IP"].src) for p in errs] == \
        [(3, 0, R_ETH1_ADDR)] * 2, [p.summary() for p in errs]
    quoted = errs[0]["ICMP"].payload
    assert quoted.src == H1_ADDR and quoted.dst == dst, "the error quotes the datagram"
    ip1, rt1 = rd.ipstat(), rd.ctl_json("show", "stats", "route")
    assert ip1["ips_noroute"] - ip0["ips_noroute"] == 2, (row, ip0, ip1)
    assert rt1["rts_unreach"] - rt0["rts_unreach"] == 2, (row, rt0, rt1)
    assert ip1["ips_forward"] == ip0["ips_forward"]


def test_c01_c03_blackhole_route_is_silent(net):
    """C03: blackhole drops without a word. C01: 203.0.113.128/25 (blackhole) wins over
    203.0.113.0/24 (via h2) for .200 by longest prefix, while .10 still reaches h2."""
    assert net.h1.ping(FAR_ADDR, count=1).ok
    cap_h2 = net.lab.capture(net.h2, "eth0", "not arp")
    res = {}
    errs = _icmp_errors_on_h1(net, lambda: res.update(r=net.h1.ping(BLACKHOLED, count=2,
                                                                    interval=0.3, wait=1)), "bh")
    cap_h2.stop()
    assert res["r"].received == 0 and not errs, [p.summary() for p in errs]
    assert not cap_h2.packets()


def test_b13_ttl_1_gives_time_exceeded_and_nothing_reaches_h2(net):
    cap_h2 = net.lab.capture(net.h2, "eth0", "icmp")
    res = {}
    errs = _icmp_errors_on_h1(net, lambda: res.update(
        r=[net.h1.ping(H2_ADDR, count=1, ttl=1, wait=2) for _ in range(2)]), "te")
    cap_h2.stop()
    for r in res["r"]:
        assert f"From {R_ETH1_ADDR} icmp_seq=1 Time to live exceeded" in r.output, r.output
    assert [(p["ICMP"].type, p["ICMP"].code, p["IP"].src) for p in errs] == \
        [(11, 0, R_ETH1_ADDR)] * 2, [p.summary() for p in errs]
    assert errs[0]["IP"].ttl == 64, "E06: a fresh TTL (ip_default_ttl)"
    assert not cap_h2.packets(), "TTL 1 is never forwarded (R never emits TTL 0)"


def test_b12_ttl_1_to_the_router_itself_is_answered(net):
    assert net.h1.ping(R_ETH1_ADDR, count=2, ttl=1, interval=0.1).ok


# -- malformed datagrams (B01-B07, B09-B11) -----------------------------------------------------

_ids = itertools.count(0x4200)


def _eth(net, dst_mac: str | None = None, ethertype: int = 0x0800):
    from scapy.layers.l2 import Ether
    return Ether(src=net.h1_mac, dst=dst_mac or net.r_mac["eth1"], type=ethertype)


def _udp_to_h2(net, marker: bytes, **ip):
    from scapy.layers.inet import IP, UDP
    fields = {"src": H1_ADDR, "dst": H2_ADDR, "ttl": 64}
    fields.update(ip)
    return IP(**fields) / UDP(sport=40000, dport=9) / marker


def _with_checksum(raw: bytes, cover: int = 20) -> bytes:
    """Rewrite the header checksum so the first `cover` bytes of the IPv4 header sum right."""
    from scapy.utils import checksum
    hdr = bytearray(raw[:cover])
    hdr[10:12] = b"\0\0"
    c = checksum(bytes(hdr))
    return raw[:10] + c.to_bytes(2, "big") + raw[12:]


def build_malformed(net, kind: str, marker: bytes) -> bytes:
    """The frames of CONFORMANCE B01-B06, B09-B11, each with exactly one defect."""
    from scapy.layers.inet import ICMP, IP
    eth = bytes(_eth(net))
    good = bytes(_udp_to_h2(net, marker))
    if kind == "B01-toosmall":
        return eth + b"\x45" + b"\0" * 10                       # 11 bytes of "IP"
    if kind == "B04-badsum":
        bad = bytearray(good)
        bad[10] ^= 0x5a
        return eth + bytes(bad)
    if kind in ("B02-version5", "B02-version6"):
        v = 5 if kind.endswith("5") else 6
        return eth + _with_checksum(bytes([(v << 4) | 5]) + good[1:])
    if kind == "B03-ihl4":
        # ihl 4, checksum right over 16 bytes *and* over 20: the destination's two 16-bit words
        # add up to 0xffff (198.19.57.236: 0xc613 + 0x39ec), so only the header length is wrong
        # whichever order the checks run in.
        p = bytearray(bytes(IP(src=H1_ADDR, dst="198.19.57.236", ttl=64, proto=17)) + good[20:])
        p[0] = 0x44
        p = bytearray(_with_checksum(bytes(p), 16))
        assert _with_checksum(bytes(p), 20) == bytes(p)
        return eth + bytes(p)
    if kind == "B03-ihl15":
        # ihl 15 (60 bytes) but only the 20-byte header arrives; checksum right over those 20.
        p = bytearray(good[:20])
        p[0] = 0x4f
        p[2:4] = (20).to_bytes(2, "big")
        return eth + _with_checksum(bytes(p))
    if kind == "B05-badlen":
        p = bytearray(good)
        p[2:4] = (16).to_bytes(2, "big")
        return eth + _with_checksum(bytes(p))
    if kind == "B06-tooshort":
        p = bytearray(good)
        p[2:4] = (1000).to_bytes(2, "big")
        return eth + _with_checksum(bytes(p))
    if kind.startswith("B09-src-"):
        return eth + bytes(_udp_to_h2(net, marker, src=kind[len("B09-src-"):]))
    if kind.startswith("B09-dst-"):
        return eth + bytes(_udp_to_h2(net, marker, dst=kind[len("B09-dst-"):]))
    if kind == "B10-limited-broadcast":
        return bytes(_eth(net, "ff:ff:ff:ff:ff:ff")) + \
            bytes(_udp_to_h2(net, marker, dst="255.255.255.255"))
    if kind == "B11-l2-broadcast-unicast-ip":
        return bytes(_eth(net, "ff:ff:ff:ff:ff:ff")) + bytes(_udp_to_h2(net, marker, ttl=1))
    if kind == "B11-l2-broadcast-echo-to-router":
        return bytes(_eth(net, "ff:ff:ff:ff:ff:ff")) + bytes(
            IP(src=H1_ADDR, dst=R_ETH1_ADDR) / ICMP(id=0x4b11) / marker)
    if kind == "B11-l2-multicast-unicast-ip":
        return bytes(_eth(net, "01:00:5e:01:02:03")) + bytes(_udp_to_h2(net, marker))
    raise ValueError(kind)


# kind → the one ipstat counter it moves (besides ips_total).
MALFORMED = {
    "B01-toosmall": "ips_toosmall",
    "B04-badsum": "ips_badsum",
    "B02-version5": "ips_badvers",
    "B02-version6": "ips_badvers",
    "B03-ihl4": "ips_badhlen",
    "B03-ihl15": "ips_badhlen",
    "B05-badlen": "ips_badlen",
    "B06-tooshort": "ips_tooshort",
    # B09 martian sources (RFC 1812 5.3.7): never forwarded, never answered.
    "B09-src-0.0.0.0": "ips_badaddr",
    "B09-src-127.0.0.1": "ips_badaddr",
    "B09-src-224.0.0.5": "ips_badaddr",
    "B09-src-240.0.0.1": "ips_badaddr",
    "B09-src-255.255.255.255": "ips_badaddr",
    "B09-src-198.18.0.255": "ips_badaddr",       # the arrival subnet's broadcast
    "B09-src-198.19.0.255": "ips_badaddr",       # another connected subnet's broadcast
    "B09-src-198.19.0.254": "ips_badaddr",       # R's own address, arriving from outside
    # B09 martian destinations.
    "B09-dst-127.0.0.1": "ips_badaddr",
    "B09-dst-0.1.2.3": "ips_badaddr",
    "B09-dst-240.0.0.1": "ips_badaddr",
    # B10: received locally (delivered), never forwarded, no ICMP error (E02).
    "B10-limited-broadcast": "ips_delivered",
    # B11 (RFC 1812 5.3.4): a unicast datagram in a link-layer broadcast/multicast frame is
    # neither forwarded nor answered; counted as a datagram that cannot be forwarded.
    "B11-l2-broadcast-unicast-ip": "ips_cantforward",
    "B11-l2-broadcast-echo-to-router": "ips_cantforward",
    "B11-l2-multicast-unicast-ip": "ips_cantforward",
}


def _martian_log_line(net, kind: str) -> str | None:
    """The log line RFC 1812 5.3.7 asks for a B09 martian (source, destination, interface and
    MAC, conformance B09); None for the other kinds."""
    if not kind.startswith("B09-"):
        return None
    what, addr = kind[len("B09-"):].split("-", 1)
    src, dst = (addr, H2_ADDR) if what == "src" else (H1_ADDR, addr)
    return f"martian: src {src} dst {dst} on eth1 from {net.h1_mac}"


def _sync_echo(net, ident: int) -> bytes:
    from scapy.layers.inet import ICMP, IP
    return bytes(_eth(net) / IP(src=H1_ADDR, dst=R_ETH1_ADDR) / ICMP(id=ident, seq=1) /
                 b"routerd-sync")


def _send_and_sync(net, frames: list[bytes], cap_h1) -> None:
    ident = next(_ids)
    net.h1.send_frames("eth0", frames + [_sync_echo(net, ident)])
    cap_h1.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].type == 0
                    and p["ICMP"].id == ident, timeout=5)


def _delta(a: dict, b: dict) -> dict:
    return {k: b[k] - a[k] for k in a if b[k] != a[k]}


@pytest.fixture(scope="module")
def sync_effect(net):
    """What one sync echo alone does to ipstat (measured twice: it must be stable)."""
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="sync")
    effects = []
    for _ in range(2):
        a = net.rd.ipstat()
        _send_and_sync(net, [], cap)
        effects.append(_delta(a, net.rd.ipstat()))
    cap.stop()
    assert effects[0] == effects[1], effects
    return effects[0]


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_b_malformed_datagram_moves_one_counter_and_is_not_forwarded(net, sync_effect, kind):
    marker = f"routerd-{kind}".encode()
    cap_h1 = net.lab.capture(net.h1, "eth0", "icmp", name="h1")
    cap_h2 = net.lab.capture(net.h2, "eth0", "not arp", name="h2")
    line = _martian_log_line(net, kind)
    logged = net.rd.log().count(line) if line else 0
    before = net.rd.ipstat()
    _send_and_sync(net, [build_malformed(net, kind, marker)], cap_h1)
    after = net.rd.ipstat()
    cap_h2.stop()
    cap_h1.stop()

    d = _delta(before, after)
    extra = {k: d.get(k, 0) - sync_effect.get(k, 0) for k in set(d) | set(sync_effect)}
    extra = {k: v for k, v in extra.items() if v}
    total = extra.pop("ips_total", 0)
    assert total in (0, 1), f"ips_total moved by {total}"
    expected = MALFORMED[kind]
    assert extra == {expected: 1}, f"{kind}: counters moved {extra} (expected {expected} +1)"
    assert not cap_h2.packets(), f"{kind} reached h2: {[p.summary() for p in cap_h2.packets()]}"
    icmp = [p for p in cap_h1.packets() if p.haslayer("ICMP") and p.src != net.h1_mac
            and not (p["ICMP"].type == 0 and bytes(p["ICMP"].payload) == b"routerd-sync")]
    assert not icmp, f"{kind} drew ICMP (E03: silently discarded): {[p.summary() for p in icmp]}"
    if line:
        # conformance B09, RFC 1812 5.3.7: the martian is logged (routerd's control thread logs
        # the worker's samples once per second).
        wait_until(lambda: net.rd.log().count(line) > logged, timeout=5,
                   what=f"routerd to log {line!r}")


def test_b07_trailing_bytes_are_trimmed_when_forwarding_and_answering(net):
    """B07: ip_len shorter than the frame → trim to ip_len, then process."""
    from scapy.layers.inet import ICMP, IP
    cap_h2 = net.lab.capture(net.h2, "eth0", "udp port 9", name="trim")
    cap_h1 = net.lab.capture(net.h1, "eth0", "icmp", name="trim")
    udp = bytes(_udp_to_h2(net, b"routerd-B07"))
    echo = bytes(IP(src=H1_ADDR, dst=R_ETH1_ADDR) / ICMP(id=0xb07, seq=1) / (b"x" * 32))
    junk = b"\xee" * 30
    before = net.rd.ipstat()
    net.h1.send_frames("eth0", [bytes(_eth(net)) + udp + junk, bytes(_eth(net)) + echo + junk])
    rep = cap_h1.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].id == 0xb07
                          and p["ICMP"].type == 0)[0]
    fwd = cap_h2.wait_for(lambda p: p.haslayer("UDP") and bytes(p["UDP"].payload) ==
                          b"routerd-B07")[0]
    cap_h1.stop()
    cap_h2.stop()
    # Trimmed to ip_len: the frame is the datagram alone (or padded to 60 bytes, not with junk).
    assert len(bytes(fwd)) in (14 + len(udp), max(60, 14 + len(udp))), bytes(fwd)
    assert b"\xee\xee" not in bytes(fwd), "forwarded without the junk"
    assert fwd["IP"].len == len(udp)
    assert rep["IP"].len == len(echo) and bytes(rep["ICMP"].payload) == b"x" * 32
    after = net.rd.ipstat()
    # The datagram, and h2's port unreachable about it on its way back to h1.
    assert after["ips_forward"] - before["ips_forward"] in (1, 2)
    for k in ("ips_badlen", "ips_tooshort", "ips_badsum", "ips_badhlen"):
        assert after[k] == before[k], k


# -- the router's kernel stays silent (A07) -------------------------------------------------------

def test_a07_only_routerd_speaks_on_routed_ports(lab):
    """A07/A08: with IPv6 left on in R and traffic that a listening kernel would answer
    (ARP for R's and other addresses, IPv6 echo to all-nodes, TCP/UDP/ICMP to R), every frame
    from R's MACs is routerd's: IPv4 from its addresses or forwarded, ARP for its addresses;
    nothing IPv6, nothing from 0.0.0.0, no duplicate replies."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
    from scapy.layers.l2 import ARP, Ether

    l1 = build_l1(lab, kernel_router=False, r_ipv6=True)
    # R starts as a real box would: the kernel holds the addresses routerd will own.
    l1.r.addr_add("eth1", f"{R_ETH1_ADDR}/24")
    l1.r.addr_add("eth2", f"{R_ETH2_ADDR}/24")
    rd = start_routerd(lab, l1.r, FWD_YAML.replace("  - {prefix: 203.0.113.128/25, "
                                                   "blackhole: true}\n", ""))
    r1, r2 = l1.r.hwaddr("eth1"), l1.r.hwaddr("eth2")
    h1mac = l1.h1.hwaddr("eth0")
    for p in ("eth1", "eth2"):
        assert l1.r.ip("-6", "addr", "show", "dev", p).stdout.strip() == "", "IPv6 off on ports"
        assert l1.r.ip("-4", "addr", "show", "dev", p).stdout.strip() == "", "no kernel IPv4"
    cap1 = lab.capture(l1.h1, "eth0", name="all")
    cap2 = lab.capture(l1.h2, "eth0", name="all")

    frames = [
        Ether(src=h1mac, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=h1mac, psrc=H1_ADDR,
                                                       pdst=R_ETH1_ADDR),
        Ether(src=h1mac, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=h1mac, psrc=H1_ADDR,
                                                       pdst=R_ETH2_ADDR),
        Ether(src=h1mac, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=h1mac, psrc=H1_ADDR,
                                                       pdst="198.18.0.99"),
        Ether(src=h1mac, dst="33:33:00:00:00:01") / IPv6(src="fe80::1", dst="ff02::1") /
        ICMPv6EchoRequest(),
        Ether(src=h1mac, dst=r1) / IP(src=H1_ADDR, dst=R_ETH1_ADDR) / TCP(dport=22, flags="S"),
        Ether(src=h1mac, dst=r1) / IP(src=H1_ADDR, dst=R_ETH1_ADDR) / UDP(dport=161),
        Ether(src=h1mac, dst=r1) / IP(src=H1_ADDR, dst=R_ETH1_ADDR, proto=253) / (b"x" * 8),
    ]
    l1.h1.send_frames("eth0", [bytes(f) for f in frames])
    pings = [l1.h1.ping(R_ETH1_ADDR, count=3, interval=0.1), l1.h1.ping(H2_ADDR, count=3,
                                                                        interval=0.1),
             l1.h2.ping(R_ETH2_ADDR, count=3, interval=0.1)]
    assert all(p.ok and "DUP" not in p.output for p in pings), [p.output for p in pings]
    hops = traceroute(l1.h1, dst=H2_ADDR)
    assert hops[0][0] == R_ETH1_ADDR
    # Give a kernel that would answer late (IPv6 DAD/MLD, delayed ARP) time to show itself.
    l1.h1.ping(R_ETH1_ADDR, count=10, interval=0.2)
    cap1.stop()
    cap2.stop()

    ours = {R_ETH1_ADDR, R_ETH2_ADDR}
    problems = []
    for cap, rmac, forwarded_src in ((cap1, r1, {H2_ADDR}), (cap2, r2, {H1_ADDR})):
        pk = cap.packets()
        assert pk, cap.stderr()
        for p in pk:
            if p.src != rmac:
                continue
            if p.type == 0x0806:
                if p[ARP].psrc not in ours or p[ARP].hwsrc != rmac:
                    problems.append(p.summary())
            elif p.type == 0x0800:
                src = p[IP].src
                if src not in ours | forwarded_src or p[IP].proto == 2:
                    problems.append(p.summary())
            else:
                problems.append(f"ethertype {p.type:#06x}: {p.summary()}")
        # ARP: R's address is answered, with routerd's MAC only; 198.18.0.99 by nobody.
        if cap is cap1:
            replies = [p for p in pk if p.haslayer(ARP) and p[ARP].op == 2]
            assert [p for p in replies if p[ARP].psrc == R_ETH1_ADDR], pk
            assert not [p for p in replies if p[ARP].psrc == "198.18.0.99"]
            assert all(p.src == rmac for p in replies), [p.summary() for p in replies]
            rst = [p for p in pk if p.haslayer(TCP) and p[IP].src == R_ETH1_ADDR]
            assert len(rst) == 1 and "R" in str(rst[0][TCP].flags), \
                [p.summary() for p in rst]
    assert not problems, "frames from R that are not routerd's:\n" + "\n".join(problems)
    assert rd.alive()
