// SPDX-License-Identifier: Apache-2.0
// Tests for the blocking control-socket client against a scripted peer on a socketpair.
#include "router/api/client.hh"

#include "router/api/codec.hh"

#include <gtest/gtest.h>

#include <functional>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace routerd::api {
namespace {

// A peer that reads one request frame and answers with whatever `respond` writes.
class ScriptedPeer {
public:
    using Respond = std::function<void(int fd, const Request& req)>;

    explicit ScriptedPeer(Respond respond) {
        int sv[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        client_fd_ = sv[0];
        peer_fd_ = sv[1];
        thread_ = std::thread([this, respond = std::move(respond)] {
            std::vector<std::uint8_t> buf(kRequestHeaderSize);
            if (!read_all(buf.data(), buf.size())) {
                return;
            }
            auto size = frame_size(buf, FrameKind::request);
            if (!size) {
                return;
            }
            buf.resize(*size);
            if (!read_all(buf.data() + kRequestHeaderSize, *size - kRequestHeaderSize)) {
                return;
            }
            auto req = decode_request(buf);
            if (req) {
                respond(peer_fd_, *req);
            } else if (auto h = peek_header(buf, FrameKind::request)) {
                // As routerd's server: an undecodable body gets the decoder's error back.
                send_reply(peer_fd_, make_error_reply(h->id, h->type, req.error()));
            }
        });
    }
    ~ScriptedPeer() {
        thread_.join();
        ::close(peer_fd_);
    }
    int client_fd() const { return client_fd_; }

    static void send_reply(int fd, const Reply& reply) {
        auto bytes = encode_reply(reply);
        ASSERT_TRUE(bytes);
        ASSERT_EQ(::write(fd, bytes->data(), bytes->size()), static_cast<ssize_t>(bytes->size()));
    }

private:
    bool read_all(std::uint8_t* p, std::size_t n) {
        while (n > 0) {
            ssize_t r = ::read(peer_fd_, p, n);
            if (r <= 0) {
                return false;
            }
            p += r;
            n -= static_cast<std::size_t>(r);
        }
        return true;
    }
    int client_fd_ = -1;
    int peer_fd_ = -1;
    std::thread thread_;
};

TEST(Client, CallReturnsTypedReply) {
    ScriptedPeer peer([](int fd, const Request& req) {
        IpStuff s;
        s.ip_forwarding = 1;
        s.ip_default_ttl = 64;
        ScriptedPeer::send_reply(fd, Reply{req.id, GetIpStuffReply{s}});
    });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    auto r = c.call_as<GetIpStuffReply>(GetIpStuffRequest{});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->ip_stuff.ip_default_ttl, 64);
}

TEST(Client, ErrorReplyBecomesError) {
    ScriptedPeer peer([](int fd, const Request& req) {
        ScriptedPeer::send_reply(
            fd, make_error_reply(req.id, type_of(req.body), make_error(EINVAL, "bad arg")));
    });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    auto r = c.call(SetIpMiscRequest{kIpMiscDefaultTtl, 0, 64});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_EQ(r.error().message, "bad arg");
}

TEST(Client, OutOfRangeValuesReachThePeerWhichRefusesThem) {
    // The client sends SET_IP_MISC ttl 0 as given; the EINVAL comes from the peer's decode
    // (routerd's, in the daemon), not from a client-side check.
    bool answered = false;
    ScriptedPeer peer([&answered](int, const Request&) { answered = true; });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    auto r = c.call(SetIpMiscRequest{kIpMiscDefaultTtl, 0, 0});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_NE(r.error().message.find("SET_IP_MISC request: "), std::string::npos)
        << r.error().message;
    EXPECT_FALSE(answered);
}

TEST(Client, EventsBeforeTheReplyAreKept) {
    ScriptedPeer peer([](int fd, const Request& req) {
        LinkEvent ev;
        ev.ifindex = 7;
        ev.name = "eth1";
        ev.admin = AdminState::up;
        ev.oper = OperState::down;
        ScriptedPeer::send_reply(fd, Reply{0, ev});
        ScriptedPeer::send_reply(fd, Reply{req.id, SetMgmtReply{}});
    });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    ASSERT_TRUE(c.call(SetMgmtRequest{true}));
    auto ev = c.next_event(std::chrono::milliseconds(10));
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->ifindex, 7u);
    EXPECT_EQ(ev->oper, OperState::down);
}

TEST(Client, ReplyForAnotherIdIsAProtocolError) {
    ScriptedPeer peer([](int fd, const Request& req) {
        ScriptedPeer::send_reply(fd, Reply{req.id + 1, GetIpStuffReply{}});
    });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    auto r = c.call(GetIpStuffRequest{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
}

TEST(Client, GarbageFromPeerIsAnError) {
    ScriptedPeer peer([](int fd, const Request&) {
        const char junk[32] = "this is not a routerd reply....";
        ASSERT_EQ(::write(fd, junk, sizeof junk), static_cast<ssize_t>(sizeof junk));
    });
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(2000));
    auto r = c.call(GetIpStuffRequest{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EPROTO);
}

TEST(Client, SilentPeerTimesOut) {
    ScriptedPeer peer([](int, const Request&) {});
    Client c = Client::from_fd(peer.client_fd(), std::chrono::milliseconds(50));
    auto r = c.call(GetIpStuffRequest{});
    ASSERT_FALSE(r);
    // The peer closes after its (empty) answer: EOF or timeout, never a hang.
    EXPECT_TRUE(r.error().code == ETIMEDOUT || r.error().code == ECONNRESET) << r.error().message;
}

TEST(Client, ConnectToMissingSocketFails) {
    auto c = Client::connect("/nonexistent/routerd/control.sock");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ENOENT);
}

}  // namespace
}  // namespace routerd::api
