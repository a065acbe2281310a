// SPDX-License-Identifier: Apache-2.0
// Validation: names, addresses, subnets across interfaces, next hops, routes, IGMP relations.
#include "router/config/validate.hh"

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

Ip4Prefix prefix(const char* text) {
    return *Ip4Prefix::parse(text);
}
Ip4Addr addr(const char* text) {
    return *Ip4Addr::parse(text);
}

// ---- interfaces ----

TEST(Validate, DuplicateInterface) {
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.254/24]\n"
                      "  - name: eth1\n"
                      "    addresses: [198.19.0.254/24]\n"),
                ElementsAre("t.yaml:4:11: duplicate interface 'eth1' (first at line 2)"));
}

std::vector<std::string> with_name(const std::string& n) {
    return check("interfaces:\n  - name: " + n + "\n    addresses: [198.18.0.254/24]\n");
}

std::string bad_name(const std::string& shown) {
    return "t.yaml:2:11: bad interface name '" + shown +
           "' (Linux allows 1-15 characters, no '/', ':' or white space)";
}

TEST(Validate, BadInterfaceNames) {
    EXPECT_THAT(with_name("eth1234567890123"), ElementsAre(bad_name("eth1234567890123")));
    EXPECT_THAT(with_name("eth/1"), ElementsAre(bad_name("eth/1")));
    EXPECT_THAT(with_name("eth1:0"), ElementsAre(bad_name("eth1:0")));
    EXPECT_THAT(with_name("'eth 1'"), ElementsAre(bad_name("eth 1")));
    EXPECT_THAT(with_name("''"), ElementsAre(bad_name("")));
    EXPECT_THAT(with_name("'..'"), ElementsAre(bad_name("..")));
}

TEST(Validate, GoodInterfaceNames) {
    EXPECT_THAT(with_name("eth123456789012"), IsEmpty());  // 15 characters: IFNAMSIZ - 1
    EXPECT_THAT(with_name("veth-r.100"), IsEmpty());
}

TEST(Validate, NetworkAndBroadcastAddresses) {
    EXPECT_THAT(
        check("interfaces:\n  - name: eth1\n"
              "    addresses: [198.18.0.0/24, 198.18.1.255/24]\n"),
        ElementsAre(
            "t.yaml:3:17: address 198.18.0.0/24 is the network address of 198.18.0.0/24 (RFC "
            "1122 3.2.1.3)",
            "t.yaml:3:32: address 198.18.1.255/24 is the broadcast address of 198.18.1.0/24 "
            "(RFC 1122 3.2.1.3)"));
}

TEST(Validate, PointToPointAndHostAddressesAreFine) {
    // RFC 3021: a /31 has no network or broadcast address; a /32 is the address alone.
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: [198.18.0.0/31]\n"
                      "  - name: eth2\n    addresses: [198.18.0.3/31, 198.18.1.0/32]\n"),
                IsEmpty());
}

TEST(Validate, MartianAddresses) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses:\n"
                      "      - 0.1.2.3/8\n"
                      "      - 127.0.0.1/8\n"
                      "      - 239.1.2.3/24\n"
                      "      - 240.0.0.1/8\n"
                      "      - 255.255.255.255/32\n"
                      "      - 198.18.0.254/0\n"),
                ElementsAre("t.yaml:4:9: address 0.1.2.3/8 is in 0.0.0.0/8 (\"this network\", "
                            "RFC 1122 3.2.1.3)",
                            "t.yaml:5:9: address 127.0.0.1/8 is a loopback address (RFC 1122 "
                            "3.2.1.3)",
                            "t.yaml:6:9: address 239.1.2.3/24 is a multicast address (RFC 1112 4)",
                            "t.yaml:7:9: address 240.0.0.1/8 is a reserved class E address (RFC "
                            "1812 5.3.7)",
                            "t.yaml:8:9: address 255.255.255.255/32 is the limited broadcast "
                            "address (RFC 919)",
                            "t.yaml:9:9: address 198.18.0.254/0 needs a prefix length of 1-32"));
}

