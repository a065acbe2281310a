# SPDX-License-Identifier: Apache-2.0
# More CONFORMANCE rows of sections A, B, C, E and F (issue #8), each by its lab test method:
# Linux hosts and scapy on the other side of routerd, captures as the judge.
"""Same L1 lab and YAML as test_forwarding.py (one routerd for the module). A test that sends
raw frames ends with a "sync" echo request to R and waits for its reply: a port's frames are
handled in order, so anything routerd would have sent about the earlier frames has been sent
by then, and an empty capture means "nothing", not "not yet"."""

from __future__ import annotations

import itertools
import re
import time

import pytest

import test_forwarding as base
from lab import Lab, build_l1, wait_until
from lab.fixtures import require_lab_prerequisites
from lab.routerd import start_routerd
from lab.topo import H1_ADDR, H2_ADDR, R_ETH1_ADDR, R_ETH2_ADDR

_ids = itertools.count(0x5100)


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    require_lab_prerequisites()
    lab = Lab(workdir=tmp_path_factory.mktemp("conf") / "lab")
    try:
        l1 = build_l1(lab, kernel_router=False)
        l1.h2.addr_add("lo", f"{base.FAR_ADDR}/32")
        l1.rd = start_routerd(lab, l1.r, base.FWD_YAML)
        l1.r_mac = {i: l1.r.hwaddr(i) for i in ("eth1", "eth2")}
        l1.h1_mac = l1.h1.hwaddr("eth0")
        l1.h2_mac = l1.h2.hwaddr("eth0")
        # Resolve both hosts once, so no test depends on ARP timing.
        assert l1.h1.ping(H2_ADDR, count=1).ok
        yield l1
    finally:
        lab.close()


def ether(net, dst: str | None = None):
    from scapy.layers.l2 import Ether
    return Ether(src=net.h1_mac, dst=dst or net.r_mac["eth1"])


def sync_frame(net, ident: int) -> bytes:
    from scapy.layers.inet import ICMP, IP
    return bytes(ether(net) / IP(src=H1_ADDR, dst=R_ETH1_ADDR) / ICMP(id=ident, seq=1) /
                 b"routerd-sync")


def send(net, frames, caps=()) -> None:
    """Send frames from h1, then a sync echo; return once its reply is on h1's wire."""
    ident = next(_ids)
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="sync")
    net.h1.send_frames("eth0", [bytes(f) for f in frames] + [sync_frame(net, ident)])
    cap.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].type == 0 and p["ICMP"].id == ident,
                 timeout=5)
    cap.stop()
    for c in caps:
        c.stop()


def from_router(cap, net) -> list:
    """ICMP on h1's wire sent by R, minus the sync replies."""
    return [p for p in cap.packets() if p.haslayer("ICMP") and p.src == net.r_mac["eth1"]
            and bytes(p["ICMP"].payload) != b"routerd-sync"]


def udp(dst=H2_ADDR, payload=b"routerd-conformance", src=H1_ADDR, **ip):
    from scapy.layers.inet import IP, UDP
    return IP(src=src, dst=dst, **ip) / UDP(sport=40001, dport=9) / payload


# -- A: link layer ------------------------------------------------------------------------------

def test_a02_arp_reply_with_a_broadcast_or_multicast_mac_is_not_learned(net):
    from scapy.layers.l2 import ARP
    arp0 = {e["addr"]: e["mac"] for e in net.rd.ctl_json("show", "arp")}
    assert arp0[H1_ADDR] == net.h1_mac
    bad = [ether(net) / ARP(op=2, hwsrc=mac, psrc=H1_ADDR, hwdst=net.r_mac["eth1"],
                            pdst=R_ETH1_ADDR)
           for mac in ("ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01")]
    send(net, bad)
    arp1 = {e["addr"]: e["mac"] for e in net.rd.ctl_json("show", "arp")}
    assert arp1[H1_ADDR] == net.h1_mac, arp1
    cap = net.lab.capture(net.h1, "eth0", "icmp[icmptype] == icmp-echoreply")
    assert net.h1.ping(R_ETH1_ADDR, count=1).ok
    cap.stop()
    assert {p.dst for p in cap.packets()} == {net.h1_mac}


