// SPDX-License-Identifier: Apache-2.0
// Leveled logger for the control side (never called from base/packet/fib/inet stages).
#pragma once

#include <optional>
#include <string_view>

namespace routerd::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3 };

/// "debug" | "info" | "warning" | "error" (the --log-level values of DESIGN.md).
std::optional<Level> parse_level(std::string_view name);
std::string_view level_name(Level level);

void set_level(Level level) noexcept;
Level level() noexcept;
bool enabled(Level level) noexcept;

/// Where lines go; stderr by default (journald picks it up). Tests install a capturing sink.
using Sink = void (*)(Level level, std::string_view line);
void set_sink(Sink sink) noexcept;

/// Writes one line "<level>: <message>" if `level` is enabled. Thread-safe: one write per line.
void write(Level level, std::string_view message);

inline void debug(std::string_view m) {
    write(Level::debug, m);
}
inline void info(std::string_view m) {
    write(Level::info, m);
}
inline void warning(std::string_view m) {
    write(Level::warning, m);
}
inline void error(std::string_view m) {
    write(Level::error, m);
}

}  // namespace routerd::log
