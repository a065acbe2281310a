// SPDX-License-Identifier: Apache-2.0
// Control-socket messages: version, frame headers, limits, MsgType and one struct per message.
#pragma once

#include "router/api/stats.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/base/result.hh"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace routerd::api {

// ---------------------------------------------------------------------------------------------
// Framing. Every integer on the wire is big-endian (network order), written field by field by
// codec.cc; no struct is ever copied to the wire as memory.
//
//   request frame: magic u32 | version u16 | type u16 | len u32 | id u32                | payload
//   reply frame:   magic u32 | version u16 | type u16 | len u32 | for_id u32 | status i32 | payload
//
// `len` counts payload bytes only and sits at the same offset in both headers, so one framing
// routine (codec.hh frame_size) serves both directions. A reply echoes the request's type and
// id. status is 0 (payload = the type's reply struct) or a positive errno (payload = a u16-length
// error message). LINK_EVENT frames (after SET_MGMT) are unsolicited replies with for_id 0.
//
// Error codes of the codec: EINVAL malformed (truncated, trailing bytes, bad enum or boolean,
// bad string, count above its limit, value out of range, missing argument); EMSGSIZE a frame
// above kMaxMessageSize; EPROTO bad magic; EPROTONOSUPPORT another protocol version; ENOTSUP an
// unknown message type (a newer peer's request: reply with it and keep the connection).
// ---------------------------------------------------------------------------------------------

/// "RTRD": the first four bytes of every frame, so a stray peer is refused at once.
inline constexpr std::uint32_t kProtocolMagic = 0x52545244;
/// Bumped whenever any message's wire layout changes, stats.def included.
inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::size_t kRequestHeaderSize = 16;
inline constexpr std::size_t kReplyHeaderSize = 20;
/// The largest frame, header included. A full route page (kMaxRoutesPerPage entries, 18 bytes
/// each, ~74 KiB) fits with room to spare; a larger len in a header is refused unread.
inline constexpr std::size_t kMaxMessageSize = std::size_t{256} * 1024;
inline constexpr std::size_t kMaxRequestPayload = kMaxMessageSize - kRequestHeaderSize;
inline constexpr std::size_t kMaxReplyPayload = kMaxMessageSize - kReplyHeaderSize;

/// IFNAMSIZ: a name is 1-15 bytes (the 16th is the C string's NUL), printable, no '/'.
inline constexpr std::size_t kIfNameSize = 16;
inline constexpr std::size_t kIfNameMaxLen = kIfNameSize - 1;
/// The seed's IF_MAXADDRS: ifreq_all carries at most 10 addresses per interface.
inline constexpr std::size_t kIfMaxAddrs = 10;
inline constexpr std::size_t kMaxInterfaces = 1024;
inline constexpr std::size_t kMaxRoutesPerPage = 4096;
inline constexpr std::size_t kMaxArpPerPage = 4096;
inline constexpr std::size_t kMaxIgmpGroupsPerInterface = 1024;
inline constexpr std::size_t kMaxIgmpSourcesPerGroup = 64;
inline constexpr std::size_t kMaxErrorMessageLen = 1024;
/// HELLO's client and server names ("routerctl", "routerd 0.1.0").
inline constexpr std::size_t kMaxPeerNameLen = 64;

/// Ranges the codec enforces (the seeds' and RFCs' limits; the server may refuse more).
inline constexpr std::int32_t kMinIfMtu = 68;  // RFC 791: every module must take 68 octets
inline constexpr std::int32_t kMaxIfMtu = 65535;
inline constexpr std::int32_t kMaxReassemblyTimeout = 255;  // ipq_ttl, seconds (RFC 791: a TTL)
inline constexpr std::uint32_t kMaxIgmpInterval = 31744;    // RFC 3376 4.1.1/4.1.7 largest code

