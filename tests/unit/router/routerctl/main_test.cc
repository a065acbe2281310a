// SPDX-License-Identifier: Apache-2.0
// Runs the routerctl binary against a peer thread speaking the real control protocol.
#include "router/api/codec.hh"
#include "router/api/messages.hh"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace routerd::routerctl {
namespace {

// A fresh directory for one test's socket and captured output.
std::string make_temp_dir() {
    std::string tmpl = ::testing::TempDir() + "routerctl-XXXXXX";
    char* d = ::mkdtemp(tmpl.data());
    EXPECT_NE(d, nullptr);
    return tmpl;
}

// Listens on a unix socket and answers every request frame with what `respond` returns
// (replies and events, in order). Serves connections one after another until destroyed.
class Peer {
public:
    using Respond = std::function<std::vector<api::Reply>(const api::Request&)>;
    // `close_after` requests on a connection, the peer closes it (0: never).
    Peer(const std::string& path, Respond respond, std::size_t close_after = 0)
        : respond_(std::move(respond)), close_after_(close_after) {
        listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        EXPECT_LT(path.size(), sizeof addr.sun_path);
        path.copy(addr.sun_path, sizeof addr.sun_path - 1);
        EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(listen_fd_, 4), 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~Peer() {
        stop_ = true;
        thread_.join();
        ::close(listen_fd_);
    }
    std::vector<api::Request> requests() {
        std::lock_guard lock(mu_);
        return requests_;
    }

private:
    void serve() {
        while (!stop_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                continue;
            }
            serve_connection(fd);
            ::close(fd);
        }
    }
    bool read_all(int fd, std::uint8_t* dst, std::size_t n) {
        while (n > 0) {
            pollfd p{fd, POLLIN, 0};
            if (stop_) {
                return false;
            }
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            ssize_t r = ::read(fd, dst, n);
            if (r <= 0) {
                return false;
            }
            dst += r;
            n -= static_cast<std::size_t>(r);
        }
        return true;
    }
    // The next request frame on `fd`, or nullopt at EOF / stop.
    std::optional<api::Request> read_request(int fd) {
        std::vector<std::uint8_t> buf(api::kRequestHeaderSize);
        if (!read_all(fd, buf.data(), buf.size())) {
            return std::nullopt;
        }
        auto size = api::frame_size(buf, api::FrameKind::request);
        EXPECT_TRUE(size);
        if (!size) {
            return std::nullopt;
        }
        buf.resize(*size);
        if (!read_all(fd, buf.data() + api::kRequestHeaderSize, *size - api::kRequestHeaderSize)) {
            return std::nullopt;
        }
        auto req = api::decode_request(buf);
        if (!req) {
            // As routerd's server: a body that does not decode gets an error reply addressed
            // with the header's id and type, and the connection stays.
            auto h = api::peek_header(buf, api::FrameKind::request);
            send(fd, api::make_error_reply(h->id, h->type, req.error()));
            return read_request(fd);
        }
        return *req;
    }
    void send(int fd, const api::Reply& reply) {
        auto bytes = api::encode_reply(reply);
        ASSERT_TRUE(bytes) << bytes.error().message;
        ASSERT_EQ(::write(fd, bytes->data(), bytes->size()), static_cast<ssize_t>(bytes->size()));
    }
    void serve_connection(int fd) {
        for (std::size_t handled = 0; close_after_ == 0 || handled < close_after_; ++handled) {
            auto req = read_request(fd);
            if (!req) {
                return;
            }
            {
                std::lock_guard lock(mu_);
                requests_.push_back(*req);
            }
            for (auto reply : respond_(*req)) {
                if (!std::holds_alternative<api::LinkEvent>(reply.body)) {
                    reply.for_id = req->id;
                }
                send(fd, reply);
            }
        }
    }

