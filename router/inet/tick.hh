// SPDX-License-Identifier: Apache-2.0
// Timers and snapshot changes: what the worker calls besides the receive path.
#pragma once

namespace routerd::inet {

class Context;
struct Snapshot;

// Periodic work, called every 50-100 ms with ctx.now set: ARP retries and aging (host
// unreachable for datagrams whose next hop never answered), later reassembly expiry and IGMP
// timers.
void inet_tick(Context& ctx) noexcept;

// Called by the worker when it sees a newer Snapshot (ctx.snap already points to it; old is
// the previous one, nullptr the first time): gratuitous ARP for addresses that came up (RFC 5227
// 3), ARP entries of interfaces that went down or lost the subnet flushed.
void snapshot_changed(Context& ctx, const Snapshot* old) noexcept;

}  // namespace routerd::inet
