// SPDX-License-Identifier: Apache-2.0
// Control-socket codec: big-endian field-by-field encoding, bounds-checked decoding.
#include "router/api/codec.hh"

#include <cinttypes>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace routerd::api {
namespace {

// The stats replies carry every counter of stats.def in order, so a new counter changes the
// wire: bump kProtocolVersion, then these numbers.
static_assert(kProtocolVersion == 1);
static_assert(kIpStatCount == 27, "stats.def ipstat changed: bump kProtocolVersion");
static_assert(kIcmpStatCount == 12 + 2 * kIcmpHistSize, "stats.def icmpstat changed");
static_assert(kIgmpStatCount == 15, "stats.def igmpstat changed: bump kProtocolVersion");
static_assert(kRtStatCount == 5, "stats.def rtstat changed: bump kProtocolVersion");
static_assert(kIfStatsCount == 14, "stats.def ifstats changed: bump kProtocolVersion");

// Header field offsets; `len` sits at the same place in both headers (messages.hh).
constexpr std::size_t kOffMagic = 0;
constexpr std::size_t kOffVersion = 4;
constexpr std::size_t kOffType = 6;
constexpr std::size_t kOffLen = 8;
constexpr std::size_t kOffId = 12;
constexpr std::size_t kOffStatus = 16;

std::uint16_t load_u16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t load_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}
void store_u32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

std::string quoted(std::string_view field) {
    return "'" + std::string(field) + "'";
}

