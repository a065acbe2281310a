// SPDX-License-Identifier: Apache-2.0
// Sample control messages with non-trivial values: one of every request and reply type.
#pragma once

#include "router/api/messages.hh"
#include "router/api/stats.hh"

#include <cstdint>
#include <vector>

namespace routerd::api::test {

inline Ip4Addr ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return Ip4Addr::from_octets(a, b, c, d);
}

// Every counter distinct, and some above 2^32 so a 32-bit truncation shows.
template <typename S>
S sample_stat(std::uint64_t seed) {
    StatCounters<S> c{};
    for (std::size_t i = 0; i < c.size(); ++i) {
        c[i] = seed + i * 7919 + (i % 3 == 0 ? (std::uint64_t{1} << 40) : 0);
    }
    c.back() = ~std::uint64_t{0};
    return from_counters<S>(c);
}

inline IpStuff sample_ip_stuff() {
    IpStuff s;
    s.ip_stat = sample_stat<IpStat>(11);
    s.rt_stat = sample_stat<RtStat>(13);
    s.ip_forwarding = 1;
    s.ip_default_ttl = 64;
    s.ipq_ttl = 30;
    s.ipq_reasm_reqds = 3;
    s.icmp_answermask = 1;
    s.ip_sendredirects = 0;
    s.ip_sourceroute = 1;
    return s;
}

inline IfreqAll sample_ifreq_all(int naddr = 3) {
    IfreqAll r;
    r.if_entry = IfNet{7, "eth1", kIffUp | kIffBroadcast | kIffRunning | kIffMulticast, 1500, 1};
    r.if_statsavail = 1;
    r.if_stats = sample_stat<IfStats>(17);
    r.if_outqlen = 5;
    r.if_naddr = naddr;
    for (int i = 0; i < naddr; ++i) {
        auto k = static_cast<std::uint8_t>(i);
        r.if_addrs[static_cast<std::size_t>(i)] =
            AllAddrs{ip(198, 18, k, 254), ip(198, 18, k, 255), ip(255, 255, 255, 0),
                     static_cast<std::uint16_t>(kIfaBroadcast | (i == 0 ? kIfaPrimary : 0))};
    }
    return r;
}

inline GetRoutesReply sample_route_page(std::size_t n) {
    GetRoutesReply r;
    r.routes.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        RouteEntry e;
        e.prefix = Ip4Prefix{Ip4Addr(0xc6120000u + static_cast<std::uint32_t>(i << 8)), 24};
        switch (i % 4) {
            case 0:
                e.kind = RouteKind::connected;
                e.ifindex = 7;
                break;
            case 1:
                e.kind = RouteKind::forward;
                e.via = ip(198, 19, 0, 1);
                e.ifindex = 8;
                break;
            case 2:
                e.kind = RouteKind::reject;
                break;
            default:
                e.kind = RouteKind::blackhole;
                break;
        }
        e.age_s = static_cast<std::uint32_t>(i * 3);
        r.routes.push_back(e);
    }
    r.more = true;
    r.route_count = static_cast<std::uint32_t>(n * 10);
    return r;
}

inline IgmpInterface sample_igmp_interface(std::uint32_t ifindex) {
    IgmpInterface i;
    i.ifindex = ifindex;
    i.settings = IgmpSettings{true, 3, 125, 100, 2, 10};
    i.is_querier = true;
    i.querier = ip(198, 18, 0, 254);
    i.querier_uptime_s = 3600;
    i.other_querier_expiry_ms = 0;
    i.v1_querier_timer_ms = 0;
    i.wrong_version_queries = 2;
    i.joins = 9;
    IgmpGroup g;
    g.group = ip(239, 1, 2, 3);
    g.last_reporter = ip(198, 18, 0, 1);
    g.uptime_s = 120;
    g.expiry_ms = 250000;
    g.version = 3;
    g.v1_host_timer_ms = 0;
    g.v2_host_timer_ms = 1000;
    g.filter_mode = IgmpFilterMode::include;
    g.sources = {IgmpSource{ip(203, 0, 113, 5), 1000}, IgmpSource{ip(203, 0, 113, 6), 2000}};
    i.groups.push_back(g);
    g.group = ip(239, 0, 0, 9);
    g.version = 2;
    g.filter_mode = IgmpFilterMode::exclude;
    g.sources.clear();
    i.groups.push_back(g);
    return i;
}