def test_a03_a04_unresolvable_next_hop_gives_host_unreachable_and_few_arp_requests(net):
    """A04: the last hop cannot resolve 198.19.0.77 → Destination Host Unreachable (3/1) from
    R; A03: ARP requests for it are rate limited (about one a second)."""
    icmp0 = net.rd.icmpstat()
    arp = net.lab.capture(net.h2, "eth0", "arp and arp[24:4] == 0xc613004d", name="a03")
    t0 = time.monotonic()
    r = net.h1.run(["ping", "-n", "-c", "40", "-i", "0.05", "-W", "1", "198.19.0.77"],
                   check=False, timeout=30)
    elapsed = time.monotonic() - t0
    arp.stop()
    assert "Destination Host Unreachable" in r.stdout and f"From {R_ETH1_ADDR}" in r.stdout, \
        r.stdout
    requests = [p for p in arp.packets() if p.haslayer("ARP") and p["ARP"].op == 1]
    assert requests, "R must try to resolve the next hop"
    assert len(requests) <= elapsed + 2, f"{len(requests)} ARP requests in {elapsed:.1f}s"
    icmp1 = net.rd.icmpstat()
    assert icmp1["icps_outhist"][3] > icmp0["icps_outhist"][3]


def test_a08_a_frame_for_another_mac_is_neither_routed_nor_answered(net):
    cap_h2 = net.lab.capture(net.h2, "eth0", "udp", name="a08")
    cap_h1 = net.lab.capture(net.h1, "eth0", "icmp", name="a08")
    send(net, [ether(net, "02:00:00:00:00:99") / udp(ttl=1),
               ether(net, "02:00:00:00:00:99") / udp()], caps=(cap_h2, cap_h1))
    assert not cap_h2.packets() and not from_router(cap_h1, net)


# -- B: input checks, TTL, checksums --------------------------------------------------------------

def test_b08_reserved_flag_and_tos_pass_through_unchanged(net):
    cap = net.lab.capture(net.h2, "eth0", "udp port 9 or icmp[icmptype] == icmp-echo",
                          name="b08")
    send(net, [ether(net) / udp(flags="evil", tos=0x03, payload=b"routerd-b08")])
    r = net.h1.ping(H2_ADDR, count=1, extra=["-Q", "0xb8"])
    assert r.ok, r.output
    cap.stop()
    got = [p for p in cap.packets() if p.haslayer("UDP") and bytes(p["UDP"].payload) ==
           b"routerd-b08"]
    assert len(got) == 1 and got[0]["IP"].flags.evil and got[0]["IP"].tos == 0x03, got
    echo = [p for p in cap.packets() if p.haslayer("ICMP")]
    assert echo and all(p["IP"].tos == 0xb8 for p in echo), [p["IP"].tos for p in echo]


def test_b12_ttl_0_for_the_router_is_answered(net):
    from scapy.layers.inet import ICMP, IP
    cap = net.lab.capture(net.h1, "eth0", "icmp[icmptype] == icmp-echoreply", name="b12")
    send(net, [ether(net) / IP(src=H1_ADDR, dst=R_ETH1_ADDR, ttl=0) / ICMP(id=0xb12, seq=1)])
    cap.stop()
    assert [p for p in cap.packets() if p["ICMP"].id == 0xb12]


def _ones_sum(data: bytes) -> int:
    s = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return s


def _ident_for(ttl: int, target: int) -> int:
    """The IP id that gives the B14 probe header (TTL ttl) the checksum `target`."""
    from scapy.layers.inet import IP
    hdr = bytearray(bytes(IP(src=H1_ADDR, dst=H2_ADDR, ttl=ttl, id=0, proto=17,
                             len=20 + 8 + 8))[:20])
    hdr[10:12] = b"\0\0"
    base_sum = _ones_sum(bytes(hdr))
    want = (~target) & 0xffff
    return next(i for i in range(65536) if _ones_sum((base_sum + i).to_bytes(4, "big")) == want)