Error invalid(std::string message) {
    return make_error(EINVAL, std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Writer and Reader share one description of every message (the io() functions below), so the
// two directions cannot drift apart. Each method takes the field's name for error messages.
// Both enforce the framing limits (string lengths, list counts); value checks are check().
// ---------------------------------------------------------------------------------------------

class Writer {
public:
    static constexpr bool kWriting = true;

    explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
    bool ok() const { return ok_; }
    const Error& error() const { return error_; }

    void u8(std::string_view, const std::uint8_t& v) { out_.push_back(v); }
    void u16(std::string_view, const std::uint16_t& v) {
        out_.push_back(static_cast<std::uint8_t>(v >> 8));
        out_.push_back(static_cast<std::uint8_t>(v));
    }
    void u32(std::string_view, const std::uint32_t& v) {
        std::uint8_t b[4];
        store_u32(b, v);
        out_.insert(out_.end(), b, b + 4);
    }
    void u64(std::string_view name, const std::uint64_t& v) {
        u32(name, static_cast<std::uint32_t>(v >> 32));
        u32(name, static_cast<std::uint32_t>(v));
    }
    void i32(std::string_view name, const std::int32_t& v) {
        u32(name, static_cast<std::uint32_t>(v));
    }
    void boolean(std::string_view name, const bool& v) { u8(name, v ? 1 : 0); }
    void addr(std::string_view name, const Ip4Addr& a) { u32(name, a.value()); }
    void prefix(std::string_view name, const Ip4Prefix& p) {
        addr(name, p.addr);
        u8(name, p.len);
    }
    void mac(std::string_view, const MacAddr& m) {
        out_.insert(out_.end(), m.bytes.begin(), m.bytes.end());
    }
    template <typename E>
    void enumeration(std::string_view name, const E& e) {
        using U = std::underlying_type_t<E>;
        if constexpr (sizeof(U) == 1) {
            u8(name, static_cast<std::uint8_t>(e));
        } else {
            u16(name, static_cast<std::uint16_t>(e));
        }
    }
    void str8(std::string_view name, const std::string& s, std::size_t max) {
        if (!fits(name, s, max)) {
            return;
        }
        u8(name, static_cast<std::uint8_t>(s.size()));
        out_.insert(out_.end(), s.begin(), s.end());
    }
    void str16(std::string_view name, const std::string& s, std::size_t max) {
        if (!fits(name, s, max)) {
            return;
        }
        u16(name, static_cast<std::uint16_t>(s.size()));
        out_.insert(out_.end(), s.begin(), s.end());
    }
    // An int32 count of a fixed array (the seed's if_naddr).
    void count_i32(std::string_view name, const std::int32_t& v, std::size_t max) {
        if (v < 0 || static_cast<std::size_t>(v) > max) {
            return fail(quoted(name) + " is " + std::to_string(v) + ", must be 0-" +
                        std::to_string(max));
        }
        i32(name, v);
    }
    template <typename T, typename F>
    void list(std::string_view name, const std::vector<T>& v, std::size_t max, F&& each) {
        if (!ok_) {
            return;
        }
        if (v.size() > max) {
            return fail(quoted(name) + " has " + std::to_string(v.size()) + " entries, at most " +
                        std::to_string(max));
        }
        u32(name, static_cast<std::uint32_t>(v.size()));
        for (const auto& e : v) {
            each(e);
            if (!ok_) {
                return;
            }
        }
    }
    // Present: 1 then the value; absent: 0 alone.
    template <typename T, typename F>
    void opt(std::string_view name, const std::optional<T>& o, F&& each) {
        u8(name, o.has_value() ? 1 : 0);
        if (o.has_value()) {
            each(*o);
        }
    }

private:
    bool fits(std::string_view name, const std::string& s, std::size_t max) {
        if (ok_ && s.size() > max) {
            fail(quoted(name) + " is " + std::to_string(s.size()) + " bytes long, at most " +
                 std::to_string(max));
        }
        return ok_;
    }
    void fail(std::string message) {
        if (ok_) {
            ok_ = false;
            error_ = invalid(std::move(message));
        }
    }

    std::vector<std::uint8_t>& out_;
    bool ok_ = true;
    Error error_;
};

class Reader {
public:
    static constexpr bool kWriting = false;

    explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
    bool ok() const { return ok_; }
    const Error& error() const { return error_; }
    std::size_t remaining() const { return in_.size() - pos_; }
    bool at_end() const { return pos_ == in_.size(); }

    void u8(std::string_view name, std::uint8_t& v) {
        const std::uint8_t* p = take(name, 1);
        v = p != nullptr ? p[0] : 0;
    }
    void u16(std::string_view name, std::uint16_t& v) {
        const std::uint8_t* p = take(name, 2);
        v = p != nullptr ? load_u16(p) : 0;
    }
    void u32(std::string_view name, std::uint32_t& v) {
        const std::uint8_t* p = take(name, 4);
        v = p != nullptr ? load_u32(p) : 0;
    }
    void u64(std::string_view name, std::uint64_t& v) {
        const std::uint8_t* p = take(name, 8);
        v = p != nullptr ? (std::uint64_t{load_u32(p)} << 32) | load_u32(p + 4) : 0;
    }
    void i32(std::string_view name, std::int32_t& v) {
        std::uint32_t u = 0;
        u32(name, u);
        v = static_cast<std::int32_t>(u);
    }
    void boolean(std::string_view name, bool& v) {
        std::uint8_t b = 0;
        u8(name, b);
        if (ok_ && b > 1) {
            fail(quoted(name) + " is " + std::to_string(b) + ", not a boolean (0 or 1)");
        }
        v = b == 1;
    }
    void addr(std::string_view name, Ip4Addr& a) {
        std::uint32_t v = 0;
        u32(name, v);
        a = Ip4Addr(v);
    }
    void prefix(std::string_view name, Ip4Prefix& p) {
        addr(name, p.addr);
        u8(name, p.len);
    }
    void mac(std::string_view name, MacAddr& m) {
        const std::uint8_t* p = take(name, m.bytes.size());
        for (std::size_t i = 0; i < m.bytes.size(); ++i) {
            m.bytes[i] = p != nullptr ? p[i] : 0;
        }
    }
    // Any raw value is stored; check() decides which values are valid.
    template <typename E>
    void enumeration(std::string_view name, E& e) {
        using U = std::underlying_type_t<E>;
        if constexpr (sizeof(U) == 1) {
            std::uint8_t v = 0;
            u8(name, v);
            e = static_cast<E>(v);
        } else {
            std::uint16_t v = 0;
            u16(name, v);
            e = static_cast<E>(v);
        }
    }
    void str8(std::string_view name, std::string& s, std::size_t max) {
        std::uint8_t len = 0;
        u8(name, len);
        bytes(name, s, len, max);
    }
    void str16(std::string_view name, std::string& s, std::size_t max) {
        std::uint16_t len = 0;
        u16(name, len);
        bytes(name, s, len, max);
    }
    void count_i32(std::string_view name, std::int32_t& v, std::size_t max) {
        i32(name, v);
        if (ok_ && (v < 0 || static_cast<std::size_t>(v) > max)) {
            fail(quoted(name) + " is " + std::to_string(v) + ", must be 0-" + std::to_string(max));
        }
    }
    template <typename T, typename F>
    void list(std::string_view name, std::vector<T>& v, std::size_t max, F&& each) {
        std::uint32_t count = 0;
        u32(name, count);
        if (!ok_) {
            return;
        }
        if (count > max) {
            return fail(quoted(name) + " has " + std::to_string(count) + " entries, at most " +
                        std::to_string(max));
        }
        // Every entry takes at least one byte: a count the payload cannot hold is refused
        // before anything is allocated, so memory stays proportional to the frame.
        if (count > remaining()) {
            return fail(quoted(name) + " claims " + std::to_string(count) + " entries, only " +
                        std::to_string(remaining()) + " bytes left (truncated)");
        }
        v.clear();
        v.resize(count);
        for (auto& e : v) {
            each(e);
            if (!ok_) {
                return;
            }
        }
    }
    template <typename T, typename F>
    void opt(std::string_view name, std::optional<T>& o, F&& each) {
        std::uint8_t present = 0;
        u8(name, present);
        if (ok_ && present > 1) {
            return fail(quoted(name) + " presence byte is " + std::to_string(present) +
                        ", not 0 or 1");
        }
        if (ok_ && present == 1) {
            each(o.emplace());
        } else {
            o.reset();
        }
    }

private:
    const std::uint8_t* take(std::string_view name, std::size_t len) {
        if (!ok_) {
            return nullptr;
        }
        if (remaining() < len) {
            if (in_.empty()) {
                fail("missing argument");
            } else {
                fail("truncated at " + quoted(name) + ": needs " + std::to_string(len) +
                     " bytes at offset " + std::to_string(pos_) + ", " +
                     std::to_string(remaining()) + " left");
            }
            return nullptr;
        }
        const std::uint8_t* p = in_.data() + pos_;
        pos_ += len;
        return p;
    }
    void bytes(std::string_view name, std::string& s, std::size_t len, std::size_t max) {
        if (!ok_) {
            return;
        }
        if (len > max) {
            return fail(quoted(name) + " is " + std::to_string(len) + " bytes long, at most " +
                        std::to_string(max));
        }
        const std::uint8_t* p = take(name, len);
        if (p == nullptr) {
            return;
        }
        s.assign(reinterpret_cast<const char*>(p), len);
    }
    void fail(std::string message) {
        if (ok_) {
            ok_ = false;
            error_ = invalid(std::move(message));
        }
    }

    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
    Error error_;
};

// ---------------------------------------------------------------------------------------------
// io(archive, message): the wire layout of every struct, field by field, in declaration order.
// Ref<A, T> is const T& when writing and T& when reading.
// ---------------------------------------------------------------------------------------------

template <typename A, typename T>
using Ref = std::conditional_t<A::kWriting, const T&, T&>;

// Messages without fields: their payload is empty.
template <typename T>
concept EmptyMessage = std::is_empty_v<std::remove_const_t<T>>;

// The statistics structs generated from stats.def.
template <typename T>
concept StatGroup = requires {
    StatTraits<std::remove_const_t<T>>::kCount;
};

template <typename A, EmptyMessage T>
void io(A&, T&) {}

// Statistics: every counter of stats.def, histogram buckets included, as u64 in order.
template <typename A, StatGroup S>
void io(A& a, S& s) {
    for (const auto& field : StatTraits<std::remove_const_t<S>>::kFields) {
        for (auto& v : field.values(s)) {
            a.u64(field.name, v);
        }
    }
}

template <typename A>
void io(A& a, Ref<A, IpStuff> m) {
    io(a, m.ip_stat);
    io(a, m.rt_stat);
    a.i32("ip_forwarding", m.ip_forwarding);
    a.i32("ip_default_ttl", m.ip_default_ttl);
    a.i32("ipq_ttl", m.ipq_ttl);
    a.i32("ipq_reasm_reqds", m.ipq_reasm_reqds);
    a.i32("icmp_answermask", m.icmp_answermask);
    a.i32("ip_sendredirects", m.ip_sendredirects);
    a.i32("ip_sourceroute", m.ip_sourceroute);
}

template <typename A>
void io(A& a, Ref<A, IfNet> m) {
    a.u32("if_index", m.if_index);
    a.str8("if_name", m.if_name, kIfNameMaxLen);
    a.u32("if_flags", m.if_flags);
    a.u32("if_mtu", m.if_mtu);
    a.i32("if_metric", m.if_metric);
}

template <typename A>
void io(A& a, Ref<A, AllAddrs> m) {
    a.addr("addr", m.addr);
    a.addr("dstaddr", m.dstaddr);
    a.addr("netmask", m.netmask);
    a.u16("flags", m.flags);
}

template <typename A>
void io(A& a, Ref<A, IfreqAll> m) {
    io(a, m.if_entry);
    a.i32("if_statsavail", m.if_statsavail);
    io(a, m.if_stats);
    a.i32("if_outqlen", m.if_outqlen);
    a.count_i32("if_naddr", m.if_naddr, kIfMaxAddrs);
    if (!a.ok()) {
        return;
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(m.if_naddr); ++i) {
        io(a, m.if_addrs[i]);
    }
}

template <typename A>
void io(A& a, Ref<A, IfSettings> m) {
    a.boolean("mask_reply", m.mask_reply);
    a.boolean("redirects", m.redirects);
    a.boolean("directed_broadcast", m.directed_broadcast);
}

template <typename A>
void io(A& a, Ref<A, IfListEntry> m) {
    a.u32("ifindex", m.ifindex);
    a.str8("name", m.name, kIfNameMaxLen);
    a.mac("mac", m.mac);
    a.u32("mtu", m.mtu);
    a.u32("flags", m.flags);
    a.enumeration("admin", m.admin);
    a.enumeration("oper", m.oper);
    io(a, m.settings);
    a.u64("speed_bps", m.speed_bps);
    a.u64("last_change_ns", m.last_change_ns);
}

template <typename A>
void io(A& a, Ref<A, RouteEntry> m) {
    a.prefix("prefix", m.prefix);
    a.addr("via", m.via);
    a.u32("ifindex", m.ifindex);
    a.enumeration("kind", m.kind);
    a.u32("age_s", m.age_s);
}

template <typename A>
void io(A& a, Ref<A, RouteSpec> m) {
    a.prefix("prefix", m.prefix);
    a.addr("via", m.via);
    a.u32("ifindex", m.ifindex);
    a.enumeration("kind", m.kind);
}

template <typename A>
void io(A& a, Ref<A, ArpEntry> m) {
    a.u32("ifindex", m.ifindex);
    a.addr("addr", m.addr);
    a.mac("mac", m.mac);
    a.enumeration("state", m.state);
    a.u32("age_s", m.age_s);
}

template <typename A>
void io(A& a, Ref<A, IgmpSettings> m) {
    a.boolean("querier", m.querier);
    a.u8("version", m.version);
    a.u32("query_interval_s", m.query_interval_s);
    a.u32("query_response_interval_tenths", m.query_response_interval_tenths);
    a.u8("robustness", m.robustness);
    a.u32("last_member_query_interval_tenths", m.last_member_query_interval_tenths);
}

template <typename A>
void io(A& a, Ref<A, IgmpSource> m) {
    a.addr("addr", m.addr);
    a.u32("timer_ms", m.timer_ms);
}

template <typename A>
void io(A& a, Ref<A, IgmpGroup> m) {
    a.addr("group", m.group);
    a.addr("last_reporter", m.last_reporter);
    a.u32("uptime_s", m.uptime_s);
    a.u32("expiry_ms", m.expiry_ms);
    a.u8("version", m.version);
    a.u32("v1_host_timer_ms", m.v1_host_timer_ms);
    a.u32("v2_host_timer_ms", m.v2_host_timer_ms);
    a.enumeration("filter_mode", m.filter_mode);
    a.list("sources", m.sources, kMaxIgmpSourcesPerGroup, [&](auto& s) { io(a, s); });
}

template <typename A>
void io(A& a, Ref<A, IgmpInterface> m) {
    a.u32("ifindex", m.ifindex);
    io(a, m.settings);
    a.boolean("is_querier", m.is_querier);
    a.addr("querier", m.querier);
    a.u32("querier_uptime_s", m.querier_uptime_s);
    a.u32("other_querier_expiry_ms", m.other_querier_expiry_ms);
    a.u32("v1_querier_timer_ms", m.v1_querier_timer_ms);
    a.u32("wrong_version_queries", m.wrong_version_queries);
    a.u32("joins", m.joins);
    a.list("groups", m.groups, kMaxIgmpGroupsPerInterface, [&](auto& g) { io(a, g); });
}

// Requests.

template <typename A>
void io(A& a, Ref<A, HelloRequest> m) {
    a.str8("client", m.client, kMaxPeerNameLen);
}

template <typename A>
void io(A& a, Ref<A, GetIfreqAllRequest> m) {
    a.u32("if_number", m.if_number);
}

template <typename A>
void io(A& a, Ref<A, GetRoutesRequest> m) {
    a.prefix("start", m.start);
    a.boolean("after", m.after);
    a.u32("max_count", m.max_count);
}

template <typename A>
void io(A& a, Ref<A, GetArpRequest> m) {
    a.u32("start_ifindex", m.start_ifindex);
    a.addr("start_addr", m.start_addr);
    a.boolean("after", m.after);
    a.u32("max_count", m.max_count);
}

template <typename A>
void io(A& a, Ref<A, GetIgmpGroupsRequest> m) {
    a.u32("ifindex", m.ifindex);
}

template <typename A>
void io(A& a, Ref<A, SetIpMiscRequest> m) {
    a.i32("arg", m.arg);
    a.i32("ip_forwarding", m.ip_forwarding);
    a.i32("ip_default_ttl", m.ip_default_ttl);
}

template <typename A>
void io(A& a, Ref<A, SetIfAdminRequest> m) {
    a.u32("ifindex", m.ifindex);
    a.enumeration("admin", m.admin);
}

template <typename A>
void io(A& a, Ref<A, SetIfFlagsRequest> m) {
    a.u32("ifindex", m.ifindex);
    a.opt("mask_reply", m.mask_reply, [&](auto& v) { a.boolean("mask_reply", v); });
    a.opt("redirects", m.redirects, [&](auto& v) { a.boolean("redirects", v); });
    a.opt("directed_broadcast", m.directed_broadcast,
          [&](auto& v) { a.boolean("directed_broadcast", v); });
}

template <typename A>
void io(A& a, Ref<A, SetIpSettingsRequest> m) {
    a.opt("ip_sendredirects", m.ip_sendredirects,
          [&](auto& v) { a.boolean("ip_sendredirects", v); });
    a.opt("source_route", m.source_route, [&](auto& v) { a.boolean("source_route", v); });
    a.opt("ipq_ttl", m.ipq_ttl, [&](auto& v) { a.i32("ipq_ttl", v); });
}

template <typename A>
void io(A& a, Ref<A, SetIgmpRequest> m) {
    a.u32("ifindex", m.ifindex);
    a.opt("querier", m.querier, [&](auto& v) { a.boolean("querier", v); });
    a.opt("version", m.version, [&](auto& v) { a.u8("version", v); });
    a.opt("query_interval_s", m.query_interval_s, [&](auto& v) { a.u32("query_interval_s", v); });
    a.opt("query_response_interval_tenths", m.query_response_interval_tenths,
          [&](auto& v) { a.u32("query_response_interval_tenths", v); });
    a.opt("robustness", m.robustness, [&](auto& v) { a.u8("robustness", v); });
    a.opt("last_member_query_interval_tenths", m.last_member_query_interval_tenths,
          [&](auto& v) { a.u32("last_member_query_interval_tenths", v); });
}

template <typename A>
void io(A& a, Ref<A, RouteAddRequest> m) {
    io(a, m.route);
}

template <typename A>
void io(A& a, Ref<A, RouteDelRequest> m) {
    io(a, m.route);
}

template <typename A>
void io(A& a, Ref<A, SetMgmtRequest> m) {
    a.boolean("subscribe", m.subscribe);
}

// Replies.

template <typename A>
void io(A& a, Ref<A, HelloReply> m) {
    a.str8("server", m.server, kMaxPeerNameLen);
    a.u64("start_time_ns", m.start_time_ns);
}

template <typename A>
void io(A& a, Ref<A, GetIpStuffReply> m) {
    io(a, m.ip_stuff);
}

template <typename A>
void io(A& a, Ref<A, GetIfreqAllReply> m) {
    io(a, m.ifreq_all);
}

template <typename A>
void io(A& a, Ref<A, GetIcmpStatReply> m) {
    io(a, m.icmp_stat);
}

template <typename A>
void io(A& a, Ref<A, GetIgmpStatReply> m) {
    io(a, m.igmp_stat);
}

template <typename A>
void io(A& a, Ref<A, GetIfListReply> m) {
    a.list("interfaces", m.interfaces, kMaxInterfaces, [&](auto& e) { io(a, e); });
}

template <typename A>
void io(A& a, Ref<A, GetRoutesReply> m) {
    a.list("routes", m.routes, kMaxRoutesPerPage, [&](auto& e) { io(a, e); });
    a.boolean("more", m.more);
    a.u32("route_count", m.route_count);
}

template <typename A>
void io(A& a, Ref<A, GetArpReply> m) {
    a.list("entries", m.entries, kMaxArpPerPage, [&](auto& e) { io(a, e); });
    a.boolean("more", m.more);
}

template <typename A>
void io(A& a, Ref<A, GetIgmpGroupsReply> m) {
    a.list("interfaces", m.interfaces, kMaxInterfaces, [&](auto& e) { io(a, e); });
}

template <typename A>
void io(A& a, Ref<A, LinkEvent> m) {
    a.u32("ifindex", m.ifindex);
    a.str8("name", m.name, kIfNameMaxLen);
    a.enumeration("admin", m.admin);
    a.enumeration("oper", m.oper);
    a.u64("time_ns", m.time_ns);
}

// The type and status travel in the reply header; the payload is the message alone.
template <typename A>
void io(A& a, Ref<A, ErrorReply> m) {
    a.str16("message", m.message, kMaxErrorMessageLen);
}

// ---------------------------------------------------------------------------------------------
// check(message): the value rules, shared by encode and decode. Each failure names the field.
// ---------------------------------------------------------------------------------------------

bool valid(AdminState s) {
    switch (s) {
        case AdminState::up:
        case AdminState::down:
            return true;
    }
    return false;
}

bool valid(OperState s) {
    switch (s) {
        case OperState::up:
        case OperState::down:
        case OperState::unknown:
        case OperState::dormant:
        case OperState::not_present:
        case OperState::lower_layer_down:
            return true;
    }
    return false;
}

bool valid(RouteKind k) {
    switch (k) {
        case RouteKind::connected:
        case RouteKind::forward:
        case RouteKind::reject:
        case RouteKind::blackhole:
            return true;
    }
    return false;
}

bool valid(ArpState s) {
    switch (s) {
        case ArpState::incomplete:
        case ArpState::reachable:
        case ArpState::stale:
        case ArpState::permanent:
            return true;
    }
    return false;
}

bool valid(IgmpFilterMode m) {
    switch (m) {
        case IgmpFilterMode::include:
        case IgmpFilterMode::exclude:
            return true;
    }
    return false;
}

template <typename E>
Status check_enum(std::string_view field, E e) {
    if (!valid(e)) {
        return invalid(
            quoted(field) + " has no value " +
            std::to_string(static_cast<unsigned>(static_cast<std::underlying_type_t<E>>(e))));
    }
    return ok_status();
}

Status check_range(std::string_view field, std::int64_t v, std::int64_t lo, std::int64_t hi) {
    if (v < lo || v > hi) {
        return invalid(quoted(field) + " is " + std::to_string(v) + ", must be " +
                       std::to_string(lo) + "-" + std::to_string(hi));
    }
    return ok_status();
}

Status check_flag(std::string_view field, std::int32_t v) {
    if (v != 0 && v != 1) {
        return invalid(quoted(field) + " is " + std::to_string(v) + ", must be 0 or 1");
    }
    return ok_status();
}

Status check_ifindex(std::string_view field, std::uint32_t v) {
    if (v == 0) {
        return invalid(quoted(field) + " is 0, not an interface index");
    }
    return ok_status();
}

Status check_count(std::string_view field, std::size_t n, std::size_t max) {
    if (n > max) {
        return invalid(quoted(field) + " has " + std::to_string(n) + " entries, at most " +
                       std::to_string(max));
    }
    return ok_status();
}

// Linux dev_valid_name(): 1-15 bytes, no '/', no whitespace; we also refuse non-printables.
Status check_ifname(std::string_view field, const std::string& s) {
    if (s.empty() || s.size() > kIfNameMaxLen) {
        return invalid(quoted(field) + " must be 1-" + std::to_string(kIfNameMaxLen) +
                       " bytes, is " + std::to_string(s.size()));
    }
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '/') {
            return invalid(quoted(field) + " has byte " + hex(u) +
                           " (printable, no space, no '/')");
        }
    }
    return ok_status();
}

