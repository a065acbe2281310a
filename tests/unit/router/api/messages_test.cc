// SPDX-License-Identifier: Apache-2.0
// Tests for the message rules: ip_misc's seed rule, routes, IGMP and interface settings, helpers.
#include "router/api/messages.hh"

#include "router/api/codec.hh"
#include "tests/unit/router/api/samples.hh"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace routerd::api {
namespace {

using test::ip;

int code_of(const Status& st) {
    return st.has_value() ? 0 : st.error().code;
}

Status check_request(RequestBody body) {
    return validate(Request{1, std::move(body)});
}
Status check_reply(ReplyBody body) {
    return validate(Reply{1, std::move(body)});
}

// The wire form of SET_IP_MISC with the given ints, decoded as routerd would.
Result<Request> decode_ip_misc(std::int32_t arg, std::int32_t fwd, std::int32_t ttl) {
    std::vector<std::uint8_t> frame{0x52, 0x54, 0x52, 0x44, 0, 1, 0, 10, 0, 0, 0, 12, 0, 0, 0, 1};
    for (std::int32_t v : {arg, fwd, ttl}) {
        auto u = static_cast<std::uint32_t>(v);
        for (int shift = 24; shift >= 0; shift -= 8) {
            frame.push_back(static_cast<std::uint8_t>(u >> shift));
        }
    }
    return decode_request(frame);
}

TEST(SetIpMisc, Arg1SetsForwarding) {
    for (std::int32_t fwd : {0, 1}) {
        EXPECT_TRUE(validate_ip_misc({kIpMiscForwarding, fwd, 0}).has_value());
        auto d = decode_ip_misc(1, fwd, 0);
        ASSERT_TRUE(d.has_value()) << d.error().message;
        EXPECT_EQ(std::get<SetIpMiscRequest>(d->body).ip_forwarding, fwd);
    }
    // The TTL field is ignored when arg is 1, whatever it holds.
    EXPECT_TRUE(validate_ip_misc({1, 1, 999}).has_value());
}

TEST(SetIpMisc, Arg2SetsDefaultTtl) {
    for (std::int32_t ttl : {1, 64, 255}) {
        EXPECT_TRUE(validate_ip_misc({kIpMiscDefaultTtl, 0, ttl}).has_value()) << ttl;
        auto d = decode_ip_misc(2, 7, ttl);
        ASSERT_TRUE(d.has_value()) << d.error().message;
        EXPECT_EQ(std::get<SetIpMiscRequest>(d->body).ip_default_ttl, ttl);
    }
}

TEST(SetIpMisc, OtherArgIsEinval) {
    for (std::int32_t arg : {0, 3, -1, 2147483647, -2147483647 - 1}) {
        EXPECT_EQ(code_of(validate_ip_misc({arg, 1, 64})), EINVAL) << arg;
        EXPECT_EQ(decode_ip_misc(arg, 1, 64).error().code, EINVAL) << arg;
        EXPECT_EQ(encode_request(Request{1, SetIpMiscRequest{arg, 1, 64}}).error().code, EINVAL);
    }
}

TEST(SetIpMisc, TtlOutOfRangeIsEinval) {
    for (std::int32_t ttl : {0, 256, -1, 100000}) {
        EXPECT_EQ(code_of(validate_ip_misc({2, 1, ttl})), EINVAL) << ttl;
        EXPECT_EQ(decode_ip_misc(2, 1, ttl).error().code, EINVAL) << ttl;
    }
}

TEST(SetIpMisc, ForwardingOtherThanZeroOrOneIsEinval) {
    for (std::int32_t fwd : {2, -1}) {
        EXPECT_EQ(code_of(validate_ip_misc({1, fwd, 64})), EINVAL) << fwd;
        EXPECT_EQ(decode_ip_misc(1, fwd, 64).error().code, EINVAL) << fwd;
    }
}

TEST(SetIpMisc, MissingArgumentIsEinval) {
    std::vector<std::uint8_t> no_arg{0x52, 0x54, 0x52, 0x44, 0, 1, 0, 10, 0, 0, 0, 0, 0, 0, 0, 1};
    auto d = decode_request(no_arg);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, EINVAL);
    EXPECT_EQ(d.error().message, "SET_IP_MISC request: missing argument");
    // Half an argument is no better.
    std::vector<std::uint8_t> partial = no_arg;
    partial[11] = 4;
    partial.insert(partial.end(), {0, 0, 0, 1});
    EXPECT_EQ(decode_request(partial).error().code, EINVAL);
}

