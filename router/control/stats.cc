// SPDX-License-Identifier: Apache-2.0
// GET_IP_STUFF, GET_ICMPSTAT, GET_IGMPSTAT, GET_IFREQ_ALL: summed counters and ifreq_all.
#include "router/control/router_handler.hh"
#include "router/dataplane/stats_collect.hh"

#include <algorithm>

namespace routerd::control {

api::ReplyBody RouterHandler::on(const api::GetIpStuffRequest&) {
    const auto& ip = state_.ip();
    api::IpStuff s;
    s.ip_stat = dataplane::collect_ip(stats_);
    s.rt_stat = dataplane::collect_rt(stats_);
    s.ip_forwarding = ip.forwarding ? 1 : 0;
    s.ip_default_ttl = ip.default_ttl;
    s.ipq_ttl = static_cast<std::int32_t>(ip.reassembly_timeout_s);
    // Reassembly is not in this build's data plane: nothing ever waits (a true 0).
    s.ipq_reasm_reqds = 0;
    // The seed's icmp_answermask: routerd answers mask requests on some interface.
    const auto& ifs = state_.interfaces();
    s.icmp_answermask =
        std::any_of(ifs.begin(), ifs.end(), [](const auto& i) { return i.settings.mask_reply; })
            ? 1
            : 0;
    s.ip_sendredirects = ip.send_redirects ? 1 : 0;
    s.ip_sourceroute = ip.source_route ? 1 : 0;
    return api::GetIpStuffReply{s};
}

api::ReplyBody RouterHandler::on(const api::GetIcmpStatRequest&) {
    return api::GetIcmpStatReply{dataplane::collect_icmp(stats_)};
}

api::ReplyBody RouterHandler::on(const api::GetIgmpStatRequest&) {
    return api::GetIgmpStatReply{dataplane::collect_igmp(stats_)};
}

api::ReplyBody RouterHandler::on(const api::GetIfreqAllRequest& m) {
    const dataplane::InterfaceState* ifs = find(m.if_number);
    if (ifs == nullptr) {
        return error_reply(api::MsgType::GET_IFREQ_ALL, ENOENT,
                           "no interface with if_number " + std::to_string(m.if_number));
    }
    api::IfreqAll r;
    r.if_entry.if_index = static_cast<std::uint32_t>(ifs->ifindex);
    r.if_entry.if_name = ifs->name;
    r.if_entry.if_flags = ifs->if_flags();
    r.if_entry.if_mtu = ifs->effective_mtu();
    r.if_entry.if_metric = 0;
    r.if_statsavail = 1;
    r.if_stats = dataplane::collect_if(stats_, ifs->slot);
    r.if_outqlen = 0;  // frames are sent per batch: nothing queues between wake-ups
    const auto n = std::min(ifs->addresses.size(), api::kIfMaxAddrs);
    r.if_naddr = static_cast<std::int32_t>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Ip4Prefix a = ifs->addresses[i];
        api::AllAddrs& out = r.if_addrs[i];
        out.addr = a.addr;
        out.netmask = Ip4Addr(a.mask());
        // RFC 919/922 directed broadcast; none on /31 (RFC 3021) and /32.
        if (a.len < 31) {
            out.dstaddr = a.broadcast();
            out.flags |= api::kIfaBroadcast;
        }
        // Primary: the first address of its subnet on this interface (BSD's IFA_ROUTE owner).
        const bool first_of_subnet = std::none_of(
            ifs->addresses.begin(), ifs->addresses.begin() + static_cast<long>(i),
            [&](const Ip4Prefix& b) { return b.len == a.len && b.network() == a.network(); });
        if (first_of_subnet) {
            out.flags |= api::kIfaPrimary;
        }
    }
    return api::GetIfreqAllReply{r};
}

}  // namespace routerd::control
