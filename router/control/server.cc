// SPDX-License-Identifier: Apache-2.0
// ControlServer: acceptor, per-connection framing, limits and timers, the SET_MGMT fan-out.
#include "router/control/server.hh"

#include "router/api/codec.hh"
#include "router/base/log.hh"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <exception>
#include <grp.h>
#include <span>
#include <string_view>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace routerd::control {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;
using LocalSocket = asio::local::stream_protocol::socket;
// An encoded frame, shared by every subscriber an event goes to.
using Frame = std::shared_ptr<const std::vector<std::uint8_t>>;

constexpr std::size_t kReadChunk = 4096;
// A receive buffer above this is released when it empties (one large request does not pin it).
constexpr std::size_t kKeepInputBuffer = std::size_t{64} * 1024;
// After EMFILE/ENFILE on accept, wait before retrying rather than spin on the pending connection.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
// Refused connections are logged at most this often (an abusive client must not flood the log).
constexpr auto kRefusalLogInterval = std::chrono::seconds(10);
constexpr std::size_t kGroupBufferSize = std::size_t{16} * 1024;
constexpr const char* kSocketGroup = "routerd";

std::string errno_text(int err) {
    return std::error_code(err, std::generic_category()).message();
}

Error sys_error(const std::string& what, int err) {
    return make_error(err, what + ": " + errno_text(err));
}

void bump(std::atomic<std::uint64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
}

void drop(std::atomic<std::uint64_t>& counter) {
    counter.fetch_sub(1, std::memory_order_relaxed);
}

std::uint64_t get(const std::atomic<std::uint64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
}

// Why a connection's deadline is what it is; the first one reached closes the connection.
enum class Deadline { none, idle, request, unread_output };

// Asks whether something answers on the socket file `path`: 0 = nothing (stale), EADDRINUSE =
// a live listener, another errno = cannot tell.
int probe_socket(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int r = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    int err = r == 0 ? 0 : errno;
    ::close(fd);
    if (r == 0 || err == EAGAIN || err == EINPROGRESS) {
        return EADDRINUSE;  // accepted, or a full backlog: someone is listening
    }
    return err == ECONNREFUSED ? 0 : err;
}

// Creates the socket file's parent directory when missing (one level, mode 0755).
Status make_parent_dir(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return ok_status();
    }
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) == 0) {
        if (::chmod(dir.c_str(), 0755) != 0) {  // mkdir's mode went through the umask
            return sys_error("control socket: chmod " + dir, errno);
        }
        return ok_status();
    }
    if (errno != EEXIST) {
        return sys_error("control socket: mkdir " + dir, errno);
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        return sys_error("control socket: " + dir, errno);
    }
    if (!S_ISDIR(st.st_mode)) {
        return make_error(ENOTDIR, "control socket: " + dir + " is not a directory");
    }
    return ok_status();
}

// Removes a socket file nobody answers on; refuses a live one or a file that is no socket.
Status remove_stale_socket(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return errno == ENOENT ? ok_status() : sys_error("control socket: " + path, errno);
    }
    if (!S_ISSOCK(st.st_mode)) {
        return make_error(EEXIST, "control socket: " + path + " exists and is not a socket");
    }
    int err = probe_socket(path);
    if (err == EADDRINUSE) {
        return make_error(EADDRINUSE,
                          "control socket: " + path + " is in use (another routerd answers)");
    }
    if (err != 0) {
        return sys_error("control socket: probing " + path, err);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return sys_error("control socket: removing stale " + path, errno);
    }
    log::info("control socket: removed stale " + path);
    return ok_status();
}

// Mode 0660, group `routerd` when it exists (owner stays the process's user, root in service).
Status set_socket_permissions(const std::string& path) {
    group grp{};
    group* found = nullptr;
    std::vector<char> buf(kGroupBufferSize);
    int err = ::getgrnam_r(kSocketGroup, &grp, buf.data(), buf.size(), &found);
    if (err == 0 && found != nullptr) {
        if (::chown(path.c_str(), static_cast<uid_t>(-1), found->gr_gid) != 0) {
            log::warning("control socket: cannot give " + path +
                         " to group routerd: " + errno_text(errno));
        }
    } else {
        log::debug("control socket: no group routerd; " + path + " keeps the process's group");
    }
    if (::chmod(path.c_str(), 0660) != 0) {
        return sys_error("control socket: chmod " + path, errno);
    }
    return ok_status();
}

class Session;

}  // namespace

