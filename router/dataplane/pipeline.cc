// SPDX-License-Identifier: Apache-2.0
// router/dataplane/pipeline.cc — the whole receive path; keep inet/README.md's diagram in step.
#include "router/dataplane/pipeline.hh"

#include "router/inet/arp.hh"
#include "router/inet/ether_input.hh"
#include "router/inet/ip_input.hh"

namespace routerd::dataplane {

void Pipeline::on_frame(inet::Context& ctx, packet::Packet& p) noexcept {
    switch (inet::ether_input(ctx, p)) {  // L2 class, ethertype, SNAP, own-outgoing
        case inet::EtherNext::arp:
            inet::arp_input(ctx, p);
            return;
        case inet::EtherNext::ip:
            inet::ip_input(ctx, p);  // → ip_local | ip_forward
            return;
        case inet::EtherNext::done:  // dropped and counted
            return;
    }
}

}  // namespace routerd::dataplane
