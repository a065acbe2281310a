// SPDX-License-Identifier: Apache-2.0
// LinkMonitor in a private network namespace: admin and carrier changes become LinkStates.
#include "router/platform/link_monitor.hh"

#include "tests/unit/router/platform/netns_fixture.hh"

#include <gtest/gtest.h>

#include <chrono>
#include <poll.h>
#include <vector>

namespace routerd::platform {
namespace {

class LinkMonitorTest : public test::NetnsTest {
protected:
    // Processes notifications until `pred` holds over what was seen, or `ms` pass.
    template <typename Pred>
    bool wait_for(LinkMonitor& m, Pred pred, int ms = 2000) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!pred() && std::chrono::steady_clock::now() < deadline) {
            pollfd p{m.fd(), POLLIN, 0};
            ::poll(&p, 1, 20);
            EXPECT_TRUE(m.process());
        }
        return pred();
    }
    // The last state reported for `name` (veth reports both ends; order between them varies).
    const LinkState* last_of(const std::string& name) const {
        for (auto it = seen_.rbegin(); it != seen_.rend(); ++it) {
            if (it->name == name) {
                return &*it;
            }
        }
        return nullptr;
    }
    std::vector<LinkState> seen_;
};

TEST_F(LinkMonitorTest, DumpListsTheVethPair) {
    auto m = LinkMonitor::open([](const LinkState&) {});
    ASSERT_TRUE(m) << m.error().message;
    auto links = (*m)->dump();
    ASSERT_TRUE(links);
    bool found = false;
    for (const auto& l : *links) {
        if (l.name == "v0") {
            found = true;
            EXPECT_TRUE(l.admin_up);
            EXPECT_TRUE(l.oper_up);
            EXPECT_EQ(l.mtu, 1500u);
        }
    }
    EXPECT_TRUE(found);
}

TEST_F(LinkMonitorTest, AdminDownAndUpAreReported) {
    auto m = LinkMonitor::open([this](const LinkState& s) { seen_.push_back(s); });
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(test::sh("ip link set v0 down"), 0);
    EXPECT_TRUE(wait_for(**m, [&] {
        const LinkState* s = last_of("v0");
        return s != nullptr && !s->admin_up && !s->oper_up;
    }));
    ASSERT_EQ(test::sh("ip link set v0 up"), 0);
    EXPECT_TRUE(wait_for(**m, [&] {
        const LinkState* s = last_of("v0");
        return s != nullptr && s->admin_up && s->oper_up;
    }));
}

TEST_F(LinkMonitorTest, PeerDownTakesCarrierAway) {
    auto m = LinkMonitor::open([this](const LinkState& s) { seen_.push_back(s); });
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(test::sh("ip link set v1 down"), 0);
    EXPECT_TRUE(wait_for(**m, [&] {
        for (const auto& s : seen_) {
            if (s.name == "v0" && s.admin_up && !s.oper_up && !s.carrier) {
                return true;
            }
        }
        return false;
    }));
}

TEST_F(LinkMonitorTest, MtuChangeAndRemovalAreReported) {
    auto m = LinkMonitor::open([this](const LinkState& s) { seen_.push_back(s); });
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(test::sh("ip link set v0 mtu 1400"), 0);
    EXPECT_TRUE(wait_for(**m, [&] {
        const LinkState* s = last_of("v0");
        return s != nullptr && s->mtu == 1400u;
    }));
    ASSERT_EQ(test::sh("ip link del v0"), 0);
    EXPECT_TRUE(wait_for(**m, [&] {
        for (const auto& s : seen_) {
            if (s.name == "v0" && s.removed) {
                return true;
            }
        }
        return false;
    }));
}

}  // namespace
}  // namespace routerd::platform
