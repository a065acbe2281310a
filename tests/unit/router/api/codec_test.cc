// SPDX-License-Identifier: Apache-2.0
// Tests for the control-socket codec: round trips, golden bytes, every truncation and bad field.
#include "router/api/codec.hh"

#include "tests/unit/router/api/samples.hh"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace routerd::api {
namespace {

using test::ip;
using test::sample_replies;
using test::sample_requests;
using Bytes = std::vector<std::uint8_t>;

// A big-endian byte builder, written independently of the codec, to craft frames by hand.
struct Wire {
    Bytes b;
    Wire& u8(std::uint8_t v) {
        b.push_back(v);
        return *this;
    }
    Wire& u16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v >> 8)).u8(v & 0xff); }
    Wire& u32(std::uint32_t v) {
        return u16(static_cast<std::uint16_t>(v >> 16)).u16(static_cast<std::uint16_t>(v));
    }
    Wire& str(std::string_view s) {
        u8(static_cast<std::uint8_t>(s.size()));
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
};

Bytes request_frame(std::uint16_t type, std::uint32_t id, const Bytes& payload,
                    std::uint16_t version = kProtocolVersion,
                    std::uint32_t magic = kProtocolMagic) {
    Wire w;
    w.u32(magic).u16(version).u16(type).u32(static_cast<std::uint32_t>(payload.size())).u32(id);
    w.b.insert(w.b.end(), payload.begin(), payload.end());
    return w.b;
}

Bytes reply_frame(std::uint16_t type, std::uint32_t for_id, std::int32_t status,
                  const Bytes& payload) {
    Wire w;
    w.u32(kProtocolMagic).u16(kProtocolVersion).u16(type);
    w.u32(static_cast<std::uint32_t>(payload.size())).u32(for_id);
    w.u32(static_cast<std::uint32_t>(status));
    w.b.insert(w.b.end(), payload.begin(), payload.end());
    return w.b;
}

std::uint16_t t(MsgType type) {
    return static_cast<std::uint16_t>(type);
}

// Overwrites the header's len field with the payload bytes actually present.
void fix_len(Bytes& frame, FrameKind kind) {
    auto len = static_cast<std::uint32_t>(frame.size() - header_size(kind));
    frame[8] = static_cast<std::uint8_t>(len >> 24);
    frame[9] = static_cast<std::uint8_t>(len >> 16);
    frame[10] = static_cast<std::uint8_t>(len >> 8);
    frame[11] = static_cast<std::uint8_t>(len);
}

Bytes encode(const Request& r) {
    auto bytes = encode_request(r);
    EXPECT_TRUE(bytes.has_value()) << bytes.error().message;
    return bytes ? *bytes : Bytes{};
}

Bytes encode(const Reply& r) {
    auto bytes = encode_reply(r);
    EXPECT_TRUE(bytes.has_value()) << bytes.error().message;
    return bytes ? *bytes : Bytes{};
}

template <typename R>
int error_code(const R& r) {
    return r.has_value() ? 0 : r.error().code;
}

template <typename R>
std::string error_text(const R& r) {
    return r.has_value() ? std::string("(decoded)") : r.error().message;
}

// Changes one byte after checking it holds what the test thinks is there (so a layout change
// fails loudly instead of corrupting the wrong field).
void mutate(Bytes& frame, std::size_t offset, std::uint8_t expected, std::uint8_t value) {
    ASSERT_LT(offset, frame.size());
    ASSERT_EQ(frame[offset], expected) << "offset " << offset;
    frame[offset] = value;
}

std::string label(const RequestBody& b) {
    return std::string(msg_type_name(type_of(b)));
}
std::string label(const ReplyBody& b) {
    return std::string(msg_type_name(type_of(b))) +
           (std::holds_alternative<ErrorReply>(b) ? " (error)" : "");
}

TEST(Codec, SamplesCoverEveryMessageType) {
    std::set<std::size_t> req;
    for (const auto& r : sample_requests()) {
        req.insert(r.body.index());
    }
    EXPECT_EQ(req.size(), std::variant_size_v<RequestBody>);
    std::set<std::size_t> rep;
    for (const auto& r : sample_replies()) {
        rep.insert(r.body.index());
    }
    EXPECT_EQ(rep.size(), std::variant_size_v<ReplyBody>);
}

