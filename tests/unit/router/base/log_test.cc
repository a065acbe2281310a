// SPDX-License-Identifier: Apache-2.0
// Tests for the leveled logger: level names, filtering, the sink seam.
#include "router/base/log.hh"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace routerd {
namespace {

std::vector<std::string>& captured() {
    static std::vector<std::string> lines;
    return lines;
}

void capture(log::Level, std::string_view line) {
    captured().emplace_back(line);
}

TEST(Log, ParsesDesignLevelNames) {
    EXPECT_EQ(log::parse_level("debug"), log::Level::debug);
    EXPECT_EQ(log::parse_level("info"), log::Level::info);
    EXPECT_EQ(log::parse_level("warning"), log::Level::warning);
    EXPECT_EQ(log::parse_level("error"), log::Level::error);
    EXPECT_FALSE(log::parse_level("warn"));
    EXPECT_FALSE(log::parse_level(""));
    EXPECT_EQ(log::level_name(log::Level::warning), "warning");
}

TEST(Log, FiltersBelowLevel) {
    captured().clear();
    log::set_sink(&capture);
    log::set_level(log::Level::warning);
    log::info("hidden");
    log::warning("shown");
    log::error("also shown");
    log::set_level(log::Level::info);
    log::set_sink(nullptr);
    ASSERT_EQ(captured().size(), 2u);
    EXPECT_EQ(captured()[0], "warning: shown");
    EXPECT_EQ(captured()[1], "error: also shown");
}

}  // namespace
}  // namespace routerd
