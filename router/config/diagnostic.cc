// SPDX-License-Identifier: Apache-2.0
// DiagnosticList: collect, cap and order configuration diagnostics.
#include "router/config/diagnostic.hh"

#include <algorithm>
#include <cstdio>

namespace routerd::config {

std::string quote(std::string_view text) {
    constexpr std::size_t kMaxShown = 40;
    std::string out = "'";
    std::size_t shown = 0;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        bool continuation = (c & 0xc0) == 0x80;  // inside a UTF-8 sequence: never cut there
        if (shown >= kMaxShown && !continuation) {
            out += "...";
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
        if (!continuation) {
            ++shown;
        }
    }
    return out + "'";
}

namespace {

// One diagnostic is one line: control bytes that reach a message unquoted (yaml-cpp's own
// messages quote the offending character raw) are escaped here.
std::string one_line(std::string message) {
    if (std::none_of(message.begin(), message.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        return message;
    }
    std::string out;
    for (char ch : message) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace

void DiagnosticList::error(SourceMark at, std::string message) {
    if (full()) {
        return;
    }
    ++errors_;
    list_.push_back(
        Diagnostic{file_, at.line, at.column, Severity::error, one_line(std::move(message))});
}

void DiagnosticList::warning(SourceMark at, std::string message) {
    if (full()) {
        return;
    }
    list_.push_back(
        Diagnostic{file_, at.line, at.column, Severity::warning, one_line(std::move(message))});
}

std::vector<Diagnostic> DiagnosticList::take() && {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    if (full()) {  // callers stop looking once full: there may be more
        list_.push_back(
            Diagnostic{file_, 0, 0, Severity::error,
                       "too many errors, stopped after " + std::to_string(max_errors_)});
    }
    return std::move(list_);
}

}  // namespace routerd::config
