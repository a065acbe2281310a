// SPDX-License-Identifier: Apache-2.0
// IGMP-STD-MIB mapping. Intervals keep RFC 2933's units, which are routerd's too: query
// interval in seconds, response and last-member intervals in tenths of a second.
#include "agent/mib/igmp_std_mib.hh"

#include "agent/mib/oids.hh"

namespace routerd::agent {

namespace {

constexpr std::int64_t kRowActive = 1;
constexpr std::int64_t kRowNotInService = 2;
constexpr std::int64_t kRowCreateAndGo = 4;
constexpr std::int64_t kRowDestroy = 6;

// TimeTicks durations (not TimeStamps): hundredths of a second.
Value ticks_from_ms(std::uint64_t ms) {
    return Value::time_ticks(ms / 10);
}

}  // namespace

std::int64_t igmp_column_value(const api::IgmpInterface& i, std::uint32_t col) {
    const auto& s = i.settings;
    switch (col) {
        case kIgmpQueryInterval:
            return s.query_interval_s;
        case kIgmpStatus:
            return s.querier ? kRowActive : kRowNotInService;
        case kIgmpVersion:
            return s.version;
        case kIgmpQueryMaxResponseTime:
            return s.query_response_interval_tenths;
        case kIgmpRobustness:
            return s.robustness;
        default:  // kIgmpLastMembQueryIntvl
            return s.last_member_query_interval_tenths;
    }
}

void add_igmp_std_mib(const std::vector<api::IgmpInterface>& ifs, Rows& rows) {
    for (const auto& i : ifs) {
        auto col = [&](std::uint32_t c) {
            return oid_cat(oids::kIgmpInterfaceEntry, {c, i.ifindex});
        };
        for (auto c : {kIgmpQueryInterval, kIgmpStatus, kIgmpVersion, kIgmpQueryMaxResponseTime,
                       kIgmpRobustness, kIgmpLastMembQueryIntvl}) {
            std::int64_t v = igmp_column_value(i, c);
            rows[col(c)] = c == kIgmpStatus ? Value::integer(v)
                                            : Value::gauge32(static_cast<std::uint64_t>(v));
        }
        rows[col(5)] = Value::ip(i.querier);  // igmpInterfaceQuerier
        rows[col(7)] = Value::time_ticks(std::uint64_t{i.querier_uptime_s} * 100);
        rows[col(8)] = ticks_from_ms(i.other_querier_expiry_ms);
        rows[col(9)] = ticks_from_ms(i.v1_querier_timer_ms);
        rows[col(10)] = Value::counter32(i.wrong_version_queries);
        rows[col(11)] = Value::counter32(i.joins);
        rows[col(12)] = Value::integer(0);  // igmpInterfaceProxyIfIndex: no proxying
        rows[col(13)] = Value::gauge32(i.groups.size());
        for (const auto& g : i.groups) {
            std::uint32_t a = g.group.value();
            auto cc = [&](std::uint32_t c) {
                return oid_cat(oids::kIgmpCacheEntry, {c, a >> 24, (a >> 16) & 0xff,
                                                       (a >> 8) & 0xff, a & 0xff, i.ifindex});
            };
            rows[cc(3)] = Value::truth(false);  // igmpCacheSelf
            rows[cc(4)] = Value::ip(g.last_reporter);
            rows[cc(5)] = Value::time_ticks(std::uint64_t{g.uptime_s} * 100);
            rows[cc(6)] = ticks_from_ms(g.expiry_ms);
            rows[cc(7)] = Value::integer(kRowActive);
            rows[cc(8)] = ticks_from_ms(g.v1_host_timer_ms);
        }
    }
}

SnmpErr check_igmp_column(std::uint32_t col, std::int64_t v) {
    switch (col) {
        case kIgmpQueryInterval:
            return check_range(v, 1, api::kMaxIgmpInterval);
        case kIgmpStatus:
            return v == kRowActive || v == kRowNotInService || v == kRowCreateAndGo ||
                           v == kRowDestroy
                       ? SnmpErr::no_error
                       : SnmpErr::wrong_value;
        case kIgmpVersion:
            return check_range(v, 1, 3);
        case kIgmpQueryMaxResponseTime:
        case kIgmpLastMembQueryIntvl:
            return check_range(v, 0, 255);  // RFC 2933 SYNTAX Unsigned32 (0..255)
        case kIgmpRobustness:
            return check_range(v, 1, 255);
        default:
            return SnmpErr::not_writable;
    }
}

api::SetIgmpRequest igmp_request(std::uint32_t ifindex, std::uint32_t col, std::int64_t v) {
    api::SetIgmpRequest r;
    r.ifindex = ifindex;
    auto u = static_cast<std::uint32_t>(v);
    switch (col) {
        case kIgmpQueryInterval:
            r.query_interval_s = u;
            break;
        case kIgmpStatus:
            r.querier = v == kRowActive || v == kRowCreateAndGo;
            break;
        case kIgmpVersion:
            r.version = static_cast<std::uint8_t>(u);
            break;
        case kIgmpQueryMaxResponseTime:
            r.query_response_interval_tenths = u;
            break;
        case kIgmpRobustness:
            r.robustness = static_cast<std::uint8_t>(u);
            break;
        default:
            r.last_member_query_interval_tenths = u;
            break;
    }
    return r;
}

}  // namespace routerd::agent
