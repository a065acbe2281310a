// SPDX-License-Identifier: Apache-2.0
// ControlServer: routerd's control socket (unix stream, Asio): framing, limits, SET_MGMT events.
#pragma once

#include "router/api/messages.hh"
#include "router/base/result.hh"
#include "router/control/asio.hh"
#include "router/control/handler.hh"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace routerd::control {

// What one client may cost routerd. Every bound closes only the offending connection.
struct Limits {
    // Open connections; one more is accepted and closed at once (counted in Stats::refused).
    std::size_t max_connections = 64;
    // Largest request frame, header included (at most api::kMaxMessageSize); a header announcing
    // more gets an EMSGSIZE reply and the connection is closed.
    std::size_t max_frame = api::kMaxMessageSize;
    // A connection that sends nothing for this long is closed (SET_MGMT subscribers are exempt),
    // and so is one that leaves queued output unread for this long.
    std::chrono::milliseconds idle_timeout{60'000};
    // A frame whose first byte arrived must be complete within this.
    std::chrono::milliseconds request_timeout{5'000};
    // Output queued for one connection (replies and events not yet taken by the kernel). Above
    // it the connection is closed (a subscriber that does not read); from half of it on, the
    // server stops reading that connection's requests until the client catches up.
    std::size_t max_output_bytes = std::size_t{4} << 20;
};

// Counters for logs and tests, since listen().
struct Stats {
    std::uint64_t accepted = 0;         // connections served
    std::uint64_t refused = 0;          // closed at once: max_connections reached
    std::uint64_t open = 0;             // open now
    std::uint64_t requests = 0;         // well-formed requests answered
    std::uint64_t frames_bad = 0;       // malformed frames answered with an error
    std::uint64_t closed_idle = 0;      // idle_timeout (or output unread that long)
    std::uint64_t closed_timeout = 0;   // request_timeout: half-written frame
    std::uint64_t closed_overflow = 0;  // max_output_bytes exceeded
    std::uint64_t events = 0;           // LINK_EVENT frames queued to subscribers
    std::uint64_t subscribers = 0;      // SET_MGMT subscribers now
};

// The control-socket server. Not thread-safe: construct, listen(), publish() and close() on
// the io_context's thread (or before it runs); other threads use post_publish() / post_close().
// stats() may be called from any thread. The io_context must outlive every handler it runs:
// destroying the ControlServer closes it, and pending handlers then only release memory.
class ControlServer {
public:
    ControlServer(boost::asio::io_context& io, Handler& handler, Limits limits = {});
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Binds `path` and starts accepting. Creates a missing parent directory (mode 0755). A
    // socket file already there is replaced only when nothing answers on it (connect gives
    // ECONNREFUSED): a live routerd's socket is never taken (EADDRINUSE), nor a file that is
    // not a socket (EEXIST). The socket file is mode 0660, group `routerd` when that group
    // exists (else the process's group); permissions are set before listen(), so nobody can
    // connect through a wider mode.
    Status listen(const std::string& path);

    // Sends `event` to every SET_MGMT subscriber, in publish order with their replies.
    void publish(const api::LinkEvent& event);
    // Thread-safe: publish() on the io_context's thread.
    void post_publish(api::LinkEvent event);

    // Stops accepting, closes every connection and unlinks the socket file (if it is still
    // the one this server bound). Idempotent.
    void close();
    // Thread-safe: close() on the io_context's thread.
    void post_close();

    Stats stats() const;
    const Limits& limits() const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace routerd::control