struct ControlServer::Impl : std::enable_shared_from_this<ControlServer::Impl> {
    Impl(asio::io_context& io_context, Handler& h, Limits l)
        : io(io_context), handler(h), limits(l), acceptor(io_context), accept_retry(io_context) {
        // One reply of the largest size must fit under the pause threshold (half the bound).
        limits.max_output_bytes = std::max(limits.max_output_bytes, 2 * api::kMaxMessageSize);
        limits.max_frame =
            std::clamp(limits.max_frame, api::kRequestHeaderSize, api::kMaxMessageSize);
        limits.max_connections = std::max<std::size_t>(limits.max_connections, 1);
    }

    void accept();
    void on_accept(const ErrorCode& ec, LocalSocket socket);
    void refuse(LocalSocket& socket);
    void remove(Session* session);
    api::ReplyBody dispatch(const api::RequestBody& request);
    void publish(const api::LinkEvent& event);
    void close();
    // Closes the acceptor and unlinks the socket file if it is still the one bound here.
    void unbind();

    asio::io_context& io;
    Handler& handler;
    Limits limits;
    asio::local::stream_protocol::acceptor acceptor;
    asio::steady_timer accept_retry;
    bool closed = false;
    std::string path;
    // The socket file this server bound, so close() never unlinks a successor's file.
    bool bound = false;
    dev_t bound_dev = 0;
    ino_t bound_ino = 0;
    std::unordered_map<Session*, std::shared_ptr<Session>> sessions;
    std::uint64_t next_session_id = 1;
    Clock::time_point last_refusal_log{};
    std::uint64_t refused_unlogged = 0;

    struct Counters {
        std::atomic<std::uint64_t> accepted{0};
        std::atomic<std::uint64_t> refused{0};
        std::atomic<std::uint64_t> open{0};
        std::atomic<std::uint64_t> requests{0};
        std::atomic<std::uint64_t> frames_bad{0};
        std::atomic<std::uint64_t> closed_idle{0};
        std::atomic<std::uint64_t> closed_timeout{0};
        std::atomic<std::uint64_t> closed_overflow{0};
        std::atomic<std::uint64_t> events{0};
        std::atomic<std::uint64_t> subscribers{0};
    } counters;
};

namespace {

using Impl = ControlServer::Impl;

// One client connection. Owned by the server's session map and by its pending operations; every
// completion handler first checks closed_, so a closed session only releases memory.
//
// Input: bytes accumulate in in_ until a whole frame is there (frame_size() from the header
// alone, so an oversized frame is refused unread); each frame is answered in order. Output: a
// queue of encoded frames, one async_write in flight, so replies and events interleave whole.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(std::shared_ptr<Impl> server, LocalSocket socket, std::uint64_t id)
        : server_(std::move(server)),
          socket_(std::move(socket)),
          timer_(server_->io),
          id_(id),
          last_rx_(Clock::now()) {}

    void start() {
        guarded("start", [this] {
            update_deadline();
            read();
        });
    }

    bool subscribed() const { return subscribed_ && !closed_; }

    // Queues one encoded frame; closes the connection instead when its output bound is reached.
    void send(const Frame& frame) {
        if (closed_) {
            return;
        }
        if (out_bytes_ + frame->size() > server_->limits.max_output_bytes) {
            bump(server_->counters.closed_overflow);
            close("more than " + std::to_string(server_->limits.max_output_bytes) +
                      " bytes of output unread",
                  log::Level::warning);
            return;
        }
        if (out_.empty()) {
            write_progress_ = Clock::now();
        }
        out_bytes_ += frame->size();
        out_.push_back(frame);
        if (!writing_) {
            write();
        }
        update_deadline();
    }

    void close(const std::string& why, log::Level level = log::Level::debug) {
        if (closed_) {
            return;
        }
        auto keep = shared_from_this();
        closed_ = true;
        log::write(level, "control: connection " + std::to_string(id_) + " closed: " + why);
        ErrorCode ec;
        timer_.cancel(ec);
        socket_.shutdown(LocalSocket::shutdown_both, ec);
        socket_.close(ec);
        out_.clear();
        out_bytes_ = 0;
        std::vector<std::uint8_t>().swap(in_);
        if (subscribed_) {
            drop(server_->counters.subscribers);
        }
        server_->remove(this);
    }

private:
    // Runs `f`; an exception (bad_alloc, an Asio call that threw) closes this connection only.
    template <typename F>
    void guarded(const char* where, F&& f) {
        try {
            std::forward<F>(f)();
        } catch (const std::exception& e) {
            close(std::string("internal error in ") + where + ": " + e.what(), log::Level::error);
        } catch (...) {
            close(std::string("internal error in ") + where, log::Level::error);
        }
    }

