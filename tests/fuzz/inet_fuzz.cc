// SPDX-License-Identifier: Apache-2.0
// Fuzz target: arbitrary frames into the inet stages on the InetHarness lab (3 FakePorts), the
// way dataplane/pipeline.cc feeds them; every frame that comes out must be well formed.
#include "tests/support/inet_harness.hh"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

namespace pkt = routerd::packet;
using routerd::test::InetHarness;

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

// What leaves a port: an Ethernet frame from that port's MAC; an IPv4 datagram in it has a
// valid header checksum, a TTL above 0, fits the MTU and is no bigger than ip_len says.
void check_sent(InetHarness& h) {
    for (std::size_t slot = 0; slot < InetHarness::kPorts; ++slot) {
        const auto& ifp = h.snap().interfaces[slot];
        for (const auto& f : h.sent(slot)) {
            auto eth = pkt::ConstEtherView::parse(std::span<const std::uint8_t>(f));
            require(eth.has_value());
            require(eth->ether_shost() == ifp.mac);
            if (eth->ether_type() != ETHERTYPE_IP) {
                require(eth->ether_type() == ETHERTYPE_ARP);
                continue;
            }
            auto ip = pkt::ConstIp4View::parse(std::span<const std::uint8_t>(f).subspan(14));
            require(ip.has_value());
            require(ip->ip_v() == 4 && ip->header_complete() && ip->cksum_ok());
            require(ip->ip_ttl() > 0);
            require(ip->ip_len() == f.size() - 14);
            require(ip->ip_len() <= ifp.mtu);
            require(!ip->ip_src().is_multicast() && !ip->ip_dst().is_zero());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One lab for the whole run (the Fib is large); its state evolves like a router's.
    static InetHarness* h = [] {
        auto* lab = new InetHarness();
        lab->learn_hosts();
        return lab;
    }();
    if (size < 1) {
        return 0;
    }
    // Byte 0: bits 0-1 the ingress port, bits 2-4 the L2 class the port reports (0: derived
    // from the MAC), bit 7: a timer tick one second later after the frame.
    const std::uint8_t ctl = data[0];
    const std::size_t slot = (ctl & 3u) % InetHarness::kPorts;
    const unsigned cls = (ctl >> 2) & 7u;
    std::vector<std::uint8_t> frame(data + 1, data + size);
    if (cls >= 1 && cls <= 5) {
        h->inject(slot, frame, static_cast<pkt::L2Class>(cls - 1));
    } else {
        h->inject(slot, frame);
    }
    h->run();
    if ((ctl & 0x80u) != 0) {
        h->advance(std::chrono::seconds(1));
        h->tick();
    }
    check_sent(*h);
    h->clear_sent();
    return 0;
}
