// SPDX-License-Identifier: Apache-2.0
// RouterState: checks and applies control-side changes, keeps the route listing, publishes.
#include "router/dataplane/router_state.hh"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>

namespace routerd::dataplane {

namespace {

std::string if_label(const InterfaceState& ifs) {
    return "interface " + ifs.name + " (ifindex " + std::to_string(ifs.ifindex) + ")";
}

Error no_interface(int ifindex) {
    return make_error(ENOENT, "no interface with ifindex " + std::to_string(ifindex));
}

// RFC 1812 5.3.7 / RFC 1122 3.2.1.3: an address an interface may carry.
bool usable_address(Ip4Prefix a) {
    if (a.len == 0 || a.len > 32 || a.addr.is_zero() || a.addr.is_multicast() ||
        a.addr.is_class_e() || a.addr.is_limited_broadcast() || a.addr.is_loopback() ||
        a.addr.is_this_network()) {
        return false;
    }
    // The subnet's own network and broadcast addresses are not host addresses (RFC 922), except
    // on /31 (RFC 3021) and /32.
    return a.len >= 31 || (a.addr != a.network() && a.addr != a.broadcast());
}

}  // namespace

std::uint64_t unix_time_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

std::uint32_t InterfaceState::if_flags() const {
    std::uint32_t f = api::kIffBroadcast | api::kIffMulticast | api::kIffAllmulti;
    if (admin_up) {
        f |= api::kIffUp;
    }
    if (oper_up()) {
        f |= api::kIffRunning;
    }
    if ((link_flags & api::kIffLowerUp) != 0) {
        f |= api::kIffLowerUp;
    }
    return f;
}

RouterState::RouterState(Qsbr& qsbr, const Clock& clock, fib::FibConfig fib_config)
    : qsbr_(qsbr), clock_(clock), rib_(&qsbr, fib_config) {}

RouterState::~RouterState() {
    // The owner stopped every worker (no reader holds the snapshot any more).
    delete snap_.exchange(nullptr, std::memory_order_acq_rel);
}

Status RouterState::init(const inet::IpSettings& ip, const std::vector<InterfaceSpec>& specs) {
    if (!ifs_.empty()) {
        return make_error(EALREADY, "router state already initialised");
    }
    if (ip.default_ttl == 0) {
        return make_error(EINVAL, "ip default-ttl must be 1-255");
    }
    ip_ = ip;
    const std::uint64_t now_ns = unix_time_ns();
    for (const auto& s : specs) {
        if (s.ifindex <= 0 || s.name.empty() || s.name.size() > api::kIfNameMaxLen) {
            ifs_.clear();
            return make_error(EINVAL, "bad interface " + s.name);
        }
        if (find(s.ifindex) != nullptr || find(s.name) != nullptr) {
            ifs_.clear();
            return make_error(EEXIST, "interface " + s.name + " given twice");
        }
        InterfaceState st;
        st.ifindex = s.ifindex;
        st.slot = static_cast<std::uint32_t>(ifs_.size());
        st.name = s.name;
        st.mac = s.mac;
        st.link_mtu = s.link_mtu;
        st.mtu = s.mtu;
        st.link_admin_up = s.link_admin_up;
        st.link_oper_up = s.link_oper_up;
        st.link_flags = s.link_flags;
        st.settings = s.settings;
        st.igmp = s.igmp;
        st.last_change_ns = now_ns;
        ifs_.push_back(std::move(st));
    }
    for (const auto& s : specs) {
        for (const auto& a : s.addresses) {
            if (auto r = add_address_nopublish(*find_mut(s.ifindex), a); !r) {
                return r;
            }
        }
    }
    publish();
    return ok_status();
}

// ---- settings ----

Status RouterState::set_forwarding(bool on) {
    ip_.forwarding = on;
    publish();
    return ok_status();
}

Status RouterState::set_default_ttl(std::int32_t ttl) {
    // RFC 1122 3.2.1.7: a host never sends TTL 0; the field is 8 bits.
    if (ttl < 1 || ttl > 255) {
        return make_error(EINVAL, "default TTL " + std::to_string(ttl) + " is not 1-255");
    }
    ip_.default_ttl = static_cast<std::uint8_t>(ttl);
    publish();
    return ok_status();
}

Status RouterState::set_send_redirects(bool on) {
    ip_.send_redirects = on;
    publish();
    return ok_status();
}

Status RouterState::set_source_route(bool on) {
    ip_.source_route = on;
    publish();
    return ok_status();
}

Status RouterState::set_reassembly_timeout(std::int32_t seconds) {
    if (seconds < 1 || seconds > kMaxReassemblyTimeoutS) {
        return make_error(EINVAL, "reassembly timeout " + std::to_string(seconds) + " s is not 1-" +
                                      std::to_string(kMaxReassemblyTimeoutS));
    }
    ip_.reassembly_timeout_s = static_cast<std::uint32_t>(seconds);
    publish();
    return ok_status();
}

Status RouterState::set_ip(const inet::IpSettings& ip) {
    if (ip.default_ttl == 0) {
        return make_error(EINVAL, "default TTL 0 is not 1-255");
    }
    if (ip.reassembly_timeout_s < 1 ||
        ip.reassembly_timeout_s > static_cast<std::uint32_t>(kMaxReassemblyTimeoutS)) {
        return make_error(EINVAL, "reassembly timeout out of range");
    }
    ip_ = ip;
    publish();
    return ok_status();
}

// ---- interfaces ----

InterfaceState* RouterState::find_mut(int ifindex) noexcept {
    for (auto& i : ifs_) {
        if (i.ifindex == ifindex) {
            return &i;
        }
    }
    return nullptr;
}

const InterfaceState* RouterState::find(int ifindex) const noexcept {
    for (const auto& i : ifs_) {
        if (i.ifindex == ifindex) {
            return &i;
        }
    }
    return nullptr;
}

const InterfaceState* RouterState::find(const std::string& name) const noexcept {
    for (const auto& i : ifs_) {
        if (i.name == name) {
            return &i;
        }
    }
    return nullptr;
}

void RouterState::emit_if_changed(const InterfaceState& ifs, bool was_up, bool was_admin) {
    if (ifs.oper_up() == was_up && ifs.admin_up == was_admin) {
        return;
    }
    if (sink_) {
        api::LinkEvent ev;
        ev.ifindex = static_cast<std::uint32_t>(ifs.ifindex);
        ev.name = ifs.name;
        ev.admin = ifs.admin_up ? api::AdminState::up : api::AdminState::down;
        ev.oper = ifs.oper_state();
        ev.time_ns = ifs.last_change_ns;
        sink_(ev);
    }
}

Status RouterState::set_if_admin(int ifindex, bool up) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (ifs->admin_up == up) {
        return ok_status();
    }
    const bool was_up = ifs->oper_up();
    ifs->admin_up = up;
    ifs->last_change_ns = unix_time_ns();
    publish();
    emit_if_changed(*ifs, was_up, !up);
    return ok_status();
}

