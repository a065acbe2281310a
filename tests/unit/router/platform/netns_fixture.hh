// SPDX-License-Identifier: Apache-2.0
// A fresh network namespace per test process (unshare), a veth pair in it, and a raw peer.
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <cstring>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace routerd::test {

// Runs a shell command (iproute2, sysctl, nft) and returns its exit status.
inline int sh(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str());
}

// Each test binary run (ctest runs one test per process) moves into a network namespace of
// its own: nothing it does is visible to the host, and it all vanishes when the process exits.
class NetnsTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) {
            if (const char* ci = std::getenv("CI"); ci != nullptr && std::string(ci) == "true") {
                FAIL() << "platform tests need root (network namespaces); CI runs as root";
            }
            GTEST_SKIP() << "needs root for unshare(CLONE_NEWNET)";
        }
        ASSERT_EQ(::unshare(CLONE_NEWNET), 0) << std::strerror(errno);
        ASSERT_EQ(sh("ip link set lo up"), 0);
        // No IPv6 chatter (router solicitations, MLD) on the links the tests count frames on.
        ASSERT_EQ(sh("sysctl -qw net.ipv6.conf.default.disable_ipv6=1"), 0);
        ASSERT_EQ(sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1"), 0);
        ASSERT_EQ(sh("ip link add v0 type veth peer name v1"), 0);
        ASSERT_EQ(sh("ip link set v0 address 02:00:00:00:00:01"), 0);
        ASSERT_EQ(sh("ip link set v1 address 02:00:00:00:00:02"), 0);
        ASSERT_EQ(sh("ip link set v0 up && ip link set v1 up"), 0);
        peer_ = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        ASSERT_GE(peer_, 0);
        sockaddr_ll sll{};
        sll.sll_family = AF_PACKET;
        sll.sll_protocol = htons(ETH_P_ALL);
        sll.sll_ifindex = static_cast<int>(if_nametoindex("v1"));
        ASSERT_EQ(::bind(peer_, reinterpret_cast<sockaddr*>(&sll), sizeof sll), 0);
        int one = 1;
        ::setsockopt(peer_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    }
    void TearDown() override {
        if (peer_ >= 0) {
            ::close(peer_);
        }
    }

    // A minimal Ethernet II frame from the peer (v1) with a recognisable payload byte.
    static std::vector<std::uint8_t> frame(const std::uint8_t (&dst)[6], std::uint8_t tag,
                                           std::size_t len = 60) {
        std::vector<std::uint8_t> f(len, 0);
        std::memcpy(f.data(), dst, 6);
        const std::uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x02};
        std::memcpy(f.data() + 6, src, 6);
        f[12] = 0x88;  // IEEE 802 local experimental ethertype 88b5: nothing else reacts to it
        f[13] = 0xb5;
        f[14] = tag;
        return f;
    }
    void peer_send(const std::vector<std::uint8_t>& f) {
        ASSERT_EQ(::send(peer_, f.data(), f.size(), 0), static_cast<ssize_t>(f.size()));
    }
    // Receives one frame at the peer within `ms`, or an empty vector.
    std::vector<std::uint8_t> peer_recv(int ms = 1000) {
        pollfd p{peer_, POLLIN, 0};
        if (::poll(&p, 1, ms) <= 0) {
            return {};
        }
        std::vector<std::uint8_t> buf(2048);
        ssize_t n = ::recv(peer_, buf.data(), buf.size(), 0);
        buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return buf;
    }

    int peer_ = -1;
};

}  // namespace routerd::test