TEST(Routes, KindsNeedTheirNextHop) {
    const Ip4Prefix net{ip(203, 0, 113, 0), 24};
    const Ip4Addr gw = ip(198, 18, 0, 1);
    EXPECT_TRUE(check_request(RouteAddRequest{{net, gw, 0, RouteKind::forward}}).has_value());
    EXPECT_TRUE(check_request(RouteAddRequest{{net, gw, 7, RouteKind::forward}}).has_value());
    EXPECT_TRUE(check_request(RouteAddRequest{{net, {}, 0, RouteKind::reject}}).has_value());
    EXPECT_TRUE(check_request(RouteDelRequest{{net, {}, 0, RouteKind::blackhole}}).has_value());
    EXPECT_EQ(code_of(check_request(RouteAddRequest{{net, {}, 7, RouteKind::forward}})), EINVAL);
    EXPECT_EQ(code_of(check_request(RouteAddRequest{{net, gw, 0, RouteKind::reject}})), EINVAL);
    EXPECT_EQ(code_of(check_request(RouteAddRequest{{net, {}, 7, RouteKind::blackhole}})), EINVAL);
    EXPECT_EQ(code_of(check_request(RouteAddRequest{{net, {}, 7, RouteKind::connected}})), EINVAL);
    EXPECT_EQ(code_of(check_request(RouteDelRequest{{net, {}, 7, RouteKind::connected}})), EINVAL);
    EXPECT_EQ(code_of(check_request(RouteAddRequest{{net, gw, 0, static_cast<RouteKind>(9)}})),
              EINVAL);
}

TEST(Routes, PrefixesAreNetworks) {
    const Ip4Addr gw = ip(198, 18, 0, 1);
    EXPECT_EQ(code_of(check_request(
                  RouteAddRequest{{Ip4Prefix{ip(203, 0, 113, 1), 24}, gw, 0, RouteKind::forward}})),
              EINVAL);
    EXPECT_EQ(code_of(check_request(
                  RouteAddRequest{{Ip4Prefix{ip(203, 0, 113, 1), 33}, gw, 0, RouteKind::forward}})),
              EINVAL);
    EXPECT_TRUE(
        check_request(RouteAddRequest{{Ip4Prefix{{}, 0}, gw, 0, RouteKind::forward}}).has_value());
    EXPECT_TRUE(check_request(
                    RouteAddRequest{{Ip4Prefix{ip(203, 0, 113, 1), 32}, gw, 0, RouteKind::forward}})
                    .has_value());
    EXPECT_EQ(code_of(check_request(GetRoutesRequest{Ip4Prefix{ip(198, 18, 0, 1), 15}, false, 1})),
              EINVAL);
    // Replies obey the same rules: a connected route has an interface and no gateway.
    GetRoutesReply page;
    page.routes.push_back(
        RouteEntry{Ip4Prefix{ip(198, 18, 0, 0), 24}, {}, 0, RouteKind::connected, 0});
    EXPECT_EQ(code_of(check_reply(page)), EINVAL);
    page.routes.back().ifindex = 7;
    EXPECT_TRUE(check_reply(page).has_value());
}

