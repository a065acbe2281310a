// SPDX-License-Identifier: Apache-2.0
// routerctl output helpers: JSON writer, aligned text tables, names for errnos, flags and types.
#pragma once

#include "router/base/result.hh"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace routerd::routerctl {

// Exit statuses (README.md): 0 ok, 1 routerd refused or failed, 2 usage, 3 cannot connect.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoConnect = 3;

// `text` as the body of a JSON string (no quotes): RFC 8259 7 escapes, control characters as
// \u00XX, valid UTF-8 passed through, any invalid byte replaced by U+FFFD.
std::string json_escape(std::string_view text);

// A streaming JSON writer. Pretty output indents by two spaces (one document per command);
// compact output is one line (monitor --json, JSON Lines). Misuse (a value without a key in
// an object, unbalanced ends) is a programming error the tests catch, not a run-time check.
class JsonWriter {
public:
    explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) JsonWriter& value(T v) {
        if constexpr (std::is_signed_v<T>) {
            return number(std::to_string(static_cast<long long>(v)));
        } else {
            return number(std::to_string(static_cast<unsigned long long>(v)));
        }
    }
    JsonWriter& null();

    // key(k).value(v) in one call.
    template <typename T>
    JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }

    // The document so far (complete once every container is closed); no trailing newline.
    const std::string& str() const { return out_; }

private:
    JsonWriter& number(const std::string& digits);
    void before_value();
    void newline_indent();
    JsonWriter& close(char bracket);

    struct Level {
        std::size_t count = 0;
    };
    bool pretty_;
    bool after_key_ = false;
    std::vector<Level> stack_;
    std::string out_;
};

// A text table: columns as wide as their widest cell, separated by two spaces, no trailing
// blanks. With no headers, only the rows are printed (name/value lists).
class TextTable {
public:
    enum class Align { left, right };

    explicit TextTable(std::vector<std::string> headers = {}, std::vector<Align> align = {});
    void add_row(std::vector<std::string> cells);
    bool empty() const { return rows_.empty(); }
    // Every line ends with '\n'; "" for a table without headers and rows.
    std::string render() const;

private:
    std::vector<std::string> headers_;
    std::vector<Align> align_;
    std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text: code points, not bytes.
std::size_t display_width(std::string_view text);

// "EINVAL", "ENODEV", ... or "errno N" for one without a name here.
std::string errno_name(int code);

// The stderr line for an error: "routerctl: <message> (<errno name>)", no newline.
std::string format_error(const Error& error);

// "UP,BROADCAST,RUNNING,MULTICAST" (ip link's spelling) for api::kIff* bits; unknown bits as
// hex; "-" for none.
std::string if_flags_text(std::uint32_t flags);
// "PRIMARY,BROADCAST" for api::kIfa* bits; "-" for none.
std::string ifa_flags_text(std::uint16_t flags);

// The ICMP type's name ("echo request", RFC 792 and the IANA registry) or "type N".
std::string icmp_type_name(std::size_t type);

// ISO 8601 UTC with milliseconds, "2024-05-01T12:00:00.123Z", from unix nanoseconds.
std::string iso8601_utc(std::uint64_t unix_ns);

// "on" / "off".
inline std::string_view on_off(bool b) {
    return b ? "on" : "off";
}

}  // namespace routerd::routerctl
