// SPDX-License-Identifier: Apache-2.0
// Frame and datagram builders: write into a caller's TX buffer, return the length or 0.
#pragma once

#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/packet/headers.hh"

#include <cstddef>
#include <cstdint>
#include <netinet/ip.h>
#include <span>

namespace routerd::packet {

// Every builder writes at the start of `buf` and returns the number of octets written, or 0
// (with `buf` in an unspecified state) when the buffer is too small or a parameter cannot be
// encoded. None allocates. Link-level builders (build_ether, the ARP frames) write a whole
// frame. IP-level builders write an IPv4 datagram — header, checksums and all — and leave the
// Ethernet header to ether_output, which prepends it into the headroom: lay a TX buffer out as
//     std::size_t off = ip4_offset(buf);            // IPv4 header 4-byte aligned
//     std::size_t n = build_icmp_echo_request(buf.subspan(off), ip, id, seq, data);
//     Packet p(buf, off, n);  p.set_l3(0);          // ether_output: p.prepend(14) ...
// IP-level builders RD_ASSERT (debug) that `buf` starts 4-byte aligned (ARCHITECTURE.md 15).

// RFC 1812 4.3.2.3: an ICMP error holds as much of the original datagram as fits in 576 octets.
inline constexpr std::size_t kIcmpErrorMaxLen = 576;

// The smallest offset >= kEtherHeaderLen at which an IPv4 header in `buf` is 4-byte aligned
// (16 for an aligned buffer): the Ethernet header then goes at offset - 14. 0 if `buf` is
// shorter than that.
std::size_t ip4_offset(std::span<const std::uint8_t> buf) noexcept;

// ---- link level ----------------------------------------------------------------------------

// RFC 894: destination, source, EtherType. 14 octets.
std::size_t build_ether(std::span<std::uint8_t> buf, const MacAddr& dst, const MacAddr& src,
                        std::uint16_t ether_type) noexcept;

// RFC 826 Ethernet/IPv4 ARP in an Ethernet II frame: 42 octets (the NIC driver pads to 60).
std::size_t build_arp(std::span<std::uint8_t> buf, const MacAddr& ether_dst, std::uint16_t op,
                      const MacAddr& sha, Ip4Addr spa, const MacAddr& tha, Ip4Addr tpa) noexcept;
// Broadcast request "who has tpa", target hardware address zero.
std::size_t build_arp_request(std::span<std::uint8_t> buf, const MacAddr& sha, Ip4Addr spa,
                              Ip4Addr tpa) noexcept;
// Unicast reply to the requester: "spa is at sha".
std::size_t build_arp_reply(std::span<std::uint8_t> buf, const MacAddr& sha, Ip4Addr spa,
                            const MacAddr& tha, Ip4Addr tpa) noexcept;
// Gratuitous ARP / RFC 5227 3 announcement: a broadcast request with spa == tpa.
std::size_t build_arp_gratuitous(std::span<std::uint8_t> buf, const MacAddr& sha,
                                 Ip4Addr spa) noexcept;

// ---- IPv4 ------------------------------------------------------------------------------------

struct Ip4Params {
    Ip4Addr src;
    Ip4Addr dst;
    std::uint8_t proto = 0;  // set by the protocol builders below
    std::uint8_t ttl = IPDEFTTL;
    std::uint8_t tos = 0;
    std::uint16_t id = 0;
    bool df = false;
    // Raw option octets, at most 40; padded here with EOL to a 4-octet boundary (RFC 791 3.1).
    std::span<const std::uint8_t> options;
};

// 20 + options rounded up to 4, or 0 when the options exceed 40 octets.
std::size_t ip4_header_len(const Ip4Params& ip) noexcept;

// The IPv4 header for a datagram of header + payload_len octets, checksum included; `buf` must
// hold the payload too (it may be written before or after). Returns the header length.
std::size_t build_ip4_header(std::span<std::uint8_t> buf, const Ip4Params& ip,
                             std::size_t payload_len) noexcept;

// ---- ICMP (RFC 792) --------------------------------------------------------------------------

// Echo request (type 8) and reply (type 0) carrying `data`.
std::size_t build_icmp_echo_request(std::span<std::uint8_t> buf, const Ip4Params& ip,
                                    std::uint16_t id, std::uint16_t seq,
                                    std::span<const std::uint8_t> data) noexcept;
std::size_t build_icmp_echo_reply(std::span<std::uint8_t> buf, const Ip4Params& ip,
                                  std::uint16_t id, std::uint16_t seq,
                                  std::span<const std::uint8_t> data) noexcept;

struct IcmpError {
    std::uint8_t type = ICMP_UNREACH;
    std::uint8_t code = 0;
    std::uint16_t next_mtu = 0;              // ICMP_UNREACH / ICMP_UNREACH_NEEDFRAG (RFC 1191 4)
    std::uint8_t pointer = 0;                // ICMP_PARAMPROB (RFC 792)
    Ip4Addr gateway;                         // ICMP_REDIRECT (RFC 792)
    std::size_t max_len = kIcmpErrorMaxLen;  // the whole ICMP datagram, IP header included
};

// An ICMP error about `original` (the offending datagram from its IP header on, trimmed to
// ip_len): RFC 792 asks for its IP header + 64 bits, RFC 1812 4.3.2.3 for as much as fits in
// e.max_len; the quote is cut to min(e.max_len, buf.size()). 0 when even the header + 64 bits
// do not fit. `original` must not overlap `buf`. The guard list (no errors about errors, ...) is
// icmp_error()'s business.
std::size_t build_icmp_error(std::span<std::uint8_t> buf, const Ip4Params& ip, const IcmpError& e,
                             std::span<const std::uint8_t> original) noexcept;

// ---- IGMP ------------------------------------------------------------------------------------

// RFC 1112 appendix I: v1 query to 224.0.0.1, TTL 1, code 0, no Router Alert.
std::size_t build_igmp_v1_query(std::span<std::uint8_t> buf, Ip4Addr src,
                                std::uint16_t id) noexcept;
// RFC 2236 2: v2 query, TTL 1, Router Alert; general (group 0) to 224.0.0.1, group-specific to
// the group. max_resp_time in tenths of a second (the code field).
std::size_t build_igmp_v2_query(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                Ip4Addr group, std::uint8_t max_resp_time) noexcept;
// Membership reports to the group: v1 (RFC 1112, no Router Alert), v2 (RFC 2236 2, with it).
std::size_t build_igmp_v1_report(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                 Ip4Addr group) noexcept;
std::size_t build_igmp_v2_report(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                 Ip4Addr group) noexcept;
// RFC 2236 2/3: Leave Group to 224.0.0.2, TTL 1, Router Alert.
std::size_t build_igmp_leave(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                             Ip4Addr group) noexcept;

struct IgmpV3Query {
    Ip4Addr group;                      // 0: general query
    std::span<const Ip4Addr> sources;   // group-and-source-specific when not empty
    bool s_flag = false;                // 4.1.5 Suppress Router-Side Processing
    std::uint8_t qrv = 2;               // 4.1.6 robustness (0 when above 7)
    std::uint32_t qqi = 125;            // 4.1.7 query interval, seconds (encoded to QQIC)
    std::uint32_t max_resp_time = 100;  // 4.1.1 tenths of a second (encoded to Max Resp Code)
};

// RFC 3376 4.1: v3 query, TTL 1, TOS 0xc0, Router Alert (RFC 3376 4); general queries to
// 224.0.0.1, group and group-and-source queries to the group (RFC 3376 4.1.12).
std::size_t build_igmp_v3_query(std::span<std::uint8_t> buf, Ip4Addr src, std::uint16_t id,
                                const IgmpV3Query& q) noexcept;

// ---- UDP and TCP -----------------------------------------------------------------------------

// RFC 768: header + payload, checksum over the pseudo-header (a computed 0 is sent as 0xffff).
std::size_t build_udp(std::span<std::uint8_t> buf, const Ip4Params& ip, std::uint16_t sport,
                      std::uint16_t dport, std::span<const std::uint8_t> payload) noexcept;

// RFC 793 3.4 "Reset Generation" for a segment to no connection: ports swapped; if it had ACK,
// <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> with SEG.LEN counting
// SYN and FIN. `ip` carries the swapped addresses. 0 for a segment that is itself a RST
// (RFC 793 3.4: never answer a reset).
std::size_t build_tcp_rst(std::span<std::uint8_t> buf, const Ip4Params& ip, ConstTcpView seg,
                          std::size_t seg_payload_len) noexcept;

}  // namespace routerd::packet
