// SPDX-License-Identifier: Apache-2.0
// ControlPeer: the server side of routerd's control socket for unit tests of the agent's Source
// and RoutePager — real unix socket, real codec (router/api), answers from a test's function.
// Integration tests use the real routerd (tests/integration/test_agent*.py).
#pragma once

#include "router/api/codec.hh"
#include "router/api/messages.hh"

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace routerd::agent::test {

class ControlPeer {
public:
    using Handler = std::function<api::ReplyBody(const api::RequestBody&)>;

    ControlPeer(std::string path, Handler h) : path_(std::move(path)), handler_(std::move(h)) {
        ::unlink(path_.c_str());
        lfd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::strncpy(sa.sun_path, path_.c_str(), sizeof(sa.sun_path) - 1);
        if (::bind(lfd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 ||
            ::listen(lfd_, 8) != 0) {
            throw std::runtime_error("ControlPeer: cannot listen on " + path_);
        }
        thread_ = std::thread([this] { run(); });
    }
    ControlPeer(const ControlPeer&) = delete;
    ControlPeer& operator=(const ControlPeer&) = delete;
    ~ControlPeer() {
        stop_ = true;
        thread_.join();
        for (int fd : conns_) {
            ::close(fd);
        }
        ::close(lfd_);
        ::unlink(path_.c_str());
    }

    /// Requests seen so far, in order.
    std::vector<api::RequestBody> requests() {
        std::lock_guard<std::mutex> g(mu_);
        return seen_;
    }
    /// Closes every accepted connection (a routerd restart, as the client sees it).
    void drop_connections() { drop_ = true; }

private:
    void run() {
        while (!stop_) {
            if (drop_.exchange(false)) {
                for (int fd : conns_) {
                    ::close(fd);
                }
                conns_.clear();
            }
            std::vector<pollfd> pfds{{lfd_, POLLIN, 0}};
            for (int fd : conns_) {
                pfds.push_back({fd, POLLIN, 0});
            }
            if (::poll(pfds.data(), pfds.size(), 20) <= 0) {
                continue;
            }
            if ((pfds[0].revents & POLLIN) != 0) {
                int c = ::accept4(lfd_, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    conns_.push_back(c);
                }
            }
            for (std::size_t i = 1; i < pfds.size(); ++i) {
                if (pfds[i].revents != 0 && !serve_one(pfds[i].fd)) {
                    ::close(pfds[i].fd);
                    std::erase(conns_, pfds[i].fd);
                }
            }
        }
    }

    static bool read_exact(int fd, std::uint8_t* p, std::size_t n) {
        while (n > 0) {
            ssize_t r = ::read(fd, p, n);
            if (r <= 0) {
                return false;
            }
            p += r;
            n -= static_cast<std::size_t>(r);
        }
        return true;
    }

    bool serve_one(int fd) {
        std::vector<std::uint8_t> buf(api::kRequestHeaderSize);
        if (!read_exact(fd, buf.data(), buf.size())) {
            return false;
        }
        auto size = api::frame_size(buf, api::FrameKind::request);
        if (!size) {
            return false;
        }
        buf.resize(*size);
        if (!read_exact(fd, buf.data() + api::kRequestHeaderSize,
                        *size - api::kRequestHeaderSize)) {
            return false;
        }
        auto req = api::decode_request(buf);
        if (!req) {
            return false;
        }
        {
            std::lock_guard<std::mutex> g(mu_);
            seen_.push_back(req->body);
        }
        api::Reply reply{req->id, handler_(req->body)};
        auto out = api::encode_reply(reply);
        if (!out) {
            return false;
        }
        // MSG_NOSIGNAL: a client that gave up and closed must not SIGPIPE the test.
        return ::send(fd, out->data(), out->size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(out->size());
    }

    std::string path_;
    Handler handler_;
    int lfd_ = -1;
    std::vector<int> conns_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> drop_{false};
    std::mutex mu_;
    std::vector<api::RequestBody> seen_;
};

}  // namespace routerd::agent::test
