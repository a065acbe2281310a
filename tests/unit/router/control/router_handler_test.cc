// SPDX-License-Identifier: Apache-2.0
// RouterHandler over a real RouterState and Worker (FakePorts): every request type, its checks,
// and one end-to-end run through ControlServer and api::Client.
#include "router/control/router_handler.hh"

#include "router/api/client.hh"
#include "router/control/asio.hh"
#include "router/control/server.hh"
#include "tests/support/fake_clock.hh"
#include "tests/support/fake_port.hh"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace routerd::control {
namespace {

using namespace std::chrono_literals;
using Frame = std::vector<std::uint8_t>;

const MacAddr kEth1Mac{{0x02, 0, 0, 0, 1, 1}};
const MacAddr kEth2Mac{{0x02, 0, 0, 0, 1, 2}};

// An RFC 826 request "who has tpa" from (sha, spa), broadcast: 42 octets. Written out here
// because control tests may not include router/packet (scripts/check-layering).
Frame arp_request(const MacAddr& sha, Ip4Addr spa, Ip4Addr tpa) {
    Frame f(6, 0xff);
    f.insert(f.end(), sha.bytes.begin(), sha.bytes.end());
    auto u16 = [&f](unsigned v) {
        f.push_back(static_cast<std::uint8_t>(v >> 8));
        f.push_back(static_cast<std::uint8_t>(v));
    };
    auto ip = [&f](Ip4Addr a) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            f.push_back(static_cast<std::uint8_t>(a.value() >> shift));
        }
    };
    u16(0x0806);  // ETHERTYPE_ARP
    u16(1);       // ARPHRD_ETHER
    u16(0x0800);  // IPv4
    f.push_back(6);
    f.push_back(4);
    u16(1);  // ARPOP_REQUEST
    f.insert(f.end(), sha.bytes.begin(), sha.bytes.end());
    ip(spa);
    f.insert(f.end(), 6, 0);
    ip(tpa);
    return f;
}

Ip4Prefix pfx(const char* s) {
    return *Ip4Prefix::parse(s);
}
Ip4Addr addr(const char* s) {
    return *Ip4Addr::parse(s);
}

class RouterHandlerTest : public ::testing::Test {
protected:
    void SetUp() override {
        dataplane::InterfaceSpec e1;
        e1.ifindex = 7;  // out of order on purpose: GET_IF_LIST sorts by ifindex
        e1.name = "eth1";
        e1.mac = kEth1Mac;
        e1.addresses = {pfx("198.18.0.254/24"), pfx("198.18.0.253/24"), pfx("198.18.9.1/32")};
        dataplane::InterfaceSpec e2;
        e2.ifindex = 3;
        e2.name = "eth2";
        e2.mac = kEth2Mac;
        e2.link_mtu = 9000;
        e2.addresses = {pfx("198.19.0.254/24")};
        ASSERT_TRUE(state.init(inet::IpSettings{}, {e1, e2}));
        state.set_link_event_sink([this](const api::LinkEvent& ev) { events.push_back(ev); });
        worker.emplace(std::vector<packet::Port*>{&eth1, &eth2}, std::vector<int>{},
                       state.snapshot(), qsbr, clock);
        RouterHandlerOptions o;
        o.server_name = "routerd test";
        o.start_time_ns = 1234;
        handler.emplace(state, std::vector<dataplane::Worker*>{&*worker}, o);
    }

    template <typename T>
    T ok(const api::RequestBody& req) {
        api::ReplyBody r = handler->handle(req);
        if (auto* e = std::get_if<api::ErrorReply>(&r)) {
            ADD_FAILURE() << e->message;
            return T{};
        }
        EXPECT_TRUE(std::holds_alternative<T>(r));
        return std::get<T>(r);
    }
    int refused(const api::RequestBody& req) {
        api::ReplyBody r = handler->handle(req);
        auto* e = std::get_if<api::ErrorReply>(&r);
        EXPECT_NE(e, nullptr) << "not refused";
        if (e == nullptr) {
            return 0;
        }
        EXPECT_EQ(e->type, api::type_of(req));
        EXPECT_FALSE(e->message.empty());
        return e->status;
    }

    Qsbr qsbr;
    test::FakeClock clock;
    dataplane::RouterState state{qsbr, clock};
    test::FakePort eth1{7, "eth1", kEth1Mac};
    test::FakePort eth2{3, "eth2", kEth2Mac};
    std::optional<dataplane::Worker> worker;
    std::optional<RouterHandler> handler;
    std::vector<api::LinkEvent> events;
};

