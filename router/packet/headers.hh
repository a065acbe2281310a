// SPDX-License-Identifier: Apache-2.0
// Bounds-checked header views with BSD field names; the only place bytes change byte order.
#pragma once

#include "router/base/assert.hh"
#include "router/base/checksum.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"

#include <cstddef>
#include <cstdint>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/if_ether.h>
#include <netinet/igmp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <optional>
#include <span>
#include <type_traits>

// <netinet/ip_icmp.h> spells some struct icmp members as macros (icmp_id expands to
// icmp_hun.ih_idseq.icd_id, ...). We never access struct icmp (see below), and the views use
// these BSD names as accessors, so the shorthands go; the include guard keeps them gone.
#undef icmp_pptr
#undef icmp_gwaddr
#undef icmp_id
#undef icmp_seq
#undef icmp_void
#undef icmp_nextmtu
#undef icmp_otime
#undef icmp_rtime
#undef icmp_ttime
#undef icmp_ip
#undef icmp_mask
#undef icmp_data

namespace routerd::packet {

// How to read this file. Each view wraps a span of bytes and is made only by its static parse(),
// which checks the minimum length once; every accessor then reads at fixed offsets inside that
// minimum, or returns std::optional for a field beyond it, so no accessor reads out of bounds.
// Bytes are never reinterpret_cast to glibc's structs (alignment, aliasing); the structs lend
// their BSD field names and the headers their constants. Values are returned in host order,
// addresses as Ip4Addr, hardware addresses as MacAddr. Views come in two flavours:
// XView over mutable bytes (with setters) and ConstXView over const bytes (read only).
// Parsing checks sizes, not semantics: version, ip_hl, checksums and ip_len are for the
// stages (inet/ip_check) to judge, and the views stay safe whatever those fields say.

// ---- byte order: the converters -------------------------------------------------------------

constexpr std::uint16_t load_be16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}
constexpr void store_be16(std::uint8_t* p, std::uint16_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
constexpr Ip4Addr load_ip4(const std::uint8_t* p) noexcept {
    return Ip4Addr(load_be32(p));
}
constexpr void store_ip4(std::uint8_t* p, Ip4Addr a) noexcept {
    store_be32(p, a.value());
}
constexpr MacAddr load_mac(const std::uint8_t* p) noexcept {
    return MacAddr{{p[0], p[1], p[2], p[3], p[4], p[5]}};
}
constexpr void store_mac(std::uint8_t* p, const MacAddr& m) noexcept {
    for (std::size_t i = 0; i < m.bytes.size(); ++i) {
        p[i] = m.bytes[i];
    }
}

// ---- sizes and numbers not spelled by glibc -------------------------------------------------

inline constexpr std::size_t kEtherHeaderLen = ETHER_HDR_LEN;  // 14
// IEEE 802.3 3.2.6: a type/length field >= 0x0600 is an EtherType (RFC 894), <= 1500 a length;
// 1501-1535 is neither.
inline constexpr std::uint16_t kEtherTypeMin = 0x0600;
inline constexpr std::uint16_t kEther8023MaxLen = ETHERMTU;  // 1500
// RFC 1042: LLC (DSAP 0xAA, SSAP 0xAA, control 3 = UI) + SNAP (OUI 00-00-00, EtherType).
inline constexpr std::size_t kSnapHeaderLen = 8;
inline constexpr std::uint8_t kLlcSnapSap = 0xaa;
inline constexpr std::uint8_t kLlcUi = 0x03;
// RFC 826 for hardware Ethernet (6-octet addresses) and protocol IPv4 (4-octet addresses).
inline constexpr std::size_t kArpEtherIp4Len = 28;
inline constexpr std::size_t kIp4HeaderLen = 20;  // RFC 791 3.1: IHL >= 5
inline constexpr std::size_t kIp4MaxHeaderLen = 60;
inline constexpr std::size_t kIp4MaxOptionsLen = MAX_IPOPTLEN;  // 40
inline constexpr std::size_t kIcmpHeaderLen = ICMP_MINLEN;      // 8
inline constexpr std::size_t kIcmpTsLen = 20;                   // ICMP_TSLEN: RFC 792 timestamp
inline constexpr std::size_t kIcmpMaskLen = ICMP_MASKLEN;       // 12: RFC 950 address mask
inline constexpr std::size_t kIgmpHeaderLen = IGMP_MINLEN;      // 8
inline constexpr std::size_t kIgmpV3QueryMinLen = 12;           // RFC 3376 4.1
inline constexpr std::size_t kIgmpV3RecordHeaderLen = 8;        // RFC 3376 4.2.4
inline constexpr std::uint8_t kIgmpV3MembershipReport = 0x22;   // RFC 3376 4
// RFC 3376 4.2.12: group record types.
inline constexpr std::uint8_t kIgmpV3ModeIsInclude = 1;
inline constexpr std::uint8_t kIgmpV3ModeIsExclude = 2;
inline constexpr std::uint8_t kIgmpV3ChangeToInclude = 3;
inline constexpr std::uint8_t kIgmpV3ChangeToExclude = 4;
inline constexpr std::uint8_t kIgmpV3AllowNewSources = 5;
inline constexpr std::uint8_t kIgmpV3BlockOldSources = 6;
inline constexpr std::size_t kUdpHeaderLen = 8;
inline constexpr std::size_t kTcpHeaderLen = 20;
inline constexpr std::size_t kIpOptRouterAlertLen = 4;  // RFC 2113 2.1
// RFC 1112 4 / RFC 2236 9: all-systems and all-routers groups.
inline constexpr Ip4Addr kAllHostsGroup = Ip4Addr::from_octets(224, 0, 0, 1);
inline constexpr Ip4Addr kAllRoutersGroup = Ip4Addr::from_octets(224, 0, 0, 2);

// RFC 768 (UDP) and RFC 793 3.1 (TCP): the checksum over the pseudo-header {ip_src, ip_dst, 0,
// protocol, segment length} and the segment. Store the result in a zeroed checksum field; over
// a segment that holds its checksum it returns 0. (UDP stores a computed 0 as 0xffff.)
std::uint16_t ip4_pseudo_cksum(Ip4Addr src, Ip4Addr dst, std::uint8_t proto,
                               std::span<const std::uint8_t> segment) noexcept;

// RFC 3376 4.1.1 (Max Resp Code) and 4.1.7 (QQIC): a code below 128 is the value itself; from
// 128 it is 1|exp(3 bits)|mant(4 bits) meaning (mant | 0x10) << (exp + 3).
constexpr std::uint32_t igmp_decode_code(std::uint8_t code) noexcept {
    if (code < 128) {
        return code;
    }
    std::uint32_t mant = code & 0x0fu;
    std::uint32_t exp = (code >> 4) & 0x07u;
    return (mant | 0x10u) << (exp + 3);
}
// The inverse: the largest code whose value does not exceed `value` (values round down so a
// timer never grows), saturating at 0xff (31744).
std::uint8_t igmp_encode_code(std::uint32_t value) noexcept;

namespace detail {

template <class B>
inline constexpr bool kMutableBytes = !std::is_const_v<B>;

// The common core: a span and fixed-offset reads and writes inside it.
template <class B>
class ByteView {
    static_assert(std::is_same_v<std::remove_const_t<B>, std::uint8_t>);

public:
    // Setters exist only over mutable bytes.
    static constexpr bool kMutable = kMutableBytes<B>;

    std::span<B> bytes() const noexcept { return b_; }
    std::size_t size() const noexcept { return b_.size(); }

protected:
    constexpr explicit ByteView(std::span<B> b) noexcept : b_(b) {}

    std::uint8_t u8(std::size_t off) const noexcept { return b_[off]; }
    std::uint16_t u16(std::size_t off) const noexcept { return load_be16(b_.data() + off); }
    std::uint32_t u32(std::size_t off) const noexcept { return load_be32(b_.data() + off); }
    Ip4Addr ip4(std::size_t off) const noexcept { return load_ip4(b_.data() + off); }
    MacAddr mac(std::size_t off) const noexcept { return load_mac(b_.data() + off); }
    void put8(std::size_t off, std::uint8_t v) const noexcept requires kMutable { b_[off] = v; }
    void put16(std::size_t off, std::uint16_t v) const noexcept requires kMutable {
        store_be16(b_.data() + off, v);
    }
    void put32(std::size_t off, std::uint32_t v) const noexcept requires kMutable {
        store_be32(b_.data() + off, v);
    }

    std::span<B> b_;
};

}  // namespace detail

// ---- Ethernet (RFC 894) and IEEE 802.3 + LLC/SNAP (RFC 1042) --------------------------------

enum class EtherEncap : std::uint8_t {
    ethernet_ii,  // RFC 894: type field >= 0x0600
    snap,         // RFC 1042: 802.3 length, LLC AA-AA-03, SNAP OUI 0 + EtherType
    llc,          // 802.3 length with some other LLC payload (not ours to carry)
    invalid,      // 1501-1535, a length past the frame, or a SNAP header cut short
};

struct EtherPayload {
    EtherEncap encap = EtherEncap::invalid;
    std::uint16_t ether_type = 0;  // the protocol for ethernet_ii and snap, else 0
    std::size_t offset = 0;        // of the payload from the start of the frame
    std::size_t len = 0;           // payload octets (802.3: from the length field, no padding)
};

template <class B>
class BasicEtherView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    static std::optional<BasicEtherView> parse(std::span<B> b) noexcept {
        if (b.size() < kEtherHeaderLen) {
            return std::nullopt;
        }
        return BasicEtherView(b);
    }

    MacAddr ether_dhost() const noexcept { return this->mac(0); }
    MacAddr ether_shost() const noexcept { return this->mac(6); }
    // The raw type/length field: an EtherType only when >= kEtherTypeMin; see payload().
    std::uint16_t ether_type() const noexcept { return this->u16(12); }
    // IEEE 802.3 3.2.6: a value <= 1500 is a length, never a type.
    bool is_8023_length() const noexcept { return ether_type() <= kEther8023MaxLen; }

    EtherPayload payload() const noexcept {
        const std::size_t avail = this->size() - kEtherHeaderLen;
        const std::uint16_t t = ether_type();
        if (t >= kEtherTypeMin) {  // RFC 894
            return {EtherEncap::ethernet_ii, t, kEtherHeaderLen, avail};
        }
        if (t > kEther8023MaxLen || t > avail) {  // IEEE 802.3 3.2.6; length past the frame
            return {EtherEncap::invalid, 0, kEtherHeaderLen, 0};
        }
        // RFC 1042: DSAP = SSAP = 170 (0xAA), control 3, OUI 0, then the EtherType.
        const std::size_t o = kEtherHeaderLen;
        if (t >= 2 && this->u8(o) == kLlcSnapSap && this->u8(o + 1) == kLlcSnapSap) {
            if (t < kSnapHeaderLen) {
                return {EtherEncap::invalid, 0, kEtherHeaderLen, 0};
            }
            if (this->u8(o + 2) == kLlcUi && this->u8(o + 3) == 0 && this->u8(o + 4) == 0 &&
                this->u8(o + 5) == 0) {
                return {EtherEncap::snap, this->u16(o + 6), o + kSnapHeaderLen,
                        std::size_t{t} - kSnapHeaderLen};
            }
        }
        return {EtherEncap::llc, 0, kEtherHeaderLen, t};
    }

    void set_ether_dhost(const MacAddr& m) const noexcept requires kMutable {
        store_mac(this->b_.data(), m);
    }
    void set_ether_shost(const MacAddr& m) const noexcept requires kMutable {
        store_mac(this->b_.data() + 6, m);
    }
    void set_ether_type(std::uint16_t t) const noexcept requires kMutable { this->put16(12, t); }

private:
    explicit BasicEtherView(std::span<B> b) noexcept : Base(b) {}
};
using EtherView = BasicEtherView<std::uint8_t>;
using ConstEtherView = BasicEtherView<const std::uint8_t>;

