// SPDX-License-Identifier: Apache-2.0
// IF-MIB mapping: ifTable/ifXTable columns, 32/64-bit counters, TimeStamps, ifAdminStatus SET.
#include "agent/mib/if_mib.hh"

#include "agent/mib/oids.hh"

#include <gtest/gtest.h>

namespace routerd::agent {
namespace {

InterfaceView port(std::uint32_t ifindex) {
    InterfaceView v;
    v.entry.ifindex = ifindex;
    v.entry.name = "eth1";
    v.entry.mac.bytes = {2, 0, 0, 0, 0, 7};
    v.entry.mtu = 1500;
    v.entry.admin = api::AdminState::up;
    v.entry.oper = api::OperState::lower_layer_down;
    v.entry.speed_bps = 10'000'000'000;
    v.entry.flags = api::kIffUp | api::kIffBroadcast | api::kIffPromisc;
    v.ifreq.if_entry.if_index = ifindex;
    auto& s = v.ifreq.if_stats;
    s.ifs_ipackets = 100;
    s.ifs_imcasts = 10;
    s.ifs_ibcasts = 5;
    s.ifs_ibytes = (std::uint64_t{1} << 32) + 77;
    s.ifs_opackets = 50;
    s.ifs_omcasts = 60;  // more than opackets: ucast clamps at 0
    s.ifs_oqdrops = 3;
    v.ifreq.if_outqlen = 4;
    return v;
}

TEST(IfMib, Columns) {
    TimeBase tb{1'000'000'000'000, 50'000};  // now, master up 500 s
    auto v = port(9);
    v.entry.last_change_ns = tb.now_unix_ns - 20'000'000'000;  // 20 s ago
    Rows rows;
    add_if_mib({v}, tb, tb.now_unix_ns - 100'000'000'000, rows);
    auto t = [](std::uint32_t c) { return oid_cat(oids::kIfEntry, {c, 9}); };
    auto x = [](std::uint32_t c) { return oid_cat(oids::kIfXEntry, {c, 9}); };
    EXPECT_EQ(rows.at(oid_cat(oids::kIfNumber, {0})), Value::integer(1));
    EXPECT_EQ(rows.at(t(1)), Value::integer(9));
    EXPECT_EQ(rows.at(t(2)), Value::octets("eth1"));
    EXPECT_EQ(rows.at(t(3)), Value::integer(6));
    EXPECT_EQ(rows.at(t(5)), Value::gauge32(0xffffffffu));  // 10 Gb/s latches
    EXPECT_EQ(rows.at(t(6)).bytes, std::string("\x02\x00\x00\x00\x00\x07", 6));
    EXPECT_EQ(rows.at(t(7)), Value::integer(1));
    EXPECT_EQ(rows.at(t(8)), Value::integer(7));  // lowerLayerDown
    EXPECT_EQ(rows.at(t(9)), Value::time_ticks(48'000));
    EXPECT_EQ(rows.at(t(10)), Value::counter32(77));
    EXPECT_EQ(rows.at(t(11)), Value::counter32(85));
    EXPECT_EQ(rows.at(t(12)), Value::counter32(15));
    EXPECT_EQ(rows.at(t(17)), Value::counter32(0));
    EXPECT_EQ(rows.at(t(19)), Value::counter32(3));
    EXPECT_EQ(rows.at(t(21)), Value::gauge32(4));
    EXPECT_EQ(rows.at(x(1)), Value::octets("eth1"));
    EXPECT_EQ(rows.at(x(6)), Value::counter64((std::uint64_t{1} << 32) + 77));
    EXPECT_EQ(rows.at(x(7)), Value::counter64(85));
    EXPECT_EQ(rows.at(x(15)), Value::gauge32(10'000));
    EXPECT_EQ(rows.at(x(16)), Value::truth(true));
    EXPECT_EQ(rows.at(x(19)), Value::time_ticks(40'000));
    EXPECT_EQ(rows.size(), 1u + 22u + 19u);
}

TEST(IfMib, TimeStamps) {
    TimeBase tb{500'000'000'000, 1'000};  // master up 10 s
    EXPECT_EQ(timestamp_ticks(0, tb), 0u);
    EXPECT_EQ(timestamp_ticks(tb.now_unix_ns, tb), 1'000u);
    EXPECT_EQ(timestamp_ticks(tb.now_unix_ns - 2'000'000'000, tb), 800u);
    EXPECT_EQ(timestamp_ticks(tb.now_unix_ns - 60'000'000'000, tb), 0u);  // before the master
    EXPECT_EQ(timestamp_ticks(tb.now_unix_ns + 5, tb), 1'000u);           // clock skew
}

TEST(IfMib, AdminStatusSet) {
    EXPECT_EQ(check_if_admin_status(1), SnmpErr::no_error);
    EXPECT_EQ(check_if_admin_status(2), SnmpErr::no_error);
    EXPECT_EQ(check_if_admin_status(3), SnmpErr::wrong_value);  // testing: not supported
    EXPECT_EQ(check_if_admin_status(0), SnmpErr::wrong_value);
    auto r = if_admin_request(4, 2);
    EXPECT_EQ(r.ifindex, 4u);
    EXPECT_EQ(r.admin, api::AdminState::down);
    EXPECT_EQ(if_admin_request(4, 1).admin, api::AdminState::up);
}

}  // namespace
}  // namespace routerd::agent
