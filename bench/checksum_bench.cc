// SPDX-License-Identifier: Apache-2.0
// Internet checksum throughput (RFC 1071) at 64 and 1500 bytes, and the RFC 1624 update.
#include "router/base/checksum.hh"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

void BM_in_cksum(benchmark::State& state) {
    const auto len = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint8_t> buf(len);
    for (std::size_t i = 0; i < len; ++i) {
        buf[i] = static_cast<std::uint8_t>(i * 131 + 7);
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(buf.data());
        std::uint16_t sum = routerd::in_cksum(buf.data(), buf.size());
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(len));
}
BENCHMARK(BM_in_cksum)->Arg(20)->Arg(64)->Arg(1500)->Arg(9000);

void BM_cksum_update16(benchmark::State& state) {
    std::uint16_t hc = 0x1234;
    std::uint16_t ttl_word = 0x4001;
    for (auto _ : state) {
        benchmark::DoNotOptimize(ttl_word);
        hc = routerd::cksum_update16(hc, ttl_word, static_cast<std::uint16_t>(ttl_word - 0x100));
        benchmark::DoNotOptimize(hc);
    }
}
BENCHMARK(BM_cksum_update16);

}  // namespace