/// One request of every type (the test checks that every RequestBody alternative is here).
inline std::vector<Request> sample_requests() {
    std::vector<Request> v;
    std::uint32_t id = 100;
    auto add = [&](RequestBody body) { v.push_back(Request{id++, std::move(body)}); };
    add(HelloRequest{"routerctl"});
    add(GetIpStuffRequest{});
    add(GetIfreqAllRequest{7});
    add(GetIcmpStatRequest{});
    add(GetIgmpStatRequest{});
    add(GetIfListRequest{});
    add(GetRoutesRequest{Ip4Prefix{ip(198, 18, 0, 0), 15}, true, 512});
    add(GetArpRequest{7, ip(198, 18, 0, 1), true, 100});
    add(GetIgmpGroupsRequest{7});
    add(SetIpMiscRequest{kIpMiscDefaultTtl, 0, 64});
    add(SetIfAdminRequest{8, AdminState::down});
    add(SetIfFlagsRequest{7, true, std::nullopt, false});
    add(SetIpSettingsRequest{false, std::nullopt, 60});
    add(SetIgmpRequest{7, true, 3, 60, 50, std::nullopt, 5});
    add(RouteAddRequest{
        RouteSpec{Ip4Prefix{ip(203, 0, 113, 0), 24}, ip(198, 18, 0, 1), 7, RouteKind::forward}});
    add(RouteDelRequest{RouteSpec{Ip4Prefix{ip(198, 51, 100, 0), 24}, {}, 0, RouteKind::reject}});
    add(SetMgmtRequest{true});
    return v;
}

/// One reply of every type, LINK_EVENT and an error reply included.
inline std::vector<Reply> sample_replies() {
    std::vector<Reply> v;
    std::uint32_t id = 100;
    auto add = [&](ReplyBody body) { v.push_back(Reply{id++, std::move(body)}); };
    add(HelloReply{"routerd 0.1.0", 1700000000123456789ull});
    add(GetIpStuffReply{sample_ip_stuff()});
    add(GetIfreqAllReply{sample_ifreq_all()});
    add(GetIcmpStatReply{sample_stat<IcmpStat>(19)});
    add(GetIgmpStatReply{sample_stat<IgmpStat>(23)});
    GetIfListReply list;
    list.interfaces.push_back(IfListEntry{
        7, "eth1", MacAddr{{0x02, 0, 0, 0, 0, 0x07}}, 1500, kIffUp | kIffRunning, AdminState::up,
        OperState::up, IfSettings{true, true, false}, 10000000000ull, 1700000000000000000ull});
    list.interfaces.push_back(IfListEntry{8, "eth2", MacAddr{{0x02, 0, 0, 0, 0, 0x08}}, 9000, 0,
                                          AdminState::down, OperState::lower_layer_down,
                                          IfSettings{false, false, true}, 0, 0});
    add(std::move(list));
    add(sample_route_page(5));
    add(GetArpReply{
        {ArpEntry{7, ip(198, 18, 0, 1), MacAddr{{0x02, 0, 0, 0, 1, 1}}, ArpState::reachable, 12},
         ArpEntry{8, ip(198, 19, 0, 1), MacAddr{}, ArpState::incomplete, 0}},
        false});
    add(GetIgmpGroupsReply{{sample_igmp_interface(7), sample_igmp_interface(8)}});
    add(SetIpMiscReply{});
    add(SetIfAdminReply{});
    add(SetIfFlagsReply{});
    add(SetIpSettingsReply{});
    add(SetIgmpReply{});
    add(RouteAddReply{});
    add(RouteDelReply{});
    add(SetMgmtReply{});
    v.push_back(
        Reply{0, LinkEvent{8, "eth2", AdminState::up, OperState::down, 1700000000987654321ull}});
    add(ErrorReply{MsgType::SET_IP_MISC, EINVAL, "SET_IP_MISC request: 'arg' is 3"});
    return v;
}

}  // namespace routerd::api::test
