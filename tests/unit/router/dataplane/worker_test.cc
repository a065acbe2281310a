// SPDX-License-Identifier: Apache-2.0
// Worker: a real thread running the real pipeline over FakePorts (frames injected on the worker).
#include "router/dataplane/worker.hh"

#include "router/dataplane/martian_log.hh"
#include "router/dataplane/router_state.hh"
#include "router/dataplane/stats_collect.hh"
#include "router/packet/builder.hh"
#include "tests/support/fake_port.hh"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace routerd::dataplane {
namespace {

using namespace std::chrono_literals;
using Frame = std::vector<std::uint8_t>;

const MacAddr kEth1Mac{{0x02, 0x00, 0x00, 0x00, 0x01, 0x01}};
const MacAddr kEth2Mac{{0x02, 0x00, 0x00, 0x00, 0x01, 0x02}};
const MacAddr kHostMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
const Ip4Addr kRouterAddr = *Ip4Addr::parse("198.18.0.254");
const Ip4Addr kHostAddr = *Ip4Addr::parse("198.18.0.10");

std::uint16_t be16(const Frame& f, std::size_t at) {
    return static_cast<std::uint16_t>((f[at] << 8) | f[at + 1]);
}
Ip4Addr ip_at(const Frame& f, std::size_t at) {
    return Ip4Addr::from_octets(f[at], f[at + 1], f[at + 2], f[at + 3]);
}

class WorkerTest : public ::testing::Test {
protected:
    void SetUp() override {
        InterfaceSpec e1;
        e1.ifindex = 2;
        e1.name = "eth1";
        e1.mac = kEth1Mac;
        e1.addresses = {Ip4Prefix{kRouterAddr, 24}};
        InterfaceSpec e2 = e1;
        e2.ifindex = 3;
        e2.name = "eth2";
        e2.mac = kEth2Mac;
        e2.addresses = {*Ip4Prefix::parse("198.19.0.254/24")};
        ASSERT_TRUE(state.init(inet::IpSettings{}, {e1, e2}));
        worker.emplace(std::vector<packet::Port*>{&eth1, &eth2}, std::vector<int>{},
                       state.snapshot(), qsbr, clock, WorkerOptions{});
    }
    void TearDown() override { worker->stop(); }

    // Frames eth1 sent so far, copied on the worker (the FakePort belongs to it).
    std::vector<Frame> eth1_sent() {
        auto r = worker->call([this](inet::Context&) { return eth1.sent(); }, 2s);
        EXPECT_TRUE(r);
        return r ? *r : std::vector<Frame>{};
    }

    // The first ARP reply on eth1 whose target is `tpa`, waiting up to 2 s.
    std::optional<Frame> wait_arp_reply(Ip4Addr tpa) {
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        while (std::chrono::steady_clock::now() < deadline) {
            for (const Frame& f : eth1_sent()) {
                // Ethernet II: type at 12; ARP: op at 20, spa at 28, tpa at 38 (RFC 826).
                if (f.size() >= 42 && be16(f, 12) == 0x0806 && be16(f, 20) == 2 &&
                    ip_at(f, 38) == tpa) {
                    return f;
                }
            }
            std::this_thread::sleep_for(5ms);
        }
        return std::nullopt;
    }

