// SPDX-License-Identifier: Apache-2.0
// Interface: one routed port as the data plane sees it (published in the Snapshot, immutable).
#pragma once

#include "router/api/messages.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace routerd::inet {

inline constexpr std::size_t kMaxIfAddrs = 10;  // the seed's ifreq_all: up to 10 addresses

// Per-interface switches and IGMP settings: the control-socket types (YAML `interfaces[]`,
// routerctl `set interface`, ROUTERD-MIB), so no conversion sits between them.
using IfSettings = api::IfSettings;
using IgmpIfSettings = api::IgmpSettings;

// What a destination address is to one interface (RFC 1812 5.3.7, 4.2.3.1; RFC 919/922).
enum class DstClass : std::uint8_t {
    local,             // one of this interface's addresses
    subnet_broadcast,  // the all-ones host of one of its subnets (or the all-zeros, BSD style)
    other,             // none of the above
};

struct Interface {
    int ifindex = 0;
    std::uint32_t slot = 0;  // position in Snapshot::interfaces, Context ports and per-if stats
    std::string name;
    MacAddr mac;
    std::uint32_t mtu = 1500;  // largest IPv4 datagram on the link (configured or the link's)
    bool admin_up = true;      // routerd's administrative state (IFF_UP)
    bool oper_up = true;       // the link's carrier / operational state (IFF_RUNNING)
    std::array<Ip4Prefix, kMaxIfAddrs> addrs{};  // addresses with their prefix length; [0] primary
    std::uint8_t naddrs = 0;
    IfSettings settings;
    IgmpIfSettings igmp;

    // Frames are received and sent only when both are up (ifnet IFF_UP and IFF_RUNNING).
    bool up() const noexcept { return admin_up && oper_up; }
    std::span<const Ip4Prefix> addresses() const noexcept { return {addrs.data(), naddrs}; }
    bool has_address(Ip4Addr a) const noexcept;
    DstClass classify(Ip4Addr dst) const noexcept;
    // True when dst lies on one of this interface's subnets (is on-link here).
    bool on_link(Ip4Addr dst) const noexcept;
    // The source address for a datagram we originate out of this interface towards dst: the
    // address whose subnet holds dst, else the primary one (RFC 1812 4.2.2.5 / 5.2.7.1). nullopt
    // when the interface has no address.
    std::optional<Ip4Addr> source_for(Ip4Addr dst) const noexcept;
};

}  // namespace routerd::inet