Status check_printable(std::string_view field, const std::string& s, std::size_t max) {
    if (s.size() > max) {
        return invalid(quoted(field) + " is " + std::to_string(s.size()) + " bytes long, at most " +
                       std::to_string(max));
    }
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) {
            return invalid(quoted(field) + " has byte " + hex(u) + " (printable ASCII only)");
        }
    }
    return ok_status();
}

Status check_prefix(std::string_view field, const Ip4Prefix& p) {
    if (p.len > 32) {
        return invalid(quoted(field) + " has prefix length " + std::to_string(p.len) +
                       ", more than 32");
    }
    if (p.has_host_bits()) {
        return invalid(quoted(field) + " " + p.to_string() + " has host bits set");
    }
    return ok_status();
}

Status check_uflags(std::string_view field, std::uint32_t v, std::uint32_t known) {
    if ((v & ~known) != 0) {
        return invalid(quoted(field) + " " + hex(v) + " has unknown bits " + hex(v & ~known));
    }
    return ok_status();
}

// The first failure of a list of checks (all are evaluated; they are cheap and side-effect free).
Status first_error(std::initializer_list<Status> checks) {
    for (const auto& st : checks) {
        if (!st) {
            return st;
        }
    }
    return ok_status();
}

template <EmptyMessage T>
Status check(const T&) {
    return ok_status();
}