    bool paused() const { return out_bytes_ >= server_->limits.max_output_bytes / 2; }

    // Bytes the frame at the front of in_ needs (its header's size until the header is in).
    std::size_t frame_need() const {
        if (in_len_ >= api::kRequestHeaderSize) {
            auto size = api::frame_size(std::span(in_.data(), in_len_), api::FrameKind::request);
            if (size) {
                return *size;
            }
        }
        return api::kRequestHeaderSize;
    }

    void read() {
        if (closed_ || reading_ || stop_reading_ || paused()) {
            return;
        }
        const std::size_t need = frame_need();
        const std::size_t chunk = std::max(kReadChunk, need > in_len_ ? need - in_len_ : 0);
        if (in_.size() < in_len_ + chunk) {
            in_.resize(in_len_ + chunk);
        }
        reading_ = true;
        socket_.async_read_some(asio::buffer(in_.data() + in_len_, chunk),
                                [self = shared_from_this()](const ErrorCode& ec, std::size_t n) {
                                    self->guarded("read", [&] { self->on_read(ec, n); });
                                });
    }

    void on_read(const ErrorCode& ec, std::size_t n) {
        reading_ = false;
        if (closed_) {
            return;
        }
        if (ec) {
            close(ec == asio::error::eof ? "peer closed" : "read: " + ec.message());
            return;
        }
        last_rx_ = Clock::now();
        if (in_len_ == 0) {
            frame_start_ = last_rx_;
        }
        in_len_ += n;
        process_input();
        if (!closed_) {
            update_deadline();
            read();
        }
    }

    // Answers every whole frame in in_, in order, until one is partial or output is paused.
    void process_input() {
        std::size_t off = 0;
        bool consumed = false;
        while (!closed_ && !stop_reading_ && !paused()) {
            std::span<const std::uint8_t> avail(in_.data() + off, in_len_ - off);
            if (avail.size() < api::kRequestHeaderSize) {
                break;
            }
            auto size = api::frame_size(avail, api::FrameKind::request);
            if (size && *size > server_->limits.max_frame) {
                size = make_error(EMSGSIZE, "frame of " + std::to_string(*size) +
                                                " bytes above this server's limit of " +
                                                std::to_string(server_->limits.max_frame));
            }
            if (!size) {
                // The stream cannot be resynchronised: answer, flush, close.
                bump(server_->counters.frames_bad);
                auto hdr = api::peek_header(avail, api::FrameKind::request);
                log::debug("control: connection " + std::to_string(id_) +
                           ": bad frame: " + size.error().message);
                stop_reading_ = true;
                reply(api::make_error_reply(hdr->id, hdr->type, size.error()));
                break;
            }
            if (avail.size() < *size) {
                break;
            }
            handle_frame(avail.first(*size));
            off += *size;
            consumed = true;
        }
        if (closed_ || off == 0) {
            return;
        }
        std::memmove(in_.data(), in_.data() + off, in_len_ - off);
        in_len_ -= off;
        if (in_len_ == 0 && in_.size() > kKeepInputBuffer) {
            std::vector<std::uint8_t>().swap(in_);
        }
        if (consumed && in_len_ > 0) {
            frame_start_ = Clock::now();  // the next frame's bytes arrived by now
        }
    }

    void handle_frame(std::span<const std::uint8_t> frame) {
        auto request = api::decode_request(frame);
        if (!request) {
            // The frame's length was sound, so the stream stays in step: answer and go on.
            bump(server_->counters.frames_bad);
            auto hdr = api::peek_header(frame, api::FrameKind::request);
            log::debug("control: connection " + std::to_string(id_) +
                       ": refused request: " + request.error().message);
            reply(api::make_error_reply(hdr->id, hdr->type, request.error()));
            return;
        }
        bump(server_->counters.requests);
        const std::uint32_t id = request->id;
        const api::MsgType type = api::type_of(request->body);
        if (const auto* mgmt = std::get_if<api::SetMgmtRequest>(&request->body)) {
            set_subscribed(mgmt->subscribe);  // before the reply: events follow it, never precede
            reply(api::Reply{id, api::SetMgmtReply{}});
            return;
        }
        api::ReplyBody body = server_->dispatch(request->body);
        if (const auto* err = std::get_if<api::ErrorReply>(&body)) {
            reply(api::make_error_reply(id, type, Error{err->status, err->message}));
        } else if (api::type_of(body) != type) {
            log::error("control: the handler answered " + std::string(api::msg_type_name(type)) +
                       " with another message type");
            reply(api::make_error_reply(id, type, make_error(EIO, "internal error")));
        } else {
            reply(api::Reply{id, std::move(body)});
        }
    }

