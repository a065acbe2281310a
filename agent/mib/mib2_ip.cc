// SPDX-License-Identifier: Apache-2.0
// MIB-II ip group mapping from routerd's ip_stuff, interfaces, ARP cache and route table.
#include "agent/mib/mib2_ip.hh"

#include "agent/mib/oids.hh"

#include <algorithm>

namespace routerd::agent {

namespace {

Oid scalar(std::uint32_t n) {
    return oid_cat(oids::kIp, {n, 0});
}

void add_ip_octets(Oid& o, Ip4Addr a) {
    std::uint32_t v = a.value();
    o.insert(o.end(), {v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff});
}

// RFC 1213 ipRouteType / RFC 4292 inetCidrRouteType / IANAipRouteProtocol values.
constexpr std::int64_t kIpRouteTypeOther = 1;
constexpr std::int64_t kIpRouteTypeDirect = 3;
constexpr std::int64_t kIpRouteTypeIndirect = 4;
constexpr std::int64_t kCidrTypeReject = 2;
constexpr std::int64_t kCidrTypeLocal = 3;
constexpr std::int64_t kCidrTypeRemote = 4;
constexpr std::int64_t kCidrTypeBlackhole = 5;
constexpr std::int64_t kProtoLocal = 2;    // connected: from interface addresses
constexpr std::int64_t kProtoNetmgmt = 3;  // static: YAML, routerctl, SNMP
// RFC 1213: "If this metric is not used, its value should be set to -1"; routerd has none.
constexpr std::int64_t kUnusedMetric = -1;
// Bounds one GETNEXT's paging when an index is far from any route (a hostile or odd request).
constexpr int kMaxPagesPerLookup = 64;

}  // namespace

std::int64_t ip_forwarding_value(const api::IpStuff& s) {
    return s.ip_forwarding != 0 ? 1 : 2;
}

void add_ip_scalars(const api::IpStuff& s, Rows& rows) {
    const auto& st = s.ip_stat;
    rows[scalar(1)] = Value::integer(ip_forwarding_value(s));
    rows[scalar(2)] = Value::integer(s.ip_default_ttl);
    rows[scalar(3)] = Value::counter32(st.ips_total);  // ipInReceives
    // ipInHdrErrors: every header check of RFC 1812 5.2.2 that drops a datagram.
    rows[scalar(4)] =
        Value::counter32(st.ips_badsum + st.ips_tooshort + st.ips_toosmall + st.ips_badhlen +
                         st.ips_badlen + st.ips_badvers + st.ips_badoptions + st.ips_toolong);
    // ipInAddrErrors: "invalid address in header" (unreachable destination, martians).
    rows[scalar(5)] = Value::counter32(st.ips_cantforward + st.ips_badaddr);
    rows[scalar(6)] = Value::counter32(st.ips_forward);     // ipForwDatagrams
    rows[scalar(7)] = Value::counter32(st.ips_noproto);     // ipInUnknownProtos
    rows[scalar(8)] = Value::counter32(st.ips_notmember);   // ipInDiscards: valid but unwanted
    rows[scalar(9)] = Value::counter32(st.ips_delivered);   // ipInDelivers
    rows[scalar(10)] = Value::counter32(st.ips_localout);   // ipOutRequests
    rows[scalar(11)] = Value::counter32(st.ips_odropped);   // ipOutDiscards
    rows[scalar(12)] = Value::counter32(st.ips_noroute);    // ipOutNoRoutes
    rows[scalar(13)] = Value::integer(s.ipq_ttl);           // ipReasmTimeout, seconds
    rows[scalar(14)] = Value::counter32(st.ips_fragments);  // ipReasmReqds
    rows[scalar(15)] = Value::counter32(st.ips_reassembled);
    rows[scalar(16)] = Value::counter32(st.ips_fragdropped + st.ips_fragtimeout);  // ReasmFails
    rows[scalar(17)] = Value::counter32(st.ips_fragmented);                        // ipFragOKs
    rows[scalar(18)] = Value::counter32(st.ips_cantfrag);                          // ipFragFails
    rows[scalar(19)] = Value::counter32(st.ips_ofragments);                        // ipFragCreates
}

SnmpErr check_ip_forwarding(std::int64_t v) {
    return check_range(v, 1, 2);
}

SnmpErr check_ip_default_ttl(std::int64_t v) {
    return check_range(v, 1, 255);
}

api::SetIpMiscRequest ip_forwarding_request(std::int64_t v) {
    api::SetIpMiscRequest r;
    r.arg = api::kIpMiscForwarding;
    r.ip_forwarding = v == 1 ? 1 : 0;
    return r;
}

api::SetIpMiscRequest ip_default_ttl_request(std::int64_t v) {
    api::SetIpMiscRequest r;
    r.arg = api::kIpMiscDefaultTtl;
    r.ip_default_ttl = static_cast<std::int32_t>(v);
    return r;
}

void add_ip_addr_table(const std::vector<InterfaceView>& ifs, Rows& rows) {
    for (const auto& v : ifs) {
        const auto& r = v.ifreq;
        auto n = static_cast<std::size_t>(std::clamp(r.if_naddr, 0, int(api::kIfMaxAddrs)));
        for (std::size_t i = 0; i < n; ++i) {
            const auto& a = r.if_addrs[i];
            Oid idx;
            add_ip_octets(idx, a.addr);
            auto col = [&](std::uint32_t c) {
                return oid_cat(oid_cat(oids::kIpAddrEntry, {c}), idx);
            };
            if (rows.count(col(1)) != 0) {
                continue;  // the same address twice: the first interface keeps the row
            }
            rows[col(1)] = Value::ip(a.addr);
            rows[col(2)] = Value::integer(r.if_entry.if_index);
            rows[col(3)] = Value::ip(a.netmask);
            // ipAdEntBcastAddr: the low bit of the broadcast address; routerd uses all-ones.
            rows[col(4)] = Value::integer(1);
            // ipAdEntReasmMaxSize: routerd reassembles up to the IPv4 maximum.
            rows[col(5)] = Value::integer(65535);
        }
    }
}

void add_ip_net_to_media(const std::vector<api::ArpEntry>& arp, Rows& rows) {
    for (const auto& e : arp) {
        Oid idx{e.ifindex};
        add_ip_octets(idx, e.addr);
        auto col = [&](std::uint32_t c) {
            return oid_cat(oid_cat(oids::kIpNetToMediaEntry, {c}), idx);
        };
        rows[col(1)] = Value::integer(e.ifindex);
        rows[col(2)] = Value::octets(e.state == api::ArpState::incomplete
                                         ? std::string()
                                         : std::string(e.mac.bytes.begin(), e.mac.bytes.end()));
        rows[col(3)] = Value::ip(e.addr);
        // ipNetToMediaType: other(1), invalid(2), dynamic(3), static(4).
        std::int64_t type = e.state == api::ArpState::permanent    ? 4
                            : e.state == api::ArpState::incomplete ? 1
                                                                   : 3;
        rows[col(4)] = Value::integer(type);
    }
}

// ---- routes ------------------------------------------------------------------------------

Oid route_index(RouteTable t, const api::RouteEntry& r) {
    Oid idx;
    if (t == RouteTable::ip_route) {
        add_ip_octets(idx, r.prefix.addr);
        return idx;
    }
    if (t == RouteTable::ip_cidr) {
        // ipCidrRouteTos is 0: routerd forwards regardless of TOS.
        add_ip_octets(idx, r.prefix.addr);
        add_ip_octets(idx, Ip4Addr(r.prefix.mask()));
        idx.push_back(0);
        add_ip_octets(idx, r.via);
        return idx;
    }
    // inetCidrRouteDestType ipv4(1), Dest as a 4-byte InetAddress (length-prefixed, RFC 2578
    // 7.7), PfxLen, Policy zeroDotZero (length-prefixed OID), NextHopType + NextHop: ipv4(1)
    // with the gateway for remote routes, unknown(0) with a zero-length address otherwise.
    idx = {1, 4};
    add_ip_octets(idx, r.prefix.addr);
    idx.push_back(r.prefix.len);
    idx.insert(idx.end(), {2, 0, 0});
    if (r.kind == api::RouteKind::forward) {
        idx.insert(idx.end(), {1, 4});
        add_ip_octets(idx, r.via);
    } else {
        idx.insert(idx.end(), {0, 0});
    }
    return idx;
}

const std::vector<std::uint32_t>& route_columns(RouteTable t) {
    static const std::vector<std::uint32_t> kIpRoute{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    static const std::vector<std::uint32_t> kIpCidr{1, 2,  3,  4,  5,  6,  7,  8,
                                                    9, 10, 11, 12, 13, 14, 15, 16};
    // 1-6 are the not-accessible index objects.
    static const std::vector<std::uint32_t> kCidr{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
    return t == RouteTable::ip_route ? kIpRoute : t == RouteTable::ip_cidr ? kIpCidr : kCidr;
}

Value route_column(RouteTable t, std::uint32_t col, const api::RouteEntry& r) {
    bool connected = r.kind == api::RouteKind::connected;
    std::int64_t proto = connected ? kProtoLocal : kProtoNetmgmt;
    if (t == RouteTable::ip_route) {
        switch (col) {
            case 1:
                return Value::ip(r.prefix.addr);
            case 2:
                return Value::integer(r.ifindex);
            case 7:
                return Value::ip(r.via);
            case 8:
                return Value::integer(connected                           ? kIpRouteTypeDirect
                                      : r.kind == api::RouteKind::forward ? kIpRouteTypeIndirect
                                                                          : kIpRouteTypeOther);
            case 9:
                return Value::integer(proto);
            case 10:
                return Value::integer(r.age_s);
            case 11:
                return Value::ip(Ip4Addr(r.prefix.mask()));
            case 13:
                return Value::object_id(oids::kZeroDotZero);
            default:  // ipRouteMetric1-5 (3-6, 12)
                return Value::integer(kUnusedMetric);
        }
    }
    if (t == RouteTable::ip_cidr) {
        // RFC 2096 ipCidrRouteType: other(1), reject(2), local(3), remote(4).
        switch (col) {
            case 1:
                return Value::ip(r.prefix.addr);
            case 2:
                return Value::ip(Ip4Addr(r.prefix.mask()));
            case 3:
                return Value::integer(0);
            case 4:
                return Value::ip(r.via);
            case 5:
                return Value::integer(r.ifindex);
            case 6:
                return Value::integer(connected                           ? kCidrTypeLocal
                                      : r.kind == api::RouteKind::forward ? kCidrTypeRemote
                                      : r.kind == api::RouteKind::reject  ? kCidrTypeReject
                                                                          : kIpRouteTypeOther);
            case 7:
                return Value::integer(proto);
            case 8:
                return Value::integer(r.age_s);
            case 9:
                return Value::object_id(oids::kZeroDotZero);
            case 10:
                return Value::integer(0);  // ipCidrRouteNextHopAS
            case 16:
                return Value::integer(1);  // ipCidrRouteStatus active(1)
            default:                       // ipCidrRouteMetric1-5 (11-15)
                return Value::integer(kUnusedMetric);
        }
    }
    switch (col) {
        case 7:
            return Value::integer(r.ifindex);
        case 8:
            switch (r.kind) {
                case api::RouteKind::connected:
                    return Value::integer(kCidrTypeLocal);
                case api::RouteKind::forward:
                    return Value::integer(kCidrTypeRemote);
                case api::RouteKind::reject:
                    return Value::integer(kCidrTypeReject);
                case api::RouteKind::blackhole:
                    return Value::integer(kCidrTypeBlackhole);
            }
            return Value::integer(kIpRouteTypeOther);
        case 9:
            return Value::integer(proto);
        case 10:
            return Value::gauge32(r.age_s);
        case 11:
            return Value::gauge32(0);  // inetCidrRouteNextHopAS: no BGP here
        case 17:
            return Value::integer(1);  // inetCidrRouteStatus active(1)
        default:                       // inetCidrRouteMetric1-5 (12-16)
            return Value::integer(kUnusedMetric);
    }
}

const Oid& route_entry(RouteTable t) {
    switch (t) {
        case RouteTable::ip_route:
            return oids::kIpRouteEntry;
        case RouteTable::ip_cidr:
            return oids::kIpCidrRouteEntry;
        case RouteTable::inet_cidr:
            break;
    }
    return oids::kInetCidrRouteEntry;
}

std::optional<Ip4Addr> route_lower_bound(RouteTable t, const Oid& s) {
    std::size_t first = 0;
    if (t == RouteTable::inet_cidr) {
        // Every index starts 1.4 (ipv4, 4 bytes): anything below starts at the first route,
        // anything above is past them all.
        const Oid head{1, 4};
        Oid have(s.begin(),
                 s.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(2, s.size())));
        Oid want(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(have.size()));
        if (have < want) {
            return Ip4Addr();
        }
        if (have > want) {
            return std::nullopt;
        }
        first = 2;
    }
    // The address octets present; a missing one is 0, one above 255 caps the rest at 255 (all
    // addresses with that head are below `s`, and the caller steps past them).
    std::uint32_t a = 0;
    bool capped = false;
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint32_t o = 0;
        if (first + i < s.size()) {
            o = capped ? 255 : std::min<std::uint32_t>(s[first + i], 255);
            capped = capped || s[first + i] > 255;
        }
        a = (a << 8) | o;
    }
    return Ip4Addr(a);
}

bool RoutePager::fetch(Key lo) {
    // GET_ROUTES starts at a prefix without host bits. "Strictly after (addr-1)/32" is "from
    // (addr, 0)"; "strictly after addr/(len-1)" is "from (addr, len)" (lo then follows a route
    // routerd sent, so it has no host bits; otherwise fall back to the whole address).
    Ip4Prefix start{};
    bool after = false;
    Ip4Prefix prev{Ip4Addr(lo.addr), static_cast<std::uint8_t>(lo.len == 0 ? 0 : lo.len - 1)};
    if (lo.len > 0 && lo.len <= 33 && !prev.has_host_bits()) {
        start = prev;
        after = true;
    } else if (lo.addr != 0) {
        lo = Key{lo.addr, 0};
        start = Ip4Prefix{Ip4Addr(lo.addr - 1), 32};
        after = true;
    } else {
        lo = Key{};
    }
    auto r = src_.routes(start, after, page_size_);
    if (!r) {
        page_.reset();
        return false;
    }
    count_ = r->route_count;
    page_ = Page{std::move(r->routes), r->more, lo, Clock::now()};
    return true;
}

std::optional<api::RouteEntry> RoutePager::first_after(RouteTable t, const Oid& s, bool inclusive) {
    auto lb = route_lower_bound(t, s);
    if (!lb) {
        return std::nullopt;
    }
    Key want{lb->value(), 0};
    auto fresh = [&] {
        return page_ && max_age_ > Clock::duration::zero() && Clock::now() - page_->at < max_age_;
    };
    bool covered = fresh() && page_->lo <= want &&
                   (!page_->more || (!page_->routes.empty() && want <= key(page_->routes.back())));
    if (!covered && !fetch(want)) {
        return std::nullopt;
    }
    for (int pages = 0; pages < kMaxPagesPerLookup; ++pages) {
        const auto& rs = page_->routes;
        auto it =
            std::lower_bound(rs.begin(), rs.end(), want,
                             [](const api::RouteEntry& r, const Key& k) { return key(r) < k; });
        for (; it != rs.end(); ++it) {
            auto idx = route_index(t, *it);
            if (idx > s || (inclusive && idx == s)) {
                return *it;
            }
        }
        if (!page_->more || rs.empty()) {
            return std::nullopt;
        }
        Key last = key(rs.back());
        want = Key{last.addr, last.len + 1};
        if (!fetch(want)) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::uint32_t> RoutePager::route_count() {
    auto r = src_.routes(Ip4Prefix{}, false, 1);
    if (!r) {
        return std::nullopt;
    }
    count_ = r->route_count;
    return count_;
}

std::optional<Varbind> RouteProvider::next(const Oid& oid, bool inclusive) {
    const Oid& entry = route_entry(table_);
    const auto& cols = route_columns(table_);
    std::size_t ci = 0;
    Oid s;
    bool incl = true;
    if (oid_has_prefix(oid, entry) && oid.size() > entry.size()) {
        std::uint32_t c = oid[entry.size()];
        while (ci < cols.size() && cols[ci] < c) {
            ++ci;
        }
        if (ci < cols.size() && cols[ci] == c) {
            s.assign(oid.begin() + static_cast<std::ptrdiff_t>(entry.size()) + 1, oid.end());
            incl = inclusive;
        }
    } else if (oid > entry && !oid_has_prefix(oid, entry)) {
        return std::nullopt;
    }
    for (; ci < cols.size(); ++ci) {
        if (auto r = pager_.first_after(table_, s, incl)) {
            return Varbind{oid_cat(oid_cat(entry, {cols[ci]}), route_index(table_, *r)),
                           route_column(table_, cols[ci], *r)};
        }
        s.clear();
        incl = true;
    }
    return std::nullopt;
}

}  // namespace routerd::agent
