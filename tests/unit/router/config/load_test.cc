// SPDX-License-Identifier: Apache-2.0
// load_file / load_from_string: reading, YAML syntax, empty files, documents, defaults.
#include "router/config/load.hh"

#include "tests/unit/router/config/test_util.hh"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace routerd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using test::check;
using test::kTwoPorts;
using test::lines;

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/routerd-config-test-XXXXXX";
        path_ = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        std::string p = path_ + "/" + name;
        std::ofstream(p) << text;
        return p;
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

TEST(Load, EmptyFileIsAnError) {
    EXPECT_THAT(check(""),
                ElementsAre("t.yaml:1:1: empty configuration (expected a mapping with keys ip, "
                            "interfaces, routes, control)"));
}

TEST(Load, CommentsOnlyIsEmpty) {
    EXPECT_THAT(check("# nothing here\n\n# at all\n"),
                ElementsAre("t.yaml:1:1: empty configuration (expected a mapping with keys ip, "
                            "interfaces, routes, control)"));
}

TEST(Load, NullDocumentIsEmpty) {
    EXPECT_THAT(check("---\n...\n"),
                ElementsAre("t.yaml:1:1: empty configuration (expected a mapping with keys ip, "
                            "interfaces, routes, control)"));
}

TEST(Load, YamlSyntaxErrorIsPositioned) {
    EXPECT_THAT(check("ip:\n  forwarding: [true\n  default-ttl: 64\n"),
                ElementsAre("t.yaml:3:14: YAML syntax error: end of sequence flow not found"));
}

TEST(Load, YamlSyntaxErrorBadIndentation) {
    EXPECT_THAT(check("ip:\n  forwarding: true\n   default-ttl: 64\n"),
                ElementsAre("t.yaml:3:15: YAML syntax error: illegal map value"));
}

TEST(Load, YamlSyntaxErrorIsTheOnlyError) {
    // yaml-cpp cannot resume after a syntax error; nothing after it is reported.
    EXPECT_THAT(check("bogus: 1\nip: {forwarding: maybe\n"),
                ElementsAre("t.yaml:3:1: YAML syntax error: end of map flow not found"));
}

TEST(Load, YamlSyntaxErrorStaysOnOneLine) {
    // yaml-cpp quotes the offending character raw; found by config_load_fuzz.
    EXPECT_THAT(check("a: \"\\\x01\"\n"),
                ElementsAre("t.yaml:1:7: YAML syntax error: unknown escape character: \\x01"));
}

TEST(Load, SecondDocumentIsAnError) {
    EXPECT_THAT(check("ip: {}\n---\nip: {}\n"),
                ElementsAre("t.yaml:2:1: only one YAML document is allowed (a second one starts "
                            "here)"));
}

TEST(Load, TopLevelMustBeAMapping) {
    EXPECT_THAT(check("- eth1\n- eth2\n"),
                ElementsAre("t.yaml:1:1: expected a mapping at the top level (keys ip, "
                            "interfaces, routes, control), got a list"));
    EXPECT_THAT(check("hello\n"), ElementsAre("t.yaml:1:1: expected a mapping at the top level "
                                              "(keys ip, interfaces, routes, control), got "
                                              "'hello'"));
}