TEST(Validate, SameAddressOnTwoInterfaces) {
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.254/24]\n"
                      "  - name: eth2\n"
                      "    addresses: [198.19.0.254/24, 198.18.0.254/25]\n"),
                ElementsAre("t.yaml:5:34: address 198.18.0.254 is also on interface 'eth1' (line "
                            "3)"));
}

TEST(Validate, SameAddressTwiceOnOneInterface) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n"
                      "    addresses: [198.18.0.254/24, 198.18.0.254/24]\n"),
                ElementsAre("t.yaml:3:34: duplicate address 198.18.0.254 on interface 'eth1' "
                            "(first at line 3)"));
}

TEST(Validate, OverlappingSubnetsAcrossInterfaces) {
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.254/24]\n"
                      "  - name: eth2\n"
                      "    addresses: [198.18.1.254/23]\n"),
                ElementsAre("t.yaml:5:17: subnet 198.18.0.0/23 of 198.18.1.254/23 overlaps "
                            "198.18.0.0/24 of interface 'eth1' (line 3)"));
    // The later one in the file is reported, whichever is the larger subnet.
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.18.0.1/15]\n"
                      "  - name: eth2\n"
                      "    addresses: [198.19.7.1/24]\n"),
                ElementsAre("t.yaml:5:17: subnet 198.19.7.0/24 of 198.19.7.1/24 overlaps "
                            "198.18.0.0/15 of interface 'eth1' (line 3)"));
    EXPECT_THAT(check("interfaces:\n"
                      "  - name: eth1\n"
                      "    addresses: [198.19.7.1/24]\n"
                      "  - name: eth2\n"
                      "    addresses: [198.18.0.1/15]\n"),
                ElementsAre("t.yaml:5:17: subnet 198.18.0.0/15 of 198.18.0.1/15 overlaps "
                            "198.19.7.0/24 of interface 'eth1' (line 3)"));
}

TEST(Validate, NestedSubnetsOnOneInterfaceAreSecondaryAddresses) {
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n"
                      "    addresses: [198.18.0.254/24, 198.18.0.253/24, 198.18.0.1/16]\n"),
                IsEmpty());
}

TEST(Validate, EveryOverlappingAddressIsReportedOnce) {
    EXPECT_THAT(check("interfaces:\n"
                      "  - {name: eth1, addresses: [198.18.0.1/16]}\n"
                      "  - {name: eth2, addresses: [198.18.1.1/24, 198.18.2.1/24]}\n"
                      "  - {name: eth3, addresses: [198.18.1.2/24]}\n"),
                ElementsAre("t.yaml:3:30: subnet 198.18.1.0/24 of 198.18.1.1/24 overlaps "
                            "198.18.0.0/16 of interface 'eth1' (line 2)",
                            "t.yaml:3:45: subnet 198.18.2.0/24 of 198.18.2.1/24 overlaps "
                            "198.18.0.0/16 of interface 'eth1' (line 2)",
                            "t.yaml:4:30: subnet 198.18.1.0/24 of 198.18.1.2/24 overlaps "
                            "198.18.1.0/24 of interface 'eth2' (line 3)"));
}

// ---- routes ----

TEST(Validate, NextHopOnNoConnectedSubnet) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.51.100.1}\n"),
                ElementsAre("t.yaml:7:35: next hop 198.51.100.1 is on no connected subnet"));
}

TEST(Validate, NextHopNotOnTheNamedInterface) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.1, "
                                 "interface: eth1}\n"),
                ElementsAre("t.yaml:7:35: next hop 198.19.0.1 is not on a subnet of interface "
                            "'eth1'"));
}

TEST(Validate, NextHopOnTheNamedInterface) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.1, "
                                 "interface: eth2}\n"),
                IsEmpty());
}

