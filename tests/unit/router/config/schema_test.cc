// SPDX-License-Identifier: Apache-2.0
// The YAML schema: unknown and duplicate keys, types, ranges, addresses, prefixes, route shapes.
#include "router/config/schema.hh"

#include "router/config/load.hh"
#include "tests/unit/router/config/test_util.hh"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using test::check;
using test::check_with_ports;
using test::igmp;
using test::kTwoPorts;
using test::lines;

// ---- unknown and duplicate keys ----

TEST(Schema, UnknownKeySuggestsTheNearestKey) {
    EXPECT_THAT(check_with_ports("ip:\n  forwardng: true\n"),
                ElementsAre("t.yaml:7:3: unknown key 'forwardng' in ip (did you mean "
                            "'forwarding'?)"));
}

TEST(Schema, UnknownKeySuggestionForUnderscoresAndSwaps) {
    EXPECT_THAT(check_with_ports("ip:\n  default_ttl: 5\n  sned-redirects: true\n"),
                ElementsAre("t.yaml:7:3: unknown key 'default_ttl' in ip (did you mean "
                            "'default-ttl'?)",
                            "t.yaml:8:3: unknown key 'sned-redirects' in ip (did you mean "
                            "'send-redirects'?)"));
}

TEST(Schema, UnknownKeyWithoutCloseMatchListsTheKeys) {
    EXPECT_THAT(check_with_ports("ip:\n  ttl: 5\n"),
                ElementsAre("t.yaml:7:3: unknown key 'ttl' in ip (expected one of: forwarding, "
                            "default-ttl, reassembly-timeout, send-redirects, source-route)"));
}

TEST(Schema, UnknownKeyAtEveryLevel) {
    EXPECT_THAT(
        check("interface:\n"
              "  - name: eth1\n"
              "interfaces:\n"
              "  - name: eth1\n"
              "    adresses: [198.18.0.254/24]\n"
              "    addresses: [198.18.0.254/24]\n"
              "    igmp: {querier: true, query-intervall: 60}\n"
              "routes:\n"
              "  - {prefix: 203.0.113.0/24, vai: 198.18.0.1}\n"
              "control:\n"
              "  sockets: /run/x.sock\n"),
        ElementsAre("t.yaml:1:1: unknown key 'interface' at the top level (did you mean "
                    "'interfaces'?)",
                    "t.yaml:5:5: unknown key 'adresses' in interface 'eth1' (did you mean "
                    "'addresses'?)",
                    "t.yaml:7:27: unknown key 'query-intervall' in igmp of interface 'eth1' (did "
                    "you mean 'query-interval'?)",
                    "t.yaml:9:5: route needs 'via', 'reject: true' or 'blackhole: true'",
                    "t.yaml:9:30: unknown key 'vai' in route (did you mean 'via'?)",
                    "t.yaml:11:3: unknown key 'sockets' in control (did you mean 'socket'?)"));
}

TEST(Schema, DuplicateKeyPointsAtTheSecond) {
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.254/24]\n"
                      "    mtu: 1500\n"
                      "    mtu: 9000\n"),
                ElementsAre("t.yaml:5:5: duplicate key 'mtu' in interface 'eth1' (first at "
                            "line 4)"));
    EXPECT_THAT(check_with_ports("ip: {forwarding: true, forwarding: false}\n"),
                ElementsAre("t.yaml:6:24: duplicate key 'forwarding' in ip (first at line 6)"));
}

TEST(Schema, DuplicateTopLevelSection) {
    EXPECT_THAT(check_with_ports("interfaces: []\n"),
                ElementsAre("t.yaml:6:1: duplicate key 'interfaces' at the top level (first at "
                            "line 1)"));
}

TEST(Schema, NonScalarKey) {
    EXPECT_THAT(check_with_ports("ip:\n  ? [a, b]\n  : 1\n"),
                ElementsAre("t.yaml:7:5: expected a key name in ip, got a list"));
}

// ---- types ----

TEST(Schema, WrongTypeBoolean) {
    EXPECT_THAT(check_with_ports("ip:\n  forwarding: yes\n  send-redirects: 1\n"
                                 "  source-route: \"false\"\n"),
                ElementsAre("t.yaml:7:15: expected a boolean (true or false) for 'forwarding', "
                            "got 'yes'",
                            "t.yaml:8:19: expected a boolean (true or false) for "
                            "'send-redirects', got '1'",
                            "t.yaml:9:17: expected a boolean (true or false) for 'source-route', "
                            "got a quoted string 'false'"));
}