    Respond respond_;
    std::size_t close_after_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::mutex mu_;
    std::vector<api::Request> requests_;
    std::thread thread_;
};

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Runs routerctl with `args`, stdout and stderr captured; extra_env entries are "K=V".
Outcome routerctl(const std::string& dir, std::vector<std::string> args,
                  const std::vector<std::string>& extra_env = {}) {
    std::vector<std::string> argv_s{ROUTERCTL_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(argv_s.size() + 1);
    for (auto& a : argv_s) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    for (char** e = environ; *e != nullptr; ++e) {
        if (std::string_view(*e).rfind("ROUTERD_CONTROL_SOCKET=", 0) != 0) {
            env_s.emplace_back(*e);
        }
    }
    env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> envp;
    envp.reserve(env_s.size() + 1);
    for (auto& e : env_s) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    std::string out_path = dir + "/stdout";
    std::string err_path = dir + "/stderr";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    Outcome result;
    int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    EXPECT_EQ(rc, 0);
    if (rc != 0) {
        return result;
    }
    int ws = 0;
    EXPECT_EQ(::waitpid(pid, &ws, 0), pid);
    result.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    result.out = slurp(out_path);
    result.err = slurp(err_path);
    return result;
}

api::Reply reply(api::ReplyBody body) {
    return api::Reply{0, std::move(body)};
}

api::IfListEntry if_entry(std::uint32_t ifindex, const char* name) {
    api::IfListEntry e;
    e.ifindex = ifindex;
    e.name = name;
    e.admin = api::AdminState::up;
    e.oper = api::OperState::up;
    return e;
}

// A routerd stand-in: two interfaces, default settings, every set accepted.
std::vector<api::Reply> default_respond(const api::Request& req) {
    return std::visit(
        [&](const auto& m) -> std::vector<api::Reply> {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, api::GetIpStuffRequest>) {
                return {reply(api::GetIpStuffReply{})};
            } else if constexpr (std::is_same_v<T, api::GetIfListRequest>) {
                return {reply(api::GetIfListReply{{if_entry(2, "eth1"), if_entry(3, "eth2")}})};
            } else if constexpr (std::is_same_v<T, api::GetIfreqAllRequest>) {
                api::GetIfreqAllReply r;
                r.ifreq_all.if_entry.if_index = m.if_number;
                r.ifreq_all.if_entry.if_name = m.if_number == 2 ? "eth1" : "eth2";
                r.ifreq_all.if_entry.if_flags = api::kIffUp;
                return {reply(r)};
            } else if constexpr (std::is_same_v<T, api::SetIpMiscRequest>) {
                return {reply(api::SetIpMiscReply{})};
            } else if constexpr (std::is_same_v<T, api::SetIfFlagsRequest>) {
                return {reply(api::SetIfFlagsReply{})};
            } else if constexpr (std::is_same_v<T, api::SetIfAdminRequest>) {
                return {reply(api::SetIfAdminReply{})};
            } else if constexpr (std::is_same_v<T, api::RouteAddRequest>) {
                return {reply(api::RouteAddReply{})};
            } else {
                return {reply(api::ErrorReply{api::type_of(req.body), ENOTSUP, "not here"})};
            }
        },
        req.body);
}

class RouterctlBinary : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir();
        sock_ = dir_ + "/control.sock";
    }
    Outcome run(std::vector<std::string> args) {
        std::vector<std::string> a{"--control-socket", sock_, "--timeout", "3000"};
        a.insert(a.end(), args.begin(), args.end());
        return routerctl(dir_, a);
    }
    std::string dir_;
    std::string sock_;
};