def test_b14_forwarded_header_checksum_is_valid_at_the_corners(net):
    """B14 (RFC 1624): after the TTL decrement the checksum verifies for every input. IDs are
    chosen so that the arriving checksum is 0x0000, 0xffff (the other zero), 0x0001 or 0xfffe,
    and so that the forwarded one should be 0x0000, 0x0001 or 0xfffe, at TTLs 2, 64 and 255."""
    from scapy.layers.inet import IP, UDP
    frames, wanted = [], {}
    k = 0
    for ttl in (2, 64, 255):
        cases = [(_ident_for(ttl, t), None) for t in (0x0000, 0x0001, 0xfffe)]
        cases.append((_ident_for(ttl, 0x0000), 0xffff))  # the same header, -0 as checksum
        cases += [(_ident_for(ttl - 1, t), None) for t in (0x0000, 0x0001, 0xfffe)]
        for ident, forced in cases:
            tag = b"b14-%04d" % k  # 8 bytes: the IP length _ident_for assumed
            k += 1
            ip = IP(src=H1_ADDR, dst=H2_ADDR, ttl=ttl, id=ident, proto=17)
            if forced is not None:
                ip.chksum = forced
            frames.append(ether(net) / ip / UDP(sport=40002, dport=9, chksum=0) / tag)
            wanted[tag] = ttl - 1
    cap = net.lab.capture(net.h2, "eth0", "udp port 9", name="b14")
    send(net, frames)
    wait_until(lambda: len(cap.packets()) >= len(frames), timeout=3, what="B14 datagrams at h2")
    cap.stop()
    seen = {}
    for p in cap.packets():
        raw = bytes(p["IP"])[:20]
        assert _ones_sum(raw) == 0xffff, f"bad checksum in {raw.hex()} (id {p['IP'].id:#x})"
        seen[bytes(p["UDP"].payload)] = p["IP"].ttl
    assert seen == wanted


def test_b15_unknown_protocol_for_the_router_is_protocol_unreachable(net):
    from scapy.layers.inet import IP
    ip0 = net.rd.ipstat()
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="b15")
    send(net, [ether(net) / IP(src=H1_ADDR, dst=R_ETH1_ADDR, proto=253) / b"routerd-b15"],
         caps=(cap,))
    errs = from_router(cap, net)
    assert [(p["ICMP"].type, p["ICMP"].code) for p in errs] == [(3, 2)], errs
    assert net.rd.ipstat()["ips_noproto"] - ip0["ips_noproto"] == 1


def test_b09_martian_log_is_rate_limited(net):
    """B09 (RFC 1812 5.3.7): martians are logged with source, destination, interface and MAC, but
    a burst cannot flood the log: per second at most the worker's 8 samples and one line counting
    the rest (which ips_badaddr counts anyway)."""
    n = 40
    start = len(net.rd.log())
    ip0 = net.rd.ipstat()
    send(net, [ether(net) / udp(src="0.1.2.3", payload=b"routerd-b09-%02d" % i) for i in range(n)])
    assert net.rd.ipstat()["ips_badaddr"] - ip0["ips_badaddr"] == n
    line = f"martian: src 0.1.2.3 dst {H2_ADDR} on eth1 from {net.h1_mac}"

    def accounted() -> tuple[int, int]:
        new = net.rd.log()[start:]
        hidden = sum(int(m) for m in re.findall(r"martian: (\d+) earlier not shown", new))
        return new.count(line), hidden
    wait_until(lambda: sum(accounted()) >= n, timeout=5, what=f"{n} martians logged or counted")
    shown, hidden = accounted()
    assert hidden > 0 and shown < n, (shown, hidden)


# -- C: forwarding decisions, broadcasts ----------------------------------------------------------

def test_c04_directed_broadcast_to_another_subnet_is_not_forwarded_by_default(net):
    cap_h2 = net.lab.capture(net.h2, "eth0", "udp port 9", name="c04")
    ip0 = net.rd.ipstat()
    send(net, [ether(net) / udp(dst="198.19.0.255", payload=b"routerd-c04"),
               ether(net) / udp(dst="198.19.0.0", payload=b"routerd-c06")], caps=(cap_h2,))
    assert not cap_h2.packets(), "C04/C06: RFC 2644 default: not forwarded"
    assert net.rd.ipstat()["ips_cantforward"] - ip0["ips_cantforward"] == 2


def test_c05_f05_broadcast_echo_on_its_own_subnet_is_not_rebroadcast_nor_answered(net):
    from scapy.layers.inet import ICMP, IP
    icmp0 = net.rd.icmpstat()
    cap = net.lab.capture(net.h1, "eth0", "ether src %s and not arp" % net.r_mac["eth1"],
                          name="c05")
    send(net, [ether(net, "ff:ff:ff:ff:ff:ff") / IP(src=H1_ADDR, dst="198.18.0.255") /
               ICMP(id=0xc05, seq=1),
               ether(net, "01:00:5e:00:00:01") / IP(src=H1_ADDR, dst="224.0.0.1", ttl=1) /
               ICMP(id=0xf05, seq=1)], caps=(cap,))
    assert not [p for p in cap.packets() if p.dst == "ff:ff:ff:ff:ff:ff"], "C05: no re-broadcast"
    assert not [p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].id in (0xc05, 0xf05)]
    assert net.rd.icmpstat()["icps_bmcastecho"] - icmp0["icps_bmcastecho"] == 2, "X06: ignored"


