# SPDX-License-Identifier: Apache-2.0
# routerd the daemon in an L1 lab (issue #6): readiness, every routerctl command in text and JSON,
# ip_misc EINVAL, link events, SIGHUP reload under traffic, SIGTERM restoring the kernel, and
# control-socket abuse.
"""Every check compares what routerd reports with what the lab did or can see for itself:
ifindex and MAC from `ip link`, counters against the pings the test sent, ARP entries against
the hosts' real MACs, routes against where a ping really goes, kernel state against a snapshot.

Topology (CONFORMANCE 0, L1): h1 198.18.0.10 — eth1 R eth2 — h2 198.19.0.10; R runs routerd,
its kernel interfaces carry no address unless a test says so. h2 also holds 203.0.113.10/32 on
lo so a static route 203.0.113.0/24 via 198.19.0.10 can be proven with a ping.
"""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import signal
import socket
import subprocess
import threading
import time

import pytest

from lab import build_l1, wait_until
from lab import ctlproto
from lab.routerd import Routerd, routerctl_bin, start_routerd
from lab.topo import H1_ADDR, H2_ADDR, R_ETH1_ADDR, R_ETH2_ADDR

FAR_ADDR = "203.0.113.10"      # on h2's lo; reached through a static route
UNROUTED = "198.18.77.1"       # in the plan, but no route in R: net unreachable
REJECTED = "198.51.100.7"      # a reject route covers it

DAEMON_YAML = """\
ip:
  forwarding: true
  default-ttl: 64
  reassembly-timeout: 20
  send-redirects: true
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24]
    mask-reply: true
    igmp:
      querier: true
      version: 2
      query-interval: 10
      query-response-interval: 2
      robustness: 2
      last-member-query-interval: 1
  - name: eth2
    addresses: [198.19.0.254/24]
    redirects: false
routes:
  - {prefix: 203.0.113.0/24, via: 198.19.0.10}
  - {prefix: 198.51.100.0/24, reject: true}
"""

# Same router without the querier and without the static routes (the reload tests add them).
PLAIN_YAML = """\
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24]
  - name: eth2
    addresses: [198.19.0.254/24]
"""


# -- helpers ----------------------------------------------------------------------------------

def text_kv(output: str) -> dict[str, str]:
    """'name  value  [description]' rows of routerctl's key/value tables → {name: value}."""
    out = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0]] = parts[1]
    return out


def link_info(ns, ifname: str) -> dict:
    return json.loads(ns.ip("-j", "-d", "link", "show", ifname).stdout)[0]


def counters_of(rd: Routerd, ifname: str) -> dict[str, int]:
    return rd.ctl_json("show", "interfaces", ifname)["if_stats"]


@pytest.fixture
def l1(lab):
    l1 = build_l1(lab, kernel_router=False)
    l1.h2.addr_add("lo", f"{FAR_ADDR}/32")
    return l1


@pytest.fixture
def rd(lab, l1) -> Routerd:
    return start_routerd(lab, l1.r, DAEMON_YAML)


# -- readiness --------------------------------------------------------------------------------

def test_ready_sent_to_notify_socket_once_control_socket_answers(lab, l1):
    rd = Routerd(lab, l1.r, DAEMON_YAML).start(wait_ready=False)
    rd.wait_ready(timeout=15)
    assert "READY=1" in rd.notifications
    # READY=1 promises a control socket that answers: no retry allowed here.
    st = os.stat(rd.socket_path)
    assert oct(st.st_mode & 0o777) == oct(0o660), "control socket must be mode 0660"
    assert rd.ctl_json("show", "ip")["ip_forwarding"] == 1
    # ...and every port open: both interfaces are listed and answer at once.
    assert set(rd.interfaces()) == {"eth1", "eth2"}
    assert l1.h1.ping(R_ETH1_ADDR, count=1, wait=2).ok
    assert l1.h2.ping(R_ETH2_ADDR, count=1, wait=2).ok


def test_watchdog_pings_when_watchdog_usec_is_set(lab, l1):
    """DESIGN: WATCHDOG=1 when WATCHDOG_USEC is set (systemd pings at half the interval)."""
    rd = Routerd(lab, l1.r, PLAIN_YAML).start(env={"WATCHDOG_USEC": "400000"})
    t0 = time.monotonic()
    wait_until(lambda: rd.ready() and rd.notifications.count("WATCHDOG=1") >= 4, timeout=5,
               what="four WATCHDOG=1 at a 0.4 s interval")
    assert time.monotonic() - t0 < 2.5
    rd.hup()

    def reloaded() -> bool:
        rd.ready()  # drains the socket
        n = rd.notifications
        return "RELOADING=1" in n and "READY=1" in n[n.index("RELOADING=1"):]
    wait_until(reloaded, timeout=5, what="RELOADING=1 then READY=1 on SIGHUP")