Status check(const IpStuff& m) {
    return first_error({
        check_flag("ip_forwarding", m.ip_forwarding),
        check_range("ip_default_ttl", m.ip_default_ttl, 1, 255),
        check_range("ipq_ttl", m.ipq_ttl, 1, kMaxReassemblyTimeout),
        check_range("ipq_reasm_reqds", m.ipq_reasm_reqds, 0, INT32_MAX),
        check_flag("icmp_answermask", m.icmp_answermask),
        check_flag("ip_sendredirects", m.ip_sendredirects),
        check_flag("ip_sourceroute", m.ip_sourceroute),
    });
}

Status check(const IfNet& m) {
    return first_error({
        check_ifindex("if_index", m.if_index),
        check_ifname("if_name", m.if_name),
        check_uflags("if_flags", m.if_flags, kIffKnown),
        check_range("if_mtu", m.if_mtu, kMinIfMtu, kMaxIfMtu),
    });
}

Status check(const AllAddrs& m) {
    if (!ip4_mask_len(m.netmask.value()).has_value()) {
        return invalid("'netmask' " + m.netmask.to_string() + " is not contiguous");
    }
    if ((m.flags & kIfaBroadcast) != 0 && (m.flags & kIfaPointopoint) != 0) {
        return invalid("'flags' has both broadcast and pointopoint");
    }
    return check_uflags("flags", m.flags, kIfaKnown);
}

