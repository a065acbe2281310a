// SPDX-License-Identifier: Apache-2.0
// Logger: a level filter and one atomic write(2)-sized line per message.
#include "router/base/log.hh"

#include <atomic>
#include <string>
#include <unistd.h>

namespace routerd::log {

namespace {

std::atomic<Level> g_level{Level::info};

void stderr_sink(Level lvl, std::string_view line) {
    // journald adds the time; the "<N>" prefix is sd-daemon(3)'s priority (err 3 ... debug 7).
    static constexpr char kPrio[] = {'7', '6', '4', '3'};
    std::string out;
    out.reserve(line.size() + 5);
    out += '<';
    out += kPrio[static_cast<int>(lvl)];
    out += '>';
    out += line;
    out += '\n';
    // One write keeps lines from different threads whole.
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, out.data(), out.size());
}

std::atomic<Sink> g_sink{&stderr_sink};

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
    for (Level l : {Level::debug, Level::info, Level::warning, Level::error}) {
        if (name == level_name(l)) {
            return l;
        }
    }
    return std::nullopt;
}

std::string_view level_name(Level level) {
    switch (level) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warning:
            return "warning";
        case Level::error:
            return "error";
    }
    return "?";
}

void set_level(Level level) noexcept {
    g_level.store(level, std::memory_order_relaxed);
}
Level level() noexcept {
    return g_level.load(std::memory_order_relaxed);
}
bool enabled(Level lvl) noexcept {
    return static_cast<int>(lvl) >= static_cast<int>(level());
}
void set_sink(Sink sink) noexcept {
    g_sink.store(sink ? sink : &stderr_sink);
}

void write(Level lvl, std::string_view message) {
    if (!enabled(lvl)) {
        return;
    }
    std::string line(level_name(lvl));
    line += ": ";
    line += message;
    g_sink.load()(lvl, line);
}

}  // namespace routerd::log
