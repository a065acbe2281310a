// SPDX-License-Identifier: Apache-2.0
// Tests for ControlServer on a real unix socket in a temp dir, with a fake Handler.
#include "router/control/server.hh"

#include "router/api/client.hh"
#include "router/api/codec.hh"
#include "router/control/asio.hh"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace routerd::control {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

// Answers a few requests from a small state, as RouterState will; the rest is ENOTSUP.
class FakeHandler : public Handler {
public:
    api::ReplyBody handle(const api::RequestBody& request) override {
        calls.fetch_add(1);
        if (std::holds_alternative<api::HelloRequest>(request)) {
            return api::HelloReply{"routerd-test", 42};
        }
        if (std::holds_alternative<api::GetIpStuffRequest>(request)) {
            return api::GetIpStuffReply{stuff_};
        }
        if (const auto* misc = std::get_if<api::SetIpMiscRequest>(&request)) {
            if (misc->arg == api::kIpMiscForwarding) {
                stuff_.ip_forwarding = misc->ip_forwarding;
            } else {
                stuff_.ip_default_ttl = misc->ip_default_ttl;
            }
            return api::SetIpMiscReply{};
        }
        if (const auto* ifreq = std::get_if<api::GetIfreqAllRequest>(&request)) {
            if (ifreq->if_number != 7) {
                return api::ErrorReply{api::MsgType::GET_IFREQ_ALL, ENXIO, "no interface"};
            }
            api::GetIfreqAllReply r;
            r.ifreq_all.if_entry.if_index = 7;
            r.ifreq_all.if_entry.if_name = "eth0";
            return r;
        }
        if (std::holds_alternative<api::GetArpRequest>(request)) {
            throw std::runtime_error("boom");
        }
        if (std::holds_alternative<api::GetIcmpStatRequest>(request)) {
            return api::GetIgmpStatReply{};  // a handler bug: the wrong reply type
        }
        return api::ErrorReply{api::type_of(request), ENOTSUP, "not in the fake"};
    }

    std::atomic<int> calls{0};

private:
    api::IpStuff stuff_;
};

// An owned file descriptor.
struct Fd {
    explicit Fd(int f = -1) : fd(f) {}
    Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
    Fd& operator=(Fd&&) = delete;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    int fd;
};

Fd raw_connect(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return Fd{};
    }
    return Fd{fd};
}