Status check(const IfreqAll& m) {
    Status st = first_error({
        check(m.if_entry),
        check_flag("if_statsavail", m.if_statsavail),
        check_range("if_outqlen", m.if_outqlen, 0, INT32_MAX),
        check_range("if_naddr", m.if_naddr, 0, kIfMaxAddrs),
    });
    if (!st) {
        return st;
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(m.if_naddr); ++i) {
        if (st = check(m.if_addrs[i]); !st) {
            return st;
        }
    }
    return ok_status();
}

Status check(const IfListEntry& m) {
    return first_error({
        check_ifindex("ifindex", m.ifindex),
        check_ifname("name", m.name),
        check_range("mtu", m.mtu, kMinIfMtu, kMaxIfMtu),
        check_uflags("flags", m.flags, kIffKnown),
        check_enum("admin", m.admin),
        check_enum("oper", m.oper),
    });
}

// What each route kind requires of via and ifindex (RouteEntry / RouteSpec in messages.hh).
Status check_route(const Ip4Prefix& prefix, Ip4Addr via, std::uint32_t ifindex, RouteKind kind) {
    if (Status st = first_error({check_prefix("prefix", prefix), check_enum("kind", kind)}); !st) {
        return st;
    }
    switch (kind) {
        case RouteKind::connected:
            if (!via.is_zero() || ifindex == 0) {
                return invalid("a connected route has an ifindex and no 'via'");
            }
            return ok_status();
        case RouteKind::forward:
            if (via.is_zero()) {
                return invalid("a forward route needs a next hop 'via'");
            }
            return ok_status();
        case RouteKind::reject:
        case RouteKind::blackhole:
            if (!via.is_zero() || ifindex != 0) {
                return invalid("a reject or blackhole route has no 'via' and no ifindex");
            }
            return ok_status();
    }
    return ok_status();
}

