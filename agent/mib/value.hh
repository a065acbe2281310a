// SPDX-License-Identifier: Apache-2.0
// Oid, Value and Varbind: SNMP data as plain C++, so the mapping code needs no Net-SNMP header.
#pragma once

#include "router/base/ip4.hh"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace routerd::agent {

/// An OBJECT IDENTIFIER. std::vector's lexicographic order is exactly SNMP's GETNEXT order
/// (RFC 3416 4.2.2), so a std::map<Oid, ...> walks like an agent.
using Oid = std::vector<std::uint32_t>;

/// `base` followed by `tail`.
inline Oid oid_cat(Oid base, std::initializer_list<std::uint32_t> tail) {
    base.insert(base.end(), tail.begin(), tail.end());
    return base;
}
inline Oid oid_cat(Oid base, const Oid& tail) {
    base.insert(base.end(), tail.begin(), tail.end());
    return base;
}
/// True when `oid` lies in the subtree rooted at `root` (root itself included).
inline bool oid_has_prefix(const Oid& oid, const Oid& root) {
    return oid.size() >= root.size() && std::equal(root.begin(), root.end(), oid.begin());
}
/// "1.3.6.1.2.1.4.1.0", for logs and test messages.
std::string oid_to_string(const Oid& oid);

/// SMI base types (RFC 2578 7.1), valued as their BER tags so Net-SNMP's ASN_* map one to one.
enum class Asn : std::uint8_t {
    integer = 0x02,
    octets = 0x04,
    null = 0x05,
    object_id = 0x06,
    ip_address = 0x40,
    counter32 = 0x41,
    gauge32 = 0x42,
    time_ticks = 0x43,
    counter64 = 0x46,
};

/// One SNMP value. Integers of every width live in `num` (INTEGER as two's complement).
struct Value {
    Asn type = Asn::null;
    std::uint64_t num = 0;
    std::string bytes;  // octets; IpAddress as 4 bytes in network order
    Oid oid;            // object_id

    static Value integer(std::int64_t v) {
        return {Asn::integer, static_cast<std::uint64_t>(v), {}, {}};
    }
    /// Counter32 is the low 32 bits of a 64-bit count: it wraps, as RFC 2578 7.1.6 expects.
    static Value counter32(std::uint64_t v) { return {Asn::counter32, v & 0xffffffffu, {}, {}}; }
    /// Gauge32 saturates at its maximum (RFC 2578 7.1.7 "latches").
    static Value gauge32(std::uint64_t v) {
        return {Asn::gauge32, v > 0xffffffffu ? 0xffffffffu : v, {}, {}};
    }
    static Value time_ticks(std::uint64_t v) { return {Asn::time_ticks, v & 0xffffffffu, {}, {}}; }
    static Value counter64(std::uint64_t v) { return {Asn::counter64, v, {}, {}}; }
    static Value octets(std::string s) { return {Asn::octets, 0, std::move(s), {}}; }
    static Value ip(Ip4Addr a) {
        std::uint32_t v = a.value();
        std::string b{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                      static_cast<char>(v >> 8), static_cast<char>(v)};
        return {Asn::ip_address, 0, std::move(b), {}};
    }
    static Value object_id(Oid o) { return {Asn::object_id, 0, {}, std::move(o)}; }
    /// TruthValue (SNMPv2-TC): true(1), false(2).
    static Value truth(bool b) { return integer(b ? 1 : 2); }

    std::int64_t as_int() const { return static_cast<std::int64_t>(num); }
    friend bool operator==(const Value&, const Value&) = default;
};

/// One object instance and its value.
struct Varbind {
    Oid oid;
    Value value;
    friend bool operator==(const Varbind&, const Varbind&) = default;
};

/// SNMP error-status values (RFC 3416 3), numbered as on the wire and as Net-SNMP's SNMP_ERR_*.
enum class SnmpErr : int {
    no_error = 0,
    gen_err = 5,
    wrong_type = 7,
    wrong_length = 8,
    wrong_value = 10,
    no_creation = 11,
    inconsistent_value = 12,
    resource_unavailable = 13,
    commit_failed = 14,
    not_writable = 17,
};

}  // namespace routerd::agent
