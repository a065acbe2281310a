// SPDX-License-Identifier: Apache-2.0
// The out-of-line parts of headers.hh: IPv4 option and IGMPv3 record walks, checksum helpers.
#include "router/packet/headers.hh"

#include <bit>

namespace routerd::packet {

namespace {

constexpr std::uint8_t kSeenRr = 1;
constexpr std::uint8_t kSeenTs = 2;
constexpr std::uint8_t kSeenSrr = 4;  // LSRR and SSRR share one slot: one source route at most

constexpr std::size_t kAddrLen = 4;

// RFC 791 3.1 record route, loose and strict source route: type, length = 3 + 4n, a pointer
// (smallest legal value 4) and n addresses. A pointer past the length means full (RR) or done
// (source route), which is legal; one inside the data area must start an address slot.
Ip4OptError check_route(const Ip4Option& opt, std::size_t* bad) {
    if (opt.length < 3 || (opt.length - 3) % kAddrLen != 0) {
        *bad = opt.offset + IPOPT_OLEN;
        return Ip4OptError::bad_length;
    }
    const std::uint8_t ptr = opt.pointer();
    // With length 3 + 4n, an aligned pointer <= length always leaves room for a whole address,
    // so RFC 791's "some room but not enough" cannot arise past this check.
    if (ptr < IPOPT_MINOFF || (ptr <= opt.length && (ptr - IPOPT_MINOFF) % kAddrLen != 0)) {
        *bad = opt.offset + IPOPT_OFFSET;
        return Ip4OptError::bad_pointer;
    }
    return Ip4OptError::none;
}

// RFC 791 3.1 Internet Timestamp: type 68, length, pointer (smallest legal value 5), oflw|flg,
// then 4-octet timestamps (flag 0) or 8-octet address + timestamp pairs (flags 1 and 3).
Ip4OptError check_ts(const Ip4Option& opt, std::size_t* bad) {
    constexpr std::uint8_t kTsMinPointer = 5;
    if (opt.length < 4) {
        *bad = opt.offset + IPOPT_OLEN;
        return Ip4OptError::bad_length;
    }
    const std::uint8_t ptr = opt.pointer();
    if (ptr < kTsMinPointer) {
        *bad = opt.offset + IPOPT_OFFSET;
        return Ip4OptError::bad_pointer;
    }
    const std::uint8_t flag = opt.data[1] & 0x0f;
    if (flag != IPOPT_TS_TSONLY && flag != IPOPT_TS_TSANDADDR && flag != IPOPT_TS_PRESPEC) {
        *bad = opt.offset + IPOPT_OFFSET + 1;
        return Ip4OptError::bad_flag;
    }
    const std::size_t slot = flag == IPOPT_TS_TSONLY ? kAddrLen : 2 * kAddrLen;
    if ((opt.length - 4) % slot != 0) {
        *bad = opt.offset + IPOPT_OLEN;
        return Ip4OptError::bad_length;
    }
    if (ptr <= opt.length && (ptr - kTsMinPointer) % slot != 0) {
        *bad = opt.offset + IPOPT_OFFSET;
        return Ip4OptError::bad_pointer;
    }
    return Ip4OptError::none;
}

}  // namespace

std::uint16_t ip4_pseudo_cksum(Ip4Addr src, Ip4Addr dst, std::uint8_t proto,
                               std::span<const std::uint8_t> segment) noexcept {
    std::uint32_t pseudo = (src.value() >> 16) + (src.value() & 0xffff) + (dst.value() >> 16) +
                           (dst.value() & 0xffff) + proto +
                           static_cast<std::uint32_t>(segment.size());
    return static_cast<std::uint16_t>(~cksum_add(segment.data(), segment.size(), pseudo));
}

std::uint8_t igmp_encode_code(std::uint32_t value) noexcept {
    // RFC 3376 4.1.1: below 128 the code is the value.
    if (value < 128) {
        return static_cast<std::uint8_t>(value);
    }
    constexpr std::uint32_t kMaxValue = 0x1fu << 10;  // mant 15, exp 7
    if (value >= kMaxValue) {
        return 0xff;
    }
    // value = (0x10 | mant) << (exp + 3): the leading one sits at bit exp + 7.
    const auto exp = static_cast<std::uint32_t>(std::bit_width(value)) - 8;
    const std::uint32_t mant = (value >> (exp + 3)) & 0x0f;
    return static_cast<std::uint8_t>(0x80 | (exp << 4) | mant);
}

std::optional<Ip4Option> Ip4OptionIter::fail(Ip4OptError e, std::size_t offset) noexcept {
    error_ = e;
    error_offset_ = offset;
    done_ = true;
    return std::nullopt;
}

Ip4OptError Ip4OptionIter::check(const Ip4Option& opt, std::size_t* bad_octet) noexcept {
    std::uint8_t seen_bit = 0;
    switch (opt.type) {
        case IPOPT_RR:
            seen_bit = kSeenRr;
            break;
        case IPOPT_LSRR:
        case IPOPT_SSRR:
            seen_bit = kSeenSrr;
            break;
        case IPOPT_TS:
            seen_bit = kSeenTs;
            break;
        case IPOPT_RA:
            // RFC 2113 2.1: Router Alert is exactly 4 octets.
            if (opt.length != kIpOptRouterAlertLen) {
                *bad_octet = opt.offset + IPOPT_OLEN;
                return Ip4OptError::bad_length;
            }
            return Ip4OptError::none;
        default:
            return Ip4OptError::none;  // RFC 1812 5.3.13.1: unrecognized options are ignored
    }
    // RFC 791 3.1: RR, TS, LSRR and SSRR each "appear at most once in a datagram"; LSRR and
    // SSRR together would be two source routes.
    if ((seen_ & seen_bit) != 0) {
        *bad_octet = opt.offset;
        return Ip4OptError::duplicate;
    }
    seen_ |= seen_bit;
    return opt.type == IPOPT_TS ? check_ts(opt, bad_octet) : check_route(opt, bad_octet);
}

std::optional<Ip4Option> Ip4OptionIter::next() noexcept {
    if (done_ || pos_ >= h_.size()) {
        done_ = true;
        return std::nullopt;
    }
    const std::size_t at = pos_;
    const std::uint8_t type = h_[at];
    if (type == IPOPT_EOL) {  // RFC 791 3.1: End of Option List
        done_ = true;
        return std::nullopt;
    }
    if (type == IPOPT_NOP) {  // RFC 791 3.1: a single octet
        ++pos_;
        return Ip4Option{type, 1, {}, at};
    }
    // RFC 791 3.1 case 2: type octet, length octet (counting both and the data), data.
    const std::size_t left = h_.size() - at;
    if (left < 2) {
        return fail(Ip4OptError::truncated, at);
    }
    const std::uint8_t len = h_[at + IPOPT_OLEN];
    if (len < 2) {
        return fail(Ip4OptError::bad_length, at + IPOPT_OLEN);
    }
    if (len > left) {
        return fail(Ip4OptError::overrun, at + IPOPT_OLEN);
    }
    Ip4Option opt{type, len, h_.subspan(at + 2, len - 2u), at};
    std::size_t bad_octet = 0;
    if (Ip4OptError e = check(opt, &bad_octet); e != Ip4OptError::none) {
        return fail(e, bad_octet);
    }
    pos_ += len;
    return opt;
}

Ip4OptCheck ip4_options_check(std::span<const std::uint8_t> header) noexcept {
    Ip4OptionIter it(header);
    while (it.next()) {
    }
    return {it.error(), it.error_offset()};
}

IgmpV3RecordIter::IgmpV3RecordIter(std::span<const std::uint8_t> report) noexcept
    : m_(report), left_(report.size() >= kIgmpHeaderLen ? load_be16(report.data() + 6) : 0) {}

std::optional<IgmpV3Record> IgmpV3RecordIter::next() noexcept {
    if (failed_ || left_ == 0) {
        return std::nullopt;
    }
    const std::size_t at = pos_;
    const std::size_t room = m_.size() - at;
    // RFC 3376 4.2.4: Record Type, Aux Data Len, Number of Sources, Multicast Address.
    if (room < kIgmpV3RecordHeaderLen) {
        failed_ = true;
        error_offset_ = at;
        return std::nullopt;
    }
    IgmpV3Record r;
    r.type = m_[at];
    r.aux_data_len = m_[at + 1];
    r.num_sources = load_be16(m_.data() + at + 2);
    r.group = load_ip4(m_.data() + at + 4);
    r.offset = at;
    // RFC 3376 4.2.4 - 4.2.6: the sources and the aux data belong to the record.
    const std::size_t sources_len = std::size_t{r.num_sources} * kAddrLen;
    const std::size_t body = kIgmpV3RecordHeaderLen + sources_len + r.aux_data_len * kAddrLen;
    if (body > room) {
        failed_ = true;
        error_offset_ = at;
        return std::nullopt;
    }
    r.sources = m_.subspan(at + kIgmpV3RecordHeaderLen, sources_len);
    pos_ += body;
    --left_;
    return r;
}

}  // namespace routerd::packet
