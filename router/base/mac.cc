// SPDX-License-Identifier: Apache-2.0
// MacAddr parsing and formatting.
#include "router/base/mac.hh"

namespace routerd {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view text) {
    if (text.size() != 17) {
        return std::nullopt;
    }
    MacAddr mac;
    for (std::size_t i = 0; i < 6; ++i) {
        int hi = hex_digit(text[i * 3]);
        int lo = hex_digit(text[i * 3 + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != ':')) {
            return std::nullopt;
        }
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return mac;
}

std::string MacAddr::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(17);
    for (std::size_t i = 0; i < 6; ++i) {
        if (i != 0) {
            s.push_back(':');
        }
        s.push_back(kHex[bytes[i] >> 4]);
        s.push_back(kHex[bytes[i] & 0xf]);
    }
    return s;
}

}  // namespace routerd
