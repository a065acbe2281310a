// SPDX-License-Identifier: Apache-2.0
// linkUp / linkDown (IF-MIB, RFC 2863 6) from routerd's LINK_EVENT stream (SET_MGMT).
#pragma once

#include "agent/mib/value.hh"
#include "router/api/messages.hh"

#include <cstdint>
#include <map>
#include <vector>

namespace routerd::agent {

/// Decides which link events become notifications: RFC 2863 6 ties linkDown/linkUp to
/// ifOperStatus leaving / entering up, so an event that leaves the interface on the same side
/// (an admin change while the carrier is already gone, or down -> lowerLayerDown while a port
/// comes back) sends nothing. Seeded with the interfaces' states when the subscription starts.
class LinkTrapFilter {
public:
    void reset() { up_.clear(); }
    void seed(std::uint32_t ifindex, api::OperState oper) {
        up_[ifindex] = oper == api::OperState::up;
    }
    /// True when `ev` crosses between up and not-up (or its interface was not known).
    bool should_send(const api::LinkEvent& ev);

private:
    std::map<std::uint32_t, bool> up_;
};

/// The SNMPv2 notification's varbinds for one link event: snmpTrapOID.0 = linkUp when the
/// interface is operationally up, linkDown otherwise, then ifIndex, ifAdminStatus and
/// ifOperStatus of that interface (the OBJECTS clause of both notifications).
std::vector<Varbind> link_trap_varbinds(const api::LinkEvent& ev);

}  // namespace routerd::agent
