// SPDX-License-Identifier: Apache-2.0
// IF-MIB mapping from GET_IF_LIST + GET_IFREQ_ALL.
#include "agent/mib/if_mib.hh"

#include "agent/mib/oids.hh"

#include <algorithm>

namespace routerd::agent {

namespace {

// IANAifType: ethernetCsmacd(6), softwareLoopback(24).
constexpr std::int64_t kIfTypeEthernet = 6;
constexpr std::int64_t kIfTypeLoopback = 24;

std::uint64_t minus(std::uint64_t a, std::uint64_t b) {
    return a > b ? a - b : 0;
}

}  // namespace

std::uint64_t timestamp_ticks(std::uint64_t event_ns, const TimeBase& tb) {
    if (event_ns == 0 || event_ns > tb.now_unix_ns) {
        return event_ns == 0 ? 0 : tb.uptime_ticks;
    }
    std::uint64_t ago = (tb.now_unix_ns - event_ns) / 10'000'000;  // ns -> 1/100 s
    return ago >= tb.uptime_ticks ? 0 : tb.uptime_ticks - ago;
}

void add_if_mib(const std::vector<InterfaceView>& ifs, const TimeBase& tb,
                std::uint64_t routerd_start_ns, Rows& rows) {
    rows[oid_cat(oids::kIfNumber, {0})] = Value::integer(static_cast<std::int64_t>(ifs.size()));
    for (const auto& v : ifs) {
        const auto& e = v.entry;
        const auto& st = v.ifreq.if_stats;
        std::uint32_t i = e.ifindex;
        auto t = [&](std::uint32_t c) { return oid_cat(oids::kIfEntry, {c, i}); };
        auto x = [&](std::uint32_t c) { return oid_cat(oids::kIfXEntry, {c, i}); };
        std::uint64_t in_ucast = minus(st.ifs_ipackets, st.ifs_imcasts + st.ifs_ibcasts);
        std::uint64_t out_ucast = minus(st.ifs_opackets, st.ifs_omcasts + st.ifs_obcasts);

        rows[t(1)] = Value::integer(i);
        rows[t(2)] = Value::octets(e.name);
        rows[t(3)] =
            Value::integer((e.flags & api::kIffLoopback) != 0 ? kIfTypeLoopback : kIfTypeEthernet);
        rows[t(4)] = Value::integer(e.mtu);
        rows[t(5)] = Value::gauge32(e.speed_bps);  // latches at 2^32-1; ifHighSpeed has the rest
        rows[t(6)] = Value::octets(std::string(e.mac.bytes.begin(), e.mac.bytes.end()));
        rows[t(7)] = Value::integer(static_cast<std::int64_t>(e.admin));
        rows[t(8)] = Value::integer(static_cast<std::int64_t>(e.oper));
        rows[t(9)] = Value::time_ticks(timestamp_ticks(e.last_change_ns, tb));
        rows[t(10)] = Value::counter32(st.ifs_ibytes);
        rows[t(11)] = Value::counter32(in_ucast);
        rows[t(12)] = Value::counter32(st.ifs_imcasts + st.ifs_ibcasts);  // ifInNUcastPkts
        rows[t(13)] = Value::counter32(st.ifs_iqdrops);
        rows[t(14)] = Value::counter32(st.ifs_ierrors);
        rows[t(15)] = Value::counter32(st.ifs_noproto);
        rows[t(16)] = Value::counter32(st.ifs_obytes);
        rows[t(17)] = Value::counter32(out_ucast);
        rows[t(18)] = Value::counter32(st.ifs_omcasts + st.ifs_obcasts);  // ifOutNUcastPkts
        rows[t(19)] = Value::counter32(st.ifs_oqdrops);
        rows[t(20)] = Value::counter32(st.ifs_oerrors);
        rows[t(21)] = Value::gauge32(static_cast<std::uint64_t>(std::max(v.ifreq.if_outqlen, 0)));
        rows[t(22)] = Value::object_id(oids::kZeroDotZero);  // ifSpecific (deprecated)

        rows[x(1)] = Value::octets(e.name);
        rows[x(2)] = Value::counter32(st.ifs_imcasts);
        rows[x(3)] = Value::counter32(st.ifs_ibcasts);
        rows[x(4)] = Value::counter32(st.ifs_omcasts);
        rows[x(5)] = Value::counter32(st.ifs_obcasts);
        rows[x(6)] = Value::counter64(st.ifs_ibytes);
        rows[x(7)] = Value::counter64(in_ucast);
        rows[x(8)] = Value::counter64(st.ifs_imcasts);
        rows[x(9)] = Value::counter64(st.ifs_ibcasts);
        rows[x(10)] = Value::counter64(st.ifs_obytes);
        rows[x(11)] = Value::counter64(out_ucast);
        rows[x(12)] = Value::counter64(st.ifs_omcasts);
        rows[x(13)] = Value::counter64(st.ifs_obcasts);
        // ifLinkUpDownTrapEnable: enabled(1); router-agent traps every link event (DESIGN.md).
        rows[x(14)] = Value::integer(1);
        rows[x(15)] = Value::gauge32(e.speed_bps / 1'000'000);  // ifHighSpeed, Mb/s
        rows[x(16)] = Value::truth((e.flags & api::kIffPromisc) != 0);
        // ifConnectorPresent: true for a port with a physical (or virtual Ethernet) connector.
        rows[x(17)] = Value::truth((e.flags & api::kIffLoopback) == 0);
        rows[x(18)] = Value::octets("");  // ifAlias: routerd keeps none
        rows[x(19)] = Value::time_ticks(timestamp_ticks(routerd_start_ns, tb));
    }
}

SnmpErr check_if_admin_status(std::int64_t v) {
    return check_range(v, 1, 2);
}

api::SetIfAdminRequest if_admin_request(std::uint32_t ifindex, std::int64_t v) {
    return api::SetIfAdminRequest{ifindex, v == 1 ? api::AdminState::up : api::AdminState::down};
}

}  // namespace routerd::agent
