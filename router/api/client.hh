// SPDX-License-Identifier: Apache-2.0
// Blocking control-socket client for routerctl and router-agent: connect, call, events.
#pragma once

#include "router/api/messages.hh"
#include "router/base/result.hh"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace routerd::api {

/// The reply of the expected type `T` out of a call's result: its error as it is, a reply of
/// another type EPROTO. Shared by every typed call wrapper (Client, the agent's Source).
template <typename T>
Result<T> reply_as(Result<ReplyBody> r) {
    if (!r) {
        return r.error();
    }
    if (auto* v = std::get_if<T>(&*r)) {
        return std::move(*v);
    }
    return make_error(EPROTO, "unexpected reply type");
}

/// One connection to routerd's control socket. Every wait is bounded by `timeout`; an error
/// on the connection (EOF, a malformed frame, a timeout) leaves it unusable, and the caller
/// reconnects. Not thread-safe.
class Client {
public:
    using Timeout = std::chrono::milliseconds;
    static constexpr Timeout kDefaultTimeout{5000};

    /// Connects to the unix stream socket at `path`.
    static Result<Client> connect(const std::string& path, Timeout timeout = kDefaultTimeout);
    /// Takes an already connected stream socket (tests use a socketpair). Owns `fd`.
    static Client from_fd(int fd, Timeout timeout = kDefaultTimeout);

    Client(Client&& other) noexcept;
    Client& operator=(Client&& other) noexcept;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    ~Client();

    /// Sends `body` and waits for the reply with its id. Values are sent as given (routerd's
    /// decode judges them: a TTL of 0 gets routerd's EINVAL); only what the wire cannot carry
    /// is refused here. An ErrorReply from routerd becomes an Error with its errno and message;
    /// a reply of another type than asked is EPROTO.
    Result<ReplyBody> call(const RequestBody& body);

    /// As call(), and returns the reply of the expected type `T` (e.g. GetIpStuffReply).
    template <typename T>
    Result<T> call_as(const RequestBody& body) {
        return reply_as<T>(call(body));
    }

    /// After a SET_MGMT subscription: waits up to `timeout` for the next LINK_EVENT.
    /// ETIMEDOUT when none came.
    Result<LinkEvent> next_event(Timeout timeout);

    int fd() const { return fd_; }

private:
    Client(int fd, Timeout timeout) : fd_(fd), timeout_(timeout) {}
    Status send_all(const std::vector<std::uint8_t>& bytes);
    Result<Reply> read_reply(Timeout timeout);
    Status read_exact(std::uint8_t* dst, std::size_t len, Timeout timeout);

    int fd_ = -1;
    Timeout timeout_;
    std::uint32_t next_id_ = 1;
    // Events that arrived while a reply was awaited; bounded so a flood cannot grow it.
    static constexpr std::size_t kMaxPendingEvents = 1024;
    std::vector<LinkEvent> pending_events_;
};

}  // namespace routerd::api
