// SPDX-License-Identifier: Apache-2.0
// The agent's one way into Boost.Asio (router/control/asio.hh is out of agent/'s reach,
// ARCHITECTURE.md 13): <utility> first, then <boost/asio.hpp>.
#pragma once

// Boost 1.74's asio/impl/awaitable.hpp uses std::exchange without including <utility>; g++ 12
// in C++20 mode no longer pulls it in, so <utility> must come first (SNMP-AGENT.md 0).
// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