    void reply(const api::Reply& r) {
        auto bytes = std::make_shared<std::vector<std::uint8_t>>();
        if (auto st = api::encode_reply(r, *bytes); !st) {
            // The handler built a reply the contract refuses (too large, a bad field): say so.
            log::error("control: cannot encode a reply: " + st.error().message);
            bytes->clear();
            Error e = st.error().code == EMSGSIZE
                          ? st.error()
                          : make_error(EIO, "internal error: " + st.error().message);
            if (!api::encode_reply(api::make_error_reply(r.for_id, api::type_of(r.body), e),
                                   *bytes)) {
                close("cannot encode an error reply", log::Level::error);
                return;
            }
        }
        send(std::move(bytes));
    }

    void set_subscribed(bool on) {
        if (on != subscribed_) {
            on ? bump(server_->counters.subscribers) : drop(server_->counters.subscribers);
        }
        subscribed_ = on;
    }

    void write() {
        writing_ = true;
        Frame frame = out_.front();
        asio::async_write(socket_, asio::buffer(*frame),
                          [self = shared_from_this(), frame](const ErrorCode& ec, std::size_t) {
                              self->guarded("write", [&] { self->on_write(ec); });
                          });
    }

    void on_write(const ErrorCode& ec) {
        writing_ = false;
        if (closed_) {
            return;
        }
        if (ec) {
            close("write: " + ec.message());
            return;
        }
        out_bytes_ -= out_.front()->size();
        out_.pop_front();
        write_progress_ = Clock::now();
        if (!out_.empty()) {
            write();
        } else if (stop_reading_) {
            close("after a frame it could not delimit");
            return;
        }
        // Output drained below the pause threshold: answer what is buffered, read again.
        if (!reading_ && !paused()) {
            process_input();
            if (closed_) {
                return;
            }
            read();
        }
        update_deadline();
    }

    std::pair<Clock::time_point, Deadline> next_deadline() const {
        const Limits& l = server_->limits;
        std::pair<Clock::time_point, Deadline> d{Clock::time_point::max(), Deadline::none};
        auto consider = [&d](Clock::time_point at, Deadline why) {
            if (at < d.first) {
                d = {at, why};
            }
        };
        if (!subscribed_) {
            consider(last_rx_ + l.idle_timeout, Deadline::idle);
        }
        if (in_len_ > 0 && !stop_reading_ && !paused()) {
            consider(frame_start_ + l.request_timeout, Deadline::request);
        }
        if (!out_.empty()) {
            consider(write_progress_ + l.idle_timeout, Deadline::unread_output);
        }
        return d;
    }

    // The timer runs at most once per deadline: it is re-armed only when the deadline moves
    // earlier; a later deadline is found when the timer fires early.
    void update_deadline() {
        if (closed_) {
            return;
        }
        auto [at, why] = next_deadline();
        if (why != Deadline::none && (!timer_armed_ || at < timer_at_)) {
            arm_timer(at);
        }
    }

    void arm_timer(Clock::time_point at) {
        timer_armed_ = true;
        timer_at_ = at;
        const std::uint64_t generation = ++timer_generation_;
        timer_.expires_at(at);  // cancels a wait in progress; its handler sees an old generation
        timer_.async_wait([self = shared_from_this(), generation](const ErrorCode& ec) {
            self->guarded("timer", [&] { self->on_timer(ec, generation); });
        });
    }

    void on_timer(const ErrorCode& ec, std::uint64_t generation) {
        if (closed_ || generation != timer_generation_ || ec == asio::error::operation_aborted) {
            return;
        }
        timer_armed_ = false;
        auto [at, why] = next_deadline();
        if (why == Deadline::none) {
            return;
        }
        if (at > Clock::now()) {
            arm_timer(at);
            return;
        }
        const Limits& l = server_->limits;
        switch (why) {
            case Deadline::idle:
                bump(server_->counters.closed_idle);
                close("idle for " + std::to_string(l.idle_timeout.count()) + " ms");
                return;
            case Deadline::request:
                bump(server_->counters.closed_timeout);
                close("request incomplete after " + std::to_string(l.request_timeout.count()) +
                      " ms");
                return;
            case Deadline::unread_output:
                bump(server_->counters.closed_idle);
                close("output unread for " + std::to_string(l.idle_timeout.count()) + " ms");
                return;
            case Deadline::none:
                return;
        }
    }

