// SPDX-License-Identifier: Apache-2.0
// Handler: what routerd implements to answer control-socket requests (the server does framing).
#pragma once

#include "router/api/messages.hh"

namespace routerd::control {

// The request side of the control socket, implemented by the daemon (RouterState) and by fakes
// in tests. ControlServer calls it on the control thread (the io_context's thread), one request
// at a time, so an implementation that owns the control-side master copy answers every request
// from one consistent state without locking.
class Handler {
public:
    virtual ~Handler() = default;

    // Answers one decoded, validated request: the reply body of the request's type, or an
    // api::ErrorReply (status = errno, message for people; the server fills in its `type`).
    // Never called for SET_MGMT (the server handles subscriptions itself). Should not throw;
    // if it does, the client gets EIO and the connection stays open.
    virtual api::ReplyBody handle(const api::RequestBody& request) = 0;
};

}  // namespace routerd::control
