// SPDX-License-Identifier: Apache-2.0
// KernelQuiet in a private network namespace: what it changes, and that it all comes back.
#include "router/platform/kernel_quiet.hh"

#include "tests/unit/router/platform/netns_fixture.hh"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sys/wait.h>

namespace routerd::platform {
namespace {

// Output of a shell command, for comparing kernel state before and after.
std::string capture(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen((cmd + " 2>&1").c_str(), "r"), ::pclose);
    if (!p) {
        return out;
    }
    std::array<char, 512> buf;
    while (std::fgets(buf.data(), buf.size(), p.get()) != nullptr) {
        out += buf.data();
    }
    return out;
}

// Everything KernelQuiet may touch, as text (DESIGN.md: restored exactly at exit).
std::string kernel_state() {
    return capture("ip -d addr show dev v0") +
           capture(
               "sysctl net.ipv4.conf.v0.forwarding net.ipv6.conf.v0.disable_ipv6 "
               "net.ipv4.conf.v0.arp_ignore") +
           capture("nft list tables");
}

class KernelQuietTest : public test::NetnsTest {
protected:
    void SetUp() override {
        test::NetnsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        // The state as an operator might have left it before routerd starts.
        ASSERT_EQ(test::sh("ip addr add 198.18.0.254/24 brd + dev v0"), 0);
        ASSERT_EQ(test::sh("ip addr add 198.51.100.1/24 dev v0 label v0:1"), 0);
        ASSERT_EQ(test::sh("sysctl -qw net.ipv4.conf.v0.forwarding=1"), 0);
        ASSERT_EQ(test::sh("sysctl -qw net.ipv6.conf.v0.disable_ipv6=0"), 0);
        opts_.state_file = dir_ + "/kernel-state";
        opts_.nft_table = "routerd_test";
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::filesystem::remove_all(dir_);
        test::NetnsTest::TearDown();
    }

    std::string dir_ = "/tmp/routerd-kq-" + std::to_string(::getpid());
    KernelQuiet::Options opts_;
};

TEST_F(KernelQuietTest, SilencesThePortAndRestoresExactly) {
    std::string before = kernel_state();
    {
        auto quiet = KernelQuiet::apply({"v0"}, opts_);
        ASSERT_TRUE(quiet) << quiet.error().message;
        EXPECT_EQ(capture("ip -4 -o addr show dev v0"), "");
        EXPECT_EQ(capture("sysctl -n net.ipv4.conf.v0.forwarding"), "0\n");
        EXPECT_EQ(capture("sysctl -n net.ipv6.conf.v0.disable_ipv6"), "1\n");
        EXPECT_EQ(capture("sysctl -n net.ipv4.conf.v0.arp_ignore"), "8\n");
        std::string rules = capture("nft list table netdev routerd_test");
        EXPECT_NE(rules.find("hook ingress device \"v0\""), std::string::npos) << rules;
        EXPECT_NE(rules.find("drop"), std::string::npos) << rules;
        EXPECT_TRUE(std::filesystem::exists(opts_.state_file));
    }
    EXPECT_EQ(kernel_state(), before);
    EXPECT_FALSE(std::filesystem::exists(opts_.state_file));
}

TEST_F(KernelQuietTest, RestoresAfterACrashOnNextStart) {
    std::string before = kernel_state();
    // A child applies and dies without running a destructor, as a crashed routerd would.
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        auto quiet = KernelQuiet::apply({"v0"}, opts_);
        if (!quiet) {
            ::_exit(2);
        }
        (void)quiet->release();  // leak it: no restore
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_NE(kernel_state(), before);
    ASSERT_TRUE(KernelQuiet::restore_leftovers(opts_));
    EXPECT_EQ(kernel_state(), before);
    EXPECT_FALSE(std::filesystem::exists(opts_.state_file));
}

TEST_F(KernelQuietTest, UnknownInterfaceFailsAndChangesNothing) {
    std::string before = kernel_state();
    auto quiet = KernelQuiet::apply({"v0", "nosuch0"}, opts_);
    ASSERT_FALSE(quiet);
    EXPECT_EQ(kernel_state(), before);
}

TEST_F(KernelQuietTest, NoLeftoversIsFine) {
    EXPECT_TRUE(KernelQuiet::restore_leftovers(opts_));
}

}  // namespace
}  // namespace routerd::platform