Status RouterState::set_if_settings(int ifindex, const api::IfSettings& settings) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    ifs->settings = settings;
    publish();
    return ok_status();
}

Status RouterState::set_if_igmp(int ifindex, const api::IgmpSettings& g) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (g.version < 1 || g.version > 3) {
        return make_error(EINVAL, "IGMP version " + std::to_string(g.version) + " is not 1-3");
    }
    if (g.query_interval_s < 1 || g.query_interval_s > api::kMaxIgmpInterval) {
        return make_error(EINVAL, "IGMP query interval must be 1-" +
                                      std::to_string(api::kMaxIgmpInterval) + " s");
    }
    // RFC 2236 2.2: IGMPv2 codes are 8 bits of tenths; RFC 3376 4.1.1 allows up to 31744.
    const std::uint32_t max_code = g.version == 2 ? 255 : api::kMaxIgmpInterval;
    if (g.query_response_interval_tenths < 1 || g.query_response_interval_tenths > max_code) {
        return make_error(EINVAL, "IGMP query response interval must be 1-" +
                                      std::to_string(max_code) + " tenths of a second");
    }
    if (g.last_member_query_interval_tenths < 1 || g.last_member_query_interval_tenths > max_code) {
        return make_error(EINVAL, "IGMP last member query interval must be 1-" +
                                      std::to_string(max_code) + " tenths of a second");
    }
    // RFC 3376 8.3 / RFC 2236 8.3: the response interval must be below the query interval.
    if (g.query_response_interval_tenths >= g.query_interval_s * 10) {
        return make_error(EINVAL,
                          "IGMP query response interval must be less than the query interval");
    }
    // RFC 3376 8.1: the robustness variable must not be zero.
    if (g.robustness == 0) {
        return make_error(EINVAL, "IGMP robustness must be 1-255");
    }
    ifs->igmp = g;
    publish();
    return ok_status();
}

Status RouterState::set_if_mtu(int ifindex, std::optional<std::uint32_t> mtu) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (mtu && (*mtu < static_cast<std::uint32_t>(api::kMinIfMtu) ||
                *mtu > static_cast<std::uint32_t>(api::kMaxIfMtu))) {
        return make_error(EINVAL, "MTU " + std::to_string(*mtu) + " is not 68-65535");
    }
    ifs->mtu = mtu;
    publish();
    return ok_status();
}