void send_bytes(const Fd& fd, const Bytes& bytes) {
    ASSERT_EQ(::send(fd.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
}

// Reads exactly n bytes within the deadline; false on EOF, error or timeout.
bool read_exact(const Fd& fd, std::uint8_t* p, std::size_t n, Clock::time_point deadline) {
    while (n > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd pfd{fd.fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        ssize_t r = ::recv(fd.fd, p, n, 0);
        if (r <= 0) {
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

// Reads one reply frame (2 s at most).
std::optional<api::Reply> read_reply(const Fd& fd) {
    auto deadline = Clock::now() + 2s;
    Bytes buf(api::kReplyHeaderSize);
    if (!read_exact(fd, buf.data(), buf.size(), deadline)) {
        return std::nullopt;
    }
    auto size = api::frame_size(buf, api::FrameKind::reply);
    if (!size) {
        return std::nullopt;
    }
    buf.resize(*size);
    if (!read_exact(fd, buf.data() + api::kReplyHeaderSize, *size - api::kReplyHeaderSize,
                    deadline)) {
        return std::nullopt;
    }
    auto reply = api::decode_reply(buf);
    if (!reply) {
        return std::nullopt;
    }
    return *reply;
}

// True when the server closed `fd` (EOF or reset) within `timeout`; other bytes are skipped.
bool closed_within(const Fd& fd, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    std::uint8_t sink[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd pfd{fd.fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        ssize_t r = ::recv(fd.fd, sink, sizeof sink, MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno == ECONNRESET)) {
            return true;
        }
    }
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 3s) {
    auto deadline = Clock::now() + timeout;
    while (!pred()) {
        if (Clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

void put_u32(Bytes& b, std::size_t off, std::uint32_t v) {
    b[off] = static_cast<std::uint8_t>(v >> 24);
    b[off + 1] = static_cast<std::uint8_t>(v >> 16);
    b[off + 2] = static_cast<std::uint8_t>(v >> 8);
    b[off + 3] = static_cast<std::uint8_t>(v);
}

// A request header as the wire has it: magic | version | type | len | id.
Bytes header(std::uint16_t type, std::uint32_t len, std::uint32_t id,
             std::uint16_t version = api::kProtocolVersion) {
    Bytes b(api::kRequestHeaderSize);
    put_u32(b, 0, api::kProtocolMagic);
    b[4] = static_cast<std::uint8_t>(version >> 8);
    b[5] = static_cast<std::uint8_t>(version);
    b[6] = static_cast<std::uint8_t>(type >> 8);
    b[7] = static_cast<std::uint8_t>(type);
    put_u32(b, 8, len);
    put_u32(b, 12, id);
    return b;
}

Bytes encode(std::uint32_t id, const api::RequestBody& body) {
    auto bytes = api::encode_request(api::Request{id, body});
    EXPECT_TRUE(bytes);
    return bytes ? *bytes : Bytes{};
}

int error_status(const std::optional<api::Reply>& reply) {
    return reply ? api::status_of(*reply) : -1;
}

api::LinkEvent event(std::uint32_t ifindex) {
    return api::LinkEvent{ifindex, "eth" + std::to_string(ifindex % 100), api::AdminState::up,
                          api::OperState::down, 1000 + ifindex};
}

std::size_t open_fds() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n;
}

Limits test_limits() {
    Limits l;
    l.request_timeout = 200ms;
    return l;
}

class ControlServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/routerd-control-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/control.sock";
    }

    void TearDown() override {
        stop();
        std::filesystem::remove_all(dir_);
    }

    void start(Limits limits = test_limits()) {
        server_ = std::make_unique<ControlServer>(io_, handler_, limits);
        auto st = server_->listen(path_);
        ASSERT_TRUE(st) << st.error().message;
        thread_ = std::thread([this] { io_.run(); });
    }

    // Closes the server on its thread; run() returns only once no operation is left pending.
    void stop() {
        if (thread_.joinable()) {
            on_io([this] { server_->close(); });
            work_.reset();
            thread_.join();
        }
        server_.reset();
    }

    // Runs f on the io_context's thread and waits for it.
    void on_io(std::function<void()> f) {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }

    api::Client client() {
        auto c = api::Client::connect(path_, 2000ms);
        EXPECT_TRUE(c) << c.error().message;
        return std::move(*c);
    }

    // A fresh client gets a HELLO answered.
    bool answers() {
        auto c = api::Client::connect(path_, 2000ms);
        return c && c->call_as<api::HelloReply>(api::HelloRequest{"probe"}).has_value();
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
        boost::asio::make_work_guard(io_);
    FakeHandler handler_;
    std::unique_ptr<ControlServer> server_;
    std::thread thread_;
    std::string dir_;
    std::string path_;
};

TEST_F(ControlServerTest, RequestGetsItsReply) {
    start();
    auto c = client();
    auto hello = c.call_as<api::HelloReply>(api::HelloRequest{"test"});
    ASSERT_TRUE(hello) << hello.error().message;
    EXPECT_EQ(hello->server, "routerd-test");
    ASSERT_TRUE(c.call(api::SetIpMiscRequest{api::kIpMiscForwarding, 0, 0}));
    ASSERT_TRUE(c.call(api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 32}));
    auto stuff = c.call_as<api::GetIpStuffReply>(api::GetIpStuffRequest{});
    ASSERT_TRUE(stuff);
    EXPECT_EQ(stuff->ip_stuff.ip_forwarding, 0);
    EXPECT_EQ(stuff->ip_stuff.ip_default_ttl, 32);
    auto ifreq = c.call_as<api::GetIfreqAllReply>(api::GetIfreqAllRequest{7});
    ASSERT_TRUE(ifreq);
    EXPECT_EQ(ifreq->ifreq_all.if_entry.if_name, "eth0");
    EXPECT_EQ(server_->stats().requests, 5u);
}

TEST_F(ControlServerTest, PipelinedRequestsAnsweredInOrder) {
    start();
    Fd fd = raw_connect(path_);
    Bytes all;
    for (std::uint32_t id = 1; id <= 3; ++id) {
        auto b = encode(id, api::HelloRequest{"pipe"});
        all.insert(all.end(), b.begin(), b.end());
    }
    send_bytes(fd, all);
    for (std::uint32_t id = 1; id <= 3; ++id) {
        auto r = read_reply(fd);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->for_id, id);
        EXPECT_TRUE(std::holds_alternative<api::HelloReply>(r->body));
    }
}

TEST_F(ControlServerTest, HandlerErrorReachesClientAsError) {
    start();
    auto c = client();
    auto r = c.call(api::GetIfreqAllRequest{99});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ENXIO);
    EXPECT_EQ(r.error().message, "no interface");
    EXPECT_TRUE(c.call(api::HelloRequest{"again"}));  // the connection stays usable
}

TEST_F(ControlServerTest, HandlerExceptionOrWrongReplyTypeIsEio) {
    start();
    auto c = client();
    auto thrown = c.call(api::GetArpRequest{});
    ASSERT_FALSE(thrown);
    EXPECT_EQ(thrown.error().code, EIO);
    auto wrong = c.call(api::GetIcmpStatRequest{});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, EIO);
    EXPECT_TRUE(c.call(api::HelloRequest{"still here"}));
}

TEST_F(ControlServerTest, SetIpMiscOtherArgOrMissingArgumentIsEinval) {
    start();
    Fd fd = raw_connect(path_);
    // arg 3: a well-framed SET_IP_MISC whose arg field (first payload word) is patched.
    Bytes bad_arg = encode(1, api::SetIpMiscRequest{api::kIpMiscForwarding, 1, 0});
    put_u32(bad_arg, api::kRequestHeaderSize, 3);
    send_bytes(fd, bad_arg);
    auto r1 = read_reply(fd);
    EXPECT_EQ(error_status(r1), EINVAL);
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->for_id, 1u);
    EXPECT_EQ(api::type_of(r1->body), api::MsgType::SET_IP_MISC);
    // Missing arguments: only `arg` in the payload.
    Bytes missing = header(static_cast<std::uint16_t>(api::MsgType::SET_IP_MISC), 4, 2);
    missing.insert(missing.end(), {0, 0, 0, 1});
    send_bytes(fd, missing);
    EXPECT_EQ(error_status(read_reply(fd)), EINVAL);
    // No payload at all.
    send_bytes(fd, header(static_cast<std::uint16_t>(api::MsgType::SET_IP_MISC), 0, 3));
    EXPECT_EQ(error_status(read_reply(fd)), EINVAL);
    EXPECT_EQ(handler_.calls.load(), 0);  // refused before the handler
    // arg 1 and 2 pass, on the same connection.
    send_bytes(fd, encode(4, api::SetIpMiscRequest{api::kIpMiscDefaultTtl, 0, 200}));
    EXPECT_EQ(error_status(read_reply(fd)), 0);
    send_bytes(fd, encode(5, api::SetIpMiscRequest{api::kIpMiscForwarding, 1, 0}));
    EXPECT_EQ(error_status(read_reply(fd)), 0);
    EXPECT_EQ(server_->stats().frames_bad, 3u);
}

TEST_F(ControlServerTest, SetMgmtStreamsLinkEventsInOrder) {
    start();
    auto sub = client();
    auto other = client();
    ASSERT_TRUE(sub.call(api::SetMgmtRequest{true}));
    EXPECT_TRUE(wait_until([&] { return server_->stats().subscribers == 1; }));
    for (std::uint32_t i = 1; i <= 20; ++i) {
        server_->post_publish(event(i));  // from this thread: post_publish is the safe way
    }
    for (std::uint32_t i = 1; i <= 20; ++i) {
        auto ev = sub.next_event(2000ms);
        ASSERT_TRUE(ev) << ev.error().message;
        EXPECT_EQ(*ev, event(i));
    }
    // Requests still work on a subscribed connection, events interleaving with replies.
    server_->post_publish(event(21));
    EXPECT_TRUE(sub.call(api::HelloRequest{"sub"}));
    auto ev21 = sub.next_event(2000ms);
    ASSERT_TRUE(ev21);
    EXPECT_EQ(ev21->ifindex, 21u);
    // The other connection never subscribed: no event reached it.
    auto none = other.next_event(50ms);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ETIMEDOUT);
    // Unsubscribe: no more events.
    ASSERT_TRUE(sub.call(api::SetMgmtRequest{false}));
    server_->post_publish(event(22));
    auto after = sub.next_event(50ms);
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, ETIMEDOUT);
    EXPECT_EQ(server_->stats().subscribers, 0u);
}