Status check(const RouteEntry& m) {
    return check_route(m.prefix, m.via, m.ifindex, m.kind);
}

Status check(const RouteSpec& m) {
    if (m.kind == RouteKind::connected) {
        return invalid("connected routes come from interface addresses, not from requests");
    }
    return check_route(m.prefix, m.via, m.ifindex, m.kind);
}

Status check(const ArpEntry& m) {
    return first_error({check_ifindex("ifindex", m.ifindex), check_enum("state", m.state)});
}

Status check(const IgmpSettings& m) {
    Status st = first_error({
        check_range("version", m.version, 1, 3),
        check_range("query_interval_s", m.query_interval_s, 1, kMaxIgmpInterval),
        check_range("query_response_interval_tenths", m.query_response_interval_tenths, 1,
                    kMaxIgmpInterval),
        check_range("robustness", m.robustness, 1, 255),
        check_range("last_member_query_interval_tenths", m.last_member_query_interval_tenths, 1,
                    kMaxIgmpInterval),
    });
    if (!st) {
        return st;
    }
    // RFC 2236 8.3 / RFC 3376 8.3: the response interval must be below the query interval.
    if (std::uint64_t{m.query_response_interval_tenths} >= std::uint64_t{m.query_interval_s} * 10) {
        return invalid("'query_response_interval_tenths' must be below 'query_interval_s'");
    }
    return ok_status();
}

Status check(const IgmpGroup& m) {
    if (!m.group.is_multicast()) {
        return invalid("'group' " + m.group.to_string() + " is not a multicast address");
    }
    return first_error({
        check_range("version", m.version, 1, 3),
        check_enum("filter_mode", m.filter_mode),
        check_count("sources", m.sources.size(), kMaxIgmpSourcesPerGroup),
    });
}

Status check(const IgmpInterface& m) {
    Status st = first_error({
        check_ifindex("ifindex", m.ifindex),
        check(m.settings),
        check_count("groups", m.groups.size(), kMaxIgmpGroupsPerInterface),
    });
    for (std::size_t i = 0; st && i < m.groups.size(); ++i) {
        st = check(m.groups[i]);
    }
    return st;
}

template <typename T>
Status check_list(std::string_view field, const std::vector<T>& v, std::size_t max) {
    Status st = check_count(field, v.size(), max);
    for (std::size_t i = 0; st && i < v.size(); ++i) {
        st = check(v[i]);
    }
    return st;
}

// Requests.

Status check(const HelloRequest& m) {
    return check_printable("client", m.client, kMaxPeerNameLen);
}

Status check(const GetIfreqAllRequest& m) {
    return check_ifindex("if_number", m.if_number);
}

Status check(const GetRoutesRequest& m) {
    return first_error({
        check_prefix("start", m.start),
        check_range("max_count", m.max_count, 1, kMaxRoutesPerPage),
    });
}

Status check(const GetArpRequest& m) {
    return check_range("max_count", m.max_count, 1, kMaxArpPerPage);
}

Status check(const GetIgmpGroupsRequest&) {
    return ok_status();
}

Status check(const SetIpMiscRequest& m) {
    return validate_ip_misc(m);
}

Status check(const SetIfAdminRequest& m) {
    return first_error({check_ifindex("ifindex", m.ifindex), check_enum("admin", m.admin)});
}

Status check(const SetIfFlagsRequest& m) {
    if (!m.mask_reply && !m.redirects && !m.directed_broadcast) {
        return invalid("nothing to set");
    }
    return check_ifindex("ifindex", m.ifindex);
}

Status check(const SetIpSettingsRequest& m) {
    if (!m.ip_sendredirects && !m.source_route && !m.ipq_ttl) {
        return invalid("nothing to set");
    }
    if (m.ipq_ttl) {
        return check_range("ipq_ttl", *m.ipq_ttl, 1, kMaxReassemblyTimeout);
    }
    return ok_status();
}

Status check(const SetIgmpRequest& m) {
    if (!m.querier && !m.version && !m.query_interval_s && !m.query_response_interval_tenths &&
        !m.robustness && !m.last_member_query_interval_tenths) {
        return invalid("nothing to set");
    }
    return first_error({
        check_ifindex("ifindex", m.ifindex),
        check_range("version", m.version.value_or(1), 1, 3),
        check_range("query_interval_s", m.query_interval_s.value_or(1), 1, kMaxIgmpInterval),
        check_range("query_response_interval_tenths", m.query_response_interval_tenths.value_or(1),
                    1, kMaxIgmpInterval),
        check_range("robustness", m.robustness.value_or(1), 1, 255),
        check_range("last_member_query_interval_tenths",
                    m.last_member_query_interval_tenths.value_or(1), 1, kMaxIgmpInterval),
    });
}