TEST_F(RouterHandlerTest, Hello) {
    auto r = ok<api::HelloReply>(api::HelloRequest{"test"});
    EXPECT_EQ(r.server, "routerd test");
    EXPECT_EQ(r.start_time_ns, 1234u);
}

TEST_F(RouterHandlerTest, IpStuffReflectsTheStateAndTheCounters) {
    ASSERT_TRUE(state.set_default_ttl(33));
    ASSERT_TRUE(state.set_if_settings(3, api::IfSettings{true, true, false}));
    eth1.inject(arp_request(MacAddr{{2, 0, 0, 0, 0, 9}}, addr("198.18.0.9"), addr("198.18.0.254")));
    worker->run_once();
    auto s = ok<api::GetIpStuffReply>(api::GetIpStuffRequest{}).ip_stuff;
    EXPECT_EQ(s.ip_forwarding, 1);
    EXPECT_EQ(s.ip_default_ttl, 33);
    EXPECT_EQ(s.ipq_ttl, 30);
    EXPECT_EQ(s.icmp_answermask, 1);  // eth2 has mask-reply on
    EXPECT_EQ(s.ip_sendredirects, 1);
    EXPECT_EQ(s.ip_sourceroute, 0);  // RFC 7126: off by default
    auto ifreq = ok<api::GetIfreqAllReply>(api::GetIfreqAllRequest{7}).ifreq_all;
    EXPECT_EQ(ifreq.if_stats.ifs_ipackets, 1u);  // the ARP frame, counted by the worker
    (void)ok<api::GetIcmpStatReply>(api::GetIcmpStatRequest{});
    (void)ok<api::GetIgmpStatReply>(api::GetIgmpStatRequest{});
}

TEST_F(RouterHandlerTest, IfreqAll) {
    EXPECT_EQ(refused(api::GetIfreqAllRequest{99}), ENOENT);
    auto r = ok<api::GetIfreqAllReply>(api::GetIfreqAllRequest{7}).ifreq_all;
    EXPECT_EQ(r.if_entry.if_name, "eth1");
    EXPECT_EQ(r.if_entry.if_flags & (api::kIffUp | api::kIffRunning),
              api::kIffUp | api::kIffRunning);
    EXPECT_EQ(r.if_entry.if_mtu, 1500u);
    ASSERT_EQ(r.if_naddr, 3);
    EXPECT_EQ(r.if_addrs[0].addr, addr("198.18.0.254"));
    EXPECT_EQ(r.if_addrs[0].netmask, addr("255.255.255.0"));
    EXPECT_EQ(r.if_addrs[0].dstaddr, addr("198.18.0.255"));
    EXPECT_EQ(r.if_addrs[0].flags, api::kIfaPrimary | api::kIfaBroadcast);
    EXPECT_EQ(r.if_addrs[1].flags, api::kIfaBroadcast);  // second address of the same subnet
    EXPECT_EQ(r.if_addrs[2].flags, api::kIfaPrimary);    // a /32 has no broadcast
    EXPECT_EQ(r.if_addrs[2].dstaddr, Ip4Addr{});
    EXPECT_EQ(ok<api::GetIfreqAllReply>(api::GetIfreqAllRequest{3}).ifreq_all.if_entry.if_mtu,
              9000u);
}

TEST_F(RouterHandlerTest, InterfaceListAdminAndFlags) {
    auto list = ok<api::GetIfListReply>(api::GetIfListRequest{}).interfaces;
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].ifindex, 3u);
    EXPECT_EQ(list[1].name, "eth1");
    EXPECT_EQ(list[1].mac, kEth1Mac);
    EXPECT_EQ(list[1].admin, api::AdminState::up);
    EXPECT_EQ(list[1].oper, api::OperState::up);

    EXPECT_EQ(refused(api::SetIfAdminRequest{5, api::AdminState::down}), ENOENT);
    (void)ok<api::SetIfAdminReply>(api::SetIfAdminRequest{7, api::AdminState::down});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].ifindex, 7u);
    EXPECT_EQ(events[0].oper, api::OperState::down);
    list = ok<api::GetIfListReply>(api::GetIfListRequest{}).interfaces;
    EXPECT_EQ(list[1].admin, api::AdminState::down);
    EXPECT_EQ(list[1].flags & api::kIffUp, 0u);

    api::SetIfFlagsRequest f;
    f.ifindex = 7;
    EXPECT_EQ(refused(f), EINVAL);  // nothing to set
    f.directed_broadcast = true;
    (void)ok<api::SetIfFlagsReply>(f);
    EXPECT_EQ(state.find(7)->settings, (api::IfSettings{false, true, true}));  // others kept
    f.ifindex = 8;
    EXPECT_EQ(refused(f), ENOENT);
}