TEST(Load, DefaultsWhenKeysAreAbsent) {
    auto r = load_from_string(kTwoPorts, "t.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    EXPECT_THAT(r.diagnostics, IsEmpty());
    const Config& c = r.config;
    // DESIGN.md "YAML configuration".
    EXPECT_TRUE(c.ip.forwarding);
    EXPECT_EQ(c.ip.default_ttl, 64);
    EXPECT_EQ(c.ip.reassembly_timeout, std::chrono::seconds(30));
    EXPECT_TRUE(c.ip.send_redirects);
    EXPECT_FALSE(c.ip.source_route);
    EXPECT_EQ(c.control.socket, "/run/routerd/control.sock");
    ASSERT_EQ(c.interfaces.size(), 2u);
    const InterfaceConfig& eth1 = c.interfaces[0];
    EXPECT_EQ(eth1.name, "eth1");
    EXPECT_EQ(eth1.addresses, std::vector<Ip4Prefix>{*Ip4Prefix::parse("198.18.0.254/24")});
    EXPECT_EQ(eth1.mtu, std::nullopt);
    EXPECT_FALSE(eth1.mask_reply);
    EXPECT_TRUE(eth1.redirects);
    EXPECT_FALSE(eth1.directed_broadcast);
    // RFC 2236 / RFC 3376 section 8 defaults; no igmp block: not a querier.
    EXPECT_FALSE(eth1.igmp.querier);
    EXPECT_EQ(eth1.igmp.version, 2);
    EXPECT_EQ(eth1.igmp.query_interval, std::chrono::seconds(125));
    EXPECT_EQ(eth1.igmp.query_response_interval, Deciseconds(100));
    EXPECT_EQ(eth1.igmp.robustness, 2);
    EXPECT_EQ(eth1.igmp.last_member_query_interval, Deciseconds(10));
    EXPECT_TRUE(c.routes.empty());
}

TEST(Load, DesignExampleLoads) {
    // The YAML block of DESIGN.md, with eth2 added so every next hop is connected.
    auto r = load_from_string(
        "ip:\n"
        "  forwarding: true            # ip_forwarding\n"
        "  default-ttl: 64             # ip_default_ttl\n"
        "  reassembly-timeout: 30      # ipq_ttl, seconds\n"
        "  send-redirects: true        # ip_sendredirects\n"
        "  source-route: false         # forward LSRR/SSRR datagrams\n"
        "interfaces:\n"
        "  - name: eth1                # Linux interface the port opens\n"
        "    addresses: [198.18.0.254/24]   # up to 10\n"
        "    mtu: 1500                 # optional; default: the link's\n"
        "    mask-reply: false\n"
        "    redirects: true\n"
        "    directed-broadcast: false\n"
        "    igmp:\n"
        "      querier: true\n"
        "      version: 2              # 1, 2 or 3\n"
        "      query-interval: 125\n"
        "      query-response-interval: 10\n"
        "      robustness: 2\n"
        "      last-member-query-interval: 1\n"
        "  - name: eth2\n"
        "    addresses: [198.19.0.254/24]\n"
        "routes:\n"
        "  - {prefix: 0.0.0.0/0, via: 198.19.0.1}\n"
        "  - {prefix: 203.0.113.0/24, via: 198.18.0.1, interface: eth1}\n"
        "  - {prefix: 198.51.100.0/24, reject: true}     # ICMP net unreachable\n"
        "control:\n"
        "  socket: /run/routerd/control.sock\n",
        "design.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    const Config& c = r.config;
    EXPECT_EQ(c.interfaces[0].mtu, 1500);
    EXPECT_TRUE(c.interfaces[0].igmp.querier);
    ASSERT_EQ(c.routes.size(), 3u);
    EXPECT_EQ(c.routes[0].prefix, *Ip4Prefix::parse("0.0.0.0/0"));
    EXPECT_EQ(c.routes[0].kind, RouteKind::via);
    EXPECT_EQ(c.routes[0].via, *Ip4Addr::parse("198.19.0.1"));
    EXPECT_EQ(c.routes[1].interface, "eth1");
    EXPECT_EQ(c.routes[2].kind, RouteKind::reject);
    // Positions are kept for validation and logs.
    EXPECT_EQ(c.source.file, "design.yaml");
    EXPECT_EQ(c.source.routes[1].via, (SourceMark{25, 35}));
    EXPECT_EQ(c.source.interfaces[1].name, (SourceMark{21, 11}));
}

TEST(Load, AnchorsAndAliasesWork) {
    auto r = load_from_string(
        "interfaces:\n"
        "  - name: eth1\n"
        "    addresses: [198.18.0.254/24]\n"
        "    igmp: &fast {querier: true, query-interval: 20, query-response-interval: 2}\n"
        "  - name: eth2\n"
        "    addresses: [198.19.0.254/24]\n"
        "    igmp: *fast\n",
        "t.yaml");
    ASSERT_TRUE(r.ok()) << ::testing::PrintToString(lines(r));
    EXPECT_EQ(r.config.interfaces[1].igmp.query_interval, std::chrono::seconds(20));
    EXPECT_TRUE(r.config.interfaces[1].igmp.querier);
}

TEST(Load, FileNameIsPrintedExactlyAsGiven) {
    TempDir dir;
    dir.write("bad.yaml", "ip:\n  default-ttl: 0\n");
    std::string abs = dir.path() + "/bad.yaml";
    EXPECT_THAT(lines(load_file(abs)),
                ElementsAre(abs + ":2:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0"));
    std::string odd = dir.path() + "/./bad.yaml";
    EXPECT_THAT(lines(load_file(odd)),
                ElementsAre(odd + ":2:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0"));
    auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto rel = lines(load_file("bad.yaml"));
    std::filesystem::current_path(cwd);
    EXPECT_THAT(
        rel, ElementsAre("bad.yaml:2:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 0"));
}

TEST(Load, UnreadableFileHasNoPosition) {
    TempDir dir;
    std::string missing = dir.path() + "/missing.yaml";
    EXPECT_THAT(lines(load_file(missing)),
                ElementsAre(missing + ": cannot read: No such file or directory"));
    EXPECT_THAT(lines(load_file(dir.path())),
                ElementsAre(dir.path() + ": cannot read: Is a directory"));
    EXPECT_FALSE(load_file(missing).ok());
}

TEST(Load, FileAndStringGiveTheSameResult) {
    TempDir dir;
    std::string text = std::string(kTwoPorts) + "routes:\n  - {prefix: 203.0.113.0/24}\n";
    std::string p = dir.write("r.yaml", text);
    auto from_file = load_file(p);
    auto from_string = load_from_string(text, p);
    EXPECT_EQ(lines(from_file), lines(from_string));
    EXPECT_THAT(lines(from_file),
                ElementsAre(p + ":7:5: route needs 'via', 'reject: true' or 'blackhole: true'"));
}

TEST(Load, CrLfLineEndingsKeepPositions) {
    EXPECT_THAT(
        check("ip:\r\n  default-ttl: 300\r\n"),
        ElementsAre("t.yaml:2:16: 'default-ttl' must be 1-255 (RFC 1122 3.2.1.7), got 300"));
}

TEST(Load, WarningsDoNotFailTheLoad) {
    auto r = load_from_string(
        "interfaces:\n"
        "  - name: eth1\n"
        "    addresses: [198.18.0.254/24]\n"
        "    igmp: {querier: true, robustness: 1}\n",
        "t.yaml");
    EXPECT_TRUE(r.ok());
    EXPECT_THAT(lines(r), ElementsAre("t.yaml:4:39: warning: 'robustness' 1 means one lost "
                                      "packet loses membership (RFC 3376 8.1: should not be "
                                      "one)"));
}

}  // namespace
}  // namespace routerd::config