    Qsbr qsbr;
    SteadyClock clock;
    RouterState state{qsbr, clock};
    test::FakePort eth1{2, "eth1", kEth1Mac};
    test::FakePort eth2{3, "eth2", kEth2Mac};
    std::optional<Worker> worker;
};

TEST_F(WorkerTest, ArpRequestInArpReplyOut) {
    ASSERT_TRUE(worker->start());
    Frame req(64);
    req.resize(packet::build_arp_request(req, kHostMac, kHostAddr, kRouterAddr));
    ASSERT_EQ(req.size(), 42u);
    // Injected on the worker thread: the same wake-up drains it through the pipeline.
    ASSERT_TRUE(worker->call(
        [&](inet::Context&) {
            eth1.inject(req);
            return true;
        },
        2s));
    auto reply = wait_arp_reply(kHostAddr);
    ASSERT_TRUE(reply) << "no ARP reply on eth1";
    const Frame& f = *reply;
    EXPECT_TRUE(std::equal(f.begin(), f.begin() + 6, kHostMac.bytes.begin()));  // to the asker
    EXPECT_TRUE(std::equal(f.begin() + 22, f.begin() + 28, kEth1Mac.bytes.begin()));  // sha
    EXPECT_EQ(ip_at(f, 28), kRouterAddr);  // "198.18.0.254 is at" eth1's MAC

    // The asker was learnt (RFC 826: the target was us), and the control side reads it.
    auto arp = worker->arp_dump(2s);
    ASSERT_TRUE(arp);
    ASSERT_EQ(arp->size(), 1u);
    EXPECT_EQ((*arp)[0].ifindex, 2u);
    EXPECT_EQ((*arp)[0].addr, kHostAddr);
    EXPECT_EQ((*arp)[0].mac, kHostMac);

    const inet::Stats* stats[] = {&worker->stats()};
    EXPECT_GE(collect_if(stats, 0).ifs_ipackets, 1u);
    EXPECT_EQ(collect_if(stats, 1).ifs_ipackets, 0u);
}

TEST_F(WorkerTest, AdoptsEveryPublishedSnapshot) {
    ASSERT_TRUE(worker->start());
    auto gen = [&] {
        return worker->call([](inet::Context& ctx) { return ctx.snap->generation; }, 2s);
    };
    ASSERT_TRUE(gen());
    EXPECT_EQ(*gen(), state.generation());
    ASSERT_TRUE(state.set_default_ttl(17));
    auto ttl = worker->call([](inet::Context& ctx) { return int{ctx.snap->ip.default_ttl}; }, 2s);
    ASSERT_TRUE(ttl);
    EXPECT_EQ(*ttl, 17);
    EXPECT_EQ(*gen(), state.generation());
    // The worker sleeps offline between wake-ups, so the retired snapshot goes soon after.
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (qsbr.pending() != 0 && std::chrono::steady_clock::now() < deadline) {
        state.reclaim();
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(qsbr.pending(), 0u);
}

TEST_F(WorkerTest, StopJoinsAndCallsRunInlineAfterwards) {
    ASSERT_TRUE(worker->start());
    EXPECT_TRUE(worker->running());
    EXPECT_EQ(worker->start().error().code, EALREADY);
    worker->stop();
    EXPECT_FALSE(worker->running());
    worker->stop();  // idempotent
    auto r = worker->call([](inet::Context& ctx) { return ctx.port_count(); }, 1s);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 2u);
}

TEST_F(WorkerTest, RunOnceWithoutTheThreadDrainsTheRings) {
    Frame req(64);
    req.resize(packet::build_arp_request(req, kHostMac, kHostAddr, kRouterAddr));
    eth1.inject(req);
    worker->run_once();
    EXPECT_EQ(eth1.pending_rx(), 0u);
    bool replied = false;
    for (const Frame& f : eth1.sent()) {
        replied = replied || (be16(f, 12) == 0x0806 && be16(f, 20) == 2);
    }
    EXPECT_TRUE(replied);
}

TEST_F(WorkerTest, MartianSampleIsReadOnTheWorkerAndNamesTheInterface) {
    // conformance B09 (RFC 1812 5.3.7): the worker only records; the control side reads the
    // ring through martian_sample() and formats the log line.
    packet::Ip4Params ip;
    ip.src = *Ip4Addr::parse("127.0.0.1");
    ip.dst = *Ip4Addr::parse("198.19.0.10");
    const std::uint8_t payload[4] = {1, 2, 3, 4};
    // The builder wants the IPv4 header 4-byte aligned: build the datagram on its own, then
    // put the Ethernet header in front of it.
    Frame dgram(128);
    dgram.resize(packet::build_udp(dgram, ip, 40000, 9, payload));
    Frame f(packet::kEtherHeaderLen);
    packet::build_ether(f, kEth1Mac, kHostMac, 0x0800);
    f.insert(f.end(), dgram.begin(), dgram.end());
    eth1.inject(f);
    worker->run_once();
    auto s = worker->martian_sample(1s);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->count, 1u);
    EXPECT_EQ(martian_log_lines(0, *s, state.current()),
              std::vector<std::string>{
                  "martian: src 127.0.0.1 dst 198.19.0.10 on eth1 from 02:00:00:00:00:0a"});
}

TEST_F(WorkerTest, PortLossesAreChargedToTheInterfaceEachTick) {
    // What the port lost on its side (kernel TX errors, full device queue, RX ring full,
    // tagged frames) is not counted as sent or received: the tick moves it into the counters.
    packet::PortDrops d;
    d.tx_errors = 3;
    d.tx_drops = 2;
    d.rx_drops = 5;
    d.rx_vlan = 4;
    eth2.set_drops(d);
    worker->run_once();  // the first wake-up is a tick
    const inet::Stats& st = worker->stats();
    EXPECT_EQ(st.ifs(1).load(api::IfStatsId::ifs_oerrors), 3u);
    EXPECT_EQ(st.ifs(1).load(api::IfStatsId::ifs_oqdrops), 2u);
    EXPECT_EQ(st.ifs(1).load(api::IfStatsId::ifs_iqdrops), 5u);
    EXPECT_EQ(st.ifs(1).load(api::IfStatsId::ifs_noproto), 4u);
    EXPECT_EQ(st.ip.load(api::IpStatId::ips_odropped), 5u);
    EXPECT_EQ(st.ifs(0).load(api::IfStatsId::ifs_oerrors), 0u);
}

}  // namespace
}  // namespace routerd::dataplane
