// SPDX-License-Identifier: Apache-2.0
// Reload: only what the file changed is applied; run-time values survive; bad files are refused.
#include "router/daemon/reload.hh"

#include "router/config/load.hh"
#include "tests/support/fake_clock.hh"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace routerd::daemon {
namespace {

const char* kBase = R"(ip:
  default-ttl: 64
interfaces:
  - name: eth1
    addresses: [198.18.0.254/24]
  - name: eth2
    addresses: [198.19.0.254/24]
    igmp: {querier: true, query-interval: 125}
routes:
  - {prefix: 203.0.113.0/24, via: 198.19.0.1}
  - {prefix: 198.51.100.0/24, reject: true}
)";

config::Config load(const std::string& text) {
    auto r = config::load_from_string(text, "test.yaml");
    EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].to_string());
    return r.config;
}

Ip4Prefix pfx(const char* s) {
    return *Ip4Prefix::parse(s);
}

// Builds the state from a file as run_daemon does, with made-up port facts.
class ReloadTest : public ::testing::Test {
protected:
    void SetUp() override { start(kBase); }
    void start(const std::string& text) {
        base = load(text);
        std::vector<dataplane::InterfaceSpec> specs;
        int ifindex = 2;
        for (const auto& ifc : base.interfaces) {
            dataplane::InterfaceSpec s;
            s.ifindex = ifindex++;
            s.name = ifc.name;
            s.addresses = ifc.addresses;
            s.settings = to_if_settings(ifc);
            s.igmp = to_igmp_settings(ifc.igmp);
            specs.push_back(s);
        }
        ASSERT_TRUE(state.init(to_ip_settings(base.ip), specs));
        for (const auto& r : base.routes) {
            auto spec = to_route_spec(r, state);
            ASSERT_TRUE(spec);
            ASSERT_TRUE(state.add_static_route(*spec));
        }
    }
    std::vector<std::string> apply(const std::string& text, std::vector<std::string>& errors) {
        return apply_delta(base, load(text), state, errors);
    }
    const dataplane::StaticRoute* route(const char* prefix) const {
        const Ip4Prefix p = pfx(prefix);
        auto it = state.static_routes().find({p.addr.value(), p.len});
        return it == state.static_routes().end() ? nullptr : &it->second;
    }
    static std::string edit(std::string text, const std::string& from, const std::string& to) {
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    }

    Qsbr qsbr;
    test::FakeClock clock;
    dataplane::RouterState state{qsbr, clock};
    config::Config base;
};