TEST(Codec, EveryRequestRoundTrips) {
    for (const auto& r : sample_requests()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        ASSERT_GE(bytes.size(), kRequestHeaderSize);
        auto size = frame_size(bytes, FrameKind::request);
        ASSERT_TRUE(size.has_value()) << size.error().message;
        EXPECT_EQ(*size, bytes.size());
        auto back = decode_request(bytes);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        EXPECT_EQ(*back, r);
        EXPECT_EQ(encode(*back), bytes);  // the encoding is canonical
        EXPECT_TRUE(validate(r).has_value());
    }
}

TEST(Codec, EveryReplyRoundTrips) {
    for (const auto& r : sample_replies()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        ASSERT_GE(bytes.size(), kReplyHeaderSize);
        auto size = frame_size(bytes, FrameKind::reply);
        ASSERT_TRUE(size.has_value()) << size.error().message;
        EXPECT_EQ(*size, bytes.size());
        auto back = decode_reply(bytes);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        EXPECT_EQ(*back, r);
        EXPECT_EQ(encode(*back), bytes);
        EXPECT_TRUE(validate(r).has_value());
    }
}

TEST(Codec, DefaultConstructedMessagesThatNeedNoValuesRoundTrip) {
    for (const RequestBody& body :
         {RequestBody{GetIpStuffRequest{}}, RequestBody{GetIcmpStatRequest{}},
          RequestBody{GetRoutesRequest{}}, RequestBody{GetArpRequest{}},
          RequestBody{GetIgmpGroupsRequest{}}, RequestBody{SetMgmtRequest{}}}) {
        Request r{1, body};
        auto back = decode_request(encode(r));
        ASSERT_TRUE(back.has_value()) << back.error().message;
        EXPECT_EQ(*back, r);
    }
    for (const ReplyBody& body : {ReplyBody{GetIpStuffReply{}}, ReplyBody{GetIcmpStatReply{}},
                                  ReplyBody{GetIgmpStatReply{}}, ReplyBody{GetRoutesReply{}},
                                  ReplyBody{GetIfListReply{}}, ReplyBody{HelloReply{}}}) {
        Reply r{1, body};
        auto back = decode_reply(encode(r));
        ASSERT_TRUE(back.has_value()) << back.error().message;
        EXPECT_EQ(*back, r);
    }
}

// The wire layout pinned byte for byte: header, then ip_misc's three ints, big-endian.
TEST(Codec, GoldenSetIpMiscRequest) {
    Bytes bytes = encode(Request{7, SetIpMiscRequest{1, 1, 64}});
    Bytes expected{0x52, 0x54, 0x52, 0x44,   // magic "RTRD"
                   0x00, 0x01,               // version 1
                   0x00, 0x0a,               // type SET_IP_MISC (10)
                   0x00, 0x00, 0x00, 0x0c,   // len 12
                   0x00, 0x00, 0x00, 0x07,   // id 7
                   0x00, 0x00, 0x00, 0x01,   // arg 1
                   0x00, 0x00, 0x00, 0x01,   // ip_forwarding 1
                   0x00, 0x00, 0x00, 0x40};  // ip_default_ttl 64
    EXPECT_EQ(bytes, expected);
}

TEST(Codec, GoldenErrorReply) {
    Bytes bytes = encode(make_error_reply(9, MsgType::SET_IP_MISC, make_error(EINVAL, "no")));
    Bytes expected{0x52, 0x54, 0x52, 0x44,   0x00, 0x01, 0x00, 0x0a,  // magic, version, type
                   0x00, 0x00, 0x00, 0x04,                            // len 4
                   0x00, 0x00, 0x00, 0x09,                            // for_id 9
                   0x00, 0x00, 0x00, EINVAL,                          // status
                   0x00, 0x02, 'n',  'o'};                            // u16 length, message
    EXPECT_EQ(bytes, expected);
}

TEST(Codec, GoldenRouteEntryIs18Bytes) {
    Bytes bytes =
        encode(Reply{1, GetRoutesReply{{RouteEntry{Ip4Prefix{ip(203, 0, 113, 0), 24},
                                                   ip(198, 18, 0, 1), 7, RouteKind::forward, 300}},
                                       true,
                                       42}});
    Bytes payload(bytes.begin() + kReplyHeaderSize, bytes.end());
    Bytes expected{0,   0,  0,    1,         // one entry
                   203, 0,  113,  0,    24,  // prefix
                   198, 18, 0,    1,         // via
                   0,   0,  0,    7,         // ifindex
                   1,                        // kind forward
                   0,   0,  0x01, 0x2c,      // age_s 300
                   1,                        // more
                   0,   0,  0,    42};       // route_count
    EXPECT_EQ(payload, expected);
}