def test_c07_transit_fragments_are_forwarded_as_fragments(net):
    ip0 = net.rd.ipstat()
    cap = net.lab.capture(net.h2, "eth0", "icmp or (ip[6:2] & 0x3fff != 0)", name="c07")
    r = net.h1.ping(H2_ADDR, count=2, size=3000)
    cap.stop()
    assert r.ok, r.output
    frags = [p for p in cap.packets() if p["IP"].src == H1_ADDR and
             (p["IP"].flags.MF or p["IP"].frag > 0)]
    assert len(frags) >= 6 and len({p["IP"].id for p in frags}) == 2, len(frags)
    assert net.rd.ipstat()["ips_reassembled"] == ip0["ips_reassembled"]


# -- E: ICMP error rules ------------------------------------------------------------------------

def test_e01_no_icmp_error_about_an_icmp_error(net):
    from scapy.layers.inet import ICMP, IP, IPerror, UDPerror
    icmp0 = net.rd.icmpstat()
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e01")
    err = (IP(src=H1_ADDR, dst=H2_ADDR, ttl=1) / ICMP(type=3, code=3) /
           IPerror(src=H2_ADDR, dst=H1_ADDR) / UDPerror(sport=9, dport=40001))
    send(net, [ether(net) / err], caps=(cap,))
    assert not from_router(cap, net)
    assert net.rd.icmpstat()["icps_oldicmp"] - icmp0["icps_oldicmp"] == 1


def test_e02_no_error_about_broadcasts_multicasts_or_later_fragments(net):
    from scapy.layers.inet import IP, UDP
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e02")
    later = IP(src=H1_ADDR, dst=H2_ADDR, ttl=1, frag=185, proto=17) / (b"x" * 16)
    first = IP(src=H1_ADDR, dst=H2_ADDR, ttl=1, flags="MF", id=0xe02) / UDP(sport=1, dport=9) / \
        (b"y" * 16)
    send(net, [ether(net) / udp(dst="198.19.0.255", ttl=1),
               ether(net, "01:00:5e:01:01:01") / udp(dst="239.1.1.1", ttl=1),
               ether(net) / later], caps=(cap,))
    assert not from_router(cap, net), [p.summary() for p in from_router(cap, net)]
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e02b")
    send(net, [ether(net) / first], caps=(cap,))
    errs = from_router(cap, net)
    assert [(p["ICMP"].type, p["ICMP"].code) for p in errs] == [(11, 0)], "the first fragment"


@pytest.mark.parametrize("src", ["0.0.0.0", "127.0.0.1", "224.0.0.5", "240.0.0.1",
                                 "255.255.255.255", "198.19.0.255"])
def test_e03_no_error_to_a_source_that_is_not_one_host(net, src):
    """E03: a TTL-1 datagram from a martian source draws no Time Exceeded (and B09: it is not
    forwarded either)."""
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e03")
    cap_h2 = net.lab.capture(net.h2, "eth0", "udp port 9", name="e03")
    send(net, [ether(net) / udp(src=src, ttl=1)], caps=(cap, cap_h2))
    assert not from_router(cap, net) and not cap_h2.packets()


def test_e04_error_quotes_up_to_576_bytes_and_from_ip_len(net):
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e04")
    big = udp(ttl=1, payload=b"L" * 1372)   # 1400-byte datagram
    small = udp(ttl=1, payload=b"")         # 28 bytes
    # The small one padded as a short Ethernet frame is: 18 bytes after ip_len (B07/A09).
    send(net, [ether(net) / big, bytes(ether(net) / small) + b"\0" * 18], caps=(cap,))
    errs = from_router(cap, net)
    assert len(errs) == 2, [p.summary() for p in errs]
    assert errs[0]["IP"].len == 576, errs[0]["IP"].len
    assert errs[1]["IP"].len == 20 + 8 + 28, "quote sized from ip_len, not the padded frame"
    quoted = bytes(errs[0]["ICMP"].payload)
    assert quoted[12:20] == bytes(big)[12:20], "the quote is the offending datagram"