// ---- ARP for Ethernet / IPv4 (RFC 826) ------------------------------------------------------

template <class B>
class BasicArpView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    static std::optional<BasicArpView> parse(std::span<B> b) noexcept {
        if (b.size() < kArpEtherIp4Len) {
            return std::nullopt;
        }
        return BasicArpView(b);
    }

    std::uint16_t ar_hrd() const noexcept { return this->u16(0); }
    std::uint16_t ar_pro() const noexcept { return this->u16(2); }
    std::uint8_t ar_hln() const noexcept { return this->u8(4); }
    std::uint8_t ar_pln() const noexcept { return this->u8(5); }
    std::uint16_t ar_op() const noexcept { return this->u16(6); }
    MacAddr arp_sha() const noexcept { return this->mac(8); }
    Ip4Addr arp_spa() const noexcept { return this->ip4(14); }
    MacAddr arp_tha() const noexcept { return this->mac(18); }
    Ip4Addr arp_tpa() const noexcept { return this->ip4(24); }
    // RFC 826 "Packet Reception": the hardware and protocol types and lengths we speak.
    bool is_ether_ip4() const noexcept {
        return ar_hrd() == ARPHRD_ETHER && ar_pro() == ETHERTYPE_IP && ar_hln() == ETHER_ADDR_LEN &&
               ar_pln() == 4;
    }

    // Writes ar_hrd, ar_pro, ar_hln, ar_pln for Ethernet / IPv4.
    void set_ether_ip4() const noexcept requires kMutable {
        this->put16(0, ARPHRD_ETHER);
        this->put16(2, ETHERTYPE_IP);
        this->put8(4, ETHER_ADDR_LEN);
        this->put8(5, 4);
    }
    void set_ar_op(std::uint16_t op) const noexcept requires kMutable { this->put16(6, op); }
    void set_arp_sha(const MacAddr& m) const noexcept requires kMutable {
        store_mac(this->b_.data() + 8, m);
    }
    void set_arp_spa(Ip4Addr a) const noexcept requires kMutable { this->put32(14, a.value()); }
    void set_arp_tha(const MacAddr& m) const noexcept requires kMutable {
        store_mac(this->b_.data() + 18, m);
    }
    void set_arp_tpa(Ip4Addr a) const noexcept requires kMutable { this->put32(24, a.value()); }

