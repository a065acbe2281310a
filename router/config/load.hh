// SPDX-License-Identifier: Apache-2.0
// Load routerd.yaml: read, parse (yaml-cpp), map onto Config, validate; every problem positioned.
#pragma once

#include "router/config/config.hh"
#include "router/config/diagnostic.hh"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {

inline constexpr std::size_t kMaxFileSize = std::size_t{128} << 20;  // 128 MiB

struct LoadResult {
    Config config;                        // complete only when ok(); otherwise what could be read
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order

    // No errors (warnings allowed): the config may be used.
    bool ok() const {
        for (const auto& d : diagnostics) {
            if (d.severity == Severity::error) {
                return false;
            }
        }
        return true;
    }
};

// Reads and checks the file at `path`. Diagnostics name the file exactly as `path` is spelled.
// An unreadable file gives one diagnostic without a position: `PATH: cannot read: <reason>`.
LoadResult load_file(const std::string& path);

// The same for text already in memory (tests, the fuzzer); `display_name` stands for FILE.
LoadResult load_from_string(std::string_view text, const std::string& display_name);

}  // namespace routerd::config
