// SPDX-License-Identifier: Apache-2.0
// routerctl output helpers: JSON writer, text tables, errno/flag/ICMP names, time stamps.
#include "router/routerctl/format.hh"

#include "router/api/messages.hh"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <ctime>

namespace routerd::routerctl {

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629 4), or 0 when invalid.
std::size_t utf8_sequence_len(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80;  // no overlong forms
        hi = c == 0xed ? 0x9f : 0xbf;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size() || b(1) < lo || b(1) > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < n; ++k) {
        if (b(k) < 0x80 || b(k) > 0xbf) {
            return 0;
        }
    }
    return n;
}

}  // namespace

std::string json_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    std::array<char, 8> buf{};
                    std::snprintf(buf.data(), buf.size(), "\\u%04x", static_cast<unsigned>(c));
                    out += buf.data();
                } else if (std::size_t n = utf8_sequence_len(text, i); n == 0) {
                    out += "\\ufffd";
                } else {
                    out.append(text.substr(i, n));
                    i += n;
                    continue;
                }
        }
        ++i;
    }
    return out;
}

void JsonWriter::newline_indent() {
    if (pretty_) {
        out_ += '\n';
        out_.append(2 * stack_.size(), ' ');
    }
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!stack_.empty()) {
        if (stack_.back().count++ > 0) {
            out_ += ',';
        }
        newline_indent();
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    stack_.push_back({});
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    stack_.push_back({});
    return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
    bool had_items = !stack_.empty() && stack_.back().count > 0;
    if (!stack_.empty()) {
        stack_.pop_back();
    }
    if (had_items) {
        newline_indent();
    }
    out_ += bracket;
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    return close('}');
}

JsonWriter& JsonWriter::end_array() {
    return close(']');
}

JsonWriter& JsonWriter::key(std::string_view k) {
    before_value();
    out_ += '"';
    out_ += json_escape(k);
    out_ += pretty_ ? "\": " : "\":";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    out_ += '"';
    out_ += json_escape(s);
    out_ += '"';
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::number(const std::string& digits) {
    before_value();
    out_ += digits;
    return *this;
}

TextTable::TextTable(std::vector<std::string> headers, std::vector<Align> align)
    : headers_(std::move(headers)), align_(std::move(align)) {}

void TextTable::add_row(std::vector<std::string> cells) {
    rows_.push_back(std::move(cells));
}

std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    }));
}