TEST(Interfaces, IfreqAllFields) {
    IfreqAll good = test::sample_ifreq_all();
    EXPECT_TRUE(check_reply(GetIfreqAllReply{good}).has_value());
    EXPECT_EQ(good.if_number(), 7u);

    auto bad = [&](auto change) {
        IfreqAll r = good;
        change(r);
        return code_of(check_reply(GetIfreqAllReply{r}));
    };
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_entry.if_index = 0; }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_entry.if_flags |= 0x4; }), EINVAL);  // IFF_DEBUG
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_entry.if_mtu = 67; }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_entry.if_mtu = 65536; }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_statsavail = 2; }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_outqlen = -1; }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_addrs[1].netmask = ip(255, 0, 255, 0); }), EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_addrs[0].flags = kIfaBroadcast | kIfaPointopoint; }),
              EINVAL);
    EXPECT_EQ(bad([](IfreqAll& r) { r.if_addrs[0].flags = 0x80; }), EINVAL);
    // Entries past if_naddr are neither checked, sent nor compared.
    IfreqAll stale = good;
    stale.if_addrs[5].netmask = ip(255, 0, 255, 0);
    EXPECT_TRUE(check_reply(GetIfreqAllReply{stale}).has_value());
    EXPECT_EQ(stale, good);
    EXPECT_EQ(code_of(check_request(GetIfreqAllRequest{0})), EINVAL);
}

TEST(Interfaces, SettingsRequests) {
    EXPECT_EQ(code_of(check_request(SetIfFlagsRequest{7, {}, {}, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIfFlagsRequest{0, true, {}, {}})), EINVAL);
    EXPECT_TRUE(check_request(SetIfFlagsRequest{7, {}, {}, true}).has_value());
    EXPECT_EQ(code_of(check_request(SetIfAdminRequest{0, AdminState::up})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIfAdminRequest{7, static_cast<AdminState>(3)})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIpSettingsRequest{})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIpSettingsRequest{{}, {}, 0})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIpSettingsRequest{{}, {}, kMaxReassemblyTimeout + 1})),
              EINVAL);
    EXPECT_TRUE(check_request(SetIpSettingsRequest{{}, true, {}}).has_value());
}

TEST(Igmp, SettingsRanges) {
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, {}, {}, {}, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{0, true, {}, {}, {}, {}, {}})), EINVAL);
    for (std::uint8_t v : {0, 4}) {
        EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, v, {}, {}, {}, {}})), EINVAL);
    }
    for (std::uint8_t v : {1, 2, 3}) {
        EXPECT_TRUE(check_request(SetIgmpRequest{7, {}, v, {}, {}, {}, {}}).has_value());
    }
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, 0, {}, {}, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, 31745, {}, {}, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, {}, 0, {}, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, {}, {}, 0, {}})), EINVAL);
    EXPECT_EQ(code_of(check_request(SetIgmpRequest{7, {}, {}, {}, {}, {}, 0})), EINVAL);
    EXPECT_TRUE(check_request(SetIgmpRequest{7, {}, {}, {}, {}, 1, {}}).has_value());

    GetIgmpGroupsReply r{{test::sample_igmp_interface(7)}};
    EXPECT_TRUE(check_reply(r).has_value());
    GetIgmpGroupsReply slow = r;
    // RFC 2236 8.3: the response interval (tenths) must be below the query interval.
    slow.interfaces[0].settings.query_response_interval_tenths = 1250;
    EXPECT_EQ(code_of(check_reply(slow)), EINVAL);
    GetIgmpGroupsReply unicast = r;
    unicast.interfaces[0].groups[0].group = ip(198, 18, 0, 1);
    EXPECT_EQ(code_of(check_reply(unicast)), EINVAL);
    GetIgmpGroupsReply too_many = r;
    too_many.interfaces[0].groups[0].sources.resize(kMaxIgmpSourcesPerGroup + 1);
    EXPECT_EQ(code_of(check_reply(too_many)), EINVAL);
}