TEST_F(ControlServerTest, GarbageGetsEprotoThenClose) {
    start();
    Fd fd = raw_connect(path_);
    std::string junk = "GET / HTTP/1.1\r\nHost: routerd\r\n\r\n";
    send_bytes(fd, Bytes(junk.begin(), junk.end()));
    EXPECT_EQ(error_status(read_reply(fd)), EPROTO);
    EXPECT_TRUE(closed_within(fd, 2000ms));
    EXPECT_TRUE(answers());
    EXPECT_EQ(server_->stats().frames_bad, 1u);
}

TEST_F(ControlServerTest, OversizedFrameGetsEmsgsizeThenClose) {
    start();
    Fd fd = raw_connect(path_);
    send_bytes(fd, header(static_cast<std::uint16_t>(api::MsgType::HELLO), 0xfffffff0u, 9));
    auto r = read_reply(fd);
    EXPECT_EQ(error_status(r), EMSGSIZE);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->for_id, 9u);
    EXPECT_TRUE(closed_within(fd, 2000ms));
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, ServerFrameLimitBelowProtocolLimit) {
    Limits l = test_limits();
    l.max_frame = 64;
    start(l);
    Fd fd = raw_connect(path_);
    send_bytes(fd, header(static_cast<std::uint16_t>(api::MsgType::HELLO), 100, 1));
    EXPECT_EQ(error_status(read_reply(fd)), EMSGSIZE);
    EXPECT_TRUE(closed_within(fd, 2000ms));
}