TEST(Schema, BooleanSpellings) {
    auto r = load_from_string(std::string(kTwoPorts) +
                                  "ip: {forwarding: FALSE, send-redirects: False, "
                                  "source-route: TRUE}\n",
                              "t.yaml");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.config.ip.forwarding);
    EXPECT_FALSE(r.config.ip.send_redirects);
    EXPECT_TRUE(r.config.ip.source_route);
}

TEST(Schema, WrongTypeInteger) {
    EXPECT_THAT(check_with_ports("ip:\n  default-ttl: sixty-four\n  reassembly-timeout: '30'\n"
                                 "  default-ttl: 6.4\n"),
                ElementsAre("t.yaml:7:16: expected an integer for 'default-ttl', got "
                            "'sixty-four'",
                            "t.yaml:8:23: expected an integer for 'reassembly-timeout', got a "
                            "quoted string '30'",
                            "t.yaml:9:3: duplicate key 'default-ttl' in ip (first at line 7)"));
    EXPECT_THAT(check_with_ports("ip:\n  default-ttl: 6.4\n"),
                ElementsAre("t.yaml:7:16: expected an integer for 'default-ttl', got '6.4'"));
}

TEST(Schema, WrongTypeMissingValue) {
    EXPECT_THAT(check_with_ports("ip:\n  default-ttl:\n  forwarding: ~\n"),
                ElementsAre("t.yaml:7:3: expected an integer for 'default-ttl', got nothing",
                            "t.yaml:8:3: expected a boolean (true or false) for 'forwarding', "
                            "got nothing"));
}

TEST(Schema, WrongTypeSections) {
    EXPECT_THAT(check("ip: [forwarding]\n"
                      "interfaces: {name: eth1}\n"
                      "routes: 5\n"
                      "control: /run/x.sock\n"),
                ElementsAre("t.yaml:1:5: expected a mapping for 'ip', got a list",
                            "t.yaml:2:13: expected a list for 'interfaces', got a mapping",
                            "t.yaml:3:9: expected a list for 'routes', got '5'",
                            "t.yaml:4:10: expected a mapping for 'control', got '/run/x.sock'"));
}

TEST(Schema, EmptySectionsAreAllowed) {
    EXPECT_THAT(check("ip:\ninterfaces:\nroutes: []\ncontrol: {}\n"), IsEmpty());
}

TEST(Schema, WrongTypeListItems) {
    EXPECT_THAT(check("interfaces:\n  - eth1\nroutes:\n  - 203.0.113.0/24 via 198.18.0.1\n"),
                ElementsAre("t.yaml:2:5: expected a mapping for an interface (with 'name' and "
                            "'addresses'), got 'eth1'",
                            "t.yaml:4:5: expected a mapping for a route (with 'prefix' and 'via', "
                            "'reject' or 'blackhole'), got '203.0.113.0/24 via 198.18.0.1'"));
}

TEST(Schema, WrongTypeString) {
    EXPECT_THAT(check("interfaces:\n  - name: [eth1]\n    addresses: [198.18.0.254/24]\n"),
                ElementsAre("t.yaml:2:11: expected a string for 'name', got a list"));
}

TEST(Schema, WrongTypeAddresses) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: 198.18.0.254/24\n"),
                ElementsAre("t.yaml:3:16: expected a list of addresses for 'addresses', got "
                            "'198.18.0.254/24'"));
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: [{a: 1}]\n"),
                ElementsAre("t.yaml:3:17: expected an address A.B.C.D/LEN in 'addresses', got a "
                            "mapping"));
}

TEST(Schema, ControlCharactersAreEscapedInMessages) {
    EXPECT_THAT(check_with_ports("ip:\n  forwarding: \"a\\nb\"\n"),
                ElementsAre("t.yaml:7:15: expected a boolean (true or false) for 'forwarding', "
                            "got a quoted string 'a\\x0ab'"));
}

// ---- ranges ----

TEST(Schema, DefaultTtlRange) {
    EXPECT_THAT(check_with_ports("ip: {default-ttl: 0}\n"),
                ElementsAre("t.yaml:6:19: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0"));
    EXPECT_THAT(check_with_ports("ip: {default-ttl: 256}\n"),
                ElementsAre("t.yaml:6:19: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got "
                            "256"));
    EXPECT_THAT(check_with_ports("ip: {default-ttl: -1}\n"),
                ElementsAre("t.yaml:6:19: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got "
                            "-1"));
    EXPECT_THAT(check_with_ports("ip: {default-ttl: 99999999999999999999999}\n"),
                ElementsAre("t.yaml:6:19: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got "
                            "99999999999999999999999"));
    EXPECT_THAT(check_with_ports("ip: {default-ttl: 1}\n"), IsEmpty());
    EXPECT_THAT(check_with_ports("ip: {default-ttl: 255}\n"), IsEmpty());
}

