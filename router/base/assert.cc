// SPDX-License-Identifier: Apache-2.0
// The one place a failed invariant ends the process.
#include "router/base/assert.hh"

#include <cstdio>
#include <cstdlib>

namespace routerd::detail {

void assert_fail(const char* expr, const char* file, int line) noexcept {
    // stderr is unbuffered; one line is enough for journald and for a test log.
    std::fprintf(stderr, "routerd: check failed: %s at %s:%d\n", expr, file, line);
    std::abort();
}

}  // namespace routerd::detail