void RouterState::relist(Ip4Prefix prefix) {
    const auto k = key(prefix);
    auto best = rib_.best(prefix);
    if (!best || best->next_hop.kind == fib::NextHopKind::local) {
        // The router's own /32s are interface addresses (ipAddrTable), not table routes.
        listed_.erase(k);
        return;
    }
    api::RouteEntry e;
    e.prefix = prefix;
    switch (best->next_hop.kind) {
        case fib::NextHopKind::forward:
            e.kind = best->source == fib::RouteSource::connected ? api::RouteKind::connected
                                                                 : api::RouteKind::forward;
            e.ifindex = best->next_hop.ifindex;
            e.via = best->next_hop.gateway;
            break;
        case fib::NextHopKind::reject:
            e.kind = api::RouteKind::reject;
            break;
        case fib::NextHopKind::blackhole:
            e.kind = api::RouteKind::blackhole;
            break;
        case fib::NextHopKind::local:
            return;  // handled above
    }
    auto it = listed_.find(k);
    if (it != listed_.end() && it->second.entry == e) {
        return;  // unchanged: keeps its age
    }
    listed_[k] = Listed{e, clock_.now()};
}

void RouterState::relist_address(Ip4Prefix address) {
    relist(Ip4Prefix{address.addr, 32});
    if (address.len < 32) {
        relist(Ip4Prefix{address.network(), address.len});
    }
}

Status RouterState::add_address_nopublish(InterfaceState& ifs, Ip4Prefix a) {
    if (!usable_address(a)) {
        return make_error(
            EINVAL, if_label(ifs) + ": " + a.to_string() + " is not a usable interface address");
    }
    for (const auto& other : ifs_) {
        for (const auto& have : other.addresses) {
            if (have.addr == a.addr) {
                return make_error(EEXIST, if_label(ifs) + ": address " + a.addr.to_string() +
                                              " is already on " + other.name);
            }
        }
    }
    if (ifs.addresses.size() >= inet::kMaxIfAddrs) {
        return make_error(ENOSPC, if_label(ifs) + ": already has " +
                                      std::to_string(inet::kMaxIfAddrs) + " addresses");
    }
    if (auto st = rib_.add_address(static_cast<std::uint32_t>(ifs.ifindex), a); !st) {
        return make_error(st.error().code, if_label(ifs) + ": " + st.error().message);
    }
    ifs.addresses.push_back(a);
    relist_address(a);
    return ok_status();
}

Status RouterState::del_address_nopublish(InterfaceState& ifs, Ip4Prefix a) {
    auto it = std::find(ifs.addresses.begin(), ifs.addresses.end(), a);
    if (it == ifs.addresses.end()) {
        return make_error(ENOENT, if_label(ifs) + ": has no address " + a.to_string());
    }
    if (auto st = rib_.delete_address(static_cast<std::uint32_t>(ifs.ifindex), a); !st) {
        return st;
    }
    ifs.addresses.erase(it);
    relist_address(a);
    return ok_status();
}

Status RouterState::add_address(int ifindex, Ip4Prefix address) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (auto st = add_address_nopublish(*ifs, address); !st) {
        return st;
    }
    publish();
    return ok_status();
}

Status RouterState::del_address(int ifindex, Ip4Prefix address) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (auto st = del_address_nopublish(*ifs, address); !st) {
        return st;
    }
    publish();
    return ok_status();
}

Status RouterState::set_addresses(int ifindex, const std::vector<Ip4Prefix>& want) {
    InterfaceState* ifs = find_mut(ifindex);
    if (ifs == nullptr) {
        return no_interface(ifindex);
    }
    if (want.size() > inet::kMaxIfAddrs) {
        return make_error(ENOSPC, if_label(*ifs) + ": more than 10 addresses");
    }
    const std::vector<Ip4Prefix> old = ifs->addresses;
    auto restore = [&] {
        // Back to the old list: remove whatever is there now, add the old ones again.
        for (const auto& a : std::vector<Ip4Prefix>(ifs->addresses)) {
            (void)del_address_nopublish(*ifs, a);
        }
        for (const auto& a : old) {
            (void)add_address_nopublish(*ifs, a);
        }
    };
    for (const auto& a : old) {
        if (std::find(want.begin(), want.end(), a) == want.end()) {
            if (auto st = del_address_nopublish(*ifs, a); !st) {
                restore();
                publish();
                return st;
            }
        }
    }
    for (const auto& a : want) {
        if (std::find(ifs->addresses.begin(), ifs->addresses.end(), a) == ifs->addresses.end()) {
            if (auto st = add_address_nopublish(*ifs, a); !st) {
                restore();
                publish();
                return st;
            }
        }
    }
    // The order of the new list: its first address is the primary one.
    ifs->addresses = want;
    publish();
    return ok_status();
}