TEST(Validate, RouteNamesUnknownInterface) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.1, "
                                 "interface: eth9}\n"),
                ElementsAre("t.yaml:7:58: unknown interface 'eth9' (interfaces: eth1, eth2)"));
    EXPECT_THAT(check("routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.1, interface: eth9}\n"),
                ElementsAre("t.yaml:2:58: unknown interface 'eth9' (no interfaces are "
                            "configured)"));
}

TEST(Validate, DuplicateRoute) {
    EXPECT_THAT(check_with_ports("routes:\n"
                                 "  - {prefix: 203.0.113.0/24, via: 198.18.0.1}\n"
                                 "  - {prefix: 203.0.113.0/25, via: 198.18.0.1}\n"
                                 "  - {prefix: 203.0.113.0/24, reject: true}\n"),
                ElementsAre("t.yaml:9:14: duplicate route 203.0.113.0/24 (first at line 7)"));
}

TEST(Validate, NextHopIsOurOwnAddress) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.254}\n"),
                ElementsAre("t.yaml:7:35: next hop 198.18.0.254 is an address of this router "
                            "(interface 'eth1')"));
}

TEST(Validate, NextHopIsTheSubnetBroadcast) {
    EXPECT_THAT(check_with_ports("routes:\n  - {prefix: 203.0.113.0/24, via: 198.18.0.255}\n"
                                 "  - {prefix: 198.51.100.0/24, via: 198.19.0.0}\n"),
                ElementsAre("t.yaml:7:35: next hop 198.18.0.255 is the broadcast address of "
                            "198.18.0.0/24",
                            "t.yaml:8:36: next hop 198.19.0.0 is the network address of "
                            "198.19.0.0/24"));
}

TEST(Validate, BadAddressDoesNotCascadeIntoNextHopErrors) {
    // The subnet holding 198.19.0.1 failed to load: no second error about the route.
    EXPECT_THAT(check("interfaces:\n  - name: eth1\n    addresses: [198.19.0.300/24]\n"
                      "routes:\n  - {prefix: 203.0.113.0/24, via: 198.19.0.1}\n"),
                ElementsAre("t.yaml:3:17: bad address '198.19.0.300/24' (expected A.B.C.D/LEN)"));
}

// ---- IGMP relations (RFC 2236 section 8, RFC 3376 sections 4.1 and 8) ----

TEST(Validate, J18_ResponseIntervalShorterThanQueryInterval) {
    EXPECT_THAT(igmp("query-interval: 10, query-response-interval: 10"),
                ElementsAre("t.yaml:4:57: 'query-response-interval' (10 s) must be shorter than "
                            "'query-interval' (10 s) (RFC 2236 8.3, RFC 3376 8.3)"));
    // Only the query interval is written: the message points at it.
    EXPECT_THAT(igmp("query-interval: 5"),
                ElementsAre("t.yaml:4:28: 'query-response-interval' (10 s) must be shorter than "
                            "'query-interval' (5 s) (RFC 2236 8.3, RFC 3376 8.3)"));
    EXPECT_THAT(igmp("query-interval: 11, query-response-interval: 10.9"), IsEmpty());
}

TEST(Validate, J18_V2ResponseFitsEightBits) {
    // RFC 2236 2.2: Max Resp Time is 8 bits of 1/10 s.
    EXPECT_THAT(igmp("version: 2, query-response-interval: 30"),
                ElementsAre("t.yaml:4:49: 'query-response-interval' must be at most 25.5 s with "
                            "IGMP version 2 (RFC 2236 2.2), got 30"));
    EXPECT_THAT(igmp("version: 2, last-member-query-interval: 25.6"),
                ElementsAre("t.yaml:4:52: 'last-member-query-interval' must be at most 25.5 s "
                            "with IGMP version 2 (RFC 2236 2.2), got 25.6"));
    EXPECT_THAT(igmp("version: 2, query-response-interval: 25.5"), IsEmpty());
}

TEST(Validate, J18_V3AllowsLongerResponses) {
    // RFC 3376 4.1.1: codes above 127 are floating point, up to 31744 tenths.
    EXPECT_THAT(igmp("version: 3, query-interval: 200, query-response-interval: 25.6"), IsEmpty());
}

