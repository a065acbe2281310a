// SPDX-License-Identifier: Apache-2.0
// Diagnostic formatting, ordering and the error cap.
#include "router/config/diagnostic.hh"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace routerd::config {
namespace {

TEST(Diagnostic, Format) {
    EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, Severity::error, "bad"}).to_string(), "a.yaml:3:7: bad");
    EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, Severity::warning, "hmm"}).to_string(),
              "a.yaml:3:7: warning: hmm");
    EXPECT_EQ((Diagnostic{"/etc/x.yaml", 0, 0, Severity::error, "cannot read: x"}).to_string(),
              "/etc/x.yaml: cannot read: x");
}

TEST(DiagnosticList, SortsInFileOrderStably) {
    DiagnosticList list("f");
    list.error({5, 1}, "e");
    list.error({2, 9}, "b");
    list.warning({2, 3}, "a");
    list.error({2, 9}, "c");
    list.error({3, 1}, "d");
    std::vector<std::string> out;
    for (const auto& d : std::move(list).take()) {
        out.push_back(d.to_string());
    }
    EXPECT_THAT(out, ::testing::ElementsAre("f:2:3: warning: a", "f:2:9: b", "f:2:9: c", "f:3:1: d",
                                            "f:5:1: e"));
}

TEST(DiagnosticList, CapsErrors) {
    DiagnosticList list("f", 2);
    list.error({1, 1}, "a");
    EXPECT_FALSE(list.full());
    list.error({2, 1}, "b");
    EXPECT_TRUE(list.full());
    list.error({3, 1}, "c");
    auto out = std::move(list).take();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[2].to_string(), "f: too many errors, stopped after 2");
}

TEST(Quote, EscapesAndCuts) {
    EXPECT_EQ(quote("eth1"), "'eth1'");
    EXPECT_EQ(quote("a\nb\tc"), "'a\\x0ab\\x09c'");
    EXPECT_EQ(quote(std::string(50, 'x')), "'" + std::string(40, 'x') + "...'");
    // Never cut inside a UTF-8 sequence.
    std::string s = std::string(39, 'x') + "\xc3\xa9" + "yyy";
    EXPECT_EQ(quote(s), "'" + std::string(39, 'x') + "\xc3\xa9...'");
}

}  // namespace
}  // namespace routerd::config