Status check(const RouteAddRequest& m) {
    return check(m.route);
}
Status check(const RouteDelRequest& m) {
    return check(m.route);
}
Status check(const SetMgmtRequest&) {
    return ok_status();
}

// Replies.

Status check(const HelloReply& m) {
    return check_printable("server", m.server, kMaxPeerNameLen);
}
Status check(const GetIpStuffReply& m) {
    return check(m.ip_stuff);
}
Status check(const GetIfreqAllReply& m) {
    return check(m.ifreq_all);
}
Status check(const GetIcmpStatReply&) {
    return ok_status();
}
Status check(const GetIgmpStatReply&) {
    return ok_status();
}
Status check(const GetIfListReply& m) {
    return check_list("interfaces", m.interfaces, kMaxInterfaces);
}
Status check(const GetRoutesReply& m) {
    return check_list("routes", m.routes, kMaxRoutesPerPage);
}
Status check(const GetArpReply& m) {
    return check_list("entries", m.entries, kMaxArpPerPage);
}
Status check(const GetIgmpGroupsReply& m) {
    return check_list("interfaces", m.interfaces, kMaxInterfaces);
}

Status check(const LinkEvent& m) {
    return first_error({
        check_ifindex("ifindex", m.ifindex),
        check_ifname("name", m.name),
        check_enum("admin", m.admin),
        check_enum("oper", m.oper),
    });
}

Status check(const ErrorReply& m) {
    if (m.status <= 0) {
        return invalid("an error reply's status is a positive errno, not " +
                       std::to_string(m.status));
    }
    if (m.message.size() > kMaxErrorMessageLen) {
        return invalid("'message' is " + std::to_string(m.message.size()) +
                       " bytes long, at most " + std::to_string(kMaxErrorMessageLen));
    }
    if (m.message.find('\0') != std::string::npos) {
        return invalid("'message' contains a NUL byte");
    }
    return ok_status();
}

// ---------------------------------------------------------------------------------------------
// Frames.
// ---------------------------------------------------------------------------------------------

std::string type_label(MsgType type) {
    std::string_view name = msg_type_name(type);
    if (name.empty()) {
        return "message type " + std::to_string(static_cast<unsigned>(type));
    }
    return std::string(name);
}

// "GET_ROUTES request: " in front of a message's error, so a log line says what was refused.
Error in_context(MsgType type, FrameKind kind, const Error& e) {
    return make_error(
        e.code,
        type_label(type) + (kind == FrameKind::request ? " request: " : " reply: ") + e.message);
}

template <typename Body>
Status check_body(const Body& body, FrameKind kind) {
    Status st = std::visit([](const auto& m) { return check(m); }, body);
    if (!st) {
        return in_context(type_of(body), kind, st.error());
    }
    return ok_status();
}

// Writes the header with len 0, the payload, then patches len; `out` is unchanged on error.
template <typename Body>
Status encode_frame(const Body& body, std::uint32_t id, std::int32_t status, FrameKind kind,
                    std::vector<std::uint8_t>& out, bool check_values = true) {
    if (check_values) {
        if (Status st = check_body(body, kind); !st) {
            return st;
        }
    }
    const std::size_t start = out.size();
    const std::size_t hdr = header_size(kind);
    const MsgType type = type_of(body);
    Writer w(out);
    w.u32("magic", kProtocolMagic);
    w.u16("version", kProtocolVersion);
    w.enumeration("type", type);
    w.u32("len", 0);
    w.u32("id", id);
    if (kind == FrameKind::reply) {
        w.i32("status", status);
    }
    std::visit([&w](const auto& m) { io(w, m); }, body);
    if (!w.ok()) {
        out.resize(start);
        return in_context(type, kind, w.error());
    }
    const std::size_t len = out.size() - start - hdr;
    if (out.size() - start > kMaxMessageSize) {
        out.resize(start);
        return in_context(type, kind,
                          make_error(EMSGSIZE, "frame of " + std::to_string(len + hdr) +
                                                   " bytes above the limit of " +
                                                   std::to_string(kMaxMessageSize)));
    }
    store_u32(out.data() + start + kOffLen, static_cast<std::uint32_t>(len));
    return ok_status();
}

// Reads `msg` from the whole payload: every field, no byte left over, then its checks.
template <typename T>
Status read_payload(std::span<const std::uint8_t> payload, T& msg) {
    Reader r(payload);
    io(r, msg);
    if (!r.ok()) {
        return r.error();
    }
    if (!r.at_end()) {
        return invalid(std::to_string(r.remaining()) + " trailing bytes after the message");
    }
    return check(msg);
}

// Decodes `payload` as alternative T of Body when T::kType is `type`; sets `found`.
template <typename T, typename Body>
Status decode_alternative(MsgType type, std::span<const std::uint8_t> payload, Body& out,
                          bool& found) {
    if constexpr (requires { T::kType; }) {
        if (T::kType == type) {
            found = true;
            T msg{};
            if (Status st = read_payload(payload, msg); !st) {
                return st;
            }
            out.template emplace<T>(std::move(msg));
        }
    }
    return ok_status();
}

template <typename Body, std::size_t... I>
Status decode_body(MsgType type, std::span<const std::uint8_t> payload, Body& out,
                   std::index_sequence<I...>) {
    bool found = false;
    Status st;
    // Stops at the alternative whose kType matches (|| short-circuits on found).
    (void)((st = decode_alternative<std::variant_alternative_t<I, Body>>(type, payload, out, found),
            found) ||
           ...);
    if (!found) {
        return make_error(EINVAL, "this type never travels in this direction");
    }
    return st;
}