// Cutting a valid frame anywhere is refused, whether len still claims the whole payload (the
// frame is short) or is patched to match (a field is cut): every field's truncation point.
TEST(Codec, EveryTruncationOfEveryRequestIsRefused) {
    for (const auto& r : sample_requests()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
            auto d = decode_request(cut);
            EXPECT_EQ(error_code(d), EINVAL) << "prefix " << n;
            if (n >= kRequestHeaderSize) {
                fix_len(cut, FrameKind::request);
                auto p = decode_request(cut);
                EXPECT_EQ(error_code(p), EINVAL) << "patched prefix " << n;
            }
        }
    }
}

TEST(Codec, EveryTruncationOfEveryReplyIsRefused) {
    for (const auto& r : sample_replies()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
            auto d = decode_reply(cut);
            EXPECT_EQ(error_code(d), EINVAL) << "prefix " << n;
            if (n >= kReplyHeaderSize) {
                fix_len(cut, FrameKind::reply);
                auto p = decode_reply(cut);
                EXPECT_EQ(error_code(p), EINVAL) << "patched prefix " << n;
            }
        }
    }
}

TEST(Codec, TrailingBytesAreRefused) {
    for (const auto& r : sample_requests()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        bytes.push_back(0);
        auto after_frame = decode_request(bytes);
        EXPECT_EQ(error_code(after_frame), EINVAL);
        EXPECT_NE(error_text(after_frame).find("trailing"), std::string::npos);
        fix_len(bytes, FrameKind::request);
        auto in_payload = decode_request(bytes);
        EXPECT_EQ(error_code(in_payload), EINVAL);
        EXPECT_NE(error_text(in_payload).find("trailing bytes after the message"),
                  std::string::npos);
    }
    for (const auto& r : sample_replies()) {
        SCOPED_TRACE(label(r.body));
        Bytes bytes = encode(r);
        bytes.push_back(0);
        fix_len(bytes, FrameKind::reply);
        EXPECT_EQ(error_code(decode_reply(bytes)), EINVAL);
    }
}

TEST(Codec, FrameSizeAsksForTheHeaderFirst) {
    Bytes bytes = encode(Request{3, GetIfreqAllRequest{7}});
    for (std::size_t n = 0; n < kRequestHeaderSize; ++n) {
        auto need = frame_size(std::span(bytes).first(n), FrameKind::request);
        ASSERT_TRUE(need.has_value());
        EXPECT_EQ(*need, kRequestHeaderSize);
    }
    auto need = frame_size(std::span(bytes).first(kRequestHeaderSize), FrameKind::request);
    ASSERT_TRUE(need.has_value());
    EXPECT_EQ(*need, kRequestHeaderSize + 4);
    auto reply_need = frame_size({}, FrameKind::reply);
    ASSERT_TRUE(reply_need.has_value());
    EXPECT_EQ(*reply_need, kReplyHeaderSize);
}

TEST(Codec, FramesReadFromAStream) {
    Bytes stream;
    auto requests = sample_requests();
    for (const auto& r : requests) {
        ASSERT_TRUE(encode_request(r, stream).has_value());
    }
    std::size_t pos = 0;
    std::size_t i = 0;
    while (pos < stream.size()) {
        auto rest = std::span(stream).subspan(pos);
        auto need = frame_size(rest, FrameKind::request);
        ASSERT_TRUE(need.has_value());
        ASSERT_LE(*need, rest.size());
        auto r = decode_request(rest.first(*need));
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(*r, requests[i++]);
        pos += *need;
    }
    EXPECT_EQ(i, requests.size());
}