TEST(Schema, ReassemblyTimeoutRange) {
    EXPECT_THAT(check_with_ports("ip: {reassembly-timeout: 0}\n"),
                ElementsAre("t.yaml:6:26: 'reassembly-timeout' must be 1-255 (seconds, RFC 791 "
                            "3.2), got 0"));
    EXPECT_THAT(check_with_ports("ip: {reassembly-timeout: 256}\n"),
                ElementsAre("t.yaml:6:26: 'reassembly-timeout' must be 1-255 (seconds, RFC 791 "
                            "3.2), got 256"));
}

TEST(Schema, MtuRange) {
    // RFC 791 3.2: every module must forward 68 octets; Total Length is 16 bits.
    auto mtu = [](const std::string& v) {
        return check(
            "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n    mtu: " + v + "\n");
    };
    EXPECT_THAT(mtu("67"),
                ElementsAre("t.yaml:4:10: 'mtu' must be 68-65535 (RFC 791 3.2), got 67"));
    EXPECT_THAT(mtu("65536"),
                ElementsAre("t.yaml:4:10: 'mtu' must be 68-65535 (RFC 791 3.2), got 65536"));
    EXPECT_THAT(mtu("68"), IsEmpty());
    EXPECT_THAT(mtu("65535"), IsEmpty());
}

TEST(Schema, IgmpVersionRange) {
    EXPECT_THAT(igmp("version: 4"), ElementsAre("t.yaml:4:21: 'version' must be 1-3, got 4"));
    EXPECT_THAT(igmp("version: 0"), ElementsAre("t.yaml:4:21: 'version' must be 1-3, got 0"));
}

TEST(Schema, IgmpQueryIntervalRange) {
    // RFC 3376 4.1.7: 31744 s is the largest QQIC.
    EXPECT_THAT(igmp("query-interval: 31745"),
                ElementsAre("t.yaml:4:28: 'query-interval' must be 1-31744 (seconds, RFC 3376 "
                            "4.1.7), got 31745"));
    EXPECT_THAT(igmp("query-interval: 0"),
                ElementsAre("t.yaml:4:28: 'query-interval' must be 1-31744 (seconds, RFC 3376 "
                            "4.1.7), got 0"));
    EXPECT_THAT(igmp("version: 3, query-interval: 31744"), IsEmpty());
}

TEST(Schema, IgmpRobustnessZero) {
    // RFC 3376 8.1: the Robustness Variable MUST NOT be zero.
    EXPECT_THAT(igmp("robustness: 0"),
                ElementsAre("t.yaml:4:24: 'robustness' must be 1-255 (RFC 3376 8.1), got 0"));
    EXPECT_THAT(igmp("robustness: 256"),
                ElementsAre("t.yaml:4:24: 'robustness' must be 1-255 (RFC 3376 8.1), got 256"));
}

TEST(Schema, IgmpTimesInTenths) {
    auto r = load_from_string(
        "interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n"
        "    igmp: {query-response-interval: 2.5, last-member-query-interval: 0.50}\n",
        "t.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    EXPECT_EQ(r.config.interfaces[0].igmp.query_response_interval, Deciseconds(25));
    EXPECT_EQ(r.config.interfaces[0].igmp.last_member_query_interval, Deciseconds(5));
}

TEST(Schema, IgmpTimesResolution) {
    EXPECT_THAT(igmp("query-response-interval: 2.55"),
                ElementsAre("t.yaml:4:37: 'query-response-interval' has a resolution of 0.1 s, "
                            "got 2.55"));
    EXPECT_THAT(igmp("query-response-interval: ten"),
                ElementsAre("t.yaml:4:37: expected a number of seconds for "
                            "'query-response-interval', got 'ten'"));
    EXPECT_THAT(igmp("query-response-interval: 1e1"),
                ElementsAre("t.yaml:4:37: expected a number of seconds for "
                            "'query-response-interval', got '1e1'"));
}

TEST(Schema, IgmpTimesRange) {
    EXPECT_THAT(igmp("query-response-interval: 0"),
                ElementsAre("t.yaml:4:37: 'query-response-interval' must be 0.1-3174.4 s (RFC "
                            "3376 4.1.1), got 0"));
    EXPECT_THAT(igmp("version: 3, query-interval: 4000, query-response-interval: 3174.5"),
                ElementsAre("t.yaml:4:71: 'query-response-interval' must be 0.1-3174.4 s (RFC "
                            "3376 4.1.1), got 3174.5"));
    EXPECT_THAT(igmp("last-member-query-interval: 0.0"),
                ElementsAre("t.yaml:4:40: 'last-member-query-interval' must be 0.1-3174.4 s (RFC "
                            "3376 4.1.1), got 0.0"));
}

TEST(Schema, IgmpBlockMustBeAMapping) {
    EXPECT_THAT(igmp("").size(), 0u);
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: [198.18.0.254/24]\n"
                      "    igmp: true\n"),
                ElementsAre("t.yaml:4:11: expected a mapping for 'igmp', got 'true'"));
}