TEST_F(ControlServerTest, WrongVersionGetsEprotonosupportThenClose) {
    start();
    Fd fd = raw_connect(path_);
    send_bytes(fd, header(static_cast<std::uint16_t>(api::MsgType::HELLO), 0, 1, 99));
    EXPECT_EQ(error_status(read_reply(fd)), EPROTONOSUPPORT);
    EXPECT_TRUE(closed_within(fd, 2000ms));
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, UnknownTypeGetsEnotsupAndConnectionStays) {
    start();
    Fd fd = raw_connect(path_);
    Bytes unknown = header(999, 3, 5);
    unknown.insert(unknown.end(), {1, 2, 3});
    send_bytes(fd, unknown);
    auto r = read_reply(fd);
    EXPECT_EQ(error_status(r), ENOTSUP);
    ASSERT_TRUE(r);
    EXPECT_EQ(static_cast<unsigned>(api::type_of(r->body)), 999u);  // echoed
    send_bytes(fd, encode(6, api::HelloRequest{"after"}));
    auto hello = read_reply(fd);
    ASSERT_TRUE(hello);
    EXPECT_EQ(hello->for_id, 6u);
    EXPECT_TRUE(std::holds_alternative<api::HelloReply>(hello->body));
}

TEST_F(ControlServerTest, TruncatedOrBadEnumBodyGetsEinval) {
    start();
    Fd fd = raw_connect(path_);
    // GET_IFREQ_ALL with 2 of its 4 payload bytes.
    Bytes truncated = header(static_cast<std::uint16_t>(api::MsgType::GET_IFREQ_ALL), 2, 1);
    truncated.insert(truncated.end(), {0, 7});
    send_bytes(fd, truncated);
    EXPECT_EQ(error_status(read_reply(fd)), EINVAL);
    // SET_IF_ADMIN with admin state 9.
    Bytes bad_enum = encode(2, api::SetIfAdminRequest{7, api::AdminState::up});
    bad_enum.back() = 9;
    send_bytes(fd, bad_enum);
    EXPECT_EQ(error_status(read_reply(fd)), EINVAL);
    // SET_MGMT with boolean 2: refused, and no subscription.
    Bytes bad_bool = encode(3, api::SetMgmtRequest{true});
    bad_bool.back() = 2;
    send_bytes(fd, bad_bool);
    EXPECT_EQ(error_status(read_reply(fd)), EINVAL);
    EXPECT_EQ(server_->stats().subscribers, 0u);
    send_bytes(fd, encode(4, api::HelloRequest{"ok"}));
    EXPECT_EQ(error_status(read_reply(fd)), 0);
}

