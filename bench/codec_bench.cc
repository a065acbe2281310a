// SPDX-License-Identifier: Apache-2.0
// Control-socket codec speed: ns per encode and decode, small (ip_stuff) and large (route page).
#include "router/api/codec.hh"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

using namespace routerd;
using namespace routerd::api;

template <typename S>
S filled_stat(std::uint64_t seed) {
    StatCounters<S> c{};
    for (std::size_t i = 0; i < c.size(); ++i) {
        c[i] = seed * 1000003 + i * 7919;
    }
    return from_counters<S>(c);
}

Reply ip_stuff_reply() {
    IpStuff s;
    s.ip_stat = filled_stat<IpStat>(1);
    s.rt_stat = filled_stat<RtStat>(2);
    s.ipq_reasm_reqds = 4;
    return Reply{1, GetIpStuffReply{s}};
}

Reply ifreq_all_reply() {
    IfreqAll r;
    r.if_entry = IfNet{7, "eth1", kIffUp | kIffBroadcast | kIffRunning | kIffMulticast, 1500, 0};
    r.if_stats = filled_stat<IfStats>(3);
    r.if_naddr = static_cast<std::int32_t>(kIfMaxAddrs);
    for (std::size_t i = 0; i < kIfMaxAddrs; ++i) {
        auto k = static_cast<std::uint8_t>(i);
        r.if_addrs[i] =
            AllAddrs{Ip4Addr::from_octets(198, 18, k, 254), Ip4Addr::from_octets(198, 18, k, 255),
                     Ip4Addr(0xffffff00u), kIfaBroadcast};
    }
    return Reply{1, GetIfreqAllReply{r}};
}

Reply route_page_reply(std::size_t n) {
    GetRoutesReply page;
    for (std::size_t i = 0; i < n; ++i) {
        page.routes.push_back(
            RouteEntry{Ip4Prefix{Ip4Addr(0xc6120000u + static_cast<std::uint32_t>(i << 8)), 24},
                       Ip4Addr::from_octets(198, 19, 0, 1), 8, RouteKind::forward,
                       static_cast<std::uint32_t>(i)});
    }
    page.more = true;
    page.route_count = 1000000;
    return Reply{1, page};
}

std::vector<std::uint8_t> must_encode(const Reply& r) {
    auto bytes = encode_reply(r);
    if (!bytes) {
        std::abort();
    }
    return *bytes;
}

// Encoding appends to a reused buffer, as a server writing to its connection does.
void encode_reply_bench(benchmark::State& state, const Reply& reply) {
    std::vector<std::uint8_t> out;
    out.reserve(kMaxMessageSize);
    for (auto _ : state) {
        out.clear();
        if (!encode_reply(reply, out)) {
            state.SkipWithError("encode failed");
        }
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
    state.counters["frame_bytes"] = static_cast<double>(out.size());
}

void decode_reply_bench(benchmark::State& state, const Reply& reply) {
    const std::vector<std::uint8_t> frame = must_encode(reply);
    for (auto _ : state) {
        auto r = decode_reply(frame);
        if (!r) {
            state.SkipWithError("decode failed");
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
    state.counters["frame_bytes"] = static_cast<double>(frame.size());
}

void BM_encode_ip_stuff_reply(benchmark::State& state) {
    encode_reply_bench(state, ip_stuff_reply());
}
void BM_decode_ip_stuff_reply(benchmark::State& state) {
    decode_reply_bench(state, ip_stuff_reply());
}
void BM_encode_ifreq_all_reply(benchmark::State& state) {
    encode_reply_bench(state, ifreq_all_reply());
}
void BM_decode_ifreq_all_reply(benchmark::State& state) {
    decode_reply_bench(state, ifreq_all_reply());
}
void BM_encode_route_page(benchmark::State& state) {
    const Reply r = route_page_reply(static_cast<std::size_t>(state.range(0)));
    encode_reply_bench(state, r);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
void BM_decode_route_page(benchmark::State& state) {
    const Reply r = route_page_reply(static_cast<std::size_t>(state.range(0)));
    decode_reply_bench(state, r);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_encode_decode_set_ip_misc(benchmark::State& state) {
    const Request req{7, SetIpMiscRequest{kIpMiscDefaultTtl, 0, 64}};
    std::vector<std::uint8_t> out;
    out.reserve(64);
    for (auto _ : state) {
        out.clear();
        if (!encode_request(req, out)) {
            state.SkipWithError("encode failed");
        }
        auto r = decode_request(out);
        benchmark::DoNotOptimize(r);
    }
}

BENCHMARK(BM_encode_ip_stuff_reply);
BENCHMARK(BM_decode_ip_stuff_reply);
BENCHMARK(BM_encode_ifreq_all_reply);
BENCHMARK(BM_decode_ifreq_all_reply);
BENCHMARK(BM_encode_route_page)->Arg(256)->Arg(static_cast<std::int64_t>(kMaxRoutesPerPage));
BENCHMARK(BM_decode_route_page)->Arg(256)->Arg(static_cast<std::int64_t>(kMaxRoutesPerPage));
BENCHMARK(BM_encode_decode_set_ip_misc);

}  // namespace
