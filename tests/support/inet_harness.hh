// SPDX-License-Identifier: Apache-2.0
// InetHarness: the L1 lab in memory — three FakePorts, a Snapshot, a Rib, a Context and a
// FakeClock — driven exactly as dataplane/pipeline.cc drives inet/ (link with routerd_inet).
#pragma once

#include "router/api/stats.hh"
#include "router/base/assert.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/fib/rib.hh"
#include "router/inet/arp.hh"
#include "router/inet/context.hh"
#include "router/inet/ether_input.hh"
#include "router/inet/ether_output.hh"
#include "router/inet/ip_input.hh"
#include "router/inet/tick.hh"
#include "router/packet/builder.hh"
#include "router/packet/headers.hh"
#include "tests/support/fake_clock.hh"
#include "tests/support/fake_port.hh"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace routerd::test {

inline Ip4Addr ip4(const char* s) {
    return *Ip4Addr::parse(s);
}
inline Ip4Prefix pfx(const char* s) {
    return *Ip4Prefix::parse(s);
}

// The lab plan (CONFORMANCE.md section 0, L1) plus a third port:
//   slot 0 eth1 ifindex 11 198.18.0.254/24  — h1 198.18.0.10, gateway g1 198.18.0.1
//   slot 1 eth2 ifindex 12 198.19.0.254/24  — h2 198.19.0.10
//   slot 2 eth3 ifindex 13 198.18.1.254/24, MTU 1400
// Routes: connected + local for each address; 203.0.113.0/24 via 198.18.0.1 (static);
// 198.19.128.0/24 reject; 198.19.129.0/24 blackhole. No default route.
class InetHarness {
public:
    static constexpr std::size_t kPorts = 3;
    static constexpr MacAddr kMacR1{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
    static constexpr MacAddr kMacR2{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
    static constexpr MacAddr kMacR3{{0x02, 0x00, 0x00, 0x00, 0x00, 0x03}};
    static constexpr MacAddr kMacH1{{0x02, 0x00, 0x00, 0x00, 0x01, 0x10}};
    static constexpr MacAddr kMacG1{{0x02, 0x00, 0x00, 0x00, 0x01, 0x01}};
    static constexpr MacAddr kMacH2{{0x02, 0x00, 0x00, 0x00, 0x02, 0x10}};
    static constexpr MacAddr kMacH3{{0x02, 0x00, 0x00, 0x00, 0x03, 0x10}};

    explicit InetHarness(const inet::ContextLimits& limits = {})
        : ports_{std::make_unique<FakePort>(11, "eth1", kMacR1),
                 std::make_unique<FakePort>(12, "eth2", kMacR2),
                 std::make_unique<FakePort>(13, "eth3", kMacR3, 1400)} {
        for (std::size_t i = 0; i < kPorts; ++i) {
            port_ptrs_[i] = ports_[i].get();
        }
        ctx_ = std::make_unique<inet::Context>(
            std::span<packet::Port* const>(port_ptrs_.data(), port_ptrs_.size()), limits);
        inet::Snapshot s;
        s.generation = 1;
        s.interfaces.push_back(make_if(11, 0, "eth1", kMacR1, 1500, {"198.18.0.254/24"}));
        s.interfaces.push_back(make_if(12, 1, "eth2", kMacR2, 1500, {"198.19.0.254/24"}));
        s.interfaces.push_back(make_if(13, 2, "eth3", kMacR3, 1400, {"198.18.1.254/24"}));
        for (const auto& i : s.interfaces) {
            for (const auto& a : i.addresses()) {
                RD_CHECK(rib_.add_address(static_cast<std::uint32_t>(i.ifindex), a).has_value());
            }
        }
        fib::Route stat{pfx("203.0.113.0/24"), fib::RouteSource::static_route,
                        fib::NextHop{fib::NextHopKind::forward, 11, ip4("198.18.0.1")}};
        RD_CHECK(rib_.add_route(stat).has_value());
        RD_CHECK(rib_.add_route({pfx("198.19.128.0/24"), fib::RouteSource::static_route,
                                 fib::NextHop::reject_route()})
                     .has_value());
        RD_CHECK(rib_.add_route({pfx("198.19.129.0/24"), fib::RouteSource::static_route,
                                 fib::NextHop::blackhole_route()})
                     .has_value());
        s.rib = &rib_;
        publish(std::move(s));
        clear_sent();
    }

    static inet::Interface make_if(int ifindex, std::uint32_t slot, const char* name,
                                   const MacAddr& mac, std::uint32_t mtu,
                                   std::initializer_list<const char*> addrs) {
        inet::Interface i;
        i.ifindex = ifindex;
        i.slot = slot;
        i.name = name;
        i.mac = mac;
        i.mtu = mtu;
        for (const char* a : addrs) {
            i.addrs[i.naddrs++] = pfx(a);
        }
        return i;
    }

    inet::Context& ctx() { return *ctx_; }
    fib::Rib& rib() { return rib_; }
    FakeClock& clock() { return clock_; }
    FakePort& port(std::size_t slot) { return *ports_[slot]; }
    const inet::Snapshot& snap() const { return *snaps_.back(); }
    // A copy of the current snapshot to edit and publish().
    inet::Snapshot edit() const { return snap(); }

    // Publishes a new snapshot the way the worker sees one: ctx.snap, then snapshot_changed.
    // Old snapshots stay alive (the worker's grace period).
    void publish(inet::Snapshot s) {
        const inet::Snapshot* old = snaps_.empty() ? nullptr : snaps_.back().get();
        s.generation = old != nullptr ? old->generation + 1 : s.generation;
        s.build_index();  // as RouterState::publish does
        snaps_.push_back(std::make_unique<inet::Snapshot>(std::move(s)));
        ctx_->snap = snaps_.back().get();
        ctx_->now = clock_.now();
        inet::snapshot_changed(*ctx_, old);
    }

    void inject(std::size_t slot, const std::vector<std::uint8_t>& frame,
                std::optional<packet::L2Class> cls = std::nullopt) {
        ports_[slot]->inject(frame, cls);
    }

    // What dataplane/pipeline.cc does per wake-up: per port, rx_batch, each frame through
    // ether_input -> arp_input / ip_input, then tx_flush_all before the next rx_batch.
    void run() {
        ctx_->now = clock_.now();
        std::array<packet::Packet, 32> batch;
        for (int round = 0; round < 1000; ++round) {
            bool any = false;
            for (std::size_t slot = 0; slot < kPorts; ++slot) {
                ports_[slot]->set_rx_time(clock_.now());
                const std::size_t n = ports_[slot]->rx_batch(batch);
                for (std::size_t i = 0; i < n; ++i) {
                    on_frame(batch[i]);
                }
                inet::tx_flush_all(*ctx_);
                any = any || n > 0;
            }
            if (!any) {
                break;
            }
        }
    }
    void on_frame(packet::Packet& p) {
        switch (inet::ether_input(*ctx_, p)) {
            case inet::EtherNext::arp:
                inet::arp_input(*ctx_, p);
                return;
            case inet::EtherNext::ip:
                inet::ip_input(*ctx_, p);
                return;
            case inet::EtherNext::done:
                return;
        }
    }
    // The worker's timer: inet_tick with ctx.now from the clock.
    void tick() {
        ctx_->now = clock_.now();
        inet::inet_tick(*ctx_);
    }
    void advance(Duration d) { clock_.advance(d); }

    const std::vector<std::vector<std::uint8_t>>& sent(std::size_t slot) const {
        return ports_[slot]->sent();
    }
    std::size_t total_sent() const {
        std::size_t n = 0;
        for (const auto& p : ports_) {
            n += p->sent().size();
        }
        return n;
    }
    void clear_sent() {
        for (auto& p : ports_) {
            p->clear_sent();
        }
    }

    // Makes the cache know host (ip, mac) on `slot`: the host asks for our address (RFC 826:
    // the target learns the sender); our reply and the counters it moved are left behind.
    void learn(std::size_t slot, Ip4Addr host, const MacAddr& mac) {
        const Ip4Addr ours = snap().interfaces[slot].addrs[0].addr;
        std::vector<std::uint8_t> f(64);
        f.resize(packet::build_arp_request(f, mac, host, ours));
        inject(slot, f);
        run();
        clear_sent();
    }
    // h1 and h2 of the lab, known to the cache.
    void learn_hosts() {
        learn(0, ip4("198.18.0.10"), kMacH1);
        learn(1, ip4("198.19.0.10"), kMacH2);
    }

    // ---- counters ---------------------------------------------------------------------------

    using Counters = std::map<std::string, std::uint64_t>;
    // Every counter: "ips_total", "icps_outhist[3]", "rts_unreach", "igps_rcv_total",
    // "eth1.ifs_ipackets".
    Counters counters() const {
        Counters c;
        const inet::Stats& s = ctx_->stats;
        for (const auto& f : api::kIpStatFields) {
            c[std::string(f.name)] = s.ip.load_index(f.index);
        }
        for (const auto& f : api::kIcmpStatFields) {
            for (std::size_t i = 0; i < f.size; ++i) {
                const std::string name = f.is_histogram()
                                             ? std::string(f.name) + "[" + std::to_string(i) + "]"
                                             : std::string(f.name);
                c[name] = s.icmp.load_index(f.index + i);
            }
        }
        for (const auto& f : api::kIgmpStatFields) {
            c[std::string(f.name)] = s.igmp.load_index(f.index);
        }
        for (const auto& f : api::kRtStatFields) {
            c[std::string(f.name)] = s.rt.load_index(f.index);
        }
        for (std::size_t slot = 0; slot < kPorts; ++slot) {
            for (const auto& f : api::kIfStatsFields) {
                c[snap().interfaces[slot].name + "." + std::string(f.name)] =
                    s.ifs(slot).load_index(f.index);
            }
        }
        return c;
    }
    // The counters that changed since `before`, with their increase. Interface counters are
    // left out unless `with_ifs` (most tests judge the protocol counters).
    Counters delta(const Counters& before, bool with_ifs = false) const {
        Counters d;
        for (const auto& [k, v] : counters()) {
            if (!with_ifs && k.find('.') != std::string::npos) {
                continue;
            }
            const auto it = before.find(k);
            const std::uint64_t was = it == before.end() ? 0 : it->second;
            if (v != was) {
                d[k] = v - was;
            }
        }
        return d;
    }
    std::uint64_t ip(api::IpStatId id) const { return ctx_->stats.ip.load(id); }
    std::uint64_t icmp(api::IcmpStatId id) const { return ctx_->stats.icmp.load(id); }
    std::uint64_t ifs(std::size_t slot, api::IfStatsId id) const {
        return ctx_->stats.ifs(slot).load(id);
    }

private:
    std::array<std::unique_ptr<FakePort>, kPorts> ports_;
    std::array<packet::Port*, kPorts> port_ptrs_{};
    FakeClock clock_;
    fib::Rib rib_;
    std::vector<std::unique_ptr<inet::Snapshot>> snaps_;
    std::unique_ptr<inet::Context> ctx_;
};

// ---- frames in --------------------------------------------------------------------------------

// An Ethernet II frame around the IPv4 datagram that `make` writes into an aligned buffer
// (a builder.hh IP-level builder); `make` returns the datagram length.
inline std::vector<std::uint8_t> ether_frame(
    const MacAddr& dst, const MacAddr& src,
    const std::function<std::size_t(std::span<std::uint8_t>)>& make,
    std::uint16_t ether_type = ETHERTYPE_IP) {
    std::vector<std::uint8_t> buf(70000);
    const std::size_t off = packet::ip4_offset(buf);
    const std::size_t n = make(std::span<std::uint8_t>(buf).subspan(off));
    packet::build_ether(std::span<std::uint8_t>(buf).subspan(off - packet::kEtherHeaderLen), dst,
                        src, ether_type);
    return {buf.begin() + static_cast<std::ptrdiff_t>(off - packet::kEtherHeaderLen),
            buf.begin() + static_cast<std::ptrdiff_t>(off + n)};
}

inline packet::Ip4Params params(Ip4Addr src, Ip4Addr dst, std::uint8_t ttl = 64) {
    packet::Ip4Params p;
    p.src = src;
    p.dst = dst;
    p.ttl = ttl;
    p.id = 0x1234;
    return p;
}

// An IPv4 datagram as raw bytes: header from `ip` (proto as given), then `payload`.
inline std::vector<std::uint8_t> raw_datagram(packet::Ip4Params ip, std::uint8_t proto,
                                              std::span<const std::uint8_t> payload) {
    ip.proto = proto;
    std::vector<std::uint8_t> d(packet::ip4_header_len(ip) + payload.size());
    const std::size_t hl = packet::build_ip4_header(d, ip, payload.size());
    std::copy(payload.begin(), payload.end(), d.begin() + static_cast<std::ptrdiff_t>(hl));
    return d;
}

// An Ethernet II frame carrying exactly `datagram` (any bytes, malformed ones too).
inline std::vector<std::uint8_t> frame_of(const MacAddr& dst, const MacAddr& src,
                                          std::span<const std::uint8_t> datagram) {
    return ether_frame(dst, src, [&](std::span<std::uint8_t> b) {
        std::copy(datagram.begin(), datagram.end(), b.begin());
        return datagram.size();
    });
}

inline std::vector<std::uint8_t> echo_frame(const MacAddr& dst, const MacAddr& src,
                                            const packet::Ip4Params& ip, std::uint16_t id = 7,
                                            std::uint16_t seq = 1,
                                            std::vector<std::uint8_t> data = {'p', 'i', 'n', 'g'}) {
    return ether_frame(dst, src, [&](std::span<std::uint8_t> b) {
        return packet::build_icmp_echo_request(b, ip, id, seq, data);
    });
}

inline std::vector<std::uint8_t> udp_frame(const MacAddr& dst, const MacAddr& src,
                                           const packet::Ip4Params& ip,
                                           std::size_t payload_len = 32,
                                           std::uint16_t dport = 33434) {
    std::vector<std::uint8_t> payload(payload_len, 0x5a);
    return ether_frame(dst, src, [&](std::span<std::uint8_t> b) {
        return packet::build_udp(b, ip, 40000, dport, payload);
    });
}

// ---- frames out -------------------------------------------------------------------------------

// A sent frame, parsed: the Ethernet header, the IPv4 header (if any) and its payload.
struct Out {
    std::vector<std::uint8_t> bytes;
    packet::ConstEtherView eth() const {
        return *packet::ConstEtherView::parse(std::span<const std::uint8_t>(bytes));
    }
    std::span<const std::uint8_t> l3() const {
        return std::span<const std::uint8_t>(bytes).subspan(packet::kEtherHeaderLen);
    }
    packet::ConstIp4View ip() const { return *packet::ConstIp4View::parse(l3()); }
    packet::ConstIcmpView icmp() const {
        return *packet::ConstIcmpView::parse(
            ip().payload().first(ip().ip_len() - ip().header_len()));
    }
    packet::ConstArpView arp() const { return *packet::ConstArpView::parse(l3()); }
    bool is_ip() const { return eth().ether_type() == ETHERTYPE_IP; }
    bool is_arp() const { return eth().ether_type() == ETHERTYPE_ARP; }
};

inline Out out(const std::vector<std::uint8_t>& frame) {
    return Out{frame};
}

}  // namespace routerd::test
