// SPDX-License-Identifier: Apache-2.0
// Tests for routerctl's JSON writer, text tables and names.
#include "router/routerctl/format.hh"

#include "router/api/messages.hh"

#include <gtest/gtest.h>

#include <cerrno>

namespace routerd::routerctl {
namespace {

TEST(JsonEscape, EscapesQuotesBackslashAndControlCharacters) {
    EXPECT_EQ(json_escape("plain"), "plain");
    EXPECT_EQ(json_escape("a\"b\\c"), "a\\\"b\\\\c");
    EXPECT_EQ(json_escape("\b\f\n\r\t"), "\\b\\f\\n\\r\\t");
    EXPECT_EQ(json_escape(std::string_view("\x00\x01\x1f", 3)), "\\u0000\\u0001\\u001f");
    EXPECT_EQ(json_escape("\x7f"), "\x7f");  // DEL needs no escape (RFC 8259 7)
    EXPECT_EQ(json_escape("/"), "/");
}

TEST(JsonEscape, PassesValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(json_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
              "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    EXPECT_EQ(json_escape("\xff"), "\\ufffd");
    EXPECT_EQ(json_escape("\xc3"), "\\ufffd");                        // truncated sequence
    EXPECT_EQ(json_escape("\xc0\xaf"), "\\ufffd\\ufffd");             // overlong '/'
    EXPECT_EQ(json_escape("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");  // surrogate
}

TEST(JsonWriter, CompactNestedDocument) {
    JsonWriter w(false);
    w.begin_object();
    w.field("a", 1);
    w.field("neg", -5);
    w.field("big", std::uint64_t{18446744073709551615u});
    w.field("s", "x\"y");
    w.field("t", true);
    w.key("n").null();
    w.key("arr").begin_array().value(1).value("two").begin_object().end_object().end_array();
    w.key("empty").begin_array().end_array();
    w.end_object();
    EXPECT_EQ(w.str(), R"({"a":1,"neg":-5,"big":18446744073709551615,"s":"x\"y","t":true,"n":null,)"
                       R"("arr":[1,"two",{}],"empty":[]})");
}

TEST(JsonWriter, PrettyIndentsByTwo) {
    JsonWriter w;
    w.begin_object();
    w.field("ip_forwarding", 1);
    w.key("list").begin_array().value(std::uint8_t{2}).end_array();
    w.end_object();
    EXPECT_EQ(w.str(), "{\n  \"ip_forwarding\": 1,\n  \"list\": [\n    2\n  ]\n}");
}

TEST(JsonWriter, EscapesKeys) {
    JsonWriter w(false);
    w.begin_object().field("k\n", false).end_object();
    EXPECT_EQ(w.str(), R"({"k\n":false})");
}

TEST(TextTable, AlignsColumnsToTheWidestCell) {
    TextTable t({"NAME", "MTU"}, {TextTable::Align::left, TextTable::Align::right});
    t.add_row({"eth1", "1500"});
    t.add_row({"longname0", "68"});
    EXPECT_EQ(t.render(),
              "NAME        MTU\n"
              "eth1       1500\n"
              "longname0    68\n");
}

TEST(TextTable, NoTrailingBlanksAndShortRows) {
    TextTable t({"A", "B"});
    t.add_row({"x"});
    t.add_row({"yyy", "z"});
    EXPECT_EQ(t.render(), "A    B\nx\nyyy  z\n");
}

TEST(TextTable, WidthCountsCodePoints) {
    EXPECT_EQ(display_width("caf\xc3\xa9"), 4u);
    TextTable t;
    t.add_row({"caf\xc3\xa9", "1"});
    t.add_row({"abcde", "2"});
    EXPECT_EQ(t.render(), "caf\xc3\xa9   1\nabcde  2\n");
}

TEST(ErrnoName, NamesTheSeedCodes) {
    EXPECT_EQ(errno_name(EINVAL), "EINVAL");
    EXPECT_EQ(errno_name(ENODEV), "ENODEV");
    EXPECT_EQ(errno_name(ENOTSUP), "ENOTSUP");
    EXPECT_EQ(errno_name(EPROTONOSUPPORT), "EPROTONOSUPPORT");
    EXPECT_EQ(errno_name(ETIMEDOUT), "ETIMEDOUT");
    EXPECT_EQ(errno_name(ENOENT), "ENOENT");
    EXPECT_EQ(errno_name(4242), "errno 4242");
}

TEST(FormatError, MessageThenErrnoName) {
    EXPECT_EQ(format_error(make_error(EINVAL, "SET_IP_MISC: default TTL must be 1-255")),
              "routerctl: SET_IP_MISC: default TTL must be 1-255 (EINVAL)");
}

TEST(Flags, InterfaceFlagsAsIpLinkSpellsThem) {
    EXPECT_EQ(
        if_flags_text(api::kIffUp | api::kIffBroadcast | api::kIffRunning | api::kIffMulticast),
        "UP,BROADCAST,RUNNING,MULTICAST");
    EXPECT_EQ(if_flags_text(0), "-");
    EXPECT_EQ(if_flags_text(api::kIffUp | 0x800000), "UP,0x800000");
    EXPECT_EQ(ifa_flags_text(api::kIfaPrimary | api::kIfaBroadcast), "PRIMARY,BROADCAST");
    EXPECT_EQ(ifa_flags_text(0), "-");
}

TEST(IcmpTypeName, KnownAndUnassigned) {
    EXPECT_EQ(icmp_type_name(0), "echo reply");
    EXPECT_EQ(icmp_type_name(3), "destination unreachable");
    EXPECT_EQ(icmp_type_name(8), "echo request");
    EXPECT_EQ(icmp_type_name(11), "time exceeded");
    EXPECT_EQ(icmp_type_name(18), "address mask reply");
    EXPECT_EQ(icmp_type_name(1), "type 1");
    EXPECT_EQ(icmp_type_name(41), "type 41");
}

TEST(Iso8601, UtcWithMilliseconds) {
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(iso8601_utc(1714564800123456789ull), "2024-05-01T12:00:00.123Z");
}

}  // namespace
}  // namespace routerd::routerctl
