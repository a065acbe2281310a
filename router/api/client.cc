// SPDX-License-Identifier: Apache-2.0
// Client: framing over a blocking-with-deadline unix stream socket.
#include "router/api/client.hh"

#include "router/api/codec.hh"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace routerd::api {

namespace {

using Clock = std::chrono::steady_clock;

Error sys_error(const std::string& what, int err) {
    return make_error(err, what + ": " + std::strerror(err));
}

// Waits until `fd` is ready for `events` or `deadline` passes.
Status wait_fd(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return make_error(ETIMEDOUT, "control socket: timed out");
        }
        pollfd p{fd, events, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r > 0) {
            return ok_status();
        }
        if (r < 0 && errno != EINTR) {
            return sys_error("control socket: poll", errno);
        }
    }
}

}  // namespace

Result<Client> Client::connect(const std::string& path, Timeout timeout) {
    sockaddr_un addr{};
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        return make_error(ENAMETOOLONG, "control socket path too long: " + path);
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return sys_error("control socket", errno);
    }
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        int err = errno;
        ::close(fd);
        return sys_error("cannot connect to " + path, err);
    }
    return Client(fd, timeout);
}

Client Client::from_fd(int fd, Timeout timeout) {
    return Client(fd, timeout);
}

Client::Client(Client&& other) noexcept
    : fd_(other.fd_),
      timeout_(other.timeout_),
      next_id_(other.next_id_),
      pending_events_(std::move(other.pending_events_)) {
    other.fd_ = -1;
}

Client& Client::operator=(Client&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = other.fd_;
        timeout_ = other.timeout_;
        next_id_ = other.next_id_;
        pending_events_ = std::move(other.pending_events_);
        other.fd_ = -1;
    }
    return *this;
}

Client::~Client() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

Status Client::send_all(const std::vector<std::uint8_t>& bytes) {
    auto deadline = Clock::now() + timeout_;
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n =
            ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (auto st = wait_fd(fd_, POLLOUT, deadline); !st) {
                return st;
            }
            continue;
        }
        return sys_error("control socket: send", errno);
    }
    return ok_status();
}

Status Client::read_exact(std::uint8_t* dst, std::size_t len, Timeout timeout) {
    auto deadline = Clock::now() + timeout;
    std::size_t done = 0;
    while (done < len) {
        if (auto st = wait_fd(fd_, POLLIN, deadline); !st) {
            return st;
        }
        ssize_t n = ::recv(fd_, dst + done, len - done, MSG_DONTWAIT);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n == 0) {
            return make_error(ECONNRESET, "control socket: routerd closed the connection");
        } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            return sys_error("control socket: recv", errno);
        }
    }
    return ok_status();
}

Result<Reply> Client::read_reply(Timeout timeout) {
    std::vector<std::uint8_t> buf(kReplyHeaderSize);
    if (auto st = read_exact(buf.data(), buf.size(), timeout); !st) {
        return st.error();
    }
    auto size = frame_size(buf, FrameKind::reply);
    if (!size) {
        return size.error();
    }
    buf.resize(*size);
    if (auto st = read_exact(buf.data() + kReplyHeaderSize, *size - kReplyHeaderSize, timeout);
        !st) {
        return st.error();
    }
    return decode_reply(buf);
}

Result<ReplyBody> Client::call(const RequestBody& body) {
    if (fd_ < 0) {
        return make_error(ENOTCONN, "control socket: not connected");
    }
    Request req{next_id_++, body};
    // Values go out as given: routerd's decode judges them and answers EINVAL itself, so the
    // operator sees routerd's refusal (DESIGN.md SET_IP_MISC), not a client-side guess.
    std::vector<std::uint8_t> bytes;
    if (auto st = encode_request_as_given(req, bytes); !st) {
        return st.error();
    }
    if (auto st = send_all(bytes); !st) {
        return st.error();
    }
    // Bounded: a subscribed connection may interleave events; keep them for next_event().
    for (std::size_t frames = 0; frames < 1 + kMaxPendingEvents; ++frames) {
        auto reply = read_reply(timeout_);
        if (!reply) {
            return reply.error();
        }
        if (auto* ev = std::get_if<LinkEvent>(&reply->body)) {
            pending_events_.push_back(std::move(*ev));
            continue;
        }
        if (reply->for_id != req.id) {
            return make_error(EPROTO, "control socket: reply for another request");
        }
        if (auto* err = std::get_if<ErrorReply>(&reply->body)) {
            return make_error(err->status, err->message);
        }
        if (type_of(reply->body) != type_of(body)) {
            return make_error(EPROTO, "control socket: reply of another type");
        }
        return std::move(reply->body);
    }
    return make_error(EPROTO, "control socket: too many events before the reply");
}

Result<LinkEvent> Client::next_event(Timeout timeout) {
    if (!pending_events_.empty()) {
        LinkEvent ev = std::move(pending_events_.front());
        pending_events_.erase(pending_events_.begin());
        return ev;
    }
    auto reply = read_reply(timeout);
    if (!reply) {
        return reply.error();
    }
    if (auto* ev = std::get_if<LinkEvent>(&reply->body)) {
        return std::move(*ev);
    }
    return make_error(EPROTO, "control socket: expected a link event");
}

}  // namespace routerd::api