TEST(Codec, OversizedLengthIsRefusedFromTheHeaderAlone) {
    for (FrameKind kind : {FrameKind::request, FrameKind::reply}) {
        Bytes hdr = kind == FrameKind::request ? request_frame(t(MsgType::GET_ROUTES), 1, {})
                                               : reply_frame(t(MsgType::GET_ROUTES), 1, 0, {});
        const std::size_t max_len = kMaxMessageSize - header_size(kind);
        for (std::uint32_t len :
             {static_cast<std::uint32_t>(max_len + 1), 0x7fffffffu, 0xffffffffu}) {
            hdr[8] = static_cast<std::uint8_t>(len >> 24);
            hdr[9] = static_cast<std::uint8_t>(len >> 16);
            hdr[10] = static_cast<std::uint8_t>(len >> 8);
            hdr[11] = static_cast<std::uint8_t>(len);
            auto need = frame_size(hdr, kind);
            EXPECT_EQ(error_code(need), EMSGSIZE) << len;
            auto d = kind == FrameKind::request ? error_code(decode_request(hdr))
                                                : error_code(decode_reply(hdr));
            EXPECT_EQ(d, EMSGSIZE);
        }
        auto l = static_cast<std::uint32_t>(max_len);
        hdr[8] = static_cast<std::uint8_t>(l >> 24);
        hdr[9] = static_cast<std::uint8_t>(l >> 16);
        hdr[10] = static_cast<std::uint8_t>(l >> 8);
        hdr[11] = static_cast<std::uint8_t>(l);
        auto need = frame_size(hdr, kind);
        ASSERT_TRUE(need.has_value());
        EXPECT_EQ(*need, kMaxMessageSize);
    }
}

TEST(Codec, FullRoutePageFitsInOneFrame) {
    Reply r{5, test::sample_route_page(kMaxRoutesPerPage)};
    Bytes bytes = encode(r);
    EXPECT_EQ(bytes.size(), kReplyHeaderSize + 4 + 18 * kMaxRoutesPerPage + 1 + 4);
    EXPECT_LE(bytes.size(), kMaxMessageSize);
    auto back = decode_reply(bytes);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, r);
}

TEST(Codec, FullArpPageAndInterfaceListFit) {
    GetArpReply arp;
    arp.entries.assign(kMaxArpPerPage, ArpEntry{7, ip(198, 18, 0, 1), {}, ArpState::stale, 1});
    EXPECT_TRUE(encode_reply(Reply{1, arp}).has_value());
    GetIfListReply list;
    list.interfaces.assign(
        kMaxInterfaces,
        IfListEntry{7, "abcdefghijklmno", {}, 1500, 0, AdminState::up, OperState::up, {}, 0, 0});
    EXPECT_TRUE(encode_reply(Reply{1, list}).has_value());
}

TEST(Codec, EncodeRefusesAFrameAboveTheLimitAndLeavesTheBuffer) {
    GetIgmpGroupsReply big;
    IgmpInterface iface = test::sample_igmp_interface(7);
    iface.groups.assign(kMaxIgmpGroupsPerInterface, iface.groups.front());
    for (auto& g : iface.groups) {
        g.sources.assign(kMaxIgmpSourcesPerGroup, IgmpSource{ip(203, 0, 113, 1), 5});
    }
    big.interfaces.assign(2, iface);
    Bytes out{1, 2, 3};
    auto st = encode_reply(Reply{1, big}, out);
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, EMSGSIZE);
    EXPECT_EQ(out, (Bytes{1, 2, 3}));
}

TEST(Codec, ListCountsAreBoundedBeforeAnythingIsAllocated) {
    // count above the page limit
    Bytes over = reply_frame(t(MsgType::GET_ROUTES), 1, 0, Wire{}.u32(kMaxRoutesPerPage + 1).b);
    auto d = decode_reply(over);
    EXPECT_EQ(error_code(d), EINVAL);
    EXPECT_NE(error_text(d).find("at most"), std::string::npos) << error_text(d);
    // a count the payload cannot hold: refused without building thousands of entries
    for (std::uint32_t count : {4096u, 0xffffffffu}) {
        Bytes claims = reply_frame(t(MsgType::GET_ROUTES), 1, 0, Wire{}.u32(count).u8(1).b);
        EXPECT_EQ(error_code(decode_reply(claims)), EINVAL);
    }
    Bytes groups = reply_frame(t(MsgType::GET_IGMP_GROUPS), 1, 0, Wire{}.u32(3).b);
    EXPECT_EQ(error_code(decode_reply(groups)), EINVAL);
}

