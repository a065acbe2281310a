// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the control-socket codec: arbitrary bytes as request and reply frames.
//
// Invariants, each an abort(): nothing crashes or leaks (ASan/UBSan); whatever decodes is one
// whole frame by frame_size(), re-encodes, decodes again to the same message, and re-encodes
// to the very input bytes (the encoding is canonical, so a server's echo is exact).
#include "router/api/codec.hh"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

using routerd::api::FrameKind;

void check_request(std::span<const std::uint8_t> in) {
    auto decoded = routerd::api::decode_request(in);
    if (!decoded) {
        return;
    }
    auto need = routerd::api::frame_size(in, FrameKind::request);
    if (!need || *need != in.size()) {
        std::abort();
    }
    auto bytes = routerd::api::encode_request(*decoded);
    if (!bytes) {
        std::abort();
    }
    auto again = routerd::api::decode_request(*bytes);
    if (!again || !(*again == *decoded)) {
        std::abort();
    }
    if (!std::equal(bytes->begin(), bytes->end(), in.begin(), in.end())) {
        std::abort();
    }
}

void check_reply(std::span<const std::uint8_t> in) {
    auto decoded = routerd::api::decode_reply(in);
    if (!decoded) {
        return;
    }
    auto need = routerd::api::frame_size(in, FrameKind::reply);
    if (!need || *need != in.size()) {
        std::abort();
    }
    auto bytes = routerd::api::encode_reply(*decoded);
    if (!bytes) {
        std::abort();
    }
    auto again = routerd::api::decode_reply(*bytes);
    if (!again || !(*again == *decoded)) {
        std::abort();
    }
    if (!std::equal(bytes->begin(), bytes->end(), in.begin(), in.end())) {
        std::abort();
    }
}

// The server's read loop: frames one after another until the bytes run out or one is refused.
void read_stream(std::span<const std::uint8_t> in, FrameKind kind) {
    while (!in.empty()) {
        auto need = routerd::api::frame_size(in, kind);
        if (!need) {
            (void)routerd::api::peek_header(in, kind);
            return;
        }
        if (*need < routerd::api::header_size(kind) || *need > routerd::api::kMaxMessageSize) {
            std::abort();
        }
        if (*need > in.size()) {
            return;
        }
        if (kind == FrameKind::request) {
            check_request(in.first(*need));
        } else {
            check_reply(in.first(*need));
        }
        in = in.subspan(*need);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> in(data, size);
    check_request(in);
    check_reply(in);
    read_stream(in, FrameKind::request);
    read_stream(in, FrameKind::reply);
    return 0;
}