TEST_F(RouterHandlerTest, SetIpMisc) {
    (void)ok<api::SetIpMiscReply>(api::SetIpMiscRequest{api::kIpMiscForwarding, 0, 0});
    EXPECT_FALSE(state.ip().forwarding);
    (void)ok<api::SetIpMiscReply>(api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 255});
    EXPECT_EQ(state.ip().default_ttl, 255);
    EXPECT_FALSE(state.ip().forwarding);  // arg 2 ignores ip_forwarding
    const auto gen = state.generation();
    for (const auto& bad :
         {api::SetIpMiscRequest{0, 1, 64}, api::SetIpMiscRequest{3, 1, 64},
          api::SetIpMiscRequest{-1, 1, 64}, api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 0},
          api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 256},
          api::SetIpMiscRequest{api::kIpMiscForwarding, 2, 64}}) {
        EXPECT_EQ(refused(bad), EINVAL) << bad.arg;
    }
    EXPECT_EQ(state.generation(), gen);
    EXPECT_EQ(state.ip().default_ttl, 255);
}

TEST_F(RouterHandlerTest, SetIpSettings) {
    EXPECT_EQ(refused(api::SetIpSettingsRequest{}), EINVAL);
    EXPECT_EQ(refused(api::SetIpSettingsRequest{false, std::nullopt, 256}), EINVAL);
    EXPECT_TRUE(state.ip().send_redirects);  // nothing of a refused request applies
    (void)ok<api::SetIpSettingsReply>(api::SetIpSettingsRequest{false, true, 60});
    EXPECT_FALSE(state.ip().send_redirects);
    EXPECT_TRUE(state.ip().source_route);
    EXPECT_EQ(state.ip().reassembly_timeout_s, 60u);
    auto s = ok<api::GetIpStuffReply>(api::GetIpStuffRequest{}).ip_stuff;
    EXPECT_EQ(s.ip_sendredirects, 0);
    EXPECT_EQ(s.ip_sourceroute, 1);  // GET_IP_STUFF reads back what SET_IP_SETTINGS wrote
}

TEST_F(RouterHandlerTest, RoutesAddDeleteAndPaging) {
    api::RouteSpec r{pfx("203.0.113.0/24"), addr("198.19.0.1"), 0, api::RouteKind::forward};
    (void)ok<api::RouteAddReply>(api::RouteAddRequest{r});
    EXPECT_EQ(refused(api::RouteAddRequest{r}), EEXIST);
    EXPECT_EQ(refused(api::RouteAddRequest{api::RouteSpec{
                  pfx("198.51.100.0/24"), addr("198.20.0.1"), 0, api::RouteKind::forward}}),
              ENETUNREACH);
    EXPECT_EQ(refused(api::RouteAddRequest{api::RouteSpec{
                  pfx("198.51.100.0/24"), addr("198.19.0.1"), 42, api::RouteKind::forward}}),
              ENOENT);
    for (int i = 0; i < 10; ++i) {
        api::RouteSpec b{
            Ip4Prefix{Ip4Addr::from_octets(198, 51, 100, static_cast<std::uint8_t>(i * 16)), 28},
            {},
            0,
            api::RouteKind::blackhole};
        (void)ok<api::RouteAddReply>(api::RouteAddRequest{b});
    }
    // 2 connected subnets (the /32 address is no table route) + 1 forward + 10 blackholes,
    // walked 4 at a time as routerctl does.
    std::vector<api::RouteEntry> all;
    api::GetRoutesRequest page{pfx("0.0.0.0/0"), false, 4};
    for (int guard = 0; guard < 10; ++guard) {
        auto rep = ok<api::GetRoutesReply>(page);
        EXPECT_EQ(rep.route_count, 13u);
        EXPECT_LE(rep.routes.size(), 4u);
        all.insert(all.end(), rep.routes.begin(), rep.routes.end());
        if (!rep.more) {
            break;
        }
        page = api::GetRoutesRequest{rep.routes.back().prefix, true, 4};
    }
    ASSERT_EQ(all.size(), 13u);
    for (std::size_t i = 1; i < all.size(); ++i) {
        EXPECT_LT(std::make_pair(all[i - 1].prefix.addr, all[i - 1].prefix.len),
                  std::make_pair(all[i].prefix.addr, all[i].prefix.len));
    }
    EXPECT_EQ(all.front().kind, api::RouteKind::connected);
    EXPECT_EQ(refused(api::RouteDelRequest{api::RouteSpec{pfx("203.0.113.0/24"), addr("198.19.0.2"),
                                                          0, api::RouteKind::forward}}),
              ENOENT);  // another next hop
    (void)ok<api::RouteDelReply>(api::RouteDelRequest{r});
    EXPECT_EQ(refused(api::RouteDelRequest{r}), ENOENT);
    EXPECT_EQ(
        ok<api::GetRoutesReply>(api::GetRoutesRequest{pfx("0.0.0.0/0"), false, 100}).route_count,
        12u);
}