TEST(Codec, PageSizesOutsideTheLimitsAreRefused) {
    for (std::uint32_t n : {0u, static_cast<std::uint32_t>(kMaxRoutesPerPage + 1)}) {
        Request r{1, GetRoutesRequest{{}, false, n}};
        EXPECT_EQ(error_code(encode_request(r)), EINVAL) << n;
        Bytes payload = Wire{}.u32(0).u8(0).u8(0).u32(n).b;
        EXPECT_EQ(error_code(decode_request(request_frame(t(MsgType::GET_ROUTES), 1, payload))),
                  EINVAL);
        Request a{1, GetArpRequest{0, {}, false, n}};
        EXPECT_EQ(error_code(encode_request(a)), EINVAL) << n;
    }
    for (std::uint32_t n : {1u, static_cast<std::uint32_t>(kMaxRoutesPerPage)}) {
        EXPECT_TRUE(encode_request(Request{1, GetRoutesRequest{{}, false, n}}).has_value());
    }
    GetRoutesReply too_many = test::sample_route_page(kMaxRoutesPerPage + 1);
    EXPECT_EQ(error_code(encode_reply(Reply{1, too_many})), EINVAL);
}

TEST(Codec, UnknownTypeIsNotSupported) {
    for (std::uint16_t type : {0, 19, 0x7fff, 0xffff}) {
        auto d = decode_request(request_frame(type, 1, {}));
        EXPECT_EQ(error_code(d), ENOTSUP) << type;
        auto r = decode_reply(reply_frame(type, 1, 0, {}));
        EXPECT_EQ(error_code(r), ENOTSUP) << type;
    }
}

// An error reply echoes the type of the refused request, even one this side does not know.
TEST(Codec, ErrorReplyCarriesAnyType) {
    Bytes payload = Wire{}.u16(4).u8('n').u8('o').u8('p').u8('e').b;
    auto r = decode_reply(reply_frame(999, 4, ENOTSUP, payload));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    const auto& e = std::get<ErrorReply>(r->body);
    EXPECT_EQ(static_cast<std::uint16_t>(e.type), 999);
    EXPECT_EQ(e.status, ENOTSUP);
    EXPECT_EQ(e.message, "nope");
    EXPECT_EQ(status_of(*r), ENOTSUP);
    EXPECT_EQ(r->for_id, 4u);
    EXPECT_EQ(encode(*r), reply_frame(999, 4, ENOTSUP, payload));
}

TEST(Codec, ErrorReplyStatusMustBePositive) {
    EXPECT_EQ(error_code(decode_reply(reply_frame(t(MsgType::HELLO), 1, -1, {}))), EINVAL);
    EXPECT_EQ(error_code(encode_reply(Reply{1, ErrorReply{MsgType::HELLO, 0, "x"}})), EINVAL);
    EXPECT_EQ(error_code(encode_reply(Reply{1, ErrorReply{MsgType::HELLO, -5, "x"}})), EINVAL);
}

TEST(Codec, EventsAndRepliesAreNotRequests) {
    auto d = decode_request(request_frame(t(MsgType::LINK_EVENT), 1, {}));
    EXPECT_EQ(error_code(d), EINVAL);
    EXPECT_NE(error_text(d).find("LINK_EVENT"), std::string::npos);
}

TEST(Codec, WrongVersionIsRefused) {
    for (std::uint16_t v : {0, 2, 0xffff}) {
        auto d = decode_request(request_frame(t(MsgType::GET_IP_STUFF), 1, {}, v));
        EXPECT_EQ(error_code(d), EPROTONOSUPPORT) << v;
        Bytes reply = reply_frame(t(MsgType::GET_IP_STUFF), 1, 0, {});
        reply[5] = static_cast<std::uint8_t>(v);
        reply[4] = static_cast<std::uint8_t>(v >> 8);
        EXPECT_EQ(error_code(decode_reply(reply)), EPROTONOSUPPORT);
        EXPECT_EQ(error_code(frame_size(reply, FrameKind::reply)), EPROTONOSUPPORT);
    }
}

TEST(Codec, BadMagicIsRefused) {
    auto d = decode_request(request_frame(t(MsgType::GET_IP_STUFF), 1, {}, kProtocolVersion,
                                          0x47455420));  // "GET "
    EXPECT_EQ(error_code(d), EPROTO);
}

TEST(Codec, PeekHeaderReadsUncheckedFields) {
    Bytes bytes = request_frame(0x1234, 77, {1, 2, 3}, 9, 0xdeadbeef);
    auto h = peek_header(bytes, FrameKind::request);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->magic, 0xdeadbeefu);
    EXPECT_EQ(h->version, 9);
    EXPECT_EQ(static_cast<std::uint16_t>(h->type), 0x1234);
    EXPECT_EQ(h->len, 3u);
    EXPECT_EQ(h->id, 77u);
    EXPECT_FALSE(peek_header(std::span(bytes).first(15), FrameKind::request).has_value());
    Bytes reply = reply_frame(t(MsgType::HELLO), 5, EPERM, {});
    auto rh = peek_header(reply, FrameKind::reply);
    ASSERT_TRUE(rh.has_value());
    EXPECT_EQ(rh->status, EPERM);
    EXPECT_EQ(rh->id, 5u);
}

