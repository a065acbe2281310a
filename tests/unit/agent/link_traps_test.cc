// SPDX-License-Identifier: Apache-2.0
// linkUp/linkDown varbinds (RFC 2863 6) from routerd's link events.
#include "agent/traps/link_traps.hh"

#include "agent/mib/oids.hh"

#include <gtest/gtest.h>

namespace routerd::agent {
namespace {

TEST(LinkTraps, DownAndUp) {
    api::LinkEvent ev{3, "eth1", api::AdminState::down, api::OperState::down, 1};
    auto vbs = link_trap_varbinds(ev);
    ASSERT_EQ(vbs.size(), 4u);
    EXPECT_EQ(vbs[0].oid, oids::kSnmpTrapOid);
    EXPECT_EQ(vbs[0].value, Value::object_id(oids::kLinkDown));
    EXPECT_EQ(vbs[1].oid, (Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3}));
    EXPECT_EQ(vbs[1].value, Value::integer(3));
    EXPECT_EQ(vbs[2].oid, (Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 3}));
    EXPECT_EQ(vbs[2].value, Value::integer(2));
    EXPECT_EQ(vbs[3].oid, (Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3}));
    EXPECT_EQ(vbs[3].value, Value::integer(2));
    ev.admin = api::AdminState::up;
    ev.oper = api::OperState::up;
    EXPECT_EQ(link_trap_varbinds(ev)[0].value, Value::object_id(oids::kLinkUp));
    ev.oper = api::OperState::lower_layer_down;  // admin up, no carrier: down for SNMP
    auto d = link_trap_varbinds(ev);
    EXPECT_EQ(d[0].value, Value::object_id(oids::kLinkDown));
    EXPECT_EQ(d[3].value, Value::integer(7));
}

}  // namespace
}  // namespace routerd::agent

namespace routerd::agent {
namespace {

TEST(LinkTrapFilter, OnlyCrossingsBetweenUpAndNotUp) {
    LinkTrapFilter f;
    f.seed(3, api::OperState::up);
    auto ev = [](std::uint32_t i, api::AdminState a, api::OperState o) {
        return api::LinkEvent{i, "eth1", a, o, 1};
    };
    EXPECT_FALSE(f.should_send(ev(3, api::AdminState::up, api::OperState::up)));
    EXPECT_TRUE(f.should_send(ev(3, api::AdminState::down, api::OperState::down)));
    // admin back up, carrier not yet: still not up, no second linkDown
    EXPECT_FALSE(f.should_send(ev(3, api::AdminState::up, api::OperState::lower_layer_down)));
    EXPECT_TRUE(f.should_send(ev(3, api::AdminState::up, api::OperState::up)));
    EXPECT_TRUE(f.should_send(ev(9, api::AdminState::up, api::OperState::up)));  // unknown one
    f.reset();
    EXPECT_TRUE(f.should_send(ev(3, api::AdminState::up, api::OperState::up)));
}

}  // namespace
}  // namespace routerd::agent