private:
    explicit BasicArpView(std::span<B> b) noexcept : Base(b) {}
};
using ArpView = BasicArpView<std::uint8_t>;
using ConstArpView = BasicArpView<const std::uint8_t>;

// ---- IPv4 options (RFC 791 3.1) -------------------------------------------------------------

enum class Ip4OptError : std::uint8_t {
    none,
    truncated,    // an option other than EOL/NOP with no room left for its length octet
    bad_length,   // length < 2, or not the option's structure (RR/SRR 3+4n, TS 4+4n or 4+8n, RA 4)
    overrun,      // the length runs past the end of the header
    bad_pointer,  // RR/LSRR/SSRR pointer < 4, TS pointer < 5, or one inside the data area that
                  // is off a slot boundary or leaves room for only part of a slot
    bad_flag,     // TS flag other than 0, 1, 3
    duplicate,    // a second RR, TS or source route (RFC 791: "appears at most once")
};

struct Ip4Option {
    std::uint8_t type = 0;
    std::uint8_t length = 0;             // octets including type and length octets; NOP: 1
    std::span<const std::uint8_t> data;  // after the length octet (RR, TS, SRR: data[0] = pointer)
    std::size_t offset = 0;              // of the type octet from the start of the IP header

    // RR, LSRR, SSRR, TS: the pointer octet (RFC 791), relative to the option start.
    std::uint8_t pointer() const noexcept { return data.empty() ? 0 : data[0]; }
};

