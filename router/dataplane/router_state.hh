// SPDX-License-Identifier: Apache-2.0
// RouterState: the control thread's master copy (interfaces, settings, Rib) and its publication.
#pragma once

#include "router/api/messages.hh"
#include "router/base/clock.hh"
#include "router/base/ip4.hh"
#include "router/base/mac.hh"
#include "router/base/qsbr.hh"
#include "router/base/result.hh"
#include "router/fib/rib.hh"
#include "router/inet/context.hh"
#include "router/inet/interface.hh"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace routerd::dataplane {

// RFC 791 3.2 bounds ipq_ttl by the largest TTL (255 s); the YAML loader and the control
// socket (api::kMaxReassemblyTimeout) use the same limit.
inline constexpr std::int32_t kMaxReassemblyTimeoutS = api::kMaxReassemblyTimeout;

// One routed port as the daemon opened it: the Linux facts plus the configured values.
struct InterfaceSpec {
    int ifindex = 0;
    std::string name;
    MacAddr mac;
    std::uint32_t link_mtu = 1500;     // the link's MTU (netlink / the port)
    std::optional<std::uint32_t> mtu;  // YAML `mtu`; nullopt: follow the link
    std::vector<Ip4Prefix> addresses;  // first is primary
    api::IfSettings settings;
    api::IgmpSettings igmp;
    bool link_admin_up = true;     // the kernel's IFF_UP
    bool link_oper_up = true;      // the kernel's operational state
    std::uint32_t link_flags = 0;  // the kernel's IFF_* flags
};

// A link's state as the platform reports it (router/platform LinkState, without the include:
// dataplane may not depend on platform, ARCHITECTURE.md section 13).
struct LinkStatus {
    int ifindex = 0;
    bool admin_up = false;  // kernel IFF_UP
    bool oper_up = false;   // kernel operational state up
    std::uint32_t mtu = 0;
    std::uint32_t flags = 0;
    bool removed = false;
};

// What the control thread keeps of one interface.
struct InterfaceState {
    int ifindex = 0;
    std::uint32_t slot = 0;
    std::string name;
    MacAddr mac;
    std::uint32_t link_mtu = 1500;
    std::optional<std::uint32_t> mtu;
    bool admin_up = true;  // routerd's administrative state (routerctl, ifAdminStatus)
    bool link_admin_up = true;
    bool link_oper_up = true;
    std::uint32_t link_flags = 0;
    std::vector<Ip4Prefix> addresses;
    api::IfSettings settings;
    api::IgmpSettings igmp;
    std::uint64_t last_change_ns = 0;  // unix time of the last oper change (ifLastChange)

    std::uint32_t effective_mtu() const { return mtu.value_or(link_mtu); }
    // ifOperStatus up: routerd has it up and the link works (DESIGN.md SET_MGMT events).
    bool oper_up() const { return admin_up && link_admin_up && link_oper_up; }
    api::OperState oper_state() const {
        return oper_up() ? api::OperState::up : api::OperState::down;
    }
    // ifnet if_flags: IFF_UP is routerd's admin state, IFF_RUNNING the effective oper state.
    std::uint32_t if_flags() const;
};

// A static route as installed (YAML or ROUTE_ADD): its spec with the interface resolved.
struct StaticRoute {
    api::RouteSpec spec;        // as asked (ifindex 0 = resolved through the connected routes)
    std::uint32_t ifindex = 0;  // the interface the Rib uses (forward routes)
};

// The control-thread master copy. Every change of settings or interfaces ends in publish(): a
// new immutable
// inet::Snapshot (generation + 1) swapped into snapshot(), the old one freed after a QSBR grace
// period; the Rib's Fib is updated in place under the same Qsbr (router/fib/README.md). Not
// thread-safe: the control thread only. Workers read snapshot() (and through it the Rib).
class RouterState {
public:
    using LinkEventSink = std::function<void(const api::LinkEvent&)>;

    RouterState(Qsbr& qsbr, const Clock& clock, fib::FibConfig fib_config = {});
    ~RouterState();
    RouterState(const RouterState&) = delete;
    RouterState& operator=(const RouterState&) = delete;

    // Start-up: the fixed set of interfaces (slot = position), their addresses, then static
    // routes with add_static_route(). Errors name the interface or address. Publishes.
    Status init(const inet::IpSettings& ip, const std::vector<InterfaceSpec>& interfaces);

    // Called for every admin or oper change of an interface (routerctl, SNMP, netlink).
    void set_link_event_sink(LinkEventSink sink) { sink_ = std::move(sink); }

    // ---- settings (each validates, changes, publishes) ----
    Status set_forwarding(bool on);
    Status set_default_ttl(std::int32_t ttl);  // EINVAL outside 1-255
    Status set_send_redirects(bool on);
    Status set_source_route(bool on);
    Status set_reassembly_timeout(std::int32_t seconds);  // EINVAL outside 1-255
    Status set_ip(const inet::IpSettings& ip);            // all at once (reload)