// ---- addresses ----

TEST(Schema, BadAddress) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n"
                      "    addresses: [198.18.0.256/24, 198.18.0.1/33, 198.18.0.01/24, eth1]\n"),
                ElementsAre("t.yaml:3:17: bad address '198.18.0.256/24' (expected A.B.C.D/LEN)",
                            "t.yaml:3:34: bad address '198.18.0.1/33' (expected A.B.C.D/LEN)",
                            "t.yaml:3:49: bad address '198.18.0.01/24' (expected A.B.C.D/LEN)",
                            "t.yaml:3:65: bad address 'eth1' (expected A.B.C.D/LEN)"));
}

TEST(Schema, AddressWithoutLength) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: [198.18.0.254]\n"),
                ElementsAre("t.yaml:3:17: address '198.18.0.254' needs a prefix length "
                            "(A.B.C.D/LEN)"));
}

TEST(Schema, MoreThanTenAddresses) {
    std::string yaml = "interfaces:\n  - name: eth1\n    addresses:\n";
    for (int i = 1; i <= 12; ++i) {
        yaml += "      - 198.18." + std::to_string(i) + ".1/24\n";
    }
    // The seed's ifreq_all holds 10; reported once, at the 11th.
    EXPECT_THAT(check(yaml),
                ElementsAre("t.yaml:14:9: interface 'eth1' has more than 10 addresses"));
}

TEST(Schema, TenAddressesAreFine) {
    std::string yaml = "interfaces:\n  - name: eth1\n    addresses:\n";
    for (int i = 1; i <= 10; ++i) {
        yaml += "      - 198.18." + std::to_string(i) + ".1/24\n";
    }
    EXPECT_THAT(check(yaml), IsEmpty());
}

TEST(Schema, InterfaceRequiredKeys) {
    EXPECT_THAT(check("interfaces:\n  - mtu: 1500\n"),
                ElementsAre("t.yaml:2:5: interface needs 'name'",
                            "t.yaml:2:5: interface needs 'addresses' (1 to 10 addresses)"));
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: []\n"),
                ElementsAre("t.yaml:3:16: interface 'eth1' needs at least one address in "
                            "'addresses'"));
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses:\n"),
                ElementsAre("t.yaml:3:5: interface 'eth1' needs at least one address in "
                            "'addresses'"));
}

// ---- routes ----

TEST(Schema, BadPrefix) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113/24, reject: true}\n"
                                 "  - {prefix: 203.0.113.0, reject: true}\n"),
                ElementsAre("t.yaml:7:14: bad prefix '203.0.113/24' (expected A.B.C.D/LEN)",
                            "t.yaml:8:14: bad prefix '203.0.113.0' (expected A.B.C.D/LEN)"));
}

TEST(Schema, PrefixWithHostBits) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.7/24, via: 198.18.0.1}\n"),
                ElementsAre("t.yaml:7:14: prefix 203.0.113.7/24 has host bits set (did you mean "
                            "203.0.113.0/24?)"));
}

TEST(Schema, BadNextHop) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1/24}\n"),
                ElementsAre("t.yaml:7:35: bad next hop '198.18.0.1/24' (expected A.B.C.D)"));
}

TEST(Schema, ViaTogetherWithReject) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1, "
                                 "reject: true}\n"),
                ElementsAre("t.yaml:7:47: 'reject' cannot be combined with 'via'"));
    // Order in the file decides which one the message points at.
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, reject: true, "
                                 "via: 198.18.0.1}\n"),
                ElementsAre("t.yaml:7:44: 'via' cannot be combined with 'reject'"));
}