    std::shared_ptr<Impl> server_;
    LocalSocket socket_;
    asio::steady_timer timer_;
    const std::uint64_t id_;

    std::vector<std::uint8_t> in_;  // [0, in_len_) received and not yet answered
    std::size_t in_len_ = 0;
    std::deque<Frame> out_;  // front() is being written
    std::size_t out_bytes_ = 0;

    bool reading_ = false;
    bool writing_ = false;
    bool closed_ = false;
    bool stop_reading_ = false;  // a frame could not be delimited: answer, flush, close
    bool subscribed_ = false;

    Clock::time_point last_rx_;         // last byte received (idle timeout)
    Clock::time_point frame_start_;     // first byte of the partial frame in in_
    Clock::time_point write_progress_;  // output queued or a write completed
    Clock::time_point timer_at_{};
    bool timer_armed_ = false;
    std::uint64_t timer_generation_ = 0;
};

}  // namespace

void ControlServer::Impl::accept() {
    if (closed) {
        return;
    }
    acceptor.async_accept([self = shared_from_this()](const ErrorCode& ec, LocalSocket socket) {
        try {
            self->on_accept(ec, std::move(socket));
        } catch (const std::exception& e) {
            // Nothing escapes a handler: log, and keep accepting if that still works.
            log::error(std::string("control: accept: internal error: ") + e.what());
            try {
                self->accept();
            } catch (const std::exception& again) {
                log::error(std::string("control: no longer accepting: ") + again.what());
            }
        }
    });
}

void ControlServer::Impl::on_accept(const ErrorCode& ec, LocalSocket socket) {
    if (closed || ec == asio::error::operation_aborted) {
        return;
    }
    if (ec) {
        const int err = ec.value();
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
            // Out of descriptors: the connection stays queued; retry later, never spin.
            log::warning("control: accept: " + ec.message() + "; retrying");
            accept_retry.expires_after(kAcceptRetryDelay);
            accept_retry.async_wait([self = shared_from_this()](const ErrorCode& tec) {
                if (!tec) {
                    self->accept();
                }
            });
            return;
        }
        log::debug("control: accept: " + ec.message());
        accept();
        return;
    }
    if (sessions.size() >= limits.max_connections) {
        refuse(socket);
    } else {
        auto session =
            std::make_shared<Session>(shared_from_this(), std::move(socket), next_session_id++);
        sessions.emplace(session.get(), session);
        bump(counters.accepted);
        bump(counters.open);
        session->start();
    }
    accept();
}

void ControlServer::Impl::refuse(LocalSocket& socket) {
    ErrorCode ec;
    socket.close(ec);
    bump(counters.refused);
    ++refused_unlogged;
    const auto now = Clock::now();
    if (now - last_refusal_log >= kRefusalLogInterval) {
        log::warning("control: refused " + std::to_string(refused_unlogged) +
                     " connection(s): " + std::to_string(limits.max_connections) + " already open");
        last_refusal_log = now;
        refused_unlogged = 0;
    }
}

void ControlServer::Impl::remove(Session* session) {
    if (sessions.erase(session) != 0) {
        drop(counters.open);
    }
}

api::ReplyBody ControlServer::Impl::dispatch(const api::RequestBody& request) {
    const api::MsgType type = api::type_of(request);
    try {
        return handler.handle(request);
    } catch (const std::exception& e) {
        log::error("control: " + std::string(api::msg_type_name(type)) + ": " + e.what());
        return api::ErrorReply{type, EIO, std::string("internal error: ") + e.what()};
    } catch (...) {
        log::error("control: " + std::string(api::msg_type_name(type)) + ": unknown exception");
        return api::ErrorReply{type, EIO, "internal error"};
    }
}