TEST(Codec, MissingArgumentIsEinval) {
    for (MsgType type : {MsgType::SET_IP_MISC, MsgType::GET_IFREQ_ALL, MsgType::SET_IF_ADMIN,
                         MsgType::ROUTE_ADD, MsgType::SET_MGMT, MsgType::GET_ROUTES}) {
        auto d = decode_request(request_frame(t(type), 1, {}));
        EXPECT_EQ(error_code(d), EINVAL) << msg_type_name(type);
        EXPECT_NE(error_text(d).find("missing argument"), std::string::npos) << error_text(d);
    }
}

TEST(Codec, BadEnumValuesAreRefused) {
    const std::size_t h = kRequestHeaderSize;
    // SET_IF_ADMIN: ifindex u32, admin u8.
    for (std::uint8_t v : {0, 3, 255}) {
        Bytes b = encode(Request{1, SetIfAdminRequest{8, AdminState::down}});
        mutate(b, h + 4, 2, v);
        EXPECT_EQ(error_code(decode_request(b)), EINVAL) << int{v};
    }
    // ROUTE_ADD: prefix (5), via (4), ifindex (4), kind u8. connected (0) is no request.
    for (std::uint8_t v : {0, 4, 255}) {
        Bytes b = encode(
            Request{1, RouteAddRequest{RouteSpec{Ip4Prefix{ip(203, 0, 113, 0), 24},
                                                 ip(198, 18, 0, 1), 0, RouteKind::forward}}});
        mutate(b, h + 13, 1, v);
        EXPECT_EQ(error_code(decode_request(b)), EINVAL) << int{v};
    }
    const std::size_t r = kReplyHeaderSize;
    // LINK_EVENT: ifindex (4), name (1 + 4), admin u8, oper u8. testing(3) is not reported.
    for (std::uint8_t v : {0, 3, 8, 255}) {
        Bytes b = encode(Reply{0, LinkEvent{8, "eth2", AdminState::up, OperState::down, 1}});
        mutate(b, r + 10, 2, v);
        EXPECT_EQ(error_code(decode_reply(b)), EINVAL) << int{v};
    }
    for (std::uint8_t v : {0, 3}) {
        Bytes b = encode(Reply{0, LinkEvent{8, "eth2", AdminState::up, OperState::down, 1}});
        mutate(b, r + 9, 1, v);
        EXPECT_EQ(error_code(decode_reply(b)), EINVAL) << int{v};
    }
    // GET_ARP reply: count (4), ifindex (4), addr (4), mac (6), state u8.
    for (std::uint8_t v : {4, 255}) {
        Bytes b = encode(
            Reply{1, GetArpReply{{ArpEntry{7, ip(198, 18, 0, 1), {}, ArpState::stale, 1}}, false}});
        mutate(b, r + 18, 2, v);
        EXPECT_EQ(error_code(decode_reply(b)), EINVAL) << int{v};
    }
    // GET_ROUTES reply: count (4), prefix (5), via (4), ifindex (4), kind u8.
    for (std::uint8_t v : {4, 255}) {
        Bytes b = encode(Reply{1, test::sample_route_page(1)});
        mutate(b, r + 17, 0, v);
        EXPECT_EQ(error_code(decode_reply(b)), EINVAL) << int{v};
    }
    // GET_IGMP_GROUPS reply: count (4), interface: ifindex (4), settings (15), is_querier (1),
    // querier (4), five u32 (20), group count (4); group: 4 + 4 + 4 + 4 + 1 + 4 + 4, filter u8.
    for (std::uint8_t v : {0, 3}) {
        Bytes b = encode(Reply{1, GetIgmpGroupsReply{{test::sample_igmp_interface(7)}}});
        mutate(b, r + 4 + 48 + 25, 1, v);
        EXPECT_EQ(error_code(decode_reply(b)), EINVAL) << int{v};
    }
}