TEST_F(RouterctlBinary, ShowIpTextExitsZero) {
    Peer peer(sock_, default_respond);
    Outcome r = run({"show", "ip"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("ip_default_ttl    64\n"), std::string::npos) << r.out;
    ASSERT_EQ(peer.requests().size(), 1u);
    EXPECT_EQ(api::type_of(peer.requests()[0].body), api::MsgType::GET_IP_STUFF);
}

TEST_F(RouterctlBinary, JsonFlagBeforeOrAfterTheCommand) {
    Peer peer(sock_, default_respond);
    for (const auto& args : {std::vector<std::string>{"--json", "show", "ip"},
                             std::vector<std::string>{"show", "ip", "--json"}}) {
        Outcome r = run(args);
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out.substr(0, 1), "{");
        EXPECT_NE(r.out.find("\"ip_forwarding\": 1"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.back(), '\n');
    }
}

TEST_F(RouterctlBinary, ShowInterfacesAsksIfreqAllPerInterface) {
    Peer peer(sock_, default_respond);
    Outcome r = run({"show", "interfaces"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("eth2"), std::string::npos) << r.out;
    auto reqs = peer.requests();
    ASSERT_EQ(reqs.size(), 3u);
    EXPECT_EQ(std::get<api::GetIfreqAllRequest>(reqs[1].body).if_number, 2u);
    EXPECT_EQ(std::get<api::GetIfreqAllRequest>(reqs[2].body).if_number, 3u);
}

TEST_F(RouterctlBinary, UnknownInterfaceExitsOne) {
    Peer peer(sock_, default_respond);
    Outcome r = run({"show", "interfaces", "eth9"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "routerctl: no interface named 'eth9' (ENODEV)\n");
}

TEST_F(RouterctlBinary, RefusalPrintsMessageAndErrnoName) {
    Peer peer(sock_, [](const api::Request& req) {
        const auto& m = std::get<api::SetIpMiscRequest>(req.body);
        if (m.arg == api::kIpMiscDefaultTtl) {
            return std::vector<api::Reply>{reply(api::ErrorReply{
                api::MsgType::SET_IP_MISC, EINVAL, "SET_IP_MISC: default TTL must be 1-255"})};
        }
        return std::vector<api::Reply>{
            reply(api::ErrorReply{api::MsgType::SET_IP_MISC, EPERM, "not now"})};
    });
    Outcome ttl = run({"set", "ip", "ttl", "64"});
    EXPECT_EQ(ttl.status, 1);
    EXPECT_EQ(ttl.err, "routerctl: SET_IP_MISC: default TTL must be 1-255 (EINVAL)\n");
    Outcome fwd = run({"set", "ip", "forwarding", "on"});
    EXPECT_EQ(fwd.status, 1);
    EXPECT_EQ(fwd.err, "routerctl: SET_IP_MISC: not now (EPERM)\n");
}

TEST_F(RouterctlBinary, OutOfRangeTtlIsNotAUsageError) {
    // routerctl passes 0, 256 and -1 on, and so does api::Client: the peer's decode (as
    // routerd's server does) refuses them with EINVAL.
    Peer peer(sock_, default_respond);
    for (const char* n : {"0", "256", "-1"}) {
        Outcome r = run({"set", "ip", "ttl", n});
        EXPECT_EQ(r.status, 1) << n;
        EXPECT_NE(r.err.find("routerctl: SET_IP_MISC: "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("(EINVAL)"), std::string::npos) << r.err;
    }
    Outcome ok = run({"set", "ip", "ttl", "255"});
    EXPECT_EQ(ok.status, 0) << ok.err;
    auto reqs = peer.requests();
    ASSERT_FALSE(reqs.empty());
    EXPECT_EQ(std::get<api::SetIpMiscRequest>(reqs.back().body),
              (api::SetIpMiscRequest{2, 0, 255}));
}

TEST_F(RouterctlBinary, UsageErrorsExitTwoWithoutConnecting) {
    // No peer: a connection attempt would exit 3.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {},
             {"bogus"},
             {"show"},
             {"show", "stats", "tcp"},
             {"set", "ip", "ttl", "abc"},
             {"set", "ip", "forwarding", "maybe"},
             {"set", "interface", "eth1", "sideways"},
             {"route", "add", "198.18.1.1/24", "reject"},
             {"route", "add", "198.18.1.0/24"},
             {"monitor", "--count", "0"},
         }) {
        Outcome r = run(args);
        EXPECT_EQ(r.status, 2) << ::testing::PrintToString(args) << "\n" << r.err;
        EXPECT_EQ(r.err.rfind("routerctl: ", 0), 0u) << r.err;
    }
}

TEST_F(RouterctlBinary, CannotConnectExitsThree) {
    Outcome r = run({"show", "ip"});
    EXPECT_EQ(r.status, 3);
    EXPECT_NE(r.err.find("cannot connect to " + sock_), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(ENOENT)"), std::string::npos) << r.err;
}

TEST_F(RouterctlBinary, EnvironmentNamesTheSocket) {
    Peer peer(sock_, default_respond);
    Outcome r = routerctl(dir_, {"show", "ip"}, {"ROUTERD_CONTROL_SOCKET=" + sock_});
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(RouterctlBinary, HelpForEveryCommand) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"},
             {"show", "--help"},
             {"show", "interfaces", "--help"},
             {"show", "stats", "--help"},
             {"set", "ip", "ttl", "--help"},
             {"set", "interface", "--help"},
             {"route", "add", "--help"},
             {"route", "del", "--help"},
             {"monitor", "--help"},
         }) {
        Outcome r = run(args);
        EXPECT_EQ(r.status, 0) << ::testing::PrintToString(args) << r.err;
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
    }
}

TEST_F(RouterctlBinary, SetInterfaceResolvesTheName) {
    Peer peer(sock_, default_respond);
    Outcome r = run({"set", "interface", "eth2", "mask-reply", "on", "down"});
    EXPECT_EQ(r.status, 0) << r.err;
    auto reqs = peer.requests();
    ASSERT_EQ(reqs.size(), 3u);
    EXPECT_EQ(std::get<api::SetIfFlagsRequest>(reqs[1].body),
              (api::SetIfFlagsRequest{3, true, std::nullopt, std::nullopt}));
    EXPECT_EQ(std::get<api::SetIfAdminRequest>(reqs[2].body),
              (api::SetIfAdminRequest{3, api::AdminState::down}));
}

TEST_F(RouterctlBinary, RouteAddViaDev) {
    Peer peer(sock_, default_respond);
    Outcome r = run({"route", "add", "203.0.113.0/24", "via", "198.18.0.2", "dev", "eth1"});
    EXPECT_EQ(r.status, 0) << r.err;
    auto reqs = peer.requests();
    ASSERT_EQ(reqs.size(), 2u);
    auto spec = std::get<api::RouteAddRequest>(reqs[1].body).route;
    EXPECT_EQ(spec.prefix.to_string(), "203.0.113.0/24");
    EXPECT_EQ(spec.via.to_string(), "198.18.0.2");
    EXPECT_EQ(spec.ifindex, 2u);
    EXPECT_EQ(spec.kind, api::RouteKind::forward);
}

TEST_F(RouterctlBinary, ShowRoutesFollowsPages) {
    auto page = [](const char* p, bool more) {
        api::GetRoutesReply r;
        r.routes.push_back({*Ip4Prefix::parse(p), Ip4Addr{}, 0, api::RouteKind::blackhole, 0});
        r.more = more;
        r.route_count = 2;
        return r;
    };
    Peer peer(sock_, [&](const api::Request& req) {
        if (std::holds_alternative<api::GetIfListRequest>(req.body)) {
            return default_respond(req);
        }
        const auto& g = std::get<api::GetRoutesRequest>(req.body);
        return std::vector<api::Reply>{
            reply(g.after ? page("198.51.100.0/24", false) : page("198.18.0.0/15", true))};
    });
    Outcome r = run({"show", "routes"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("198.18.0.0/15"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("198.51.100.0/24"), std::string::npos) << r.out;
    auto reqs = peer.requests();
    ASSERT_EQ(reqs.size(), 3u);
    auto second = std::get<api::GetRoutesRequest>(reqs[2].body);
    EXPECT_TRUE(second.after);
    EXPECT_EQ(second.start.to_string(), "198.18.0.0/15");
}

TEST_F(RouterctlBinary, MonitorPrintsEventsUntilCount) {
    Peer peer(sock_, [](const api::Request&) {
        return std::vector<api::Reply>{
            reply(api::SetMgmtReply{}),
            reply(api::LinkEvent{2, "eth1", api::AdminState::up, api::OperState::down, 0}),
            reply(api::LinkEvent{2, "eth1", api::AdminState::up, api::OperState::up, 1000000000}),
            reply(api::LinkEvent{3, "eth2", api::AdminState::down, api::OperState::down, 0}),
        };
    });
    Outcome r = run({"monitor", "--count", "2"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "1970-01-01T00:00:00.000Z 2 eth1 admin up oper down\n"
              "1970-01-01T00:00:01.000Z 2 eth1 admin up oper up\n");
    Outcome j = run({"--json", "monitor", "--count", "1"});
    EXPECT_EQ(j.status, 0) << j.err;
    EXPECT_EQ(j.out,
              "{\"time\":\"1970-01-01T00:00:00.000Z\",\"time_ns\":0,\"ifindex\":2,"
              "\"name\":\"eth1\",\"admin\":\"up\",\"oper\":\"down\"}\n");
}

TEST_F(RouterctlBinary, MonitorStopsAfterTimeoutOrEof) {
    {
        Peer quiet(sock_, [](const api::Request&) {
            return std::vector<api::Reply>{reply(api::SetMgmtReply{})};
        });
        auto t0 = std::chrono::steady_clock::now();
        Outcome r = run({"monitor", "--timeout-s", "0.3"});
        auto took = std::chrono::steady_clock::now() - t0;
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_LT(took, std::chrono::seconds(10));
    }
    ::unlink(sock_.c_str());
    Peer closing(
        sock_,
        [](const api::Request&) { return std::vector<api::Reply>{reply(api::SetMgmtReply{})}; }, 1);
    Outcome r = run({"monitor"});
    EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace routerd::routerctl