void ControlServer::Impl::publish(const api::LinkEvent& event) {
    if (closed || get(counters.subscribers) == 0) {
        return;
    }
    auto bytes = std::make_shared<std::vector<std::uint8_t>>();
    if (auto st = api::encode_reply(api::Reply{0, event}, *bytes); !st) {
        log::error("control: cannot encode a link event: " + st.error().message);
        return;
    }
    // Copy first: send() may close a session, which erases it from the map.
    std::vector<std::shared_ptr<Session>> subscribers;
    for (const auto& [ptr, session] : sessions) {
        if (session->subscribed()) {
            subscribers.push_back(session);
        }
    }
    Frame frame = std::move(bytes);
    for (const auto& session : subscribers) {
        session->send(frame);
        bump(counters.events);
    }
}

void ControlServer::Impl::close() {
    if (closed) {
        return;
    }
    closed = true;
    ErrorCode ec;
    acceptor.close(ec);
    accept_retry.cancel(ec);
    std::vector<std::shared_ptr<Session>> all;
    all.reserve(sessions.size());
    for (const auto& [ptr, session] : sessions) {
        all.push_back(session);
    }
    for (const auto& session : all) {
        session->close("server closing");
    }
    sessions.clear();
    if (bound) {
        unbind();
        log::info("control socket: closed " + path);
    }
}

void ControlServer::Impl::unbind() {
    ErrorCode ec;
    acceptor.close(ec);
    if (!bound) {
        return;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && st.st_dev == bound_dev && st.st_ino == bound_ino) {
        ::unlink(path.c_str());
    }
    bound = false;
}

ControlServer::ControlServer(asio::io_context& io, Handler& handler, Limits limits)
    : impl_(std::make_shared<Impl>(io, handler, limits)) {}

ControlServer::~ControlServer() {
    try {
        impl_->close();
    } catch (...) {  // NOLINT(bugprone-empty-catch): only a log line or bad_alloc can throw here
        // Pending handlers keep Impl alive and see it closed; nothing else is owed.
    }
}

Status ControlServer::listen(const std::string& path) {
    Impl& s = *impl_;
    if (s.closed) {
        return make_error(EBADF, "control socket: server closed");
    }
    if (s.acceptor.is_open()) {
        return make_error(EISCONN, "control socket: already listening on " + s.path);
    }
    if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) {
        return make_error(ENAMETOOLONG, "control socket: path empty or too long: " + path);
    }
    if (auto st = make_parent_dir(path); !st) {
        return st;
    }
    if (auto st = remove_stale_socket(path); !st) {
        return st;
    }
    ErrorCode ec;
    auto fail = [&s, &path](const std::string& what, const ErrorCode& e) -> Status {
        s.unbind();
        return make_error(e.value() > 0 ? e.value() : EIO,
                          "control socket: " + what + " " + path + ": " + e.message());
    };
    s.acceptor.open(asio::local::stream_protocol(), ec);
    if (ec) {
        return fail("socket for", ec);
    }
    s.acceptor.bind(asio::local::stream_protocol::endpoint(path), ec);
    if (ec) {
        return fail("bind", ec);
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        int err = errno;
        return fail("stat", ErrorCode(err, boost::system::system_category()));
    }
    s.path = path;
    s.bound = true;
    s.bound_dev = st.st_dev;
    s.bound_ino = st.st_ino;
    // Permissions before listen(): until then a connect is refused, so the umask's mode is
    // never usable by anyone.
    if (auto perm = set_socket_permissions(path); !perm) {
        s.unbind();
        return perm;
    }
    s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return fail("listen on", ec);
    }
    s.accept();
    log::info("control socket: listening on " + path);
    return ok_status();
}

void ControlServer::publish(const api::LinkEvent& event) {
    impl_->publish(event);
}

void ControlServer::post_publish(api::LinkEvent event) {
    asio::post(impl_->io, [impl = impl_, ev = std::move(event)] { impl->publish(ev); });
}

void ControlServer::close() {
    impl_->close();
}

void ControlServer::post_close() {
    asio::post(impl_->io, [impl = impl_] { impl->close(); });
}

Stats ControlServer::stats() const {
    const auto& c = impl_->counters;
    Stats s;
    s.accepted = get(c.accepted);
    s.refused = get(c.refused);
    s.open = get(c.open);
    s.requests = get(c.requests);
    s.frames_bad = get(c.frames_bad);
    s.closed_idle = get(c.closed_idle);
    s.closed_timeout = get(c.closed_timeout);
    s.closed_overflow = get(c.closed_overflow);
    s.events = get(c.events);
    s.subscribers = get(c.subscribers);
    return s;
}

const Limits& ControlServer::limits() const {
    return impl_->limits;
}

}  // namespace routerd::control