void RouterState::link_changed(const LinkStatus& link) {
    InterfaceState* ifs = find_mut(link.ifindex);
    if (ifs == nullptr) {
        return;  // not a routed port
    }
    const bool was_up = ifs->oper_up();
    const bool admin = link.removed ? false : link.admin_up;
    const bool oper = link.removed ? false : link.oper_up;
    const std::uint32_t mtu = link.mtu != 0 ? link.mtu : ifs->link_mtu;
    if (ifs->link_admin_up == admin && ifs->link_oper_up == oper && ifs->link_mtu == mtu &&
        ifs->link_flags == link.flags) {
        return;
    }
    ifs->link_admin_up = admin;
    ifs->link_oper_up = oper;
    ifs->link_mtu = mtu;
    ifs->link_flags = link.flags;
    if (ifs->oper_up() != was_up) {
        ifs->last_change_ns = unix_time_ns();
    }
    publish();
    emit_if_changed(*ifs, was_up, ifs->admin_up);
}

// ---- static routes ----

Result<std::uint32_t> RouterState::resolve(const api::RouteSpec& spec) const {
    const std::string what = "route " + spec.prefix.to_string();
    if (spec.prefix.len > 32 || spec.prefix.has_host_bits()) {
        return make_error(EINVAL, what + ": the prefix has host bits");
    }
    switch (spec.kind) {
        case api::RouteKind::connected:
            return make_error(EINVAL, what + ": connected routes come from interface addresses");
        case api::RouteKind::reject:
        case api::RouteKind::blackhole:
            if (!spec.via.is_zero() || spec.ifindex != 0) {
                return make_error(EINVAL, what + ": reject and blackhole take no next hop");
            }
            return 0u;
        case api::RouteKind::forward:
            break;
    }
    if (spec.via.is_zero() || spec.via.is_multicast() || spec.via.is_limited_broadcast() ||
        spec.via.is_class_e() || spec.via.is_loopback()) {
        return make_error(EINVAL, what + ": bad next hop " + spec.via.to_string());
    }
    if (is_ours(spec.via)) {
        return make_error(EINVAL, what + ": next hop " + spec.via.to_string() +
                                      " is one of the router's own addresses");
    }
    if (spec.ifindex != 0) {
        const InterfaceState* ifs = find(static_cast<int>(spec.ifindex));
        if (ifs == nullptr) {
            return no_interface(static_cast<int>(spec.ifindex));
        }
        for (const auto& a : ifs->addresses) {
            if (a.contains(spec.via)) {
                return spec.ifindex;
            }
        }
        return make_error(ENETUNREACH, what + ": next hop " + spec.via.to_string() +
                                           " is on no connected subnet of " + ifs->name);
    }
    if (auto ifindex = rib_.connected_ifindex(spec.via)) {
        return *ifindex;
    }
    return make_error(ENETUNREACH,
                      what + ": next hop " + spec.via.to_string() + " is on no connected subnet");
}

Status RouterState::install_static(const api::RouteSpec& spec) {
    auto ifindex = resolve(spec);
    if (!ifindex) {
        return ifindex.error();
    }
    fib::NextHop nh;
    switch (spec.kind) {
        case api::RouteKind::forward:
        case api::RouteKind::connected:  // refused by resolve()
            nh = fib::NextHop{fib::NextHopKind::forward, *ifindex, spec.via};
            break;
        case api::RouteKind::reject:
            nh = fib::NextHop::reject_route();
            break;
        case api::RouteKind::blackhole:
            nh = fib::NextHop::blackhole_route();
            break;
    }
    if (auto st = rib_.add_route(fib::Route{spec.prefix, fib::RouteSource::static_route, nh});
        !st) {
        return st;
    }
    statics_[key(spec.prefix)] = StaticRoute{spec, *ifindex};
    relist(spec.prefix);
    return ok_status();
}

Status RouterState::add_static_route(const api::RouteSpec& spec) {
    if (spec.prefix.len <= 32 && statics_.count(key(spec.prefix)) != 0) {
        return make_error(EEXIST, "route " + spec.prefix.to_string() + " exists");
    }
    if (auto st = install_static(spec); !st) {
        return st;
    }
    // The Rib's Fib is updated in place under the Qsbr (router/fib/README.md): nothing in
    // the Snapshot changed, so no new one (a publish makes every worker copy it and walk its
    // ARP cache). Reclaim what the Fib retired.
    qsbr_.poll();
    return ok_status();
}