// The header of a complete frame: checked as frame_size() does, and the frame is exactly it.
Result<FrameHeader> frame_header(std::span<const std::uint8_t> frame, FrameKind kind) {
    Result<std::size_t> need = frame_size(frame, kind);
    if (!need) {
        return need.error();
    }
    if (frame.size() < *need) {
        return invalid("truncated frame: " + std::to_string(frame.size()) + " of " +
                       std::to_string(*need) + " bytes");
    }
    if (frame.size() > *need) {
        return invalid(std::to_string(frame.size() - *need) + " trailing bytes after the " +
                       std::to_string(*need) + "-byte frame");
    }
    return *peek_header(frame, kind);
}

Error unknown_type(MsgType type) {
    return make_error(ENOTSUP, "unknown message type " +
                                   std::to_string(static_cast<unsigned>(type)) +
                                   " (this side speaks protocol version " +
                                   std::to_string(kProtocolVersion) + ")");
}

}  // namespace

Result<std::size_t> frame_size(std::span<const std::uint8_t> stream, FrameKind kind) {
    const std::size_t hdr = header_size(kind);
    if (stream.size() < hdr) {
        return hdr;
    }
    const std::uint32_t magic = load_u32(stream.data() + kOffMagic);
    if (magic != kProtocolMagic) {
        return make_error(EPROTO, "bad magic " + hex(magic) + ": not a routerd control frame");
    }
    const std::uint16_t version = load_u16(stream.data() + kOffVersion);
    if (version != kProtocolVersion) {
        return make_error(EPROTONOSUPPORT, "protocol version " + std::to_string(version) +
                                               ", this side speaks " +
                                               std::to_string(kProtocolVersion));
    }
    const std::uint32_t len = load_u32(stream.data() + kOffLen);
    if (len > kMaxMessageSize - hdr) {
        return make_error(EMSGSIZE, "frame of " + std::to_string(std::uint64_t{len} + hdr) +
                                        " bytes above the limit of " +
                                        std::to_string(kMaxMessageSize));
    }
    return hdr + len;
}

std::optional<FrameHeader> peek_header(std::span<const std::uint8_t> stream, FrameKind kind) {
    if (stream.size() < header_size(kind)) {
        return std::nullopt;
    }
    const std::uint8_t* p = stream.data();
    FrameHeader h;
    h.magic = load_u32(p + kOffMagic);
    h.version = load_u16(p + kOffVersion);
    h.type = static_cast<MsgType>(load_u16(p + kOffType));
    h.len = load_u32(p + kOffLen);
    h.id = load_u32(p + kOffId);
    if (kind == FrameKind::reply) {
        h.status = static_cast<std::int32_t>(load_u32(p + kOffStatus));
    }
    return h;
}

Status encode_request(const Request& request, std::vector<std::uint8_t>& out) {
    return encode_frame(request.body, request.id, 0, FrameKind::request, out);
}

Result<std::vector<std::uint8_t>> encode_request(const Request& request) {
    std::vector<std::uint8_t> out;
    if (Status st = encode_request(request, out); !st) {
        return st.error();
    }
    return out;
}

Status encode_request_as_given(const Request& request, std::vector<std::uint8_t>& out) {
    return encode_frame(request.body, request.id, 0, FrameKind::request, out, false);
}

Status encode_reply(const Reply& reply, std::vector<std::uint8_t>& out) {
    return encode_frame(reply.body, reply.for_id, status_of(reply), FrameKind::reply, out);
}

Result<std::vector<std::uint8_t>> encode_reply(const Reply& reply) {
    std::vector<std::uint8_t> out;
    if (Status st = encode_reply(reply, out); !st) {
        return st.error();
    }
    return out;
}

Result<Request> decode_request(std::span<const std::uint8_t> frame) {
    Result<FrameHeader> h = frame_header(frame, FrameKind::request);
    if (!h) {
        return h.error();
    }
    if (msg_type_name(h->type).empty()) {
        return unknown_type(h->type);
    }
    Request request;
    request.id = h->id;
    Status st = decode_body(h->type, frame.subspan(kRequestHeaderSize), request.body,
                            std::make_index_sequence<std::variant_size_v<RequestBody>>{});
    if (!st) {
        return in_context(h->type, FrameKind::request, st.error());
    }
    return request;
}

Result<Reply> decode_reply(std::span<const std::uint8_t> frame) {
    Result<FrameHeader> h = frame_header(frame, FrameKind::reply);
    if (!h) {
        return h.error();
    }
    const auto payload = frame.subspan(kReplyHeaderSize);
    Reply reply;
    reply.for_id = h->id;
    if (h->status < 0) {
        return in_context(h->type, FrameKind::reply,
                          invalid("negative status " + std::to_string(h->status)));
    }
    if (h->status > 0) {
        // An error reply echoes the request's type, which may be one this side does not know.
        ErrorReply e{h->type, h->status, {}};
        Status st = read_payload(payload, e);
        if (!st) {
            return in_context(h->type, FrameKind::reply, st.error());
        }
        reply.body = std::move(e);
        return reply;
    }
    if (msg_type_name(h->type).empty()) {
        return unknown_type(h->type);
    }
    Status st = decode_body(h->type, payload, reply.body,
                            std::make_index_sequence<std::variant_size_v<ReplyBody>>{});
    if (!st) {
        return in_context(h->type, FrameKind::reply, st.error());
    }
    return reply;
}

Status validate(const Request& request) {
    return check_body(request.body, FrameKind::request);
}

Status validate(const Reply& reply) {
    return check_body(reply.body, FrameKind::reply);
}

Status validate_ip_misc(const SetIpMiscRequest& misc) {
    switch (misc.arg) {
        case kIpMiscForwarding:
            return check_flag("ip_forwarding", misc.ip_forwarding);
        case kIpMiscDefaultTtl:
            return check_range("ip_default_ttl", misc.ip_default_ttl, 1, 255);
        default:
            return invalid("'arg' is " + std::to_string(misc.arg) +
                           ", must be 1 (set ip_forwarding) or 2 (set ip_default_ttl)");
    }
}

}  // namespace routerd::api