def test_e07_errors_carry_precedence_6_and_replies_copy_the_request(net):
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e07")
    send(net, [ether(net) / udp(ttl=1)])
    r = net.h1.ping(R_ETH1_ADDR, count=1, extra=["-Q", "0xe0"])
    cap.stop()
    assert r.ok
    te = [p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].type == 11]
    assert te and te[0]["IP"].tos == 0xc0, [p["IP"].tos for p in te]
    rep = [p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].type == 0 and
           p["IP"].tos == 0xe0]
    assert rep, "echo reply keeps the request's precedence"


def test_e08_icmp_errors_are_rate_limited_with_a_burst(net):
    """E08: 300 TTL-1 datagrams in one burst draw errors for a burst of them, not for all: at
    most the token bucket's burst (50) plus its rate (1000/s) over the sending time. Counted by
    routerd itself (a capture may drop frames of such a burst)."""
    n = 300
    icmp0, ip0 = net.rd.icmpstat(), net.rd.ipstat()
    frames = [bytes(ether(net) / udp(ttl=1, payload=b"%03d" % i)) for i in range(n)]
    t0 = time.monotonic()
    net.h1.send_frames("eth0", frames)
    span = time.monotonic() - t0   # includes starting the sender: an upper bound
    wait_until(lambda: net.rd.ipstat()["ips_total"] - ip0["ips_total"] >= n, timeout=5,
               what="routerd to receive the burst")
    icmp1 = net.rd.icmpstat()
    sent = icmp1["icps_outhist"][11] - icmp0["icps_outhist"][11]
    asked = icmp1["icps_error"] - icmp0["icps_error"]
    assert asked == n, f"icmp_error called {asked} times for {n} datagrams"
    assert 10 <= sent < n, f"{sent} time exceeded sent for {n} datagrams"
    assert sent <= 50 + 1000 * span + 5, (sent, span)
    assert net.h1.ping(R_ETH1_ADDR, count=1).ok, "echo replies are not rate limited"


def test_e10_bad_or_unknown_icmp_to_the_router_is_dropped_and_counted(net):
    from scapy.layers.inet import ICMP, IP
    icmp0 = net.rd.icmpstat()
    cap = net.lab.capture(net.h1, "eth0", "icmp", name="e10")
    to_r = IP(src=H1_ADDR, dst=R_ETH1_ADDR)
    send(net, [ether(net) / to_r / ICMP(type=42), ether(net) / to_r / ICMP(type=99),
               ether(net) / to_r / ICMP(type=8, id=0xe10, chksum=0xdead),
               ether(net) / IP(src=H1_ADDR, dst=R_ETH1_ADDR, proto=1) / bytes(ICMP(type=8))[:7],
               ether(net) / to_r / ICMP(type=15, id=0xf10)],  # F10: information request
         caps=(cap,))
    assert not from_router(cap, net), [p.summary() for p in from_router(cap, net)]
    icmp1 = net.rd.icmpstat()
    assert icmp1["icps_checksum"] - icmp0["icps_checksum"] == 1
    assert icmp1["icps_tooshort"] - icmp0["icps_tooshort"] == 1
    assert net.h1.ping(R_ETH1_ADDR, count=1, size=57).ok, "odd-length echo"


# -- F: ICMP queries ------------------------------------------------------------------------------

def test_f06_timestamp_request_is_answered_with_ut_milliseconds(net):
    from scapy.layers.inet import ICMP, IP
    now = time.time()
    ms = int((now % 86400) * 1000)
    cap = net.lab.capture(net.h1, "eth0", "icmp[icmptype] == 14", name="f06")
    send(net, [ether(net) / IP(src=H1_ADDR, dst=R_ETH2_ADDR) /
               ICMP(type=13, id=0xf06, seq=1, ts_ori=ms, ts_rx=0, ts_tx=0)], caps=(cap,))
    rep = [p for p in cap.packets() if p["ICMP"].id == 0xf06]
    assert len(rep) == 1, cap.packets()
    ic = rep[0]["ICMP"]
    assert rep[0]["IP"].src == R_ETH2_ADDR, "F06: from the address asked"
    assert ic.ts_ori == ms and ic.ts_rx < 86_400_000 and ic.ts_tx < 86_400_000
    assert abs(ic.ts_rx - ms) < 1000 or abs(ic.ts_rx - ms) > 86_399_000, (ic.ts_rx, ms)


def test_f01_large_echo_with_pattern(net):
    r = net.h1.ping(R_ETH1_ADDR, count=2, size=1472, extra=["-p", "a55a"])
    assert r.ok and "DUP" not in r.output, r.output