TEST_F(ReloadTest, RunTimeValueSurvivesAFileThatDidNotChangeIt) {
    ASSERT_TRUE(state.set_default_ttl(32));  // routerctl set ip ttl 32
    api::IfSettings s = state.find(2)->settings;
    s.mask_reply = true;  // routerctl set interface eth1 mask-reply on
    ASSERT_TRUE(state.set_if_settings(2, s));
    std::vector<std::string> errors;
    const auto done = apply(
        edit(edit(kBase, "  default-ttl: 64\n", "  default-ttl: 64\n  send-redirects: false\n"),
             "addresses: [198.18.0.254/24]\n",
             "addresses: [198.18.0.254/24]\n    redirects: false\n"),
        errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(done.size(), 2u);
    EXPECT_EQ(state.ip().default_ttl, 32);  // untouched by the file: the run-time value stays
    EXPECT_FALSE(state.ip().send_redirects);
    EXPECT_TRUE(state.find(2)->settings.mask_reply);   // run-time value stays
    EXPECT_FALSE(state.find(2)->settings.redirects);   // the file's change applied
    EXPECT_FALSE(state.current()->ip.send_redirects);  // and published
}

TEST_F(ReloadTest, FileChangeOfTheSameValueWins) {
    ASSERT_TRUE(state.set_default_ttl(32));
    std::vector<std::string> errors;
    apply(edit(kBase, "default-ttl: 64", "default-ttl: 100"), errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(state.ip().default_ttl, 100);
}

TEST_F(ReloadTest, RoutesAddedRemovedAndChanged) {
    // At run time: a route for a prefix the new file also adds, and one the file never names.
    ASSERT_TRUE(state.add_static_route(
        api::RouteSpec{pfx("198.18.128.0/17"), {}, 0, api::RouteKind::blackhole}));
    ASSERT_TRUE(state.add_static_route(
        api::RouteSpec{pfx("198.19.128.0/17"), {}, 0, api::RouteKind::blackhole}));
    std::vector<std::string> errors;
    apply(edit(edit(kBase, "  - {prefix: 198.51.100.0/24, reject: true}\n",
                    "  - {prefix: 198.18.128.0/17, via: 198.18.0.1}\n"),
               "via: 198.19.0.1}", "blackhole: true}"),
          errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(route("198.51.100.0/24"), nullptr);  // removed by the file
    ASSERT_NE(route("203.0.113.0/24"), nullptr);
    EXPECT_EQ(route("203.0.113.0/24")->spec.kind, api::RouteKind::blackhole);  // changed
    ASSERT_NE(route("198.18.128.0/17"), nullptr);
    EXPECT_EQ(route("198.18.128.0/17")->spec.kind, api::RouteKind::forward);  // the file wins
    EXPECT_EQ(route("198.18.128.0/17")->ifindex, 2u);
    ASSERT_NE(route("198.19.128.0/17"), nullptr);  // run-time only: survives
    const fib::NextHop* nh = state.current()->rib->lookup(*Ip4Addr::parse("203.0.113.1"));
    ASSERT_NE(nh, nullptr);
    EXPECT_EQ(nh->kind, fib::NextHopKind::blackhole);
}

TEST_F(ReloadTest, RouteTheOperatorAlreadyDeletedIsOnlyNoted) {
    ASSERT_TRUE(state.del_static_route(
        api::RouteSpec{pfx("198.51.100.0/24"), {}, 0, api::RouteKind::reject}));
    std::vector<std::string> errors;
    apply(edit(kBase, "  - {prefix: 198.51.100.0/24, reject: true}\n", ""), errors);
    EXPECT_TRUE(errors.empty());
}

TEST_F(ReloadTest, AddressesAndIgmpSettings) {
    api::IgmpSettings g = state.find(3)->igmp;
    g.robustness = 5;  // set at run time (snmpset igmpInterfaceRobustness)
    ASSERT_TRUE(state.set_if_igmp(3, g));
    std::vector<std::string> errors;
    apply(edit(edit(kBase, "[198.18.0.254/24]", "[198.18.1.254/24, 198.18.0.254/24]"),
               "query-interval: 125", "query-interval: 60"),
          errors);
    EXPECT_TRUE(errors.empty());
    const auto& eth1 = *state.find(2);
    ASSERT_EQ(eth1.addresses.size(), 2u);
    EXPECT_EQ(eth1.addresses[0], pfx("198.18.1.254/24"));
    EXPECT_EQ(state.find(3)->igmp.query_interval_s, 60u);
    EXPECT_EQ(state.find(3)->igmp.robustness, 5);  // untouched by the file
    EXPECT_TRUE(state.find(3)->igmp.querier);
}

TEST_F(ReloadTest, InterfacesAddedOrRemovedAreNotAppliedAndChangeNothingElse) {
    std::vector<std::string> errors;
    const auto gen = state.generation();
    apply(edit(kBase, "  - name: eth2\n",
               "  - name: eth3\n    addresses: [198.20.0.254/24]\n"
               "  - name: eth2\n"),
          errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(state.find("eth3"), nullptr);
    EXPECT_EQ(state.generation(), gen);
}

class TempFile {
public:
    explicit TempFile(const std::string& text) {
        path_ = ::testing::TempDir() + "reload-XXXXXX";
        const int fd = ::mkstemp(path_.data());
        EXPECT_GE(fd, 0);
        ::close(fd);
        write(text);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    void write(const std::string& text) const { std::ofstream(path_) << text; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

TEST_F(ReloadTest, InvalidFileIsRefusedAndTheStateKept) {
    TempFile file(kBase);
    Reloader reloader(file.path(), base);
    ASSERT_TRUE(state.set_default_ttl(32));
    const auto gen = state.generation();
    file.write(edit(kBase, "default-ttl: 64", "default-ttl: 0"));
    auto st = reloader.reload(state);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, EINVAL);
    EXPECT_EQ(state.generation(), gen);
    EXPECT_EQ(state.ip().default_ttl, 32);
    EXPECT_EQ(reloader.current().ip.default_ttl, 64);  // still the file the state came from

    // A later valid file is diffed against the last good one, not the refused one.
    file.write(edit(kBase, "default-ttl: 64", "default-ttl: 64\n  forwarding: false"));
    ASSERT_TRUE(reloader.reload(state));
    EXPECT_FALSE(state.ip().forwarding);
    EXPECT_EQ(state.ip().default_ttl, 32);
}

TEST_F(ReloadTest, AReloadPublishesOneSnapshot) {
    TempFile file(kBase);
    Reloader reloader(file.path(), base);
    const auto gen = state.generation();
    file.write(edit(kBase, "default-ttl: 64", "default-ttl: 50\n  forwarding: false"));
    ASSERT_TRUE(reloader.reload(state));
    EXPECT_EQ(state.ip().default_ttl, 50);
    EXPECT_FALSE(state.ip().forwarding);
    EXPECT_EQ(state.generation(), gen + 1);  // two keys, one publish
    EXPECT_EQ(state.current()->ip.default_ttl, 50);
}

TEST_F(ReloadTest, UnreadableFileIsRefused) {
    Reloader reloader("/nonexistent/routerd.yaml", base);
    const auto gen = state.generation();
    EXPECT_FALSE(reloader.reload(state));
    EXPECT_EQ(state.generation(), gen);
}

}  // namespace
}  // namespace routerd::daemon