TEST(Codec, BooleansAreZeroOrOne) {
    const std::size_t h = kRequestHeaderSize;
    // GET_ROUTES: start prefix (5), after u8.
    Bytes b = encode(Request{1, GetRoutesRequest{{}, true, 10}});
    mutate(b, h + 5, 1, 2);
    auto d = decode_request(b);
    EXPECT_EQ(error_code(d), EINVAL);
    EXPECT_NE(error_text(d).find("'after'"), std::string::npos) << error_text(d);
    Bytes m = encode(Request{1, SetMgmtRequest{false}});
    mutate(m, h, 0, 0x80);
    EXPECT_EQ(error_code(decode_request(m)), EINVAL);
    // SET_IF_FLAGS: ifindex (4), then presence byte and value per setting.
    Bytes f = encode(Request{1, SetIfFlagsRequest{7, true, std::nullopt, std::nullopt}});
    Bytes presence = f;
    mutate(presence, h + 4, 1, 2);
    EXPECT_EQ(error_code(decode_request(presence)), EINVAL);
    Bytes value = f;
    mutate(value, h + 5, 1, 7);
    EXPECT_EQ(error_code(decode_request(value)), EINVAL);
}

TEST(Codec, InterfaceNamesAreCheckedOnTheWire) {
    const std::size_t r = kReplyHeaderSize;
    auto event = [] {
        return encode(Reply{0, LinkEvent{8, "eth2", AdminState::up, OperState::up, 1}});
    };
    Bytes nul = event();
    mutate(nul, r + 6, 't', 0);  // "e\0h2"
    EXPECT_EQ(error_code(decode_reply(nul)), EINVAL);
    Bytes slash = event();
    mutate(slash, r + 6, 't', '/');
    EXPECT_EQ(error_code(decode_reply(slash)), EINVAL);
    Bytes space = event();
    mutate(space, r + 6, 't', ' ');
    EXPECT_EQ(error_code(decode_reply(space)), EINVAL);
    // An empty name, and a 16-byte one (longer than IFNAMSIZ - 1).
    Wire empty;
    empty.u32(8).str("").u8(1).u8(1).u32(0).u32(1);
    EXPECT_EQ(error_code(decode_reply(reply_frame(t(MsgType::LINK_EVENT), 0, 0, empty.b))), EINVAL);
    Wire longer;
    longer.u32(8).str("abcdefghijklmnop").u8(1).u8(1).u32(0).u32(1);
    auto d = decode_reply(reply_frame(t(MsgType::LINK_EVENT), 0, 0, longer.b));
    EXPECT_EQ(error_code(d), EINVAL);
    EXPECT_NE(error_text(d).find("at most 15"), std::string::npos) << error_text(d);
    Wire fifteen;
    fifteen.u32(8).str("abcdefghijklmno").u8(1).u8(1).u32(0).u32(1);
    EXPECT_TRUE(decode_reply(reply_frame(t(MsgType::LINK_EVENT), 0, 0, fifteen.b)).has_value());
    // The encoder refuses the same names.
    for (const char* name : {"", "abcdefghijklmnop", "a/b", "a b"}) {
        EXPECT_EQ(error_code(
                      encode_reply(Reply{0, LinkEvent{8, name, AdminState::up, OperState::up, 1}})),
                  EINVAL)
            << name;
    }
    EXPECT_EQ(error_code(encode_reply(Reply{
                  0, LinkEvent{8, std::string("et\0h", 4), AdminState::up, OperState::up, 1}})),
              EINVAL);
}

TEST(Codec, TextFieldsAreChecked) {
    EXPECT_EQ(error_code(encode_request(Request{1, HelloRequest{"router\nctl"}})), EINVAL);
    EXPECT_EQ(error_code(encode_request(Request{1, HelloRequest{std::string(65, 'x')}})), EINVAL);
    EXPECT_TRUE(encode_request(Request{1, HelloRequest{std::string(64, 'x')}}).has_value());
    EXPECT_TRUE(encode_request(Request{1, HelloRequest{""}}).has_value());
    Bytes nul = Wire{}.u16(3).u8('a').u8(0).u8('b').b;
    EXPECT_EQ(error_code(decode_reply(reply_frame(t(MsgType::HELLO), 1, EIO, nul))), EINVAL);
    Bytes too_long = Wire{}.u16(kMaxErrorMessageLen + 1).b;
    too_long.resize(too_long.size() + kMaxErrorMessageLen + 1, 'x');
    EXPECT_EQ(error_code(decode_reply(reply_frame(t(MsgType::HELLO), 1, EIO, too_long))), EINVAL);
}