TEST_F(RouterHandlerTest, ArpTableComesFromTheWorker) {
    for (std::uint8_t host : {20, 10, 30}) {
        eth1.inject(arp_request(MacAddr{{2, 0, 0, 0, 0, host}},
                                Ip4Addr::from_octets(198, 18, 0, host), addr("198.18.0.254")));
    }
    worker->run_once();
    auto all = ok<api::GetArpReply>(api::GetArpRequest{0, {}, false, 100});
    ASSERT_EQ(all.entries.size(), 3u);
    EXPECT_FALSE(all.more);
    EXPECT_EQ(all.entries[0].addr, addr("198.18.0.10"));
    EXPECT_EQ(all.entries[2].mac, (MacAddr{{2, 0, 0, 0, 0, 30}}));
    auto p1 = ok<api::GetArpReply>(api::GetArpRequest{0, {}, false, 2});
    ASSERT_EQ(p1.entries.size(), 2u);
    EXPECT_TRUE(p1.more);
    auto p2 = ok<api::GetArpReply>(api::GetArpRequest{7, p1.entries.back().addr, true, 2});
    ASSERT_EQ(p2.entries.size(), 1u);
    EXPECT_EQ(p2.entries[0].addr, addr("198.18.0.30"));
    EXPECT_FALSE(p2.more);
}

TEST_F(RouterHandlerTest, IgmpInterfacesAndSettings) {
    auto all = ok<api::GetIgmpGroupsReply>(api::GetIgmpGroupsRequest{0}).interfaces;
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[0].groups.empty());  // no querier runs yet: no group is known
    EXPECT_FALSE(all[0].is_querier);
    EXPECT_EQ(refused(api::GetIgmpGroupsRequest{99}), ENOENT);
    api::SetIgmpRequest s;
    s.ifindex = 3;
    EXPECT_EQ(refused(s), EINVAL);  // nothing to set
    s.query_interval_s = 5;         // the 10 s response interval is no longer below it
    EXPECT_EQ(refused(s), EINVAL);
    s.query_response_interval_tenths = 20;
    (void)ok<api::SetIgmpReply>(s);
    auto one = ok<api::GetIgmpGroupsReply>(api::GetIgmpGroupsRequest{3}).interfaces;
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].settings.query_interval_s, 5u);
    EXPECT_EQ(one[0].settings.query_response_interval_tenths, 20u);
    EXPECT_EQ(one[0].settings.robustness, 2);
}

TEST_F(RouterHandlerTest, SetMgmtBelongsToTheServer) {
    EXPECT_EQ(refused(api::SetMgmtRequest{true}), ENOTSUP);
}

// The real server and client: routerd's own decode refuses ttl 0 (DESIGN.md SET_IP_MISC), a
// valid set goes through, and an admin change reaches a SET_MGMT subscriber.
TEST_F(RouterHandlerTest, EndToEndOverTheControlSocket) {
    std::string dir = ::testing::TempDir() + "rh-XXXXXX";
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    const std::string path = dir + "/control.sock";
    boost::asio::io_context io;
    ControlServer server(io, *handler);
    state.set_link_event_sink([&server](const api::LinkEvent& ev) { server.publish(ev); });
    ASSERT_TRUE(server.listen(path));
    auto guard = boost::asio::make_work_guard(io);
    std::thread t([&io] { io.run(); });

    auto client = api::Client::connect(path, 2s);
    ASSERT_TRUE(client);
    auto r = client->call(api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 0});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_TRUE(client->call(api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 99}));
    auto sub = api::Client::connect(path, 2s);
    ASSERT_TRUE(sub);
    ASSERT_TRUE(sub->call(api::SetMgmtRequest{true}));
    EXPECT_TRUE(client->call(api::SetIfAdminRequest{3, api::AdminState::down}));
    auto ev = sub->next_event(2s);
    ASSERT_TRUE(ev) << ev.error().message;
    EXPECT_EQ(ev->name, "eth2");
    EXPECT_EQ(ev->admin, api::AdminState::down);
    auto stuff = client->call_as<api::GetIpStuffReply>(api::GetIpStuffRequest{});
    ASSERT_TRUE(stuff);
    EXPECT_EQ(stuff->ip_stuff.ip_default_ttl, 99);

    boost::asio::post(io, [&] {
        server.close();
        guard.reset();
    });
    t.join();
    ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace routerd::control