def test_check_config_on_lab_yaml_is_clean(lab, l1):
    rd = Routerd(lab, l1.r, DAEMON_YAML)
    r = subprocess.run([*rd.command(), "--check-config"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr


# -- show ---------------------------------------------------------------------------------------

def test_show_ip_text_and_json_match_the_yaml(rd):
    j = rd.ctl_json("show", "ip")
    assert j == {"ip_forwarding": 1, "ip_default_ttl": 64, "ipq_ttl": 20, "ipq_reasm_reqds": 0,
                 "icmp_answermask": 1, "ip_sendredirects": 1, "ip_sourceroute": 0}, j
    text = text_kv(rd.ctl("show", "ip"))
    assert {k: int(v) for k, v in text.items()} == j


def test_show_interfaces_match_the_kernel_links_and_count_the_pings(rd, l1):
    ifs = rd.interfaces()
    assert set(ifs) == {"eth1", "eth2"}
    for name, addr, bcast in (("eth1", R_ETH1_ADDR, "198.18.0.255"),
                              ("eth2", R_ETH2_ADDR, "198.19.0.255")):
        k = link_info(l1.r, name)
        i = ifs[name]
        assert i["if_index"] == k["ifindex"], (i, k)
        assert i["mac"] == k["address"]
        assert i["if_mtu"] == k["mtu"] == 1500
        assert i["admin"] == "up" and i["oper"] == "up"
        assert i["if_naddr"] == 1
        assert i["if_addrs"] == [{"addr": addr, "dstaddr": bcast, "netmask": "255.255.255.0",
                                  "flags": i["if_addrs"][0]["flags"]}]
        assert i["if_addrs"][0]["flags"] & 0x2, "BROADCAST: dstaddr is the subnet broadcast"
        assert i["if_flags"] & 0x1 and i["if_flags"] & 0x40, "IFF_UP and IFF_RUNNING"
    assert ifs["eth1"]["mask_reply"] is True and ifs["eth2"]["mask_reply"] is False
    assert ifs["eth1"]["redirects"] is True and ifs["eth2"]["redirects"] is False

    before1, before2 = counters_of(rd, "eth1"), counters_of(rd, "eth2")
    r = l1.h1.ping(R_ETH1_ADDR, count=5, interval=0.05)
    assert r.ok, r.output
    after1, after2 = counters_of(rd, "eth1"), counters_of(rd, "eth2")
    # Five echo requests in and five replies out on eth1 (plus ARP, at most a couple of frames).
    assert 5 <= after1["ifs_ipackets"] - before1["ifs_ipackets"] <= 7, (before1, after1)
    assert 5 <= after1["ifs_opackets"] - before1["ifs_opackets"] <= 7, (before1, after1)
    assert after1["ifs_ibytes"] - before1["ifs_ibytes"] >= 5 * 98
    assert after2["ifs_ipackets"] == before2["ifs_ipackets"], "nothing was sent to eth2"

    table = rd.ctl("show", "interfaces")
    header = table.splitlines()[0].split()
    assert header[:7] == ["INDEX", "NAME", "FLAGS", "MTU", "ADMIN", "OPER", "ADDRESSES"], table
    rows = {line.split()[1]: line.split() for line in table.splitlines()[1:] if line.strip()}
    assert rows["eth1"][0] == str(ifs["eth1"]["if_index"])
    assert rows["eth1"][6] == "198.18.0.254/24" and rows["eth2"][6] == "198.19.0.254/24"
    assert rows["eth1"][4:6] == ["up", "up"]

    detail = rd.ctl("show", "interfaces", "eth1")
    assert detail.startswith(f"eth1 (ifindex {ifs['eth1']['if_index']})"), detail
    kv = text_kv(detail)
    assert kv["mac"] == ifs["eth1"]["mac"] and kv["mask_reply"] == "on"
    assert "198.18.0.254" in detail and "255.255.255.0" in detail and "ifs_ipackets" in detail
    one = rd.ctl_json("show", "interfaces", "eth2")
    assert one["if_name"] == "eth2" and one["redirects"] is False

    bad = rd.ctl_run("show", "interfaces", "nosuch0", check=False)
    assert bad.returncode == 1 and "nosuch0" in bad.stderr, bad


def test_show_routes_text_and_json_and_the_routes_work(rd, l1):
    routes = rd.routes()
    assert routes["198.18.0.0/24"]["kind"] == "connected"
    assert routes["198.18.0.0/24"]["if_name"] == "eth1" and routes["198.18.0.0/24"]["via"] is None
    assert routes["198.19.0.0/24"]["kind"] == "connected"
    assert routes["198.19.0.0/24"]["if_name"] == "eth2"
    static = routes["203.0.113.0/24"]
    assert static["kind"] == "forward" and static["via"] == H2_ADDR, static
    assert static["if_name"] == "eth2", "the next hop's interface is resolved"
    assert routes["198.51.100.0/24"]["kind"] == "reject"
    assert set(routes) == {"198.18.0.0/24", "198.19.0.0/24", "203.0.113.0/24",
                           "198.51.100.0/24"}, routes

    text = rd.ctl("show", "routes")
    assert text.splitlines()[0].split()[:3] == ["PREFIX", "KIND", "NEXT"]
    assert re.search(r"^203\.0\.113\.0/24\s+forward\s+198\.19\.0\.10\s+eth2", text, re.M), text
    assert re.search(r"^198\.51\.100\.0/24\s+reject\s+-", text, re.M), text

    # ...and the lab agrees: the static route reaches h2's lo, the reject route answers.
    assert l1.h1.ping(FAR_ADDR, count=2, interval=0.2).ok
    r = l1.h1.ping(REJECTED, count=1, wait=2)
    assert r.received == 0 and "Net Unreachable" in r.output, r.output


def test_show_arp_lists_the_hosts_with_their_real_macs(rd, l1):
    assert l1.h1.ping(H2_ADDR, count=2, interval=0.2).ok
    arp = rd.ctl_json("show", "arp")
    by_addr = {e["addr"]: e for e in arp}
    h1 = by_addr[H1_ADDR]
    assert h1["if_name"] == "eth1" and h1["mac"] == l1.h1.hwaddr("eth0"), h1
    assert h1["state"] in ("reachable", "stale"), h1
    h2 = by_addr[H2_ADDR]
    assert h2["if_name"] == "eth2" and h2["mac"] == l1.h2.hwaddr("eth0"), h2
    text = rd.ctl("show", "arp")
    assert text.splitlines()[0].split() == ["INTERFACE", "ADDRESS", "MAC", "STATE", "AGE"]
    assert re.search(rf"^eth1\s+{re.escape(H1_ADDR)}\s+{l1.h1.hwaddr('eth0')}\s", text, re.M), text


def test_show_igmp_reports_the_yaml_settings(rd):
    igmp = {i["if_name"]: i for i in rd.ctl_json("show", "igmp")}
    assert set(igmp) == {"eth1", "eth2"}, igmp
    s = igmp["eth1"]["settings"]
    assert s == {"querier": True, "version": 2, "query_interval_s": 10,
                 "query_response_interval_tenths": 20, "robustness": 2,
                 "last_member_query_interval_tenths": 10}, s
    assert igmp["eth2"]["settings"]["querier"] is False
    assert igmp["eth2"]["settings"]["query_interval_s"] == 125, "RFC 2236 default"
    blocks = {b.split()[0]: b for b in rd.ctl("show", "igmp").split("\n\n") if b.strip()}
    assert set(blocks) == {"eth1", "eth2"}, blocks
    kv = text_kv(blocks["eth1"])
    assert kv["querier_enabled"] == "on" and kv["version"] == "2" and kv["query_interval"] == "10s"
    assert kv["query_response_interval"] == "2.0s" and kv["robustness"] == "2"
    assert text_kv(blocks["eth2"])["querier_enabled"] == "off"


def test_show_stats_text_and_json_count_what_the_lab_sent(rd, l1):
    ip0, icmp0 = rd.ipstat(), rd.icmpstat()
    rt0 = rd.ctl_json("show", "stats", "route")
    r = l1.h1.ping(R_ETH1_ADDR, count=3, interval=0.05)
    assert r.ok, r.output
    r = l1.h1.ping(UNROUTED, count=1, wait=2)
    assert "Net Unreachable" in r.output, r.output
    ip1, icmp1 = rd.ipstat(), rd.icmpstat()
    rt1 = rd.ctl_json("show", "stats", "route")
    assert icmp1["icps_inhist"][8] - icmp0["icps_inhist"][8] == 3, "three echo requests in"
    assert icmp1["icps_outhist"][0] - icmp0["icps_outhist"][0] == 3, "three echo replies out"
    assert icmp1["icps_outhist"][3] - icmp0["icps_outhist"][3] == 1, "one net unreachable out"
    assert len(icmp1["icps_inhist"]) == 41 and len(icmp1["icps_outhist"]) == 41
    assert ip1["ips_delivered"] - ip0["ips_delivered"] >= 3
    assert ip1["ips_total"] - ip0["ips_total"] >= 4
    assert ip1["ips_noroute"] - ip0["ips_noroute"] == 1
    assert rt1["rts_unreach"] - rt0["rts_unreach"] == 1, (rt0, rt1)
    # IGMP: h1 joins a group (CONFORMANCE 0.3: autojoin sends a report at once).
    igmp0 = rd.ctl_json("show", "stats", "igmp")
    for key in ("igps_rcv_total", "igps_rcv_queries", "igps_rcv_reports", "igps_snd_reports"):
        assert isinstance(igmp0[key], int), igmp0
    l1.h1.ip("addr", "add", "239.1.2.3/32", "dev", "eth0", "autojoin")
    igmp = wait_until(lambda: (lambda g: g if g["igps_rcv_total"] > igmp0["igps_rcv_total"]
                               else None)(rd.ctl_json("show", "stats", "igmp")),
                      timeout=5, what="igps_rcv_total to count h1's report")

    # The text tables carry the same names and (for counters that no longer move) values.
    ip_text = text_kv(rd.ctl("show", "stats", "ip"))
    ip2 = rd.ipstat()
    for key in ("ips_noroute", "ips_badsum", "ips_badvers", "ips_forward"):
        assert int(ip_text[key]) == ip2[key], key
    assert set(ip2) <= set(ip_text)
    icmp_text = text_kv(rd.ctl("show", "stats", "icmp"))
    assert int(icmp_text["icps_outhist[3]"]) == icmp1["icps_outhist"][3]
    assert "icps_inhist[8]" in icmp_text
    rt_text = text_kv(rd.ctl("show", "stats", "route"))
    assert int(rt_text["rts_unreach"]) == rt1["rts_unreach"]
    igmp_text = text_kv(rd.ctl("show", "stats", "igmp"))
    assert set(igmp) <= set(igmp_text)


# -- set ----------------------------------------------------------------------------------------

def test_set_ip_forwarding_off_makes_a_host_and_on_a_router_again(rd, l1):
    """CONFORMANCE C09: with forwarding off, transit is dropped silently and counted in
    ips_cantforward; local delivery is unchanged."""
    rd.ctl("set", "ip", "forwarding", "off")
    assert rd.ctl_json("show", "ip")["ip_forwarding"] == 0
    assert text_kv(rd.ctl("show", "ip"))["ip_forwarding"] == "0"
    cap = l1.lab.capture(l1.h1, "eth0", "icmp and not icmp[icmptype] == icmp-echo")
    before = rd.ipstat()
    r = l1.h1.ping(H2_ADDR, count=3, interval=0.1, wait=1)
    assert r.received == 0 and r.transmitted >= 3, r.output
    assert l1.h1.ping(R_ETH1_ADDR, count=2, interval=0.1).ok, "local delivery still works"
    after = rd.ipstat()
    cap.stop()
    # (ping -w keeps sending until its deadline when nothing comes back: count what it sent)
    assert after["ips_cantforward"] - before["ips_cantforward"] == r.transmitted
    assert after["ips_forward"] == before["ips_forward"]
    errors = [p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].type != 0]
    assert not errors, f"forwarding off must not answer transit with ICMP: {errors}"

    rd.ctl("set", "ip", "forwarding", "on")
    assert rd.ctl_json("show", "ip")["ip_forwarding"] == 1
    assert l1.h1.ping(H2_ADDR, count=3, interval=0.1).ok


def test_set_ip_ttl_is_used_for_icmp_and_out_of_range_is_einval(rd, l1):
    """CONFORMANCE E06: ICMP messages get ip_default_ttl; 0 and 256 are EINVAL."""
    rd.ctl("set", "ip", "ttl", "200")
    assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 200
    cap = l1.lab.capture(l1.h1, "eth0", "icmp[icmptype] == icmp-timxceed")
    r = l1.h1.ping(H2_ADDR, count=1, ttl=1, wait=2)
    assert "exceeded" in r.output.lower(), r.output
    te = cap.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].type == 11)
    cap.stop()
    assert te[0]["IP"].ttl == 200 and te[0]["IP"].src == R_ETH1_ADDR, te[0].show(dump=True)

    for bad in ("0", "256"):
        res = rd.ctl_run("set", "ip", "ttl", bad, check=False)
        assert res.returncode == 1, res
        assert "EINVAL" in res.stderr, res.stderr
    assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 200, "a refused set changes nothing"


