// SPDX-License-Identifier: Apache-2.0
// LinkMonitor over libnl-route: RTNLGRP_LINK notifications plus a dump for resynchronisation.
#include "router/platform/link_monitor.hh"

#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include <cerrno>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <unordered_map>
#include <utility>

namespace routerd::platform {

namespace {

// Messages handled per process() call: the loop is bounded so a storm of link changes
// cannot starve the control thread's other work; the rest is read on the next wake-up.
constexpr int kMaxBatchesPerProcess = 256;

LinkState from_link(rtnl_link* link, bool removed) {
    LinkState s;
    s.ifindex = rtnl_link_get_ifindex(link);
    const char* name = rtnl_link_get_name(link);
    s.name = name ? name : "";
    s.flags = rtnl_link_get_flags(link);
    s.admin_up = (s.flags & IFF_UP) != 0;
    s.carrier = (s.flags & IFF_LOWER_UP) != 0;
    // RFC 2863 3.1.12 via the kernel's operstate; drivers that do not report it say
    // "unknown", and then carrier is the best evidence of a working link.
    std::uint8_t oper = rtnl_link_get_operstate(link);
    s.oper_up = oper == IF_OPER_UP || (oper == IF_OPER_UNKNOWN && s.carrier && s.admin_up);
    s.mtu = rtnl_link_get_mtu(link);
    s.removed = removed;
    return s;
}

Error nl_error(const char* what, int err) {
    return make_error(EIO, std::string(what) + ": " + nl_geterror(err));
}

}  // namespace

struct LinkMonitor::Impl {
    nl_sock* events = nullptr;    // joined to RTNLGRP_LINK, non-blocking
    nl_sock* requests = nullptr;  // for dumps
    Callback on_change;
    std::unordered_map<int, LinkState> last;
    bool overrun = false;

    ~Impl() {
        if (events != nullptr) {
            nl_socket_free(events);
        }
        if (requests != nullptr) {
            nl_socket_free(requests);
        }
    }

    void report(const LinkState& s) {
        auto it = last.find(s.ifindex);
        if (s.removed) {
            if (it != last.end()) {
                last.erase(it);
                on_change(s);
            }
            return;
        }
        if (it != last.end() && it->second == s) {
            return;  // the kernel repeats RTM_NEWLINK for changes we do not track
        }
        last[s.ifindex] = s;
        on_change(s);
    }

    static int on_valid(nl_msg* msg, void* arg) {
        auto* self = static_cast<Impl*>(arg);
        const nlmsghdr* hdr = nlmsg_hdr(msg);
        if (hdr->nlmsg_type != RTM_NEWLINK && hdr->nlmsg_type != RTM_DELLINK) {
            return NL_SKIP;
        }
        struct Ctx {
            Impl* self;
            bool removed;
        } ctx{self, hdr->nlmsg_type == RTM_DELLINK};
        nl_msg_parse(
            msg,
            [](nl_object* obj, void* c) {
                auto* x = static_cast<Ctx*>(c);
                x->self->report(from_link(reinterpret_cast<rtnl_link*>(obj), x->removed));
            },
            &ctx);
        return NL_OK;
    }
};

LinkMonitor::LinkMonitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LinkMonitor::~LinkMonitor() = default;

Result<std::unique_ptr<LinkMonitor>> LinkMonitor::open(Callback on_change) {
    auto impl = std::make_unique<Impl>();
    impl->on_change = std::move(on_change);
    impl->events = nl_socket_alloc();
    impl->requests = nl_socket_alloc();
    if (impl->events == nullptr || impl->requests == nullptr) {
        return make_error(ENOMEM, "netlink: cannot allocate sockets");
    }
    // Notifications carry no sequence numbers of ours.
    nl_socket_disable_seq_check(impl->events);
    nl_socket_modify_cb(impl->events, NL_CB_VALID, NL_CB_CUSTOM, &Impl::on_valid, impl.get());
    if (int err = nl_connect(impl->events, NETLINK_ROUTE); err < 0) {
        return nl_error("netlink: connect", err);
    }
    if (int err = nl_socket_add_memberships(impl->events, RTNLGRP_LINK, 0); err < 0) {
        return nl_error("netlink: join RTNLGRP_LINK", err);
    }
    if (int err = nl_socket_set_nonblocking(impl->events); err < 0) {
        return nl_error("netlink: non-blocking", err);
    }
    if (int err = nl_connect(impl->requests, NETLINK_ROUTE); err < 0) {
        return nl_error("netlink: connect", err);
    }
    auto monitor = std::unique_ptr<LinkMonitor>(new LinkMonitor(std::move(impl)));
    // Seed the last-known state so the first notification of each link is compared to truth.
    auto links = monitor->dump();
    if (!links) {
        return links.error();
    }
    for (const auto& s : *links) {
        monitor->impl_->last[s.ifindex] = s;
    }
    return monitor;
}

int LinkMonitor::fd() const {
    return nl_socket_get_fd(impl_->events);
}

Status LinkMonitor::process() {
    for (int i = 0; i < kMaxBatchesPerProcess; ++i) {
        int err = nl_recvmsgs_default(impl_->events);
        if (err == -NLE_AGAIN) {
            return ok_status();
        }
        if (err == -NLE_NOMEM || err == -NLE_DUMP_INTR) {
            // ENOBUFS: the socket buffer overflowed and notifications were lost. Re-read
            // every link and report what differs from the last-known state.
            auto links = dump();
            if (!links) {
                return links.error();
            }
            for (const auto& s : *links) {
                impl_->report(s);
            }
            continue;
        }
        if (err < 0) {
            return nl_error("netlink: receive", err);
        }
    }
    return ok_status();
}

Result<std::vector<LinkState>> LinkMonitor::dump() {
    nl_cache* cache = nullptr;
    if (int err = rtnl_link_alloc_cache(impl_->requests, AF_UNSPEC, &cache); err < 0) {
        return nl_error("netlink: link dump", err);
    }
    std::vector<LinkState> out;
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr; o = nl_cache_get_next(o)) {
        out.push_back(from_link(reinterpret_cast<rtnl_link*>(o), false));
    }
    nl_cache_free(cache);
    return out;
}

}  // namespace routerd::platform
