// SPDX-License-Identifier: Apache-2.0
// MIB-II ip group (RFC 1213 / RFC 4293): scalars, ipAddrTable, ipNetToMediaTable, and the two
// route tables ipRouteTable (RFC 1213) and inetCidrRouteTable (RFC 4292, IP-FORWARD-MIB).
#pragma once

#include "agent/mib/provider.hh"
#include "agent/source/source.hh"
#include "router/api/messages.hh"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace routerd::agent {

// ---- pure mapping ------------------------------------------------------------------------

/// ip scalars 4.1-4.19 (instance .0) from ip_stuff; the mapping table is in agent/README.md.
void add_ip_scalars(const api::IpStuff& s, Rows& rows);
/// ipForwarding: forwarding(1) / notForwarding(2) from BSD's ipforwarding 1/0.
std::int64_t ip_forwarding_value(const api::IpStuff& s);
SnmpErr check_ip_forwarding(std::int64_t v);
SnmpErr check_ip_default_ttl(std::int64_t v);
/// SET_IP_MISC requests for an SNMP value (checked first).
api::SetIpMiscRequest ip_forwarding_request(std::int64_t v);
api::SetIpMiscRequest ip_default_ttl_request(std::int64_t v);

/// ipAddrTable (4.20): one row per interface address, index ipAdEntAddr.
void add_ip_addr_table(const std::vector<InterfaceView>& ifs, Rows& rows);
/// ipNetToMediaTable (4.22): index ifIndex.address.
void add_ip_net_to_media(const std::vector<api::ArpEntry>& arp, Rows& rows);

/// ipRouteTable (RFC 1213), ipCidrRouteTable (RFC 2096, deprecated but still polled; served so
/// that snmpd's kernel rows never show there) and inetCidrRouteTable (RFC 4292).
enum class RouteTable { ip_route, ip_cidr, inet_cidr };
/// The instance suffix of a route's row: ipRouteDest (4 subids); ipCidrRoute's
/// Dest.Mask.Tos(0).NextHop; or inetCidrRoute's DestType.Dest.PfxLen.Policy.NextHopType.NextHop
/// (IPv4 only).
Oid route_index(RouteTable t, const api::RouteEntry& r);
/// The table's entry OID (its columns are entry.c).
const Oid& route_entry(RouteTable t);
/// The readable columns of the table, ascending.
const std::vector<std::uint32_t>& route_columns(RouteTable t);
/// One column of a route's row.
Value route_column(RouteTable t, std::uint32_t col, const api::RouteEntry& r);
/// The smallest network address a route after index suffix `s` can have; nullopt when every
/// route's index is below `s` (the column is finished).
std::optional<Ip4Addr> route_lower_bound(RouteTable t, const Oid& s);

// ---- routes from routerd -----------------------------------------------------------------

/// Pages of routerd's route table, fetched on demand and kept for `max_age`: a walk asks for
/// successive rows, so the page after the last row answers the next GETNEXTs. The table is
/// never copied whole (it may hold ~1M routes, DESIGN.md).
class RoutePager {
public:
    using Clock = std::chrono::steady_clock;
    RoutePager(Source& src, Clock::duration max_age, std::uint32_t page_size)
        : src_(src), max_age_(max_age), page_size_(page_size) {}

    /// The first route (in table order) whose index in `t` is above `s` (or equal, inclusive).
    std::optional<api::RouteEntry> first_after(RouteTable t, const Oid& s, bool inclusive);
    /// routerd's route count (inetCidrRouteNumber), or nullopt when routerd is away.
    std::optional<std::uint32_t> route_count();
    void invalidate() { page_.reset(); }

private:
    struct Key {
        std::uint32_t addr = 0;
        unsigned len = 0;
        friend auto operator<=>(const Key&, const Key&) = default;
    };
    struct Page {
        std::vector<api::RouteEntry> routes;
        bool more = false;
        Key lo;  // the page holds every route with a key >= lo, up to its last one
        Clock::time_point at;
    };
    static Key key(const api::RouteEntry& r) { return {r.prefix.addr.value(), r.prefix.len}; }
    bool fetch(Key lo);

    Source& src_;
    Clock::duration max_age_;
    std::uint32_t page_size_;
    std::optional<Page> page_;
    std::uint32_t count_ = 0;
};

/// Provider of one route table over a RoutePager.
class RouteProvider : public Provider {
public:
    RouteProvider(RouteTable t, RoutePager& pager) : table_(t), pager_(pager) {}
    std::optional<Varbind> next(const Oid& oid, bool inclusive) override;
    void invalidate() override { pager_.invalidate(); }

private:
    RouteTable table_;
    RoutePager& pager_;
};

}  // namespace routerd::agent