TEST_F(ControlServerTest, HalfWrittenRequestsClosedAfterRequestTimeout) {
    start();  // request_timeout 200 ms
    Fd half_header = raw_connect(path_);
    Bytes hello = encode(1, api::HelloRequest{"half"});
    send_bytes(half_header, Bytes(hello.begin(), hello.begin() + 10));
    Fd half_body = raw_connect(path_);
    send_bytes(half_body, Bytes(hello.begin(), hello.end() - 2));
    EXPECT_TRUE(answers());  // others are served meanwhile
    EXPECT_TRUE(closed_within(half_header, 2000ms));
    EXPECT_TRUE(closed_within(half_body, 2000ms));
    EXPECT_EQ(server_->stats().closed_timeout, 2u);
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, IdleConnectionClosedSubscriberKept) {
    Limits l = test_limits();
    l.idle_timeout = 300ms;
    start(l);
    Fd idle = raw_connect(path_);
    auto sub = client();
    ASSERT_TRUE(sub.call(api::SetMgmtRequest{true}));
    EXPECT_TRUE(closed_within(idle, 2000ms));
    EXPECT_GE(server_->stats().closed_idle, 1u);
    std::this_thread::sleep_for(100ms);  // the subscriber is now past the idle limit too
    server_->post_publish(event(1));
    auto ev = sub.next_event(2000ms);
    ASSERT_TRUE(ev) << ev.error().message;
    EXPECT_EQ(ev->ifindex, 1u);
}

TEST_F(ControlServerTest, ThousandConnectionsBeyondLimitAreClosedAndNothingLeaks) {
    rlimit rl{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < 2100 && rl.rlim_max > rl.rlim_cur) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
        ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    if (rl.rlim_cur < 2100) {
        GTEST_SKIP() << "RLIMIT_NOFILE " << rl.rlim_cur << " below 2100";
    }
    Limits l = test_limits();
    l.max_connections = 64;
    start(l);
    const std::size_t fds_before = open_fds();
    {
        std::vector<Fd> conns;
        conns.reserve(1000);
        for (int i = 0; i < 1000; ++i) {
            conns.push_back(raw_connect(path_));
            ASSERT_GE(conns.back().fd, 0) << "connect " << i;
        }
        EXPECT_TRUE(wait_until([&] {
            auto s = server_->stats();
            return s.accepted + s.refused == 1000;
        }));
        EXPECT_EQ(server_->stats().accepted, 64u);
        EXPECT_EQ(server_->stats().refused, 936u);
        EXPECT_EQ(server_->stats().open, 64u);
        EXPECT_TRUE(closed_within(conns.back(), 2000ms));  // one beyond the limit
        // An accepted one is served.
        send_bytes(conns.front(), encode(1, api::HelloRequest{"first"}));
        EXPECT_EQ(error_status(read_reply(conns.front())), 0);
    }
    EXPECT_TRUE(wait_until([&] { return server_->stats().open == 0; }));
    EXPECT_TRUE(answers());
    EXPECT_TRUE(wait_until([&] { return server_->stats().open == 0; }));
    EXPECT_EQ(open_fds(), fds_before);
}

TEST_F(ControlServerTest, SubscriberThatDoesNotReadIsDisconnected) {
    Limits l = test_limits();
    l.max_output_bytes = 512 * 1024;  // the smallest the server accepts (2 x kMaxMessageSize)
    start(l);
    EXPECT_EQ(server_->limits().max_output_bytes, 512u * 1024);
    auto lazy = client();
    ASSERT_TRUE(lazy.call(api::SetMgmtRequest{true}));
    auto good = client();
    ASSERT_TRUE(good.call(api::SetMgmtRequest{true}));
    // About 1.2 MB of events in one burst, more than the bound.
    on_io([this] {
        for (std::uint32_t i = 1; i <= 30000; ++i) {
            server_->publish(event(i));
        }
    });
    EXPECT_TRUE(wait_until([&] { return server_->stats().closed_overflow == 2; }));
    EXPECT_EQ(server_->stats().subscribers, 0u);
    EXPECT_TRUE(answers());
    auto gone = lazy.next_event(2000ms);  // what was sent before the cut, then the close
    while (gone) {
        gone = lazy.next_event(2000ms);
    }
    EXPECT_EQ(gone.error().code, ECONNRESET);
    // The good subscriber was disconnected too (it could not read 30000 events in one handler
    // run); a fresh one that reads keeps up with a normal rate.
    auto fresh = client();
    ASSERT_TRUE(fresh.call(api::SetMgmtRequest{true}));
    on_io([this] {
        for (std::uint32_t i = 1; i <= 100; ++i) {
            server_->publish(event(i));
        }
    });
    for (std::uint32_t i = 1; i <= 100; ++i) {
        auto ev = fresh.next_event(2000ms);
        ASSERT_TRUE(ev) << i << ": " << ev.error().message;
        EXPECT_EQ(ev->ifindex, i);
    }
}