def test_set_ip_misc_unknown_arg_or_missing_argument_is_einval(rd):
    """DESIGN SET_IP_MISC: arg 1 and 2 only; any other arg or a missing argument is EINVAL.
    The frames are built here (lab/ctlproto.py), not by routerctl, which never sends them."""
    with ctlproto.Conn(rd.socket_path) as c:
        # A well-formed arg 2 first: proves the hand-built frame is right.
        ok = c.call(ctlproto.SET_IP_MISC, ctlproto.set_ip_misc(2, 0, 77), req_id=7)
        assert ok.status == 0 and ok.for_id == 7, str(ok)
        assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 77
        cases = {
            "arg 0": ctlproto.set_ip_misc(0, 1, 64),
            "arg 3": ctlproto.set_ip_misc(3, 1, 64),
            "arg -1": ctlproto.set_ip_misc(-1, 1, 64),
            "arg 1 forwarding 2": ctlproto.set_ip_misc(1, 2, 0),
            "arg 2 ttl 0": ctlproto.set_ip_misc(2, 0, 0),
            "no argument": b"",
            "arg only": ctlproto.set_ip_misc(1, 0, 0)[:4],
            "arg and forwarding only": ctlproto.set_ip_misc(1, 0, 0)[:8],
        }
        for i, (what, payload) in enumerate(cases.items(), start=100):
            r = c.call(ctlproto.SET_IP_MISC, payload, req_id=i)
            assert r.status == errno.EINVAL, f"{what}: {r}"
            assert r.for_id == i and r.msg_type == ctlproto.SET_IP_MISC, f"{what}: {r}"
        # The connection survives a decoding error, and nothing changed.
        stuff = c.call(ctlproto.GET_IP_STUFF, req_id=999)
        assert stuff.status == 0, str(stuff)
    ip = rd.ctl_json("show", "ip")
    assert ip["ip_forwarding"] == 1 and ip["ip_default_ttl"] == 77, ip


