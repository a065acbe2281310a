// SPDX-License-Identifier: Apache-2.0
// Source over api::Client: connect on demand, HELLO for routerd's start time, paged tables.
#include "agent/source/source.hh"

namespace routerd::agent {

namespace {
// ARP pages kept per snapshot: far above any neighbour table a router port has, and a bound on
// the time one SNMP request may spend paging.
constexpr std::size_t kMaxArpPages = 16;
// How long a routerd that let a request time out is not asked again.
constexpr std::chrono::milliseconds kHoldOff{1000};
}  // namespace

bool is_connection_error(int code) {
    switch (code) {
        case ECONNRESET:
        case ECONNREFUSED:
        case ENOTCONN:
        case EPIPE:
        case ETIMEDOUT:
        case EPROTO:
        case EPROTONOSUPPORT:
        case EMSGSIZE:
        case ENOENT:
        case EBADF:
            return true;
        default:
            return false;
    }
}

Status Source::ensure_connected() {
    if (client_) {
        return ok_status();
    }
    auto c = api::Client::connect(path_, timeout_);
    if (!c) {
        return c.error();
    }
    auto hello = c->call_as<api::HelloReply>(api::HelloRequest{"router-agent"});
    if (!hello && is_connection_error(hello.error().code)) {
        return hello.error();
    }
    // HELLO only tells the start time (ifCounterDiscontinuityTime); a refusal is not fatal.
    start_ns_ = hello ? hello->start_time_ns : 0;
    client_.emplace(std::move(*c));
    return ok_status();
}

Result<api::ReplyBody> Source::call(const api::RequestBody& body) {
    if (!client_ && std::chrono::steady_clock::now() < hold_off_until_) {
        return make_error(ETIMEDOUT, "routerd: not answering");
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto st = ensure_connected(); !st) {
            if (st.error().code == ETIMEDOUT) {
                hold_off_until_ = std::chrono::steady_clock::now() + kHoldOff;
            }
            return st.error();
        }
        auto r = client_->call(body);
        if (r || !is_connection_error(r.error().code)) {
            return r;
        }
        // A routerd restart shows up here first (EOF on the old connection): one fresh try.
        client_.reset();
        if (r.error().code == ETIMEDOUT) {
            hold_off_until_ = std::chrono::steady_clock::now() + kHoldOff;
            return r;
        }
    }
    return make_error(ENOTCONN, "routerd: not connected");
}

Result<api::IpStuff> Source::ip_stuff() {
    auto r = call_as<api::GetIpStuffReply>(api::GetIpStuffRequest{});
    if (!r) {
        return r.error();
    }
    return r->ip_stuff;
}

Result<api::IcmpStat> Source::icmp_stat() {
    auto r = call_as<api::GetIcmpStatReply>(api::GetIcmpStatRequest{});
    if (!r) {
        return r.error();
    }
    return r->icmp_stat;
}

Result<api::IgmpStat> Source::igmp_stat() {
    auto r = call_as<api::GetIgmpStatReply>(api::GetIgmpStatRequest{});
    if (!r) {
        return r.error();
    }
    return r->igmp_stat;
}

Result<std::vector<InterfaceView>> Source::interfaces() {
    auto list = call_as<api::GetIfListReply>(api::GetIfListRequest{});
    if (!list) {
        return list.error();
    }
    std::vector<InterfaceView> out;
    out.reserve(list->interfaces.size());
    for (auto& e : list->interfaces) {
        auto ifr = call_as<api::GetIfreqAllReply>(api::GetIfreqAllRequest{e.ifindex});
        if (!ifr) {
            if (ifr.error().code == ENODEV || ifr.error().code == ENXIO) {
                continue;  // removed between the two requests
            }
            return ifr.error();
        }
        out.push_back({std::move(e), std::move(ifr->ifreq_all)});
    }
    return out;
}

Result<std::vector<api::IgmpInterface>> Source::igmp() {
    auto all = call_as<api::GetIgmpGroupsReply>(api::GetIgmpGroupsRequest{0});
    if (all) {
        return std::move(all->interfaces);
    }
    if (all.error().code != EMSGSIZE) {
        return all.error();
    }
    // messages.hh: EMSGSIZE when every interface does not fit one frame; ask one by one.
    auto list = call_as<api::GetIfListReply>(api::GetIfListRequest{});
    if (!list) {
        return list.error();
    }
    std::vector<api::IgmpInterface> out;
    for (const auto& e : list->interfaces) {
        auto one = call_as<api::GetIgmpGroupsReply>(api::GetIgmpGroupsRequest{e.ifindex});
        if (!one) {
            if (one.error().code == ENOENT) {
                continue;
            }
            return one.error();
        }
        out.insert(out.end(), one->interfaces.begin(), one->interfaces.end());
    }
    return out;
}

Result<std::vector<api::ArpEntry>> Source::arp() {
    std::vector<api::ArpEntry> out;
    api::GetArpRequest req;
    for (std::size_t page = 0; page < kMaxArpPages; ++page) {
        auto r = call_as<api::GetArpReply>(req);
        if (!r) {
            return r.error();
        }
        out.insert(out.end(), r->entries.begin(), r->entries.end());
        if (!r->more || r->entries.empty()) {
            break;
        }
        req.start_ifindex = r->entries.back().ifindex;
        req.start_addr = r->entries.back().addr;
        req.after = true;
    }
    return out;
}

Result<api::GetRoutesReply> Source::routes(const Ip4Prefix& start, bool after, std::uint32_t max) {
    return call_as<api::GetRoutesReply>(api::GetRoutesRequest{start, after, max});
}

}  // namespace routerd::agent