TEST(Schema, RejectTogetherWithBlackhole) {
    EXPECT_THAT(check_with_ports("routes:\n  - prefix: 203.0.113.0/24\n    reject: true\n"
                                 "    blackhole: true\n"),
                ElementsAre("t.yaml:9:5: 'blackhole' cannot be combined with 'reject'"));
}

TEST(Schema, ViaTogetherWithBlackhole) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1, "
                                 "blackhole: true}\n"),
                ElementsAre("t.yaml:7:47: 'blackhole' cannot be combined with 'via'"));
}

TEST(Schema, FalseActionsDoNotCount) {
    auto r = load_from_string(std::string(kTwoPorts) +
                                  "routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.1, "
                                  "reject: false, blackhole: false}\n",
                              "t.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    EXPECT_EQ(r.config.routes[0].kind, RouteKind::via);
}

TEST(Schema, RouteNeedsAnAction) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, reject: false}\n"),
                ElementsAre("t.yaml:7:5: route needs 'via', 'reject: true' or 'blackhole: true'"));
}

TEST(Schema, RouteNeedsAPrefix) {
    EXPECT_THAT(check_with_ports("routes:\n  - {via: 198.18.0.1}\n"),
                ElementsAre("t.yaml:7:5: route needs 'prefix'"));
}

TEST(Schema, InterfaceOnlyWithVia) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, blackhole: true, "
                                 "interface: eth1}\n"),
                ElementsAre("t.yaml:7:47: 'interface' is only allowed with 'via'"));
}

TEST(Schema, RouteKinds) {
    auto r = load_from_string(std::string(kTwoPorts) +
                                  "routes:\n"
                                  "  - {prefix: 203.0.113.0/24, via: 198.18.0.1, interface: eth1}\n"
                                  "  - {prefix: 198.51.100.0/25, reject: true}\n"
                                  "  - {prefix: 198.51.100.128/25, blackhole: true}\n",
                              "t.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    ASSERT_EQ(r.config.routes.size(), 3u);
    EXPECT_EQ(r.config.routes[0].kind, RouteKind::via);
    EXPECT_EQ(r.config.routes[0].interface, "eth1");
    EXPECT_EQ(r.config.routes[1].kind, RouteKind::reject);
    EXPECT_EQ(r.config.routes[2].kind, RouteKind::blackhole);
}

// ---- many errors ----

TEST(Schema, AllErrorsAreReportedInFileOrder) {
    EXPECT_THAT(check("routes:\n"
                      "  - {prefix: 203.0.113.0/24, via: 198.51.100.1}\n"
                      "ip:\n"
                      "  default-ttl: 0\n"
                      "interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.254/24]\n"
                      "    mtu: 10\n"),
                ElementsAre("t.yaml:2:35: next hop 198.51.100.1 is on no connected subnet",
                            "t.yaml:4:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0",
                            "t.yaml:8:10: 'mtu' must be 68-65535 (RFC 791 3.2), got 10"));
}

TEST(Schema, ErrorsAreCappedAt1000) {
    std::string yaml = "routes:\n";
    for (int i = 0; i < 1500; ++i) {
        yaml += "  - {prefix: 203.0.113.0/24}\n";
    }
    auto out = check(yaml);
    ASSERT_EQ(out.size(), 1001u);
    EXPECT_EQ(out[0], "t.yaml:2:5: route needs 'via', 'reject: true' or 'blackhole: true'");
    EXPECT_EQ(out[999], "t.yaml:1001:5: route needs 'via', 'reject: true' or 'blackhole: true'");
    EXPECT_EQ(out[1000], "t.yaml: too many errors, stopped after 1000");
}

TEST(KeyDistance, CountsEditsAndSwaps) {
    EXPECT_EQ(key_distance("mtu", "mtu"), 0);
    EXPECT_EQ(key_distance("mtuu", "mtu"), 1);
    EXPECT_EQ(key_distance("vai", "via"), 1);
    EXPECT_EQ(key_distance("default_ttl", "default-ttl"), 0);
    EXPECT_EQ(key_distance("Forwarding", "forwarding"), 0);
    EXPECT_EQ(key_distance("", "abc"), 3);
    EXPECT_EQ(key_distance("ttl", "mtu"), 2);
}

}  // namespace
}  // namespace routerd::config