Status RouterState::replace_static_route(const api::RouteSpec& spec) {
    // Rib::add_route replaces the static candidate in place: no moment without a route.
    if (auto st = install_static(spec); !st) {
        return st;
    }
    // The Rib's Fib is updated in place under the Qsbr (router/fib/README.md): nothing in
    // the Snapshot changed, so no new one (a publish makes every worker copy it and walk its
    // ARP cache). Reclaim what the Fib retired.
    qsbr_.poll();
    return ok_status();
}

Status RouterState::del_static_route(const api::RouteSpec& spec) {
    const std::string what = "route " + spec.prefix.to_string();
    auto it = spec.prefix.len <= 32 ? statics_.find(key(spec.prefix)) : statics_.end();
    if (it == statics_.end()) {
        return make_error(ENOENT, "no static " + what);
    }
    const StaticRoute& have = it->second;
    if (have.spec.kind != spec.kind) {
        return make_error(ENOENT, what + " is of another kind");
    }
    if (!spec.via.is_zero() && spec.via != have.spec.via) {
        return make_error(ENOENT, what + " has another next hop");
    }
    if (spec.ifindex != 0 && spec.ifindex != have.ifindex && spec.ifindex != have.spec.ifindex) {
        return make_error(ENOENT, what + " uses another interface");
    }
    if (auto st = rib_.delete_route(spec.prefix, fib::RouteSource::static_route); !st) {
        return st;
    }
    statics_.erase(it);
    relist(spec.prefix);
    // The Rib's Fib is updated in place under the Qsbr (router/fib/README.md): nothing in
    // the Snapshot changed, so no new one (a publish makes every worker copy it and walk its
    // ARP cache). Reclaim what the Fib retired.
    qsbr_.poll();
    return ok_status();
}

std::vector<api::RouteEntry> RouterState::routes(Ip4Prefix start, bool after, std::size_t max,
                                                 bool* more) const {
    std::vector<api::RouteEntry> out;
    const auto k = key(start);
    auto it = after ? listed_.upper_bound(k) : listed_.lower_bound(k);
    const MonoTime now = clock_.now();
    for (; it != listed_.end() && out.size() < max; ++it) {
        api::RouteEntry e = it->second.entry;
        const auto age =
            std::chrono::duration_cast<std::chrono::seconds>(now - it->second.installed);
        e.age_s = age.count() > 0 ? static_cast<std::uint32_t>(age.count()) : 0;
        out.push_back(e);
    }
    if (more != nullptr) {
        *more = it != listed_.end();
    }
    return out;
}

// ---- publication ----

bool RouterState::is_ours(Ip4Addr a) const noexcept {
    // The master copy, not the published Snapshot: inside a batch the two differ.
    for (const auto& i : ifs_) {
        for (const auto& p : i.addresses) {
            if (p.addr == a) {
                return true;
            }
        }
    }
    return false;
}

void RouterState::end_batch() {
    if (batch_depth_ > 0 && --batch_depth_ == 0 && batch_dirty_) {
        batch_dirty_ = false;
        publish();
    }
}

void RouterState::publish() {
    if (batch_depth_ > 0) {
        batch_dirty_ = true;  // once, when the outermost batch ends
        return;
    }
    auto* s = new inet::Snapshot;
    s->generation = ++generation_;
    s->ip = ip_;
    s->rib = &rib_;
    s->interfaces.reserve(ifs_.size());
    for (const auto& i : ifs_) {
        inet::Interface f;
        f.ifindex = i.ifindex;
        f.slot = i.slot;
        f.name = i.name;
        f.mac = i.mac;
        f.mtu = i.effective_mtu();
        f.admin_up = i.admin_up;
        f.oper_up = i.link_admin_up && i.link_oper_up;
        f.naddrs = static_cast<std::uint8_t>(std::min(i.addresses.size(), inet::kMaxIfAddrs));
        std::copy_n(i.addresses.begin(), f.naddrs, f.addrs.begin());
        f.settings = i.settings;
        f.igmp = i.igmp;
        s->interfaces.push_back(std::move(f));
    }
    s->build_index();  // per-packet lookups in O(1) (inet/context.hh)
    const inet::Snapshot* old = snap_.exchange(s, std::memory_order_acq_rel);
    if (old != nullptr) {
        // Workers may still read `old` until their next quiescent point.
        qsbr_.retire([old] { delete old; });
    }
    qsbr_.poll();
}

}  // namespace routerd::dataplane
