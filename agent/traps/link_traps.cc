// SPDX-License-Identifier: Apache-2.0
// Link event -> linkUp/linkDown varbinds.
#include "agent/traps/link_traps.hh"

#include "agent/mib/oids.hh"

namespace routerd::agent {

bool LinkTrapFilter::should_send(const api::LinkEvent& ev) {
    bool up = ev.oper == api::OperState::up;
    auto [it, inserted] = up_.try_emplace(ev.ifindex, up);
    if (inserted) {
        return true;
    }
    if (it->second == up) {
        return false;
    }
    it->second = up;
    return true;
}

std::vector<Varbind> link_trap_varbinds(const api::LinkEvent& ev) {
    // RFC 2863 6: linkDown "is about to enter the down state from some other state" (but not
    // notPresent), linkUp "left the down state"; routerd reports the state it reached.
    bool up = ev.oper == api::OperState::up;
    std::uint32_t i = ev.ifindex;
    return {
        {oids::kSnmpTrapOid, Value::object_id(up ? oids::kLinkUp : oids::kLinkDown)},
        {oid_cat(oids::kIfEntry, {1, i}), Value::integer(i)},
        {oid_cat(oids::kIfEntry, {7, i}), Value::integer(static_cast<std::int64_t>(ev.admin))},
        {oid_cat(oids::kIfEntry, {8, i}), Value::integer(static_cast<std::int64_t>(ev.oper))},
    };
}

}  // namespace routerd::agent