// Walks the options of one IPv4 header without allocating:
//     Ip4OptionIter it(ip.header());
//     while (auto opt = it.next()) { ... }
//     if (it.failed()) { parameter problem at it.error_offset(); }
// EOL ends the walk (it is not yielded); NOP is yielded as a 1-octet option. A malformed option
// ends the walk in the error state, with the RFC 792 Parameter Problem pointer: the octet, from
// the start of the IP header, where the error lies (as BSD ip_dooptions points: the length octet
// for a length error, the pointer octet for a pointer error, the flag octet for a TS flag, the
// type octet for a truncated or duplicate option).
class Ip4OptionIter {
public:
    // `header`: the whole IP header, fixed part included; options start at octet 20.
    explicit Ip4OptionIter(std::span<const std::uint8_t> header) noexcept
        : h_(header), pos_(kIp4HeaderLen) {}

    std::optional<Ip4Option> next() noexcept;

    bool failed() const noexcept { return error_ != Ip4OptError::none; }
    Ip4OptError error() const noexcept { return error_; }
    std::size_t error_offset() const noexcept { return error_offset_; }

private:
    std::optional<Ip4Option> fail(Ip4OptError e, std::size_t offset) noexcept;
    Ip4OptError check(const Ip4Option& opt, std::size_t* bad_octet) noexcept;

    std::span<const std::uint8_t> h_;
    std::size_t pos_;
    std::size_t error_offset_ = 0;
    Ip4OptError error_ = Ip4OptError::none;
    bool done_ = false;
    std::uint8_t seen_ = 0;  // bits: RR, TS, source route
};

// Walks all options; {none, 0} when they are well formed.
struct Ip4OptCheck {
    Ip4OptError error = Ip4OptError::none;
    std::size_t offset = 0;
};
Ip4OptCheck ip4_options_check(std::span<const std::uint8_t> header) noexcept;

// ---- IPv4 header (RFC 791 3.1) --------------------------------------------------------------

template <class B>
class BasicIp4View : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    // Needs the 20-octet fixed header; ip_hl, ip_v, ip_len and ip_sum are not judged here.
    static std::optional<BasicIp4View> parse(std::span<B> b) noexcept {
        if (b.size() < kIp4HeaderLen) {
            return std::nullopt;
        }
        return BasicIp4View(b);
    }

    std::uint8_t ip_v() const noexcept { return this->u8(0) >> 4; }
    std::uint8_t ip_hl() const noexcept { return this->u8(0) & 0x0f; }  // 32-bit words
    std::size_t header_len() const noexcept { return std::size_t{ip_hl()} * 4; }
    // RFC 791 3.1: IHL >= 5 and the header inside the bytes we hold.
    bool header_complete() const noexcept {
        return header_len() >= kIp4HeaderLen && header_len() <= this->size();
    }
    std::uint8_t ip_tos() const noexcept { return this->u8(1); }
    std::uint16_t ip_len() const noexcept { return this->u16(2); }
    std::uint16_t ip_id() const noexcept { return this->u16(4); }
    std::uint16_t ip_off() const noexcept { return this->u16(6); }  // flags + fragment offset
    bool ip_df() const noexcept { return (ip_off() & IP_DF) != 0; }
    bool ip_mf() const noexcept { return (ip_off() & IP_MF) != 0; }
    std::size_t frag_offset() const noexcept {
        return static_cast<std::size_t>(ip_off() & IP_OFFMASK) * 8;
    }
    bool is_fragment() const noexcept { return (ip_off() & (IP_MF | IP_OFFMASK)) != 0; }
    std::uint8_t ip_ttl() const noexcept { return this->u8(8); }
    std::uint8_t ip_p() const noexcept { return this->u8(9); }
    std::uint16_t ip_sum() const noexcept { return this->u16(10); }
    Ip4Addr ip_src() const noexcept { return this->ip4(12); }
    Ip4Addr ip_dst() const noexcept { return this->ip4(16); }

    // The header as far as it is held: header_len() octets, clamped to [20, size()] so that a
    // lying ip_hl never reaches outside the bytes.
    std::span<B> header() const noexcept { return this->b_.first(clamped_header_len()); }
    std::span<B> options() const noexcept { return header().subspan(kIp4HeaderLen); }
    Ip4OptionIter options_iter() const noexcept { return Ip4OptionIter(header()); }
    // Everything after the header in the span; callers trim the span to ip_len first.
    std::span<B> payload() const noexcept { return this->b_.subspan(clamped_header_len()); }

    // The value ip_sum must hold (RFC 791 3.1 header checksum), computed with ip_sum as zero.
    std::uint16_t compute_sum() const noexcept {
        auto h = header();
        std::uint32_t partial = cksum_add(h.data(), 10);
        return static_cast<std::uint16_t>(~cksum_add(h.data() + 12, h.size() - 12, partial));
    }
    // RFC 1071 1 (3): the header including ip_sum sums to zero. header() is ip_hl 32-bit words
    // unless the span is shorter; such a cut header takes the general sum.
    bool cksum_ok() const noexcept {
        auto h = header();
        return h.size() % 4 == 0 ? ip_header_cksum(h.data(), h.size()) == 0
                                 : in_cksum(h.data(), h.size()) == 0;
    }

    void set_ip_v(std::uint8_t v) const noexcept requires kMutable {
        this->put8(0, static_cast<std::uint8_t>((v << 4) | ip_hl()));
    }
    void set_ip_hl(std::uint8_t words) const noexcept requires kMutable {
        this->put8(0, static_cast<std::uint8_t>((this->u8(0) & 0xf0) | (words & 0x0f)));
    }
    void set_ip_tos(std::uint8_t v) const noexcept requires kMutable { this->put8(1, v); }
    void set_ip_len(std::uint16_t v) const noexcept requires kMutable { this->put16(2, v); }
    void set_ip_id(std::uint16_t v) const noexcept requires kMutable { this->put16(4, v); }
    void set_ip_off(std::uint16_t v) const noexcept requires kMutable { this->put16(6, v); }
    void set_ip_ttl(std::uint8_t v) const noexcept requires kMutable { this->put8(8, v); }
    void set_ip_p(std::uint8_t v) const noexcept requires kMutable { this->put8(9, v); }
    void set_ip_sum(std::uint16_t v) const noexcept requires kMutable { this->put16(10, v); }
    void set_ip_src(Ip4Addr a) const noexcept requires kMutable { this->put32(12, a.value()); }
    void set_ip_dst(Ip4Addr a) const noexcept requires kMutable { this->put32(16, a.value()); }
    // Recomputes ip_sum after raw setters.
    void update_sum() const noexcept requires kMutable { set_ip_sum(compute_sum()); }

    // Forwarding rewrites with an incremental checksum update (RFC 1624 eqn. 3): TTL (RFC 1812
    // 5.3.1) and addresses (source routes, RFC 1812 5.3.13.4). A header that verified before
    // verifies after.
    void set_ip_ttl_and_sum(std::uint8_t ttl) const noexcept requires kMutable {
        const std::uint16_t old_word = this->u16(8);  // ttl and protocol share one word
        set_ip_ttl(ttl);
        set_ip_sum(cksum_update16(ip_sum(), old_word, this->u16(8)));
    }
    void set_ip_src_and_sum(Ip4Addr a) const noexcept requires kMutable {
        set_ip_sum(cksum_update32(ip_sum(), ip_src().value(), a.value()));
        set_ip_src(a);
    }
    void set_ip_dst_and_sum(Ip4Addr a) const noexcept requires kMutable {
        set_ip_sum(cksum_update32(ip_sum(), ip_dst().value(), a.value()));
        set_ip_dst(a);
    }

