// SPDX-License-Identifier: Apache-2.0
// Every YAML file under config/ (the annotated default and the examples) loads cleanly.
#include "router/config/load.hh"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {
namespace {

// Diagnostics as printed by routerd --check-config.
std::vector<std::string> lines(const LoadResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) {
        out.push_back(d.to_string());
    }
    return out;
}

std::vector<std::string> example_files() {
    std::vector<std::string> files;
    std::filesystem::path root = std::filesystem::path(ROUTERD_SOURCE_DIR) / "config";
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (e.is_regular_file() && e.path().extension() == ".yaml") {
            files.push_back(e.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(Examples, EveryFileUnderConfigLoadsWithoutDiagnostics) {
    auto files = example_files();
    // config/routerd.yaml and config/examples/{two-port,igmp-querier,reject-blackhole,lab}.yaml
    EXPECT_GE(files.size(), 5u);
    for (const auto& f : files) {
        auto r = load_file(f);
        EXPECT_TRUE(r.ok()) << f;
        EXPECT_THAT(lines(r), ::testing::IsEmpty()) << f;
    }
}

TEST(Examples, DefaultFileMatchesTheDocumentedDefaults) {
    auto r = load_file(std::string(ROUTERD_SOURCE_DIR) + "/config/routerd.yaml");
    ASSERT_TRUE(r.ok());
    const Config& c = r.config;
    EXPECT_EQ(c.ip, IpConfig{});
    EXPECT_EQ(c.control, ControlConfig{});
}

TEST(Examples, LabRouterHasTheL1Addresses) {
    auto r = load_file(std::string(ROUTERD_SOURCE_DIR) + "/config/examples/lab.yaml");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.config.interfaces.size(), 2u);
    EXPECT_EQ(r.config.interfaces[0].name, "eth1");
    EXPECT_EQ(r.config.interfaces[0].addresses.at(0), *Ip4Prefix::parse("198.18.0.254/24"));
    EXPECT_EQ(r.config.interfaces[1].name, "eth2");
    EXPECT_EQ(r.config.interfaces[1].addresses.at(0), *Ip4Prefix::parse("198.19.0.254/24"));
}

}  // namespace
}  // namespace routerd::config
