// SPDX-License-Identifier: Apache-2.0
// Pipeline: where a received frame goes first (the packet path on one screen).
#pragma once

#include "router/inet/context.hh"
#include "router/packet/packet.hh"

namespace routerd::dataplane {

class Pipeline {
public:
    // One received frame, l2 metadata set by the port. Allocates nothing, never throws.
    static void on_frame(inet::Context& ctx, packet::Packet& p) noexcept;
};

}  // namespace routerd::dataplane