private:
    explicit BasicIp4View(std::span<B> b) noexcept : Base(b) {}

    std::size_t clamped_header_len() const noexcept {
        const std::size_t hl = header_len();
        return hl < kIp4HeaderLen ? kIp4HeaderLen : (hl > this->size() ? this->size() : hl);
    }
};
using Ip4View = BasicIp4View<std::uint8_t>;
using ConstIp4View = BasicIp4View<const std::uint8_t>;

// ---- ICMP (RFC 792, RFC 950 mask, RFC 1191 next-hop MTU) ------------------------------------

// RFC 1122 3.2.2: the error messages (the rest are queries, BSD ICMP_INFOTYPE); RFC 1812
// 4.3.2.7: no ICMP error is ever sent about one of these.
constexpr bool icmp_is_error(std::uint8_t type) noexcept {
    return type == ICMP_UNREACH || type == ICMP_SOURCEQUENCH || type == ICMP_REDIRECT ||
           type == ICMP_TIMXCEED || type == ICMP_PARAMPROB;
}

template <class B>
class BasicIcmpView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    // ICMP_MINLEN: type, code, checksum and the 4-octet rest-of-header.
    static std::optional<BasicIcmpView> parse(std::span<B> b) noexcept {
        if (b.size() < kIcmpHeaderLen) {
            return std::nullopt;
        }
        return BasicIcmpView(b);
    }

    std::uint8_t icmp_type() const noexcept { return this->u8(0); }
    std::uint8_t icmp_code() const noexcept { return this->u8(1); }
    std::uint16_t icmp_cksum() const noexcept { return this->u16(2); }
    // Echo, timestamp, information and mask messages (RFC 792, RFC 950).
    std::uint16_t icmp_id() const noexcept { return this->u16(4); }
    std::uint16_t icmp_seq() const noexcept { return this->u16(6); }
    // Redirect (type 5): the gateway address.
    Ip4Addr icmp_gwaddr() const noexcept { return this->ip4(4); }
    // Parameter problem (type 12): the pointer octet.
    std::uint8_t icmp_pptr() const noexcept { return this->u8(4); }
    // Unreachable / fragmentation needed (3/4): RFC 1191 4, the next-hop MTU in octets 6-7.
    std::uint16_t icmp_nextmtu() const noexcept { return this->u16(6); }
    // The rest-of-header word as a whole (unused in most errors).
    std::uint32_t icmp_void() const noexcept { return this->u32(4); }
    // Everything after the 8-octet header: echo data, or the quoted datagram of an error.
    std::span<B> icmp_data() const noexcept { return this->b_.subspan(kIcmpHeaderLen); }
    // An error's quoted IP header (RFC 792: the header plus 64 bits), when 20 octets are there.
    std::optional<BasicIp4View<B>> icmp_ip() const noexcept {
        return BasicIp4View<B>::parse(icmp_data());
    }
    // Timestamp / timestamp reply (RFC 792): present only in kIcmpTsLen (20) octets.
    std::optional<std::uint32_t> icmp_otime() const noexcept { return word_at(8); }
    std::optional<std::uint32_t> icmp_rtime() const noexcept { return word_at(12); }
    std::optional<std::uint32_t> icmp_ttime() const noexcept { return word_at(16); }
    // Address mask request / reply (RFC 950): present only in kIcmpMaskLen (12) octets.
    std::optional<Ip4Addr> icmp_mask() const noexcept {
        auto w = word_at(8);
        return w ? std::optional<Ip4Addr>(Ip4Addr(*w)) : std::nullopt;
    }

    // The checksum covers the whole ICMP message (RFC 792), computed with icmp_cksum as zero.
    std::uint16_t compute_sum() const noexcept {
        std::uint32_t partial = cksum_add(this->b_.data(), 2);
        return static_cast<std::uint16_t>(
            ~cksum_add(this->b_.data() + 4, this->size() - 4, partial));
    }
    bool cksum_ok() const noexcept { return in_cksum(this->b_.data(), this->size()) == 0; }

    void set_icmp_type(std::uint8_t v) const noexcept requires kMutable { this->put8(0, v); }
    void set_icmp_code(std::uint8_t v) const noexcept requires kMutable { this->put8(1, v); }
    void set_icmp_cksum(std::uint16_t v) const noexcept requires kMutable { this->put16(2, v); }
    void set_icmp_id(std::uint16_t v) const noexcept requires kMutable { this->put16(4, v); }
    void set_icmp_seq(std::uint16_t v) const noexcept requires kMutable { this->put16(6, v); }
    void set_icmp_void(std::uint32_t v) const noexcept requires kMutable { this->put32(4, v); }
    void set_icmp_gwaddr(Ip4Addr a) const noexcept requires kMutable { this->put32(4, a.value()); }
    // The two setters below also zero the unused octets of the word (RFC 792, RFC 1191 4).
    void set_icmp_pptr(std::uint8_t v) const noexcept requires kMutable {
        this->put32(4, std::uint32_t{v} << 24);
    }
    void set_icmp_nextmtu(std::uint16_t v) const noexcept requires kMutable { this->put32(4, v); }
    // Timestamps and mask: false, unchanged, when the message is too short to hold them.
    bool set_icmp_otime(std::uint32_t v) const noexcept requires kMutable {
        return put_word_at(8, v);
    }
    bool set_icmp_rtime(std::uint32_t v) const noexcept requires kMutable {
        return put_word_at(12, v);
    }
    bool set_icmp_ttime(std::uint32_t v) const noexcept requires kMutable {
        return put_word_at(16, v);
    }
    bool set_icmp_mask(Ip4Addr a) const noexcept requires kMutable {
        return put_word_at(8, a.value());
    }
    void update_sum() const noexcept requires kMutable { set_icmp_cksum(compute_sum()); }