TEST(IpStuff, SettingsRanges) {
    EXPECT_TRUE(check_reply(GetIpStuffReply{test::sample_ip_stuff()}).has_value());
    auto bad = [](auto change) {
        IpStuff s = test::sample_ip_stuff();
        change(s);
        return code_of(check_reply(GetIpStuffReply{s}));
    };
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_forwarding = 2; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_default_ttl = 0; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_default_ttl = 256; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ipq_ttl = 0; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ipq_reasm_reqds = -1; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.icmp_answermask = -1; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_sendredirects = 5; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_sourceroute = 2; }), EINVAL);
    EXPECT_EQ(bad([](IpStuff& s) { s.ip_sourceroute = -1; }), EINVAL);
}

TEST(MsgType, NamesAreTheDesignSpelling) {
    const std::set<std::string> expected{
        "HELLO",        "GET_IP_STUFF", "GET_IFREQ_ALL",   "GET_ICMPSTAT",    "GET_IGMPSTAT",
        "GET_IF_LIST",  "GET_ROUTES",   "GET_ARP",         "GET_IGMP_GROUPS", "SET_IP_MISC",
        "SET_IF_ADMIN", "SET_IF_FLAGS", "SET_IP_SETTINGS", "SET_IGMP",        "ROUTE_ADD",
        "ROUTE_DEL",    "SET_MGMT",     "LINK_EVENT"};
    std::set<std::string> names;
    for (unsigned v = 0; v <= 0xffff; ++v) {
        auto name = msg_type_name(static_cast<MsgType>(v));
        if (!name.empty()) {
            names.insert(std::string(name));
            EXPECT_GE(v, 1u);
        }
    }
    EXPECT_EQ(names, expected);
    // Values are the contract.
    EXPECT_EQ(static_cast<int>(MsgType::GET_IP_STUFF), 2);
    EXPECT_EQ(static_cast<int>(MsgType::SET_IP_MISC), 10);
    EXPECT_EQ(static_cast<int>(MsgType::SET_MGMT), 17);
    EXPECT_EQ(static_cast<int>(MsgType::LINK_EVENT), 18);
}

TEST(MsgType, EveryBodyKnowsItsType) {
    for (const auto& r : test::sample_requests()) {
        EXPECT_FALSE(msg_type_name(type_of(r.body)).empty());
    }
    std::set<MsgType> reply_types;
    for (const auto& r : test::sample_replies()) {
        reply_types.insert(type_of(r.body));
    }
    EXPECT_EQ(reply_types.size(), 18u);  // every type has a reply; the error echoes SET_IP_MISC
}

TEST(ErrorReplies, MakeErrorReplyIsAlwaysEncodable) {
    Reply r =
        make_error_reply(4, MsgType::ROUTE_ADD,
                         make_error(0, std::string("bad\0route", 9) + std::string(2000, 'x')));
    const auto& e = std::get<ErrorReply>(r.body);
    EXPECT_EQ(e.status, EINVAL);
    EXPECT_EQ(e.type, MsgType::ROUTE_ADD);
    EXPECT_EQ(e.message.size(), kMaxErrorMessageLen);
    EXPECT_EQ(e.message.find('\0'), std::string::npos);
    EXPECT_EQ(status_of(r), EINVAL);
    EXPECT_TRUE(encode_reply(r).has_value());
    EXPECT_EQ(status_of(Reply{1, SetMgmtReply{}}), 0);
}

TEST(Limits, SizesFitTogether) {
    static_assert(kRequestHeaderSize == 16 && kReplyHeaderSize == 20);
    static_assert(kReplyHeaderSize + 4 + 18 * kMaxRoutesPerPage + 5 <= kMaxMessageSize);
    static_assert(kIfMaxAddrs == 10);
    static_assert(kIfNameMaxLen == 15);
    SUCCEED();
}

}  // namespace
}  // namespace routerd::api