/// Message types: values are the contract, never renumber (0 is never valid).
// NOLINTBEGIN(readability-identifier-naming): DESIGN.md's names, verbatim (ARCHITECTURE.md 16).
enum class MsgType : std::uint16_t {
    HELLO = 1,             ///< version check and peer names
    GET_IP_STUFF = 2,      ///< ip_stuff: ipstat, rtstat and the IP settings
    GET_IFREQ_ALL = 3,     ///< ifreq_all of one interface (if_number = ifindex)
    GET_ICMPSTAT = 4,      ///< icmpstat
    GET_IGMPSTAT = 5,      ///< igmpstat
    GET_IF_LIST = 6,       ///< every interface: index, name, MAC, state, settings
    GET_ROUTES = 7,        ///< one page of the route table, in (address, length) order
    GET_ARP = 8,           ///< one page of the ARP table, in (ifindex, address) order
    GET_IGMP_GROUPS = 9,   ///< per interface: querier state and groups
    SET_IP_MISC = 10,      ///< ip_misc: arg 1 sets ip_forwarding, arg 2 ip_default_ttl
    SET_IF_ADMIN = 11,     ///< interface admin up/down
    SET_IF_FLAGS = 12,     ///< per-interface mask-reply, redirects, directed-broadcast
    SET_IP_SETTINGS = 13,  ///< send-redirects, source-route, reassembly timeout
    SET_IGMP = 14,         ///< per-interface IGMP querier settings
    ROUTE_ADD = 15,        ///< add a static route
    ROUTE_DEL = 16,        ///< delete a static route
    SET_MGMT = 17,         ///< the SIOCSMGMT equivalent: subscribe to link events
    LINK_EVENT = 18,       ///< event (reply direction only): a link went up or down
};
// NOLINTEND(readability-identifier-naming)

