// SPDX-License-Identifier: Apache-2.0
// Ip4Addr / Ip4Prefix parsing and formatting.
#include "router/base/ip4.hh"

#include <bit>
#include <charconv>

namespace routerd {

namespace {

// One decimal number in [0, max]: digits only, no leading zero unless it is "0".
std::optional<unsigned> parse_decimal(std::string_view s, unsigned max) {
    if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) {
        return std::nullopt;
    }
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > max) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

std::optional<Ip4Addr> Ip4Addr::parse(std::string_view text) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        std::size_t dot = text.find('.');
        if ((i < 3) != (dot != std::string_view::npos)) {
            return std::nullopt;
        }
        auto octet = parse_decimal(text.substr(0, dot), 255);
        if (!octet) {
            return std::nullopt;
        }
        v = (v << 8) | *octet;
        text = i < 3 ? text.substr(dot + 1) : std::string_view{};
    }
    return Ip4Addr(v);
}

std::string Ip4Addr::to_string() const {
    char buf[16];
    char* p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = std::to_chars(p, buf + sizeof buf, (v_ >> shift) & 0xff).ptr;
        if (shift != 0) {
            *p++ = '.';
        }
    }
    return std::string(buf, p);
}

std::optional<unsigned> ip4_mask_len(std::uint32_t mask) {
    unsigned len = static_cast<unsigned>(std::countl_one(mask));
    if (ip4_mask(len) != mask) {
        return std::nullopt;
    }
    return len;
}

std::optional<Ip4Prefix> Ip4Prefix::parse(std::string_view text) {
    std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    auto addr = Ip4Addr::parse(text.substr(0, slash));
    auto len = parse_decimal(text.substr(slash + 1), 32);
    if (!addr || !len) {
        return std::nullopt;
    }
    return Ip4Prefix{*addr, static_cast<std::uint8_t>(*len)};
}

std::string Ip4Prefix::to_string() const {
    return addr.to_string() + "/" + std::to_string(len);
}

}  // namespace routerd