TEST(Codec, AtMostTenAddressesPerInterface) {
    IfreqAll full = test::sample_ifreq_all(static_cast<int>(kIfMaxAddrs));
    Bytes ok = encode(Reply{1, GetIfreqAllReply{full}});
    auto back = decode_reply(ok);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(std::get<GetIfreqAllReply>(back->body).ifreq_all.if_naddr, 10);

    // if_naddr sits after if_entry (4 + 1 + 4 + 4 + 4 + 4), if_statsavail (4), if_stats, outqlen.
    const std::size_t off = kReplyHeaderSize + 21 + 4 + 8 * kIfStatsCount + 4 + 3;
    Bytes eleven = ok;
    mutate(eleven, off, 10, 11);
    auto d = decode_reply(eleven);
    EXPECT_EQ(error_code(d), EINVAL);
    EXPECT_NE(error_text(d).find("if_naddr"), std::string::npos) << error_text(d);
    Bytes negative = ok;
    for (std::size_t i = 0; i < 4; ++i) {
        negative[off - 3 + i] = 0xff;
    }
    EXPECT_EQ(error_code(decode_reply(negative)), EINVAL);

    IfreqAll over = full;
    over.if_naddr = 11;
    EXPECT_EQ(error_code(encode_reply(Reply{1, GetIfreqAllReply{over}})), EINVAL);
    over.if_naddr = -1;
    EXPECT_EQ(error_code(encode_reply(Reply{1, GetIfreqAllReply{over}})), EINVAL);
}

TEST(Codec, ErrorMessagesNameTheMessageAndField) {
    Bytes b = encode(Request{1, SetIpMiscRequest{2, 0, 64}});
    b[kRequestHeaderSize + 3] = 3;  // arg 3
    auto d = decode_request(b);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, EINVAL);
    EXPECT_EQ(d.error().message.rfind("SET_IP_MISC request: ", 0), 0u) << d.error().message;
    EXPECT_NE(d.error().message.find("'arg' is 3"), std::string::npos) << d.error().message;
}

TEST(Codec, EncodeAppendsAndLeavesTheBufferOnError) {
    Bytes out;
    ASSERT_TRUE(encode_request(Request{1, GetIpStuffRequest{}}, out).has_value());
    EXPECT_EQ(out.size(), kRequestHeaderSize);
    Bytes before = out;
    EXPECT_FALSE(encode_request(Request{2, SetIpMiscRequest{3, 0, 0}}, out).has_value());
    EXPECT_EQ(out, before);
    ASSERT_TRUE(encode_request(Request{3, GetIfreqAllRequest{7}}, out).has_value());
    EXPECT_EQ(out.size(), 2 * kRequestHeaderSize + 4);
}

// The committed fuzz corpus holds the current encoding of every sample (so it tracks protocol
// changes). ROUTERD_WRITE_CORPUS=1 regenerates those files in tests/fuzz/corpus/codec_fuzz.
TEST(Codec, FuzzCorpusHoldsEverySample) {
    const std::filesystem::path dir =
        std::filesystem::path(ROUTERD_SOURCE_DIR) / "tests/fuzz/corpus/codec_fuzz";
    const char* write_env = std::getenv("ROUTERD_WRITE_CORPUS");  // NOLINT(concurrency-mt-unsafe)
    const bool write = write_env != nullptr && std::string(write_env) == "1";
    std::vector<std::pair<std::string, Bytes>> files;
    for (const auto& r : sample_requests()) {
        files.emplace_back("request_" + label(r.body), encode(r));
    }
    for (const auto& r : sample_replies()) {
        std::string name = "reply_" + std::string(msg_type_name(type_of(r.body)));
        if (std::holds_alternative<ErrorReply>(r.body)) {
            name = "reply_error_" + std::string(msg_type_name(type_of(r.body)));
        }
        files.emplace_back(name, encode(r));
    }
    files.emplace_back("reply_GET_IFREQ_ALL_10addrs",
                       encode(Reply{1, GetIfreqAllReply{test::sample_ifreq_all(10)}}));
    for (const auto& [name, bytes] : files) {
        const auto path = dir / name;
        if (write) {
            std::ofstream out(path, std::ios::binary);
            out.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
            ASSERT_TRUE(out.good()) << path;
        }
        std::ifstream in(path, std::ios::binary);
        ASSERT_TRUE(in.good()) << path << " missing: run with ROUTERD_WRITE_CORPUS=1";
        Bytes stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(stored, bytes) << path << " is stale: run with ROUTERD_WRITE_CORPUS=1";
    }
}

}  // namespace
}  // namespace routerd::api