std::string TextTable::render() const {
    std::size_t ncols = headers_.size();
    for (const auto& r : rows_) {
        ncols = std::max(ncols, r.size());
    }
    std::vector<std::size_t> width(ncols, 0);
    auto measure = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            width[i] = std::max(width[i], display_width(cells[i]));
        }
    };
    measure(headers_);
    for (const auto& r : rows_) {
        measure(r);
    }
    std::string out;
    auto emit = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < ncols; ++i) {
            std::string_view cell = i < cells.size() ? std::string_view(cells[i]) : "";
            std::size_t pad = width[i] - display_width(cell);
            bool right = i < align_.size() && align_[i] == Align::right;
            if (i > 0) {
                line += "  ";
            }
            if (right) {
                line.append(pad, ' ');
            }
            line += cell;
            if (!right) {
                line.append(pad, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line;
        out += '\n';
    };
    if (!headers_.empty()) {
        emit(headers_);
    }
    for (const auto& r : rows_) {
        emit(r);
    }
    return out;
}

std::string errno_name(int code) {
    switch (code) {
        case EPERM:
            return "EPERM";
        case ENOENT:
            return "ENOENT";
        case ESRCH:
            return "ESRCH";
        case EINTR:
            return "EINTR";
        case EIO:
            return "EIO";
        case ENXIO:
            return "ENXIO";
        case E2BIG:
            return "E2BIG";
        case EBADF:
            return "EBADF";
        case EAGAIN:
            return "EAGAIN";
        case ENOMEM:
            return "ENOMEM";
        case EACCES:
            return "EACCES";
        case EFAULT:
            return "EFAULT";
        case EBUSY:
            return "EBUSY";
        case EEXIST:
            return "EEXIST";
        case ENODEV:
            return "ENODEV";
        case ENOTDIR:
            return "ENOTDIR";
        case EISDIR:
            return "EISDIR";
        case EINVAL:
            return "EINVAL";
        case ENFILE:
            return "ENFILE";
        case EMFILE:
            return "EMFILE";
        case ENOSPC:
            return "ENOSPC";
        case EPIPE:
            return "EPIPE";
        case ERANGE:
            return "ERANGE";
        case ENAMETOOLONG:
            return "ENAMETOOLONG";
        case ENOSYS:
            return "ENOSYS";
        case ENODATA:
            return "ENODATA";
        case EPROTO:
            return "EPROTO";
        case EOVERFLOW:
            return "EOVERFLOW";
        case ENOTSOCK:
            return "ENOTSOCK";
        case EDESTADDRREQ:
            return "EDESTADDRREQ";
        case EMSGSIZE:
            return "EMSGSIZE";
        case ENOPROTOOPT:
            return "ENOPROTOOPT";
        case EPROTONOSUPPORT:
            return "EPROTONOSUPPORT";
        case ENOTSUP:
            return "ENOTSUP";
        case EAFNOSUPPORT:
            return "EAFNOSUPPORT";
        case EADDRINUSE:
            return "EADDRINUSE";
        case EADDRNOTAVAIL:
            return "EADDRNOTAVAIL";
        case ENETDOWN:
            return "ENETDOWN";
        case ENETUNREACH:
            return "ENETUNREACH";
        case ECONNABORTED:
            return "ECONNABORTED";
        case ECONNRESET:
            return "ECONNRESET";
        case ENOBUFS:
            return "ENOBUFS";
        case EISCONN:
            return "EISCONN";
        case ENOTCONN:
            return "ENOTCONN";
        case ETIMEDOUT:
            return "ETIMEDOUT";
        case ECONNREFUSED:
            return "ECONNREFUSED";
        case EHOSTUNREACH:
            return "EHOSTUNREACH";
        case EALREADY:
            return "EALREADY";
        case EINPROGRESS:
            return "EINPROGRESS";
        default:
            return "errno " + std::to_string(code);
    }
}

std::string format_error(const Error& error) {
    return "routerctl: " + error.message + " (" + errno_name(error.code) + ")";
}

namespace {

template <typename T, std::size_t N>
std::string flags_text(T flags, const std::array<std::pair<T, const char*>, N>& names) {
    std::string out;
    T left = flags;
    for (const auto& [bit, name] : names) {
        if ((flags & bit) != 0) {
            out += out.empty() ? "" : ",";
            out += name;
            left = static_cast<T>(left & ~bit);
        }
    }
    if (left != 0) {
        std::array<char, 16> buf{};
        std::snprintf(buf.data(), buf.size(), "0x%x", static_cast<unsigned>(left));
        out += out.empty() ? "" : ",";
        out += buf.data();
    }
    return out.empty() ? "-" : out;
}

}  // namespace

std::string if_flags_text(std::uint32_t flags) {
    static constexpr std::array<std::pair<std::uint32_t, const char*>, 10> kNames{{
        {api::kIffUp, "UP"},
        {api::kIffBroadcast, "BROADCAST"},
        {api::kIffLoopback, "LOOPBACK"},
        {api::kIffPointopoint, "POINTOPOINT"},
        {api::kIffRunning, "RUNNING"},
        {api::kIffNoarp, "NOARP"},
        {api::kIffPromisc, "PROMISC"},
        {api::kIffAllmulti, "ALLMULTI"},
        {api::kIffMulticast, "MULTICAST"},
        {api::kIffLowerUp, "LOWER_UP"},
    }};
    return flags_text(flags, kNames);
}

std::string ifa_flags_text(std::uint16_t flags) {
    static constexpr std::array<std::pair<std::uint16_t, const char*>, 3> kNames{{
        {api::kIfaPrimary, "PRIMARY"},
        {api::kIfaBroadcast, "BROADCAST"},
        {api::kIfaPointopoint, "POINTOPOINT"},
    }};
    return flags_text(flags, kNames);
}

std::string icmp_type_name(std::size_t type) {
    // IANA "ICMP Type Numbers"; the gaps are unassigned or reserved.
    static constexpr std::array<const char*, 41> kNames{
        "echo reply",  // 0
        nullptr,
        nullptr,
        "destination unreachable",  // 3
        "source quench",            // 4
        "redirect",                 // 5
        "alternate host address",   // 6
        nullptr,
        "echo request",          // 8
        "router advertisement",  // 9
        "router solicitation",   // 10
        "time exceeded",         // 11
        "parameter problem",     // 12
        "timestamp request",     // 13
        "timestamp reply",       // 14
        "information request",   // 15
        "information reply",     // 16
        "address mask request",  // 17
        "address mask reply",    // 18
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        "traceroute",                   // 30
        "datagram conversion error",    // 31
        "mobile host redirect",         // 32
        "IPv6 where-are-you",           // 33
        "IPv6 I-am-here",               // 34
        "mobile registration request",  // 35
        "mobile registration reply",    // 36
        "domain name request",          // 37
        "domain name reply",            // 38
        "SKIP",                         // 39
        "Photuris",                     // 40
    };
    if (type < kNames.size() && kNames[type] != nullptr) {
        return kNames[type];
    }
    return "type " + std::to_string(type);
}

std::string iso8601_utc(std::uint64_t unix_ns) {
    auto secs = static_cast<std::time_t>(unix_ns / 1000000000u);
    auto ms = static_cast<unsigned>((unix_ns / 1000000u) % 1000u);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    std::array<char, 64> buf{};
    std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    // Milliseconds as exactly three digits, then the UTC designator.
    std::string out(buf.data(), n);
    out += '.';
    out += static_cast<char>('0' + ms / 100);
    out += static_cast<char>('0' + ms / 10 % 10);
    out += static_cast<char>('0' + ms % 10);
    out += 'Z';
    return out;
}

}  // namespace routerd::routerctl