/// The DESIGN.md spelling of a type ("GET_IP_STUFF"), or "" for a value that is none.
constexpr std::string_view msg_type_name(MsgType t) {
    switch (t) {
        case MsgType::HELLO:
            return "HELLO";
        case MsgType::GET_IP_STUFF:
            return "GET_IP_STUFF";
        case MsgType::GET_IFREQ_ALL:
            return "GET_IFREQ_ALL";
        case MsgType::GET_ICMPSTAT:
            return "GET_ICMPSTAT";
        case MsgType::GET_IGMPSTAT:
            return "GET_IGMPSTAT";
        case MsgType::GET_IF_LIST:
            return "GET_IF_LIST";
        case MsgType::GET_ROUTES:
            return "GET_ROUTES";
        case MsgType::GET_ARP:
            return "GET_ARP";
        case MsgType::GET_IGMP_GROUPS:
            return "GET_IGMP_GROUPS";
        case MsgType::SET_IP_MISC:
            return "SET_IP_MISC";
        case MsgType::SET_IF_ADMIN:
            return "SET_IF_ADMIN";
        case MsgType::SET_IF_FLAGS:
            return "SET_IF_FLAGS";
        case MsgType::SET_IP_SETTINGS:
            return "SET_IP_SETTINGS";
        case MsgType::SET_IGMP:
            return "SET_IGMP";
        case MsgType::ROUTE_ADD:
            return "ROUTE_ADD";
        case MsgType::ROUTE_DEL:
            return "ROUTE_DEL";
        case MsgType::SET_MGMT:
            return "SET_MGMT";
        case MsgType::LINK_EVENT:
            return "LINK_EVENT";
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Value types shared by several messages. Enum values are wire values (one byte each).
// ---------------------------------------------------------------------------------------------

/// IF-MIB ifAdminStatus values, so router-agent passes them through.
enum class AdminState : std::uint8_t { up = 1, down = 2 };
/// IF-MIB ifOperStatus values routerd reports (testing(3) never happens here).
enum class OperState : std::uint8_t {
    up = 1,
    down = 2,
    unknown = 4,
    dormant = 5,
    not_present = 6,
    lower_layer_down = 7,
};
/// How a route forwards. `connected` comes from interface addresses and is never added or
/// deleted by request; `reject` answers ICMP net unreachable, `blackhole` drops silently.
enum class RouteKind : std::uint8_t { connected = 0, forward = 1, reject = 2, blackhole = 3 };
/// ARP entry state; ipNetToMediaType maps permanent to static(4), the rest to dynamic(3).
enum class ArpState : std::uint8_t { incomplete = 0, reachable = 1, stale = 2, permanent = 3 };
/// RFC 3376 6.2.1 router filter mode (values as MGMD-STD-MIB: include(1), exclude(2)).
enum class IgmpFilterMode : std::uint8_t { include = 1, exclude = 2 };

/// Interface flags (if_flags): Linux's IFF_* values, so kernel flags pass through unchanged.
inline constexpr std::uint32_t kIffUp = 0x1;
inline constexpr std::uint32_t kIffBroadcast = 0x2;
inline constexpr std::uint32_t kIffLoopback = 0x8;
inline constexpr std::uint32_t kIffPointopoint = 0x10;
inline constexpr std::uint32_t kIffRunning = 0x40;
inline constexpr std::uint32_t kIffNoarp = 0x80;
inline constexpr std::uint32_t kIffPromisc = 0x100;
inline constexpr std::uint32_t kIffAllmulti = 0x200;
inline constexpr std::uint32_t kIffMulticast = 0x1000;
inline constexpr std::uint32_t kIffLowerUp = 0x10000;
/// Any other bit in if_flags is refused (EINVAL).
inline constexpr std::uint32_t kIffKnown = kIffUp | kIffBroadcast | kIffLoopback | kIffPointopoint |
                                           kIffRunning | kIffNoarp | kIffPromisc | kIffAllmulti |
                                           kIffMulticast | kIffLowerUp;

/// Address flags (all_addrs.flags). At most one of broadcast / pointopoint says what dstaddr is.
inline constexpr std::uint16_t kIfaPrimary = 0x1;      ///< first address of its subnet here
inline constexpr std::uint16_t kIfaBroadcast = 0x2;    ///< dstaddr is the subnet broadcast
inline constexpr std::uint16_t kIfaPointopoint = 0x4;  ///< dstaddr is the peer's address
inline constexpr std::uint16_t kIfaKnown = kIfaPrimary | kIfaBroadcast | kIfaPointopoint;

/// The seed's struct ip_stuff: IP statistics, routing statistics and the IP variables.
struct IpStuff {
    IpStat ip_stat;
    RtStat rt_stat;
    std::int32_t ip_forwarding = 1;     ///< 1 forwarding, 0 not (BSD ipforwarding; SNMP maps 1/2)
    std::int32_t ip_default_ttl = 64;   ///< 1-255
    std::int32_t ipq_ttl = 30;          ///< reassembly timeout, seconds, 1-kMaxReassemblyTimeout
    std::int32_t ipq_reasm_reqds = 0;   ///< datagrams waiting for reassembly now (a gauge)
    std::int32_t icmp_answermask = 0;   ///< 1 when some interface has mask-reply: true
    std::int32_t ip_sendredirects = 1;  ///< 0/1: ip.send-redirects
    /// 0/1: ip.source-route (forward LSRR/SSRR, RFC 7126 default off)
    std::int32_t ip_sourceroute = 0;
    friend bool operator==(const IpStuff&, const IpStuff&) = default;
};

/// The seed's struct ifnet entry (what ifreq_all calls if_entry).
struct IfNet {
    std::uint32_t if_index = 0;   ///< the Linux ifindex (SNMP ifIndex); never 0
    std::string if_name;          ///< 1-15 bytes
    std::uint32_t if_flags = 0;   ///< kIff* bits
    std::uint32_t if_mtu = 1500;  ///< kMinIfMtu-kMaxIfMtu
    std::int32_t if_metric = 0;
    friend bool operator==(const IfNet&, const IfNet&) = default;
};

/// The seed's struct all_addrs: one interface address.
struct AllAddrs {
    Ip4Addr addr;
    Ip4Addr dstaddr;  ///< subnet broadcast (kIfaBroadcast) or peer (kIfaPointopoint), else 0
    Ip4Addr netmask;  ///< contiguous
    std::uint16_t flags = 0;  ///< kIfa* bits
    friend bool operator==(const AllAddrs&, const AllAddrs&) = default;
};

/// The seed's struct ifreq_all: everything about one interface. Only the first if_naddr entries
/// of if_addrs are meaningful (and compared, and sent).
struct IfreqAll {
    IfNet if_entry;
    std::int32_t if_statsavail = 1;  ///< 0/1
    IfStats if_stats;
    std::int32_t if_outqlen = 0;  ///< >= 0
    std::int32_t if_naddr = 0;    ///< 0-kIfMaxAddrs
    std::array<AllAddrs, kIfMaxAddrs> if_addrs{};

    /// The seed's `#define if_number if_entry.if_index`.
    std::uint32_t if_number() const { return if_entry.if_index; }

    friend bool operator==(const IfreqAll& a, const IfreqAll& b) {
        if (!(a.if_entry == b.if_entry && a.if_statsavail == b.if_statsavail &&
              a.if_stats == b.if_stats && a.if_outqlen == b.if_outqlen &&
              a.if_naddr == b.if_naddr)) {
            return false;
        }
        auto n = static_cast<std::size_t>(a.if_naddr < 0 ? 0 : a.if_naddr);
        for (std::size_t i = 0; i < n && i < kIfMaxAddrs; ++i) {
            if (!(a.if_addrs[i] == b.if_addrs[i])) {
                return false;
            }
        }
        return true;
    }
};

/// Per-interface knobs (YAML mask-reply, redirects, directed-broadcast).
struct IfSettings {
    bool mask_reply = false;
    bool redirects = true;
    bool directed_broadcast = false;
    friend bool operator==(const IfSettings&, const IfSettings&) = default;
};

/// One row of GET_IF_LIST.
struct IfListEntry {
    std::uint32_t ifindex = 0;  ///< never 0
    std::string name;           ///< 1-15 bytes
    MacAddr mac;
    std::uint32_t mtu = 1500;  ///< kMinIfMtu-kMaxIfMtu
    std::uint32_t flags = 0;   ///< kIff* bits
    AdminState admin = AdminState::down;
    OperState oper = OperState::down;
    IfSettings settings;
    std::uint64_t speed_bps = 0;       ///< 0 when unknown
    std::uint64_t last_change_ns = 0;  ///< unix time of the last oper change (ifLastChange)
    friend bool operator==(const IfListEntry&, const IfListEntry&) = default;
};

/// One route. prefix has no host bits. connected: ifindex set, via 0; forward: via set (ifindex
/// 0 = resolved through the connected routes); reject, blackhole: via and ifindex 0.
struct RouteEntry {
    Ip4Prefix prefix;
    Ip4Addr via;
    std::uint32_t ifindex = 0;
    RouteKind kind = RouteKind::forward;
    std::uint32_t age_s = 0;  ///< seconds since installed (inetCidrRouteAge)
    friend bool operator==(const RouteEntry&, const RouteEntry&) = default;
};

/// What ROUTE_ADD / ROUTE_DEL name: the RouteEntry rules, and kind is never connected.
/// ROUTE_DEL removes the static route with this prefix; kind must match, and via / ifindex
/// must match when not 0.
struct RouteSpec {
    Ip4Prefix prefix;
    Ip4Addr via;
    std::uint32_t ifindex = 0;
    RouteKind kind = RouteKind::forward;
    friend bool operator==(const RouteSpec&, const RouteSpec&) = default;
};

/// One ARP cache entry.
struct ArpEntry {
    std::uint32_t ifindex = 0;  ///< never 0
    Ip4Addr addr;
    MacAddr mac;  ///< zero while incomplete
    ArpState state = ArpState::reachable;
    std::uint32_t age_s = 0;  ///< seconds since last confirmed
    friend bool operator==(const ArpEntry&, const ArpEntry&) = default;
};

/// An interface's IGMP settings (YAML igmp:). Intervals in the units RFC 2236 / 3376 and
/// IGMP-STD-MIB use: query interval in seconds, the other two in tenths of a second.
struct IgmpSettings {
    bool querier = true;
    std::uint8_t version = 2;                              ///< 1, 2 or 3
    std::uint32_t query_interval_s = 125;                  ///< 1-kMaxIgmpInterval
    std::uint32_t query_response_interval_tenths = 100;    ///< 1-kMaxIgmpInterval, < interval
    std::uint8_t robustness = 2;                           ///< 1-255 (RFC 3376 8.1: not 0)
    std::uint32_t last_member_query_interval_tenths = 10;  ///< 1-kMaxIgmpInterval
    friend bool operator==(const IgmpSettings&, const IgmpSettings&) = default;
};

/// One IGMPv3 source of a group (RFC 3376 6.2.3).
struct IgmpSource {
    Ip4Addr addr;
    std::uint32_t timer_ms = 0;
    friend bool operator==(const IgmpSource&, const IgmpSource&) = default;
};

/// One group with members on an interface (igmpCacheTable row, plus v3 state).
struct IgmpGroup {
    Ip4Addr group;  ///< multicast
    Ip4Addr last_reporter;
    std::uint32_t uptime_s = 0;
    std::uint32_t expiry_ms = 0;
    std::uint8_t version = 2;  ///< group compatibility mode, 1-3 (RFC 3376 7.3.2)
    std::uint32_t v1_host_timer_ms = 0;
    std::uint32_t v2_host_timer_ms = 0;
    IgmpFilterMode filter_mode = IgmpFilterMode::exclude;
    std::vector<IgmpSource> sources;  ///< at most kMaxIgmpSourcesPerGroup
    friend bool operator==(const IgmpGroup&, const IgmpGroup&) = default;
};

/// One interface's IGMP state (igmpInterfaceTable row) and its groups.
struct IgmpInterface {
    std::uint32_t ifindex = 0;  ///< never 0
    IgmpSettings settings;
    bool is_querier = false;  ///< this router is the elected querier
    Ip4Addr querier;          ///< the elected querier's address (ours when is_querier)
    std::uint32_t querier_uptime_s = 0;
    std::uint32_t other_querier_expiry_ms = 0;  ///< 0 when we are the querier
    std::uint32_t v1_querier_timer_ms = 0;      ///< older-version querier present timer
    std::uint32_t wrong_version_queries = 0;
    std::uint32_t joins = 0;
    std::vector<IgmpGroup> groups;  ///< at most kMaxIgmpGroupsPerInterface
    friend bool operator==(const IgmpInterface&, const IgmpInterface&) = default;
};

// ---------------------------------------------------------------------------------------------
// Requests (client → routerd): one struct per MsgType, kType names it.
// ---------------------------------------------------------------------------------------------

/// HELLO: the client says who it is; the reply says which routerd and since when.
struct HelloRequest {
    static constexpr MsgType kType = MsgType::HELLO;
    std::string client;  ///< printable, at most kMaxPeerNameLen
    friend bool operator==(const HelloRequest&, const HelloRequest&) = default;
};
struct GetIpStuffRequest {
    static constexpr MsgType kType = MsgType::GET_IP_STUFF;
    friend bool operator==(const GetIpStuffRequest&, const GetIpStuffRequest&) = default;
};
/// GET_IFREQ_ALL(if_number): if_number is the interface's Linux ifindex (never 0).
struct GetIfreqAllRequest {
    static constexpr MsgType kType = MsgType::GET_IFREQ_ALL;
    std::uint32_t if_number = 0;
    friend bool operator==(const GetIfreqAllRequest&, const GetIfreqAllRequest&) = default;
};
struct GetIcmpStatRequest {
    static constexpr MsgType kType = MsgType::GET_ICMPSTAT;
    friend bool operator==(const GetIcmpStatRequest&, const GetIcmpStatRequest&) = default;
};
struct GetIgmpStatRequest {
    static constexpr MsgType kType = MsgType::GET_IGMPSTAT;
    friend bool operator==(const GetIgmpStatRequest&, const GetIgmpStatRequest&) = default;
};
struct GetIfListRequest {
    static constexpr MsgType kType = MsgType::GET_IF_LIST;
    friend bool operator==(const GetIfListRequest&, const GetIfListRequest&) = default;
};
/// GET_ROUTES: routes in (network address, prefix length) order starting at `start`
/// (inclusive, or strictly after it when `after`). The first page is {0.0.0.0/0, false}; the next
/// page is {last entry's prefix, true}. An SNMP GET is {X, false, 1}, a GETNEXT {X, true, n}.
struct GetRoutesRequest {
    static constexpr MsgType kType = MsgType::GET_ROUTES;
    Ip4Prefix start;  ///< no host bits
    bool after = false;
    std::uint32_t max_count = kMaxRoutesPerPage;  ///< 1-kMaxRoutesPerPage
    friend bool operator==(const GetRoutesRequest&, const GetRoutesRequest&) = default;
};
/// GET_ARP: entries in (ifindex, address) order from the cursor, as GET_ROUTES.
struct GetArpRequest {
    static constexpr MsgType kType = MsgType::GET_ARP;
    std::uint32_t start_ifindex = 0;
    Ip4Addr start_addr;
    bool after = false;
    std::uint32_t max_count = kMaxArpPerPage;  ///< 1-kMaxArpPerPage
    friend bool operator==(const GetArpRequest&, const GetArpRequest&) = default;
};
/// GET_IGMP_GROUPS: one interface, or every interface when ifindex is 0 (EMSGSIZE when that
/// does not fit in one frame: ask per interface).
struct GetIgmpGroupsRequest {
    static constexpr MsgType kType = MsgType::GET_IGMP_GROUPS;
    std::uint32_t ifindex = 0;
    friend bool operator==(const GetIgmpGroupsRequest&, const GetIgmpGroupsRequest&) = default;
};

/// SET_IP_MISC: the seed's struct ip_misc. arg selects the variable: kIpMiscForwarding (1) sets
/// ip_forwarding (0 or 1), kIpMiscDefaultTtl (2) sets ip_default_ttl (1-255); the other field
/// is ignored. Any other arg, a value out of range, or no argument at all is EINVAL.
inline constexpr std::int32_t kIpMiscForwarding = 1;
inline constexpr std::int32_t kIpMiscDefaultTtl = 2;
struct SetIpMiscRequest {
    static constexpr MsgType kType = MsgType::SET_IP_MISC;
    std::int32_t arg = 0;
    std::int32_t ip_forwarding = 0;
    std::int32_t ip_default_ttl = 0;
    friend bool operator==(const SetIpMiscRequest&, const SetIpMiscRequest&) = default;
};
struct SetIfAdminRequest {
    static constexpr MsgType kType = MsgType::SET_IF_ADMIN;
    std::uint32_t ifindex = 0;  ///< never 0
    AdminState admin = AdminState::up;
    friend bool operator==(const SetIfAdminRequest&, const SetIfAdminRequest&) = default;
};
/// SET_IF_FLAGS: change the given settings of one interface, leave the absent ones; at least
/// one must be given.
struct SetIfFlagsRequest {
    static constexpr MsgType kType = MsgType::SET_IF_FLAGS;
    std::uint32_t ifindex = 0;  ///< never 0
    std::optional<bool> mask_reply;
    std::optional<bool> redirects;
    std::optional<bool> directed_broadcast;
    friend bool operator==(const SetIfFlagsRequest&, const SetIfFlagsRequest&) = default;
};
/// SET_IP_SETTINGS: the global knobs besides ip_misc's; at least one must be given.
struct SetIpSettingsRequest {
    static constexpr MsgType kType = MsgType::SET_IP_SETTINGS;
    std::optional<bool> ip_sendredirects;
    std::optional<bool> source_route;
    std::optional<std::int32_t> ipq_ttl;  ///< 1-kMaxReassemblyTimeout seconds
    friend bool operator==(const SetIpSettingsRequest&, const SetIpSettingsRequest&) = default;
};
/// SET_IGMP: change the given IGMP settings of one interface (ranges as IgmpSettings); at least
/// one must be given. routerd checks the merged result (response < query interval).
struct SetIgmpRequest {
    static constexpr MsgType kType = MsgType::SET_IGMP;
    std::uint32_t ifindex = 0;  ///< never 0
    std::optional<bool> querier;
    std::optional<std::uint8_t> version;
    std::optional<std::uint32_t> query_interval_s;
    std::optional<std::uint32_t> query_response_interval_tenths;
    std::optional<std::uint8_t> robustness;
    std::optional<std::uint32_t> last_member_query_interval_tenths;
    friend bool operator==(const SetIgmpRequest&, const SetIgmpRequest&) = default;
};
struct RouteAddRequest {
    static constexpr MsgType kType = MsgType::ROUTE_ADD;
    RouteSpec route;
    friend bool operator==(const RouteAddRequest&, const RouteAddRequest&) = default;
};
struct RouteDelRequest {
    static constexpr MsgType kType = MsgType::ROUTE_DEL;
    RouteSpec route;
    friend bool operator==(const RouteDelRequest&, const RouteDelRequest&) = default;
};
/// SET_MGMT: from the reply on, this connection also receives LINK_EVENT frames (subscribe
/// false stops them).
struct SetMgmtRequest {
    static constexpr MsgType kType = MsgType::SET_MGMT;
    bool subscribe = true;
    friend bool operator==(const SetMgmtRequest&, const SetMgmtRequest&) = default;
};

using RequestBody =
    std::variant<HelloRequest, GetIpStuffRequest, GetIfreqAllRequest, GetIcmpStatRequest,
                 GetIgmpStatRequest, GetIfListRequest, GetRoutesRequest, GetArpRequest,
                 GetIgmpGroupsRequest, SetIpMiscRequest, SetIfAdminRequest, SetIfFlagsRequest,
                 SetIpSettingsRequest, SetIgmpRequest, RouteAddRequest, RouteDelRequest,
                 SetMgmtRequest>;

/// One request frame: the client's id (echoed as the reply's for_id) and the message.
struct Request {
    std::uint32_t id = 0;
    RequestBody body;
    friend bool operator==(const Request&, const Request&) = default;
};

// ---------------------------------------------------------------------------------------------
// Replies (routerd → client): one struct per MsgType, plus ErrorReply for any type.
// ---------------------------------------------------------------------------------------------

struct HelloReply {
    static constexpr MsgType kType = MsgType::HELLO;
    std::string server;               ///< printable, at most kMaxPeerNameLen
    std::uint64_t start_time_ns = 0;  ///< unix time routerd started (counters start there)
    friend bool operator==(const HelloReply&, const HelloReply&) = default;
};
struct GetIpStuffReply {
    static constexpr MsgType kType = MsgType::GET_IP_STUFF;
    IpStuff ip_stuff;
    friend bool operator==(const GetIpStuffReply&, const GetIpStuffReply&) = default;
};
struct GetIfreqAllReply {
    static constexpr MsgType kType = MsgType::GET_IFREQ_ALL;
    IfreqAll ifreq_all;
    friend bool operator==(const GetIfreqAllReply&, const GetIfreqAllReply&) = default;
};
struct GetIcmpStatReply {
    static constexpr MsgType kType = MsgType::GET_ICMPSTAT;
    IcmpStat icmp_stat;
    friend bool operator==(const GetIcmpStatReply&, const GetIcmpStatReply&) = default;
};
struct GetIgmpStatReply {
    static constexpr MsgType kType = MsgType::GET_IGMPSTAT;
    IgmpStat igmp_stat;
    friend bool operator==(const GetIgmpStatReply&, const GetIgmpStatReply&) = default;
};
struct GetIfListReply {
    static constexpr MsgType kType = MsgType::GET_IF_LIST;
    std::vector<IfListEntry> interfaces;  ///< at most kMaxInterfaces, in ifindex order
    friend bool operator==(const GetIfListReply&, const GetIfListReply&) = default;
};
struct GetRoutesReply {
    static constexpr MsgType kType = MsgType::GET_ROUTES;
    std::vector<RouteEntry> routes;  ///< at most the request's max_count
    bool more = false;               ///< routes follow the last one
    std::uint32_t route_count = 0;   ///< routes in the whole table (inetCidrRouteNumber)
    friend bool operator==(const GetRoutesReply&, const GetRoutesReply&) = default;
};
struct GetArpReply {
    static constexpr MsgType kType = MsgType::GET_ARP;
    std::vector<ArpEntry> entries;  ///< at most the request's max_count
    bool more = false;
    friend bool operator==(const GetArpReply&, const GetArpReply&) = default;
};
struct GetIgmpGroupsReply {
    static constexpr MsgType kType = MsgType::GET_IGMP_GROUPS;
    std::vector<IgmpInterface> interfaces;  ///< at most kMaxInterfaces
    friend bool operator==(const GetIgmpGroupsReply&, const GetIgmpGroupsReply&) = default;
};
struct SetIpMiscReply {
    static constexpr MsgType kType = MsgType::SET_IP_MISC;
    friend bool operator==(const SetIpMiscReply&, const SetIpMiscReply&) = default;
};
struct SetIfAdminReply {
    static constexpr MsgType kType = MsgType::SET_IF_ADMIN;
    friend bool operator==(const SetIfAdminReply&, const SetIfAdminReply&) = default;
};
struct SetIfFlagsReply {
    static constexpr MsgType kType = MsgType::SET_IF_FLAGS;
    friend bool operator==(const SetIfFlagsReply&, const SetIfFlagsReply&) = default;
};
struct SetIpSettingsReply {
    static constexpr MsgType kType = MsgType::SET_IP_SETTINGS;
    friend bool operator==(const SetIpSettingsReply&, const SetIpSettingsReply&) = default;
};
struct SetIgmpReply {
    static constexpr MsgType kType = MsgType::SET_IGMP;
    friend bool operator==(const SetIgmpReply&, const SetIgmpReply&) = default;
};
struct RouteAddReply {
    static constexpr MsgType kType = MsgType::ROUTE_ADD;
    friend bool operator==(const RouteAddReply&, const RouteAddReply&) = default;
};
struct RouteDelReply {
    static constexpr MsgType kType = MsgType::ROUTE_DEL;
    friend bool operator==(const RouteDelReply&, const RouteDelReply&) = default;
};
struct SetMgmtReply {
    static constexpr MsgType kType = MsgType::SET_MGMT;
    friend bool operator==(const SetMgmtReply&, const SetMgmtReply&) = default;
};
/// LINK_EVENT: sent to SET_MGMT subscribers when a link's admin or oper state changes (the
/// seed's link-up/down messages; router-agent turns them into linkUp / linkDown traps).
struct LinkEvent {
    static constexpr MsgType kType = MsgType::LINK_EVENT;
    std::uint32_t ifindex = 0;  ///< never 0
    std::string name;           ///< 1-15 bytes
    AdminState admin = AdminState::up;
    OperState oper = OperState::up;
    std::uint64_t time_ns = 0;  ///< unix time of the change, nanoseconds
    friend bool operator==(const LinkEvent&, const LinkEvent&) = default;
};
/// A refused request of any type: status is the errno (> 0), message says why (NUL-free, at
/// most kMaxErrorMessageLen bytes). `type` echoes the request's type, even one this side does
/// not know.
struct ErrorReply {
    MsgType type = MsgType::HELLO;
    std::int32_t status = EINVAL;
    std::string message;
    friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

using ReplyBody =
    std::variant<HelloReply, GetIpStuffReply, GetIfreqAllReply, GetIcmpStatReply, GetIgmpStatReply,
                 GetIfListReply, GetRoutesReply, GetArpReply, GetIgmpGroupsReply, SetIpMiscReply,
                 SetIfAdminReply, SetIfFlagsReply, SetIpSettingsReply, SetIgmpReply, RouteAddReply,
                 RouteDelReply, SetMgmtReply, LinkEvent, ErrorReply>;

/// One reply frame: the id of the request it answers (0 for LINK_EVENT) and the message.
struct Reply {
    std::uint32_t for_id = 0;
    ReplyBody body;
    friend bool operator==(const Reply&, const Reply&) = default;
};

/// The type a request body carries.
inline MsgType type_of(const RequestBody& body) {
    return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, body);
}

/// The type a reply body carries (an ErrorReply's echoed type).
inline MsgType type_of(const ReplyBody& body) {
    return std::visit(
        [](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, ErrorReply>) {
                return m.type;
            } else {
                return T::kType;
            }
        },
        body);
}

/// The reply's wire status: 0, or the ErrorReply's errno.
inline std::int32_t status_of(const Reply& reply) {
    const auto* e = std::get_if<ErrorReply>(&reply.body);
    return e == nullptr ? 0 : e->status;
}

/// The reply refusing a request of `type` with id `for_id` for the reason `error`.
/// Always encodable: a code <= 0 becomes EINVAL, the message is cut to kMaxErrorMessageLen
/// and NULs become spaces.
inline Reply make_error_reply(std::uint32_t for_id, MsgType type, const Error& error) {
    ErrorReply e{type, error.code > 0 ? error.code : EINVAL,
                 error.message.substr(0, kMaxErrorMessageLen)};
    std::replace(e.message.begin(), e.message.end(), '\0', ' ');
    return Reply{for_id, std::move(e)};
}

}  // namespace routerd::api