def test_set_interface_down_and_up(rd, l1):
    rd.ctl("set", "interface", "eth2", "down")
    i = rd.ctl_json("show", "interfaces", "eth2")
    assert i["admin"] == "down" and i["oper"] == "down" and not i["if_flags"] & 0x1, i
    r = l1.h1.ping(H2_ADDR, count=2, interval=0.2, wait=1)
    assert r.received == 0, "nothing may leave an interface that is down"
    assert l1.h2.ping(R_ETH2_ADDR, count=1, wait=1).received == 0
    garp = l1.lab.capture(l1.h2, "eth0", "arp", name="garp")
    rd.ctl("set", "interface", "eth2", "up")
    i = rd.ctl_json("show", "interfaces", "eth2")
    assert i["admin"] == "up" and i["oper"] == "up", i
    # Gratuitous ARP when the address comes up again (issue #8, RFC 5227 announcement).
    garp.wait_for(lambda p: p.haslayer("ARP") and p["ARP"].psrc == R_ETH2_ADDR
                  and p["ARP"].pdst == R_ETH2_ADDR and p.src == l1.r.hwaddr("eth2"), timeout=2)
    garp.stop()
    # h2 kept resolving R while eth2 was down and queued its echo requests; routerd's
    # gratuitous ARP on up releases them and their replies fill the bounded ARP queue for h2
    # (RFC 1122 2.3.2.2) for a moment. Let that settle, then forwarding must be lossless.
    assert l1.h2.ping(R_ETH2_ADDR, count=1, wait=2).ok
    assert l1.h1.ping(H2_ADDR, count=3, interval=0.2).ok
    bad = rd.ctl_run("set", "interface", "nosuch0", "up", check=False)
    assert bad.returncode == 1


def _mask_request(l1, ident: int):
    from scapy.layers.inet import ICMP, IP
    from scapy.layers.l2 import Ether
    return (Ether(src=l1.h1.hwaddr("eth0"), dst=l1.r.hwaddr("eth1")) /
            IP(src=H1_ADDR, dst=R_ETH1_ADDR) / ICMP(type=17, code=0, id=ident, seq=1))


def test_set_interface_mask_reply_on_off(rd, l1):
    """CONFORMANCE F07: a mask request is answered (type 18, 255.255.255.0) only while
    mask-reply is on; icmp_answermask follows."""
    cap = l1.lab.capture(l1.h1, "eth0", "icmp[icmptype] == 18")
    l1.h1.send_frames("eth0", [_mask_request(l1, 0x1701)])
    rep = cap.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].id == 0x1701)[0]
    assert rep["IP"].src == R_ETH1_ADDR and rep["ICMP"].addr_mask == "255.255.255.0", \
        rep.show(dump=True)

    rd.ctl("set", "interface", "eth1", "mask-reply", "off")
    assert rd.ctl_json("show", "interfaces", "eth1")["mask_reply"] is False
    assert rd.ctl_json("show", "ip")["icmp_answermask"] == 0
    icmp0 = rd.icmpstat()
    l1.h1.send_frames("eth0", [_mask_request(l1, 0x1702)])
    wait_until(lambda: rd.icmpstat()["icps_inhist"][17] > icmp0["icps_inhist"][17], timeout=3,
               what="routerd to receive the second mask request")
    l1.h1.ping(R_ETH1_ADDR, count=1)  # a round trip later the reply would have arrived
    cap.stop()
    assert not [p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].id == 0x1702]

    rd.ctl("set", "interface", "eth1", "mask-reply", "on")
    assert rd.ctl_json("show", "ip")["icmp_answermask"] == 1
    assert text_kv(rd.ctl("show", "interfaces", "eth1"))["mask_reply"] == "on"


def test_set_interface_redirects_on_off_is_reported(rd):
    rd.ctl("set", "interface", "eth1", "redirects", "off")
    assert rd.ctl_json("show", "interfaces", "eth1")["redirects"] is False
    assert text_kv(rd.ctl("show", "interfaces", "eth1"))["redirects"] == "off"
    assert rd.ctl_json("show", "interfaces", "eth2")["redirects"] is False, "YAML value kept"
    rd.ctl("set", "interface", "eth2", "redirects", "on")
    assert rd.ctl_json("show", "interfaces", "eth2")["redirects"] is True
    assert rd.ctl_json("show", "interfaces", "eth1")["redirects"] is False


@pytest.mark.xfail(strict=True, reason="ICMP redirects are CONFORMANCE section G, a later issue "
                                       "(router/inet/ip_forward.cc); remove this mark with it")
def test_g_redirects_follow_the_interface_setting(rd, l1):
    """Redirect out of eth1 (route 198.18.128.0/24 via h1 itself: in and out of eth1) only
    while redirects is on for eth1 (ips_redirectsent counts them)."""
    rd.ctl("route", "add", "198.18.128.0/24", "via", H1_ADDR)
    cap = l1.lab.capture(l1.h1, "eth0", "icmp[icmptype] == icmp-redirect")
    before = rd.ipstat()
    l1.h1.ping("198.18.128.1", count=1, wait=1)
    cap.wait_for(lambda p: p.haslayer("ICMP") and p["ICMP"].type == 5, timeout=3)
    assert rd.ipstat()["ips_redirectsent"] - before["ips_redirectsent"] == 1

    rd.ctl("set", "interface", "eth1", "redirects", "off")
    assert rd.ctl_json("show", "interfaces", "eth1")["redirects"] is False
    assert text_kv(rd.ctl("show", "interfaces", "eth1"))["redirects"] == "off"
    mid = rd.ipstat()
    n0 = len([p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].type == 5])
    r = l1.h1.ping("198.18.128.1", count=2, interval=0.2, wait=1)
    after = rd.ipstat()
    cap.stop()
    n1 = len([p for p in cap.packets() if p.haslayer("ICMP") and p["ICMP"].type == 5])
    assert after["ips_forward"] - mid["ips_forward"] == r.transmitted, \
        "still forwarded, just no redirect"
    assert n1 == n0 and after["ips_redirectsent"] == mid["ips_redirectsent"]
    rd.ctl("set", "interface", "eth1", "redirects", "on")
    assert rd.ctl_json("show", "interfaces", "eth1")["redirects"] is True