private:
    explicit BasicIcmpView(std::span<B> b) noexcept : Base(b) {}

    std::optional<std::uint32_t> word_at(std::size_t off) const noexcept {
        if (this->size() < off + 4) {
            return std::nullopt;
        }
        return this->u32(off);
    }
    bool put_word_at(std::size_t off, std::uint32_t v) const noexcept requires kMutable {
        if (this->size() < off + 4) {
            return false;
        }
        this->put32(off, v);
        return true;
    }
};
using IcmpView = BasicIcmpView<std::uint8_t>;
using ConstIcmpView = BasicIcmpView<const std::uint8_t>;

// ---- IGMP v1 / v2 (RFC 1112 appendix I, RFC 2236 2) and v3 (RFC 3376 4) ---------------------

enum class IgmpQueryVersion : std::uint8_t { v1, v2, v3, invalid };

template <class B>
class BasicIgmpView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    // IGMP_MINLEN: the 8-octet message every version starts with.
    static std::optional<BasicIgmpView> parse(std::span<B> b) noexcept {
        if (b.size() < kIgmpHeaderLen) {
            return std::nullopt;
        }
        return BasicIgmpView(b);
    }

    std::uint8_t igmp_type() const noexcept { return this->u8(0); }
    std::uint8_t igmp_code() const noexcept { return this->u8(1); }  // v2: max resp time, 1/10 s
    std::uint16_t igmp_cksum() const noexcept { return this->u16(2); }
    Ip4Addr igmp_group() const noexcept { return this->ip4(4); }

    // RFC 3376 7.1: a query's version is told by its length and code: 8 octets and code 0 is
    // v1, 8 octets otherwise v2, 12 or more v3; any other length MUST be ignored.
    IgmpQueryVersion query_version() const noexcept {
        if (this->size() == kIgmpHeaderLen) {
            return igmp_code() == 0 ? IgmpQueryVersion::v1 : IgmpQueryVersion::v2;
        }
        return this->size() >= kIgmpV3QueryMinLen ? IgmpQueryVersion::v3
                                                  : IgmpQueryVersion::invalid;
    }

    // RFC 2236 2.3 / RFC 3376 4.1.2: the checksum covers the whole IGMP message.
    std::uint16_t compute_sum() const noexcept {
        std::uint32_t partial = cksum_add(this->b_.data(), 2);
        return static_cast<std::uint16_t>(
            ~cksum_add(this->b_.data() + 4, this->size() - 4, partial));
    }
    bool cksum_ok() const noexcept { return in_cksum(this->b_.data(), this->size()) == 0; }

    void set_igmp_type(std::uint8_t v) const noexcept requires kMutable { this->put8(0, v); }
    void set_igmp_code(std::uint8_t v) const noexcept requires kMutable { this->put8(1, v); }
    void set_igmp_cksum(std::uint16_t v) const noexcept requires kMutable { this->put16(2, v); }
    void set_igmp_group(Ip4Addr a) const noexcept requires kMutable { this->put32(4, a.value()); }
    void update_sum() const noexcept requires kMutable { set_igmp_cksum(compute_sum()); }