TEST(Validate, V1ResponseIntervalIsFixed) {
    EXPECT_THAT(igmp("version: 1, query-response-interval: 5"),
                ElementsAre("t.yaml:4:49: 'query-response-interval' is fixed at 10 s with IGMP "
                            "version 1 (RFC 1112 appendix I, RFC 2236 4), got 5"));
    EXPECT_THAT(igmp("version: 1, query-response-interval: 10"), IsEmpty());
    EXPECT_THAT(igmp("version: 1"), IsEmpty());
}

TEST(Validate, J18_RobustnessOneIsAWarning) {
    EXPECT_THAT(igmp("robustness: 1"),
                ElementsAre("t.yaml:4:24: warning: 'robustness' 1 means one lost packet loses "
                            "membership (RFC 3376 8.1: should not be one)"));
}

TEST(Validate, IgmpRelationsSkippedWhenAValueFailed) {
    // version failed to load; its default (2) must not produce a second, misleading error.
    EXPECT_THAT(igmp("version: 4, query-response-interval: 30"),
                ElementsAre("t.yaml:4:21: 'version' must be 1-3, got 4"));
}

// ---- control ----

TEST(Validate, ControlSocketPath) {
    EXPECT_THAT(check_with_ports("control: {socket: run/routerd.sock}\n"),
                ElementsAre("t.yaml:6:19: control socket 'run/routerd.sock' must be an absolute "
                            "path"));
    EXPECT_THAT(check_with_ports("control: {socket: /" + std::string(107, 'a') + "}\n"),
                ElementsAre("t.yaml:6:19: control socket path is longer than 107 bytes "
                            "(sun_path, unix(7))"));
    EXPECT_THAT(check_with_ports("control: {socket: /" + std::string(106, 'a') + "}\n"), IsEmpty());
}

// ---- configs built in code (run-time changes) ----

TEST(Validate, ConfigBuiltInCode) {
    Config c;
    c.source.file = "runtime";
    InterfaceConfig eth1;
    eth1.name = "eth1";
    eth1.addresses = {prefix("198.18.0.254/24")};
    c.interfaces.push_back(eth1);
    c.routes.push_back(
        RouteConfig{prefix("203.0.113.0/24"), RouteKind::via, addr("198.18.0.1"), ""});
    EXPECT_THAT(validate(c), IsEmpty());
    c.routes.push_back(
        RouteConfig{prefix("198.51.100.0/24"), RouteKind::via, addr("198.19.0.1"), ""});
    c.interfaces.push_back(eth1);  // same name and address again
    std::vector<std::string> out;
    for (const auto& d : validate(c)) {
        out.push_back(d.to_string());
    }
    EXPECT_THAT(out, ElementsAre("runtime: duplicate interface 'eth1'",
                                 "runtime: address 198.18.0.254 is also on interface 'eth1'",
                                 "runtime: next hop 198.19.0.1 is on no connected subnet"));
}

TEST(Validate, PureChecks) {
    EXPECT_EQ(check_interface_name("eth1"), std::nullopt);
    EXPECT_NE(check_interface_name("a b"), std::nullopt);
    EXPECT_EQ(check_interface_address(prefix("198.18.0.254/24")), std::nullopt);
    EXPECT_NE(check_interface_address(prefix("224.0.0.1/24")), std::nullopt);
    EXPECT_EQ(check_control_socket("/run/routerd/control.sock"), std::nullopt);
    EXPECT_NE(check_control_socket(""), std::nullopt);
    IgmpConfig g;
    EXPECT_TRUE(check_igmp(g).empty());
    g.robustness = 0;
    auto issues = check_igmp(g);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].setting, IgmpSetting::robustness);
    EXPECT_EQ(issues[0].message, "'robustness' must be 1-255 (RFC 3376 8.1), got 0");
}

}  // namespace
}  // namespace routerd::config