# -- route add / del ----------------------------------------------------------------------------

def test_route_add_and_del_change_where_packets_go(lab, l1):
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    l1.h2.addr_add("lo", "198.18.128.10/32")
    r = l1.h1.ping("198.18.128.10", count=1, wait=2)
    assert "Net Unreachable" in r.output, r.output

    rd.ctl("route", "add", "198.18.128.0/24", "via", H2_ADDR, "dev", "eth2")
    routes = rd.routes()
    assert routes["198.18.128.0/24"] == {"prefix": "198.18.128.0/24", "kind": "forward",
                                         "via": H2_ADDR, "ifindex": routes["198.18.128.0/24"][
                                             "ifindex"], "if_name": "eth2",
                                         "age_s": routes["198.18.128.0/24"]["age_s"]}
    assert "198.18.128.0/24" in rd.ctl("show", "routes")
    assert l1.h1.ping("198.18.128.10", count=2, interval=0.2).ok

    rd.ctl("route", "del", "198.18.128.0/24", "via", H2_ADDR)
    assert "198.18.128.0/24" not in rd.routes()
    r = l1.h1.ping("198.18.128.10", count=1, wait=2)
    assert r.received == 0 and "Net Unreachable" in r.output, r.output

    rd.ctl("route", "add", "198.18.128.0/24", "blackhole")
    assert rd.routes()["198.18.128.0/24"]["kind"] == "blackhole"
    cap = lab.capture(l1.h1, "eth0", "icmp and not icmp[icmptype] == icmp-echo")
    r = l1.h1.ping("198.18.128.10", count=2, interval=0.2, wait=1)
    assert r.received == 0 and "Unreachable" not in r.output, r.output
    cap.stop()
    assert not cap.packets(), "a blackhole route drops without a word"
    rd.ctl("route", "del", "198.18.128.0/24", "blackhole")

    rd.ctl("route", "add", "198.18.128.0/24", "reject")
    assert rd.routes()["198.18.128.0/24"]["kind"] == "reject"
    assert "Net Unreachable" in l1.h1.ping("198.18.128.10", count=1, wait=2).output
    rd.ctl("route", "del", "198.18.128.0/24")
    assert "198.18.128.0/24" not in rd.routes()

    bad = rd.ctl_run("route", "add", "198.18.129.0/24", "via", "198.18.77.1", check=False)
    assert bad.returncode == 1, "a next hop on no connected subnet is refused"
    bad = rd.ctl_run("route", "del", "198.18.0.0/24", check=False)
    assert bad.returncode == 1, "a connected route cannot be deleted"
    assert "198.18.0.0/24" in rd.routes()

    # router/routerctl/README.md: `route del PREFIX` looks the kind (and next hop) up itself.
    rd.ctl("route", "add", "198.18.128.0/24", "via", H2_ADDR)
    rd.ctl("route", "del", "198.18.128.0/24")
    assert "198.18.128.0/24" not in rd.routes()


# -- monitor ------------------------------------------------------------------------------------

class LineReader:
    """Reads a process's stdout lines in a thread, stamping each with time.monotonic()."""

    def __init__(self, stream):
        self.lines: list[tuple[float, str]] = []
        self._t = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._t.start()

    def _run(self, stream) -> None:
        for raw in stream:
            self.lines.append((time.monotonic(), raw.decode(errors="replace").rstrip("\n")))

    def events(self) -> list[tuple[float, dict]]:
        out = []
        for t, line in self.lines:
            try:
                out.append((t, json.loads(line)))
            except ValueError:
                pass
        return out

    def join(self, timeout: float = 5) -> None:
        self._t.join(timeout)