private:
    explicit BasicIgmpView(std::span<B> b) noexcept : Base(b) {}
};
using IgmpView = BasicIgmpView<std::uint8_t>;
using ConstIgmpView = BasicIgmpView<const std::uint8_t>;

// RFC 3376 4.1: the v3 Membership Query (type 0x11, 12 octets or more).
template <class B>
class BasicIgmpV3QueryView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    // A query of type 0x11 with at least 12 octets whose Number of Sources fits the length
    // (RFC 3376 4.1.8); octets after the last source are allowed and ignored (RFC 3376 4.1.10).
    static std::optional<BasicIgmpV3QueryView> parse(std::span<B> b) noexcept {
        if (b.size() < kIgmpV3QueryMinLen || b[0] != IGMP_MEMBERSHIP_QUERY) {
            return std::nullopt;
        }
        const std::size_t n = load_be16(b.data() + 10);
        if (n * 4 > b.size() - kIgmpV3QueryMinLen) {
            return std::nullopt;
        }
        return BasicIgmpV3QueryView(b);
    }

    std::uint8_t igmp_type() const noexcept { return this->u8(0); }
    std::uint8_t igmp_code() const noexcept { return this->u8(1); }  // Max Resp Code (4.1.1)
    std::uint16_t igmp_cksum() const noexcept { return this->u16(2); }
    Ip4Addr igmp_group() const noexcept { return this->ip4(4); }
    bool s_flag() const noexcept { return (this->u8(8) & 0x08) != 0; }  // 4.1.5
    std::uint8_t qrv() const noexcept { return this->u8(8) & 0x07; }    // 4.1.6
    std::uint8_t qqic() const noexcept { return this->u8(9); }          // 4.1.7
    std::uint16_t num_sources() const noexcept { return this->u16(10); }
    // Max Resp Time in units of 1/10 second (4.1.1) and Querier's Query Interval in seconds.
    std::uint32_t max_resp_time() const noexcept { return igmp_decode_code(igmp_code()); }
    std::uint32_t qqi() const noexcept { return igmp_decode_code(qqic()); }
    std::span<B> sources() const noexcept {
        return this->b_.subspan(kIgmpV3QueryMinLen, std::size_t{num_sources()} * 4);
    }
    Ip4Addr source(std::size_t i) const noexcept {
        RD_ASSERT(i < num_sources());
        return i < num_sources() ? this->ip4(kIgmpV3QueryMinLen + i * 4) : Ip4Addr{};
    }

private:
    explicit BasicIgmpV3QueryView(std::span<B> b) noexcept : Base(b) {}
};
using IgmpV3QueryView = BasicIgmpV3QueryView<std::uint8_t>;
using ConstIgmpV3QueryView = BasicIgmpV3QueryView<const std::uint8_t>;

// RFC 3376 4.2.4: one group record of a v3 report.
struct IgmpV3Record {
    std::uint8_t type = 0;          // 4.2.12: kIgmpV3ModeIsInclude ... BlockOldSources
    std::uint8_t aux_data_len = 0;  // in 32-bit words; the aux data is skipped (4.2.6)
    std::uint16_t num_sources = 0;
    Ip4Addr group;                          // Multicast Address
    std::span<const std::uint8_t> sources;  // num_sources * 4 octets
    std::size_t offset = 0;                 // of the record from the start of the IGMP message

    Ip4Addr source(std::size_t i) const noexcept {
        RD_ASSERT(i < num_sources);
        return i < num_sources ? load_ip4(sources.data() + i * 4) : Ip4Addr{};
    }
};

// Walks the Number of Group Records records of a v3 report, allocation-free, next()-style. A
// record whose header, sources or aux data run past the message ends the walk in the error
// state with error_offset() at that record (RFC 3376 4.2: such a report is malformed).
class IgmpV3RecordIter {
public:
    // `report`: the whole IGMP message (8-octet header included).
    explicit IgmpV3RecordIter(std::span<const std::uint8_t> report) noexcept;

