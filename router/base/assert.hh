// SPDX-License-Identifier: Apache-2.0
// Invariant checks: RD_ASSERT (debug only), RD_CHECK (always), RD_BUG (debug fatal, release count).
#pragma once

#include <atomic>
#include <cstdint>

namespace routerd::detail {

[[noreturn]] void assert_fail(const char* expr, const char* file, int line) noexcept;

// Release builds count RD_BUG hits instead of aborting; the control thread reports the figure.
inline std::atomic<std::uint64_t>& routerd_bugs() noexcept {
    static std::atomic<std::uint64_t> count{0};
    return count;
}

}  // namespace routerd::detail

// Never use these on anything a packet or a client controls (ARCHITECTURE.md section 18).
#define RD_CHECK(expr)                                                 \
    do {                                                               \
        if (!(expr)) [[unlikely]] {                                    \
            ::routerd::detail::assert_fail(#expr, __FILE__, __LINE__); \
        }                                                              \
    } while (0)

#ifdef NDEBUG
#define RD_ASSERT(expr)     \
    do {                    \
        (void)sizeof(expr); \
    } while (0)
#define RD_BUG(expr)                                                                   \
    do {                                                                               \
        if (!(expr)) [[unlikely]] {                                                    \
            ::routerd::detail::routerd_bugs().fetch_add(1, std::memory_order_relaxed); \
        }                                                                              \
    } while (0)
#else
#define RD_ASSERT(expr) RD_CHECK(expr)
#define RD_BUG(expr) RD_CHECK(expr)
#endif
