// SPDX-License-Identifier: Apache-2.0
// Diagnostic: one configuration error or warning, printed as FILE:LINE:COL: message.
#pragma once

#include "router/config/config.hh"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace routerd::config {

// At most this many errors are reported for one file; a file with more is cut short with one
// last line saying so (a safety valve for generated or aliased input, like -fmax-errors).
inline constexpr std::size_t kMaxErrors = 1000;

enum class Severity { error, warning };

// A value as shown in a message: in single quotes, control bytes escaped (\x0a), cut after 40
// characters, so one diagnostic is always one line.
std::string quote(std::string_view text);

struct Diagnostic {
    std::string file;  // exactly as the user gave it
    int line = 0;      // one-based; 0 when no position applies (an unreadable file)
    int column = 0;    // one-based
    Severity severity = Severity::error;
    std::string message;

    // `FILE:LINE:COL: message`, `FILE:LINE:COL: warning: message`, or `FILE: message` when
    // there is no position.
    std::string to_string() const {
        std::string out = file;
        if (line > 0) {
            out += ':' + std::to_string(line) + ':' + std::to_string(column);
        }
        out += ": ";
        if (severity == Severity::warning) {
            out += "warning: ";
        }
        return out + message;
    }

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Collects the diagnostics of one file while loading and validating it.
class DiagnosticList {
public:
    explicit DiagnosticList(std::string file, std::size_t max_errors = kMaxErrors)
        : file_(std::move(file)), max_errors_(max_errors) {}

    const std::string& file() const { return file_; }
    void error(SourceMark at, std::string message);
    void warning(SourceMark at, std::string message);
    std::size_t error_count() const { return errors_; }
    // max_errors errors recorded: later ones are dropped, so callers may stop looking.
    bool full() const { return errors_ >= max_errors_; }

    // Everything recorded, in file order (line, then column; stable), plus a last line saying
    // so when the cap was reached.
    std::vector<Diagnostic> take() &&;

private:
    std::string file_;
    std::size_t max_errors_;
    std::size_t errors_ = 0;
    std::vector<Diagnostic> list_;
};

}  // namespace routerd::config