    std::optional<IgmpV3Record> next() noexcept;
    bool failed() const noexcept { return failed_; }
    std::size_t error_offset() const noexcept { return error_offset_; }

private:
    std::span<const std::uint8_t> m_;
    std::size_t pos_ = kIgmpHeaderLen;
    std::size_t left_ = 0;
    std::size_t error_offset_ = 0;
    bool failed_ = false;
};

// RFC 3376 4.2: the v3 Membership Report (type 0x22).
template <class B>
class BasicIgmpV3ReportView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    static std::optional<BasicIgmpV3ReportView> parse(std::span<B> b) noexcept {
        if (b.size() < kIgmpHeaderLen || b[0] != kIgmpV3MembershipReport) {
            return std::nullopt;
        }
        return BasicIgmpV3ReportView(b);
    }

    std::uint8_t igmp_type() const noexcept { return this->u8(0); }
    std::uint16_t igmp_cksum() const noexcept { return this->u16(2); }
    std::uint16_t num_records() const noexcept { return this->u16(6); }
    IgmpV3RecordIter records() const noexcept { return IgmpV3RecordIter(this->b_); }

private:
    explicit BasicIgmpV3ReportView(std::span<B> b) noexcept : Base(b) {}
};
using IgmpV3ReportView = BasicIgmpV3ReportView<std::uint8_t>;
using ConstIgmpV3ReportView = BasicIgmpV3ReportView<const std::uint8_t>;

// ---- UDP (RFC 768) and TCP (RFC 793 3.1) ----------------------------------------------------

template <class B>
class BasicUdpView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    static std::optional<BasicUdpView> parse(std::span<B> b) noexcept {
        if (b.size() < kUdpHeaderLen) {
            return std::nullopt;
        }
        return BasicUdpView(b);
    }

    std::uint16_t uh_sport() const noexcept { return this->u16(0); }
    std::uint16_t uh_dport() const noexcept { return this->u16(2); }
    std::uint16_t uh_ulen() const noexcept { return this->u16(4); }
    std::uint16_t uh_sum() const noexcept { return this->u16(6); }
    std::span<B> payload() const noexcept { return this->b_.subspan(kUdpHeaderLen); }

    void set_uh_sport(std::uint16_t v) const noexcept requires kMutable { this->put16(0, v); }
    void set_uh_dport(std::uint16_t v) const noexcept requires kMutable { this->put16(2, v); }
    void set_uh_ulen(std::uint16_t v) const noexcept requires kMutable { this->put16(4, v); }
    void set_uh_sum(std::uint16_t v) const noexcept requires kMutable { this->put16(6, v); }

private:
    explicit BasicUdpView(std::span<B> b) noexcept : Base(b) {}
};
using UdpView = BasicUdpView<std::uint8_t>;
using ConstUdpView = BasicUdpView<const std::uint8_t>;

template <class B>
class BasicTcpView : public detail::ByteView<B> {
    using Base = detail::ByteView<B>;
    static constexpr bool kMutable = Base::kMutable;

public:
    static std::optional<BasicTcpView> parse(std::span<B> b) noexcept {
        if (b.size() < kTcpHeaderLen) {
            return std::nullopt;
        }
        return BasicTcpView(b);
    }

    std::uint16_t th_sport() const noexcept { return this->u16(0); }
    std::uint16_t th_dport() const noexcept { return this->u16(2); }
    std::uint32_t th_seq() const noexcept { return this->u32(4); }
    std::uint32_t th_ack() const noexcept { return this->u32(8); }
    std::uint8_t th_off() const noexcept { return this->u8(12) >> 4; }  // 32-bit words
    std::size_t header_len() const noexcept { return std::size_t{th_off()} * 4; }
    std::uint8_t th_flags() const noexcept { return this->u8(13); }  // TH_FIN ... TH_URG
    std::uint16_t th_win() const noexcept { return this->u16(14); }
    std::uint16_t th_sum() const noexcept { return this->u16(16); }
    std::uint16_t th_urp() const noexcept { return this->u16(18); }

    void set_th_sport(std::uint16_t v) const noexcept requires kMutable { this->put16(0, v); }
    void set_th_dport(std::uint16_t v) const noexcept requires kMutable { this->put16(2, v); }
    void set_th_seq(std::uint32_t v) const noexcept requires kMutable { this->put32(4, v); }
    void set_th_ack(std::uint32_t v) const noexcept requires kMutable { this->put32(8, v); }
    void set_th_off(std::uint8_t words) const noexcept requires kMutable {
        this->put8(12, static_cast<std::uint8_t>((words << 4) | (this->u8(12) & 0x0f)));
    }
    void set_th_flags(std::uint8_t v) const noexcept requires kMutable { this->put8(13, v); }
    void set_th_win(std::uint16_t v) const noexcept requires kMutable { this->put16(14, v); }
    void set_th_sum(std::uint16_t v) const noexcept requires kMutable { this->put16(16, v); }
    void set_th_urp(std::uint16_t v) const noexcept requires kMutable { this->put16(18, v); }

private:
    explicit BasicTcpView(std::span<B> b) noexcept : Base(b) {}
};
using TcpView = BasicTcpView<std::uint8_t>;
using ConstTcpView = BasicTcpView<const std::uint8_t>;

}  // namespace routerd::packet