TEST_F(ControlServerTest, PipeliningClientThatDoesNotReadIsPausedThenClosed) {
    Limits l = test_limits();
    l.idle_timeout = 300ms;
    start(l);
    Fd fd = raw_connect(path_);
    Bytes one = encode(1, api::GetIpStuffRequest{});
    Bytes many;
    for (int i = 0; i < 20000; ++i) {
        many.insert(many.end(), one.begin(), one.end());
    }
    // Write what the socket takes without blocking; the server stops reading once its
    // output for this connection passes half the bound.
    std::size_t sent = 0;
    while (sent < many.size()) {
        ssize_t n =
            ::send(fd.fd, many.data() + sent, many.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0) {
            break;
        }
        sent += static_cast<std::size_t>(n);
    }
    EXPECT_LT(sent, many.size());
    EXPECT_TRUE(answers());
    EXPECT_TRUE(wait_until([&] { return server_->stats().closed_idle >= 1; }));
    EXPECT_EQ(server_->stats().closed_overflow, 0u);
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, SocketFileIsMode0660) {
    start();
    struct stat st {};
    ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0660u);
}

TEST_F(ControlServerTest, MissingParentDirectoryIsCreated) {
    path_ = dir_ + "/run/control.sock";
    start();
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/run").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755u);
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, StaleSocketFileIsReplaced) {
    {
        int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
        ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        ::close(fd);  // the file stays, nobody answers: a crashed routerd's leftover
    }
    start();
    EXPECT_TRUE(answers());
}

TEST_F(ControlServerTest, LiveServersSocketIsNeverTaken) {
    start();
    boost::asio::io_context other_io;
    FakeHandler other_handler;
    ControlServer other(other_io, other_handler, test_limits());
    auto st = other.listen(path_);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, EADDRINUSE);
    other.close();
    EXPECT_TRUE(answers());  // and the file is still the first server's
}

TEST_F(ControlServerTest, FileThatIsNotASocketIsNeverTaken) {
    { std::ofstream(path_) << "precious\n"; }
    boost::asio::io_context other_io;
    ControlServer other(other_io, handler_, test_limits());
    auto st = other.listen(path_);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, EEXIST);
    struct stat sb {};
    ASSERT_EQ(::lstat(path_.c_str(), &sb), 0);
    EXPECT_TRUE(S_ISREG(sb.st_mode));
}

TEST_F(ControlServerTest, CloseUnlinksTheSocketFileAndClosesConnections) {
    start();
    Fd fd = raw_connect(path_);
    auto sub = client();
    ASSERT_TRUE(sub.call(api::SetMgmtRequest{true}));
    on_io([this] { server_->close(); });
    struct stat st {};
    EXPECT_NE(::lstat(path_.c_str(), &st), 0);
    EXPECT_TRUE(closed_within(fd, 2000ms));
    EXPECT_EQ(server_->stats().open, 0u);
    EXPECT_FALSE(api::Client::connect(path_, 200ms));
    on_io([this] { server_->close(); });  // idempotent
}

// post_publish from another thread while clients call: TSan checks the hand-over.
TEST_F(ControlServerTest, PostPublishFromAnotherThreadWhileServing) {
    start();
    auto sub = client();
    ASSERT_TRUE(sub.call(api::SetMgmtRequest{true}));
    std::thread publisher([this] {
        for (std::uint32_t i = 1; i <= 200; ++i) {
            server_->post_publish(event(i));
        }
    });
    auto c = client();
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(c.call(api::GetIpStuffRequest{}));
        (void)server_->stats();
    }
    publisher.join();
    for (std::uint32_t i = 1; i <= 200; ++i) {
        auto ev = sub.next_event(2000ms);
        ASSERT_TRUE(ev) << ev.error().message;
        EXPECT_EQ(ev->ifindex, i);
    }
}

}  // namespace
}  // namespace routerd::control
