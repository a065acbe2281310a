// SPDX-License-Identifier: Apache-2.0
// Control-socket codec: framing, encode and decode of every message, every field checked.
#pragma once

#include "router/api/messages.hh"
#include "router/base/result.hh"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace routerd::api {

/// Which header a frame has: requests flow client → routerd, replies (and events) back.
enum class FrameKind { request, reply };

constexpr std::size_t header_size(FrameKind kind) {
    return kind == FrameKind::request ? kRequestHeaderSize : kReplyHeaderSize;
}

/// How many bytes the frame at the start of `stream` needs in total (header + payload), known
/// from the header alone so a reader can refuse a frame before reading its body. With fewer
/// bytes than a header it returns the header size: read that much, then ask again.
/// Errors: EPROTO bad magic, EPROTONOSUPPORT another version, EMSGSIZE len above the limit.
/// After any of them the stream cannot be resynchronised: reply (see peek_header) and close.
Result<std::size_t> frame_size(std::span<const std::uint8_t> stream, FrameKind kind);

/// A frame's header fields as they are on the wire, unchecked (type may be no MsgType, status
/// is 0 in a request): what a server needs to address an error reply to a frame it refused.
struct FrameHeader {
    std::uint32_t magic = 0;
    std::uint16_t version = 0;
    MsgType type = MsgType::HELLO;
    std::uint32_t len = 0;
    std::uint32_t id = 0;  ///< id of a request, for_id of a reply
    std::int32_t status = 0;
};

/// The header at the start of `stream`, or nullopt when fewer than header_size(kind) bytes.
std::optional<FrameHeader> peek_header(std::span<const std::uint8_t> stream, FrameKind kind);

/// Appends one request frame to `out`. Checks the message first (the same checks decoding
/// makes) and leaves `out` unchanged on error: EINVAL, or EMSGSIZE above kMaxMessageSize.
Status encode_request(const Request& request, std::vector<std::uint8_t>& out);
Result<std::vector<std::uint8_t>> encode_request(const Request& request);

/// Appends one request frame with its values as given: only what the wire cannot carry (a
/// string or list above its length field's limit, EMSGSIZE) is refused. What a client sends
/// this way is judged by the receiving side's decode_request, so an out-of-range value (a
/// SET_IP_MISC default TTL of 0) gets routerd's own EINVAL reply (api::Client uses it).
Status encode_request_as_given(const Request& request, std::vector<std::uint8_t>& out);

/// Appends one reply frame to `out`; as encode_request.
Status encode_reply(const Reply& reply, std::vector<std::uint8_t>& out);
Result<std::vector<std::uint8_t>> encode_reply(const Reply& reply);

/// Decodes exactly one request frame (frame_size() bytes): header, every field, no trailing
/// byte, then the message's checks. Never throws, never reads past `frame`, and allocates at
/// most in proportion to frame.size().
Result<Request> decode_request(std::span<const std::uint8_t> frame);

/// Decodes exactly one reply or event frame; as decode_request.
Result<Reply> decode_reply(std::span<const std::uint8_t> frame);

/// The checks encode and decode apply to a message's values (ranges, enums, strings, limits).
Status validate(const Request& request);
Status validate(const Reply& reply);

/// The seed's ip_misc rule: arg 1 sets ip_forwarding (0 or 1), arg 2 sets ip_default_ttl
/// (1-255); any other arg or value is EINVAL.
Status validate_ip_misc(const SetIpMiscRequest& misc);

}  // namespace routerd::api
