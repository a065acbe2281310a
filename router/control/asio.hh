// SPDX-License-Identifier: Apache-2.0
// The one way into Boost.Asio: <utility> first, then <boost/asio.hpp> (ARCHITECTURE.md 20.4).
#pragma once

// Boost 1.74's asio/impl/awaitable.hpp (reached from <boost/asio.hpp>) uses std::exchange
// without including <utility>; g++ 12 in C++20 mode no longer pulls it in transitively, so the
// include fails unless <utility> comes first (SNMP-AGENT.md). Keep this order; clang-format's
// include regrouping would swap the two lines, hence the guard.
// ThreadSanitizer does not model std::atomic_thread_fence (g++ 12 even warns, -Wtsan, which
// -Werror turns fatal). Asio's fenced blocks only duplicate the ordering its scheduler's mutex
// already gives, so TSan builds use Asio's null fence and TSan sees the mutex.
#if defined(__SANITIZE_THREAD__)
#define BOOST_ASIO_DISABLE_FENCED_BLOCK 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BOOST_ASIO_DISABLE_FENCED_BLOCK 1
#endif
#endif

// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