def _socket_connected(pid: int) -> bool:
    """True when process pid holds a connected unix stream socket (monitor is connected)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return False
    with open("/proc/net/unix") as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            if len(parts) >= 7 and parts[6] in inodes and parts[5] == "03":
                return True
    return False


def test_monitor_shows_link_events_within_one_second(rd, l1, lab):
    """`ip link set ... down/up` on a routed interface (eth2) and on the peer of another (h1's
    eth0, which takes R's eth1 carrier away) → routerctl monitor prints each within 1 s."""
    mon = lab.spawn([str(routerctl_bin()), "--control-socket", str(rd.socket_path), "--json",
                     "monitor", "--timeout-s", "30"], name="monitor", stdout=subprocess.PIPE)
    reader = LineReader(mon.popen.stdout)
    mon_text = lab.spawn([str(routerctl_bin()), "--control-socket", str(rd.socket_path),
                          "monitor", "--timeout-s", "30"], name="monitor-text",
                         stdout=subprocess.PIPE)
    text_reader = LineReader(mon_text.popen.stdout)
    wait_until(lambda: _socket_connected(mon.pid) and _socket_connected(mon_text.pid),
               timeout=5, what="both monitors to connect")
    # A second subscriber whose SET_MGMT reply we see: once it is answered, routerd has also
    # handled monitor's earlier SET_MGMT (requests are served in arrival order per process).
    sub = ctlproto.Conn(rd.socket_path)
    r = sub.call(ctlproto.SET_MGMT, b"\x01")
    assert r.status == 0, str(r)
    time.sleep(0.2)  # monitor sent SET_MGMT right after connect; leave it a moment for the reply

    steps = [(l1.r, "eth2", "down", "eth2", False), (l1.r, "eth2", "up", "eth2", True),
             (l1.h1, "eth0", "down", "eth1", False), (l1.h1, "eth0", "up", "eth1", True)]
    seen = 0
    for ns, ifname, state, routed, up in steps:
        t0 = time.monotonic()
        ns.ip("link", "set", ifname, state)

        def matching():
            evs = [(t, e) for t, e in reader.events()[seen:]
                   if e.get("name") == routed and (e.get("oper") == "up") == up]
            return evs

        try:
            hits = wait_until(matching, timeout=3, interval=0.02,
                              what=f"a monitor event for {routed} after {ifname} {state}")
        except TimeoutError:
            pytest.fail(f"no event for {routed} oper {'up' if up else 'down'} within 3 s of "
                        f"`ip link set {ifname} {state}`; monitor printed {reader.lines}")
        t_ev, ev = hits[0]
        assert t_ev - t0 <= 1.0, f"event after {t_ev - t0:.3f}s: {ev}"
        assert ev["ifindex"] == link_info(l1.r, routed)["ifindex"]
        assert {"time", "time_ns", "admin"} <= set(ev)
        seen = len(reader.events())
        if up:  # wait for routerd to see the link working again before the next step
            wait_until(lambda: rd.interfaces()[routed]["oper"] == "up", timeout=3,
                       what=f"{routed} oper up")
    # routerctl set interface ... also produces an event (admin down).
    t0 = time.monotonic()
    rd.ctl("set", "interface", "eth2", "down")
    hits = wait_until(lambda: [e for t, e in reader.events()[seen:]
                               if e.get("name") == "eth2" and e.get("admin") == "down"],
                      timeout=3, what="admin-down event from routerctl set interface")
    assert time.monotonic() - t0 < 3 and hits
    rd.ctl("set", "interface", "eth2", "up")
    n_events = len(reader.events())
    wait_until(lambda: any(e.get("name") == "eth2" and e.get("admin") == "up"
                           for _, e in reader.events()[n_events - 1:])
               and len(text_reader.lines) == len(reader.lines), timeout=3,
               what="the admin-up event in both monitors")
    sub.close()
    assert mon.stop(sig=signal.SIGINT) == 0, "monitor ends cleanly on SIGINT"
    assert mon_text.stop(sig=signal.SIGTERM) == 0, "monitor ends cleanly on SIGTERM"
    reader.join()
    text_reader.join()
    # The text monitor saw the same events, one line each: TIME IFINDEX NAME admin A oper O.
    lines = [line for _, line in text_reader.lines]
    assert len(lines) == len(reader.lines), (lines, reader.lines)
    for (_, js), line in zip(reader.lines, lines):
        ev = json.loads(js)
        assert line == f"{ev['time']} {ev['ifindex']} {ev['name']} admin {ev['admin']} " \
                       f"oper {ev['oper']}", (line, ev)
    text = rd.ctl_run("monitor", "--timeout-s", "0.3")
    assert text.returncode == 0


# -- reload -------------------------------------------------------------------------------------

RELOAD_ADDED = """\
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24, 198.18.1.254/24]
  - name: eth2
    addresses: [198.19.0.254/24]
routes:
  - {prefix: 203.0.113.0/24, via: 198.19.0.10}
"""


def test_sighup_adds_and_removes_an_address_and_a_route_under_a_lossless_flood(lab, l1):
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    assert l1.h1.ping(H2_ADDR, count=1).ok  # ARP resolved before the flood starts
    ifindex_before = {n: i["if_index"] for n, i in rd.interfaces().items()}
    # ~5 s of 500 pps across routerd; its summary is read at the end.
    flood = l1.h1.spawn(["ping", "-n", "-q", "-i", "0.002", "-c", "2500", "-W", "2",
                         "-w", "20", H2_ADDR], name="flood")

    rd.write_config(RELOAD_ADDED)
    rd.hup()
    wait_until(lambda: "203.0.113.0/24" in rd.routes(), timeout=5, what="route after SIGHUP")
    addrs = [a["addr"] for a in rd.ctl_json("show", "interfaces", "eth1")["if_addrs"]]
    assert addrs == [R_ETH1_ADDR, "198.18.1.254"], addrs
    assert "198.18.1.254/24" in rd.ctl("show", "interfaces")
    assert rd.routes()["198.18.1.0/24"]["kind"] == "connected"
    assert l1.h1.ping("198.18.1.254", count=2, interval=0.2).ok, "the new address answers"
    assert l1.h1.ping(FAR_ADDR, count=2, interval=0.2).ok, "the new route forwards"

    rd.write_config(PLAIN_YAML)
    rd.hup()
    wait_until(lambda: "203.0.113.0/24" not in rd.routes(), timeout=5,
               what="route gone after the second SIGHUP")
    addrs = [a["addr"] for a in rd.ctl_json("show", "interfaces", "eth1")["if_addrs"]]
    assert addrs == [R_ETH1_ADDR], addrs
    assert "198.18.1.0/24" not in rd.routes()
    assert l1.h1.ping("198.18.1.254", count=1, wait=1).received == 0
    assert l1.h1.ping(FAR_ADDR, count=1, wait=1).received == 0

    rc = wait_until(lambda: flood.returncode is not None and (flood.returncode,), timeout=25,
                    what="the flood to finish")
    out = flood.output()
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    assert m, out
    assert int(m[1]) == 2500 and int(m[2]) == 2500, f"reload lost traffic ({rc}): {out}"
    assert {n: i["if_index"] for n, i in rd.interfaces().items()} == ifindex_before
    assert rd.alive()


def test_reload_keeps_runtime_settings_unless_the_file_changes_them(lab, l1):
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    rd.ctl("set", "ip", "ttl", "99")
    rd.ctl("set", "interface", "eth1", "mask-reply", "on")
    rd.write_config(PLAIN_YAML + "routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.10}\n")
    rd.hup()
    wait_until(lambda: "203.0.113.0/24" in rd.routes(), timeout=5, what="reload")
    assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 99, "the file did not change the TTL"
    assert rd.ctl_json("show", "interfaces", "eth1")["mask_reply"] is True
    rd.write_config("ip:\n  default-ttl: 70\n" + PLAIN_YAML)
    rd.hup()
    wait_until(lambda: "203.0.113.0/24" not in rd.routes(), timeout=5, what="second reload")
    assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 70, "the file changed the TTL"
    assert rd.ctl_json("show", "interfaces", "eth1")["mask_reply"] is True


def _state_view(rd: Routerd) -> dict:
    ifs = rd.interfaces()
    for i in ifs.values():
        i.pop("if_stats")
    routes = rd.routes()
    for r in routes.values():
        r.pop("age_s")
    return {"ip": rd.ctl_json("show", "ip"), "ifs": ifs, "routes": routes}


@pytest.mark.parametrize("bad", [
    "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n    colour: blue\n",
    "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/33]\n",
    "interfaces: [\n",
    "",
], ids=["unknown-key", "bad-prefix", "syntax", "empty"])
def test_invalid_reload_keeps_the_running_state(lab, l1, bad):
    rd = start_routerd(lab, l1.r, DAEMON_YAML)
    before = _state_view(rd)
    rd.write_config(bad)
    rd.hup()
    # The diagnostics are FILE:LINE:COL lines (the SIGHUP notice names the file without ':').
    wait_until(lambda: f"{rd.config_path}:" in rd.log(), timeout=5,
               what="routerd to log why the file is refused")
    assert rd.alive()
    assert _state_view(rd) == before
    assert l1.h1.ping(H2_ADDR, count=2, interval=0.2).ok
    assert l1.h1.ping(FAR_ADDR, count=1).ok
    # A good file afterwards is applied again.
    rd.write_config(PLAIN_YAML)
    rd.hup()
    wait_until(lambda: "203.0.113.0/24" not in rd.routes(), timeout=5, what="good reload")


# -- SIGTERM restores the kernel ----------------------------------------------------------------

PORTS = ("eth1", "eth2")


def kernel_snapshot(ns) -> dict:
    """What routerd may touch in R's kernel, in a comparable form: addresses and links
    (`ip -d addr`: flags, promiscuity and allmulti counts, addresses in order), IPv4 routes, the
    per-interface and global sysctls KernelQuiet changes (router/platform/kernel_quiet.cc:
    forwarding, disable_ipv6, arp_ignore; with the rest of net.ipv4.conf / net.ipv6.conf), the
    whole nftables ruleset, and the ports' tc qdiscs and ingress filters."""
    addr = ns.ip("-d", "addr").stdout
    routes = ns.ip("-4", "route", "show", "table", "all").stdout
    sysctl = ns.run(["sysctl", "-a"], check=False, timeout=30).stdout
    keep = sorted(line for line in sysctl.splitlines()
                  if line.startswith(("net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.ip_forward ")))
    nft = ns.run(["nft", "list", "ruleset"], timeout=10).stdout
    tc = "".join(ns.run(["tc", *args], timeout=10).stdout
                 for p in PORTS for args in (["qdisc", "show", "dev", p],
                                             ["filter", "show", "dev", p, "ingress"]))
    return {"ip -d addr": addr, "ip route": routes, "sysctl": keep, "nft": nft, "tc": tc}


def prepare_kernel_router_state(l1, secondary: bool = False) -> None:
    """R as a real box would be before routerd: addresses on its ports (optionally a secondary
    one, so their order is part of the check), forwarding on, arp_ignore 1 on eth1, an operator
    nft table."""
    l1.r.addr_add("eth1", "198.18.0.254/24")
    if secondary:
        l1.r.addr_add("eth1", "198.18.0.253/24")
    l1.r.addr_add("eth2", "198.19.0.254/24")
    l1.r.sysctl("net.ipv4.ip_forward", 1)
    l1.r.sysctl("net.ipv4.conf.eth1.arp_ignore", 1)
    l1.r.run(["nft", "add table inet operator; add chain inet operator input "
              "{ type filter hook input priority 0; policy accept; }; "
              "add rule inet operator input udp dport 9 counter accept"], timeout=10)


def diff_snapshots(a: dict, b: dict) -> str:
    import difflib
    out = []
    for k in a:
        if a[k] != b[k]:
            la = a[k] if isinstance(a[k], list) else a[k].splitlines()
            lb = b[k] if isinstance(b[k], list) else b[k].splitlines()
            out.append(f"--- {k}\n" + "\n".join(difflib.unified_diff(la, lb, lineterm="")))
    return "\n".join(out)


def wait_restored(ns, before: dict, timeout: float = 10) -> None:
    """IPv6 link-local addresses come back through DAD after disable_ipv6 returns to 0, so
    the comparison is retried (bounded) until it settles."""
    last = {}

    def same():
        last["snap"] = kernel_snapshot(ns)
        return last["snap"] == before
    try:
        wait_until(same, timeout=timeout, interval=0.5, what="kernel state restored")
    except TimeoutError:
        pytest.fail("kernel state differs after routerd exited:\n" +
                    diff_snapshots(before, last["snap"]))


def assert_kernel_quiet(ns) -> None:
    for p in PORTS:
        info = json.loads(ns.ip("-j", "addr", "show", "dev", p).stdout)[0]
        fams = [a["family"] for a in info.get("addr_info", [])]
        assert "inet" not in fams and "inet6" not in fams, f"{p} keeps kernel addresses: {info}"
        # A packet socket's PACKET_MR_ALLMULTI raises the device's allmulti count, which
        # `ip -d link` shows; the ALLMULTI flag itself only reflects `ip link set allmulti on`.
        d = link_info(ns, p)
        assert d.get("allmulti", 0) >= 1 or d.get("promiscuity", 0) >= 1, \
            f"CONFORMANCE A06: {p} must receive every group: {d}"
        assert ns.sysctl_get(f"net.ipv4.conf.{p}.forwarding") == "0"
        assert ns.sysctl_get(f"net.ipv6.conf.{p}.disable_ipv6") == "1"
        assert int(ns.sysctl_get(f"net.ipv4.conf.{p}.arp_ignore")) >= 8
    assert "table netdev" in ns.run(["nft", "list", "tables"], timeout=10).stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_exit_restores_the_kernel_interfaces_exactly(lab, sig):
    l1 = build_l1(lab, kernel_router=False, r_ipv6=True)
    prepare_kernel_router_state(l1)
    wait_until(lambda: "tentative" not in l1.r.ip("addr").stdout, timeout=10, what="IPv6 DAD")
    before = kernel_snapshot(l1.r)
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    assert_kernel_quiet(l1.r)
    assert l1.h1.ping(H2_ADDR, count=2, interval=0.2).ok
    assert rd.stop(sig=sig) == 0, rd.log()
    wait_restored(l1.r, before)


def test_exit_restores_secondary_addresses_in_their_order(lab):
    """Removing a primary address makes the kernel drop its secondaries (promote_secondaries
    off, the default): routerd must cope, and put both back, primary first."""
    l1 = build_l1(lab, kernel_router=False)
    prepare_kernel_router_state(l1, secondary=True)
    before = kernel_snapshot(l1.r)
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    assert_kernel_quiet(l1.r)
    assert rd.stop() == 0, rd.log()
    wait_restored(l1.r, before)


def test_restart_after_sigkill_cleans_up_leftovers(lab):
    l1 = build_l1(lab, kernel_router=False, r_ipv6=True)
    prepare_kernel_router_state(l1)
    wait_until(lambda: "tentative" not in l1.r.ip("addr").stdout, timeout=10, what="IPv6 DAD")
    before = kernel_snapshot(l1.r)
    rd = start_routerd(lab, l1.r, PLAIN_YAML)
    assert rd.stop(sig=signal.SIGKILL) == -signal.SIGKILL
    assert kernel_snapshot(l1.r) != before, "a SIGKILLed routerd cannot have restored anything"
    # The same service again (same files): it undoes the dead run's changes before its own.
    rd.start()
    assert_kernel_quiet(l1.r)
    assert l1.h1.ping(H2_ADDR, count=2, interval=0.2).ok
    assert rd.stop() == 0, rd.log()
    wait_restored(l1.r, before)


def test_startup_failure_leaves_the_kernel_untouched(lab):
    l1 = build_l1(lab, kernel_router=False, r_ipv6=True)
    prepare_kernel_router_state(l1)
    wait_until(lambda: "tentative" not in l1.r.ip("addr").stdout, timeout=10, what="IPv6 DAD")
    before = kernel_snapshot(l1.r)
    # eth3 does not exist: routerd must refuse to start and undo whatever it did to eth1/eth2.
    rd = Routerd(lab, l1.r, PLAIN_YAML + "  - name: eth3\n    addresses: [198.18.5.254/24]\n")
    rd.start(wait_ready=False)
    wait_until(lambda: not rd.alive(), timeout=15, what="routerd to exit on a missing port")
    assert rd.proc.returncode not in (0, None), rd.log()
    assert "eth3" in rd.log()
    assert not rd.ready(), "READY=1 must not be sent when a port cannot be opened"
    wait_restored(l1.r, before)


# -- control-socket abuse ------------------------------------------------------------------------

def _fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_control_socket_abuse_leaves_routerd_answering(rd):
    path = str(rd.socket_path)
    fds0 = _fd_count(rd.pid)

    # Garbage: not our magic → EPROTO reply, then the connection is closed.
    with ctlproto.Conn(path) as c:
        c.send(b"GET / HTTP/1.0\r\nHost: routerd\r\n\r\n" + os.urandom(200))
        r = c.read_reply()
        assert r.status == errno.EPROTO, str(r)
        assert c.closed_by_peer(timeout=3)
    # Another protocol version → EPROTONOSUPPORT, closed.
    with ctlproto.Conn(path) as c:
        c.send(ctlproto.request_frame(ctlproto.GET_IP_STUFF, version=99))
        assert c.read_reply().status == errno.EPROTONOSUPPORT
        assert c.closed_by_peer(timeout=3)
    # Oversized: a header announcing 1 GiB, and one announcing just above the limit followed by
    # that many bytes → EMSGSIZE before the body is read, closed.
    for length, body in ((1 << 30, b""), (ctlproto.MAX_MESSAGE_SIZE, b"\0" * 65536)):
        with ctlproto.Conn(path) as c:
            c.send(ctlproto.request_frame(ctlproto.GET_IP_STUFF, length=length))
            r = c.read_reply()
            assert r.status == errno.EMSGSIZE, str(r)
            try:
                c.send(body)  # the body nobody reads: the peer may be gone already (EPIPE)
            except (BrokenPipeError, ConnectionResetError):
                pass
            assert c.closed_by_peer(timeout=3)
    # An unknown message type is ENOTSUP and the connection stays usable; so does a body that
    # does not decode (trailing bytes).
    with ctlproto.Conn(path) as c:
        assert c.call(999, b"xyz", req_id=5).status == errno.ENOTSUP
        assert c.call(ctlproto.GET_IP_STUFF, b"\0\0", req_id=6).status == errno.EINVAL
        assert c.call(ctlproto.GET_IP_STUFF, req_id=7).status == 0
    # Random bytes with our magic and version but nonsense after it, 200 times.
    for i in range(200):
        with ctlproto.Conn(path) as c:
            junk = os.urandom(1 + i % 64)
            c.send(ctlproto.request_frame(i % 40, junk, req_id=i, length=len(junk)))
            try:
                c.read_reply(timeout=2)
            except (ConnectionResetError, TimeoutError, ValueError):
                pass
    assert rd.alive()
    assert rd.ctl_json("show", "ip")["ip_forwarding"] == 1

    # Half-written requests: 20 connections stop in the middle of a header or a body.
    half = []
    for i in range(20):
        c = ctlproto.Conn(path)
        frame = ctlproto.request_frame(ctlproto.SET_IP_MISC, ctlproto.set_ip_misc(2, 0, 9))
        c.send(frame[:7] if i % 2 else frame[:-3])
        half.append(c)
    t0 = time.monotonic()
    assert rd.ctl_json("show", "ip")["ip_default_ttl"] == 64, "half a request is no request"
    assert time.monotonic() - t0 < 2, "routerd stays responsive next to half-written requests"
    # routerd gives a started frame a few seconds (router/control README: 5 s), then closes.
    for c in half:
        assert c.closed_by_peer(timeout=10), "a half-written request is not kept forever"
        c.close()

    # 1,000 connections at once (bounded: opened, held briefly, closed).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    conns = []
    try:
        for _ in range(1000):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5)
            try:
                s.connect(path)
            except OSError:
                s.close()
                continue
            conns.append(s)
        assert rd.alive()
    finally:
        for s in conns:
            s.close()
    assert len(conns) >= 64, f"only {len(conns)} connections could be made"
    # After they are gone routerd answers at once (retries bounded: closing is asynchronous).
    wait_until(lambda: rd.ctl_run("show", "ip", check=False).returncode == 0, timeout=5,
               what="routerctl after 1,000 connections")
    # 1,000 complete request/reply round trips on fresh connections.
    for i in range(1000):
        with ctlproto.Conn(path) as c:
            assert c.call(ctlproto.GET_IP_STUFF, req_id=i).status == 0
    assert rd.alive()
    wait_until(lambda: _fd_count(rd.pid) <= fds0 + 2, timeout=10,
               what=f"routerd's descriptors back near {fds0} (no leak)")
    assert rd.ctl_json("show", "ip")["ip_forwarding"] == 1
    assert rd.interfaces()["eth1"]["oper"] == "up"


def test_routerctl_exit_statuses(rd, tmp_path):
    r = subprocess.run([str(routerctl_bin()), "--control-socket", str(tmp_path / "none.sock"),
                        "show", "ip"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 3, r
    r = rd.ctl_run("show", "nonsense", check=False)
    assert r.returncode == 2, r
    r = rd.ctl_run("set", "ip", "forwarding", "maybe", check=False)
    assert r.returncode == 2, r