    // ---- interfaces (ENOENT for an unknown ifindex) ----
    Status set_if_admin(int ifindex, bool up);
    Status set_if_settings(int ifindex, const api::IfSettings& settings);
    // EINVAL: version not 1-3, intervals out of range, response not below the query interval,
    // robustness 0 (RFC 2236 / RFC 3376 8).
    Status set_if_igmp(int ifindex, const api::IgmpSettings& igmp);
    Status set_if_mtu(int ifindex, std::optional<std::uint32_t> mtu);  // EINVAL outside 68-65535
    // EEXIST already here or on another interface; ENOSPC ten already; EINVAL unusable.
    Status add_address(int ifindex, Ip4Prefix address);
    Status del_address(int ifindex, Ip4Prefix address);  // ENOENT
    // Makes the interface's address list exactly `addresses` (order = primary first), by
    // removing and adding the difference. On error the old list is back.
    Status set_addresses(int ifindex, const std::vector<Ip4Prefix>& addresses);
    // A netlink report; publishes (and emits a link event) only when something changed.
    void link_changed(const LinkStatus& link);

    // ---- static routes ----
    // EINVAL: host bits, kind connected, via missing or present where it must not be;
    // EEXIST: a static route for the prefix exists; ENOENT: unknown ifindex; ENETUNREACH: the
    // gateway is on no connected subnet (of that interface); ENOSPC: the FIB is full.
    Status add_static_route(const api::RouteSpec& spec);
    // ENOENT: no static route of that prefix, or kind / via / ifindex do not match.
    Status del_static_route(const api::RouteSpec& spec);
    // Replaces the static route of spec.prefix (reload "route changed"); adds when absent.
    Status replace_static_route(const api::RouteSpec& spec);

    // ---- reads (control thread) ----
    const inet::IpSettings& ip() const noexcept { return ip_; }
    const std::vector<InterfaceState>& interfaces() const noexcept { return ifs_; }
    const InterfaceState* find(int ifindex) const noexcept;
    const InterfaceState* find(const std::string& name) const noexcept;
    const std::map<std::pair<std::uint32_t, std::uint8_t>, StaticRoute>& static_routes()
        const noexcept {
        return statics_;
    }
    // One page of the installed routes in (address, length) order, as GET_ROUTES asks.
    std::vector<api::RouteEntry> routes(Ip4Prefix start, bool after, std::size_t max,
                                        bool* more) const;
    std::size_t route_count() const noexcept { return listed_.size(); }
    const fib::Rib& rib() const noexcept { return rib_; }

    // ---- batching ----
    // While a Batch lives, changes are applied to the master copy at once but published
    // together, as one new Snapshot, when the outermost Batch ends (a reload: one generation,
    // one worker-side copy, however many keys changed). Nothing is published when nothing
    // changed.
    class Batch {
    public:
        explicit Batch(RouterState& s) : s_(&s) { ++s_->batch_depth_; }
        ~Batch() { s_->end_batch(); }
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

    private:
        RouterState* s_;
    };
    [[nodiscard]] Batch batch() { return Batch(*this); }

    // ---- publication ----
    // The pointer workers load once per batch; never null after init().
    const std::atomic<const inet::Snapshot*>& snapshot() const noexcept { return snap_; }
    const inet::Snapshot* current() const noexcept { return snap_.load(std::memory_order_acquire); }
    std::uint64_t generation() const noexcept { return generation_; }
    // Frees retired snapshots whose grace period has passed (also done by every publish).
    void reclaim() { qsbr_.poll(); }

private:
    using Key = std::pair<std::uint32_t, std::uint8_t>;
    struct Listed {
        api::RouteEntry entry;  // age_s filled on read
        MonoTime installed{};
    };

    static Key key(Ip4Prefix p) { return {p.addr.value(), p.len}; }
    InterfaceState* find_mut(int ifindex) noexcept;
    // Re-reads the Rib's best route for prefix into the listing.
    void relist(Ip4Prefix prefix);
    void relist_address(Ip4Prefix address);
    Status add_address_nopublish(InterfaceState& ifs, Ip4Prefix address);
    Status del_address_nopublish(InterfaceState& ifs, Ip4Prefix address);
    Result<std::uint32_t> resolve(const api::RouteSpec& spec) const;
    Status install_static(const api::RouteSpec& spec);
    void emit_if_changed(const InterfaceState& ifs, bool was_up, bool was_admin);
    void publish();
    void end_batch();
    bool is_ours(Ip4Addr a) const noexcept;

    Qsbr& qsbr_;
    const Clock& clock_;
    fib::Rib rib_;
    inet::IpSettings ip_;
    std::vector<InterfaceState> ifs_;
    std::map<Key, StaticRoute> statics_;
    std::map<Key, Listed> listed_;
    LinkEventSink sink_;
    std::uint64_t generation_ = 0;
    int batch_depth_ = 0;
    bool batch_dirty_ = false;
    std::atomic<const inet::Snapshot*> snap_{nullptr};
};

// The unix time now, in nanoseconds (link event and ifLastChange times).
std::uint64_t unix_time_ns();

}  // namespace routerd::dataplane
