// SPDX-License-Identifier: Apache-2.0
// Agent wiring: which provider serves which subtree, which instances are writable and how a
// SET reaches routerd, and the link-event subscription.
#include "agent/agent.hh"

#include "agent/mib/if_mib.hh"
#include "agent/mib/igmp_std_mib.hh"
#include "agent/mib/mib2_icmp.hh"
#include "agent/mib/oids.hh"
#include "agent/mib/provider.hh"
#include "agent/mib/routerd_mib.hh"
#include "agent/snmp/registry.hh"
#include "agent/traps/link_traps.hh"

#include <cstdio>
#include <ctime>

namespace routerd::agent {

namespace {

std::uint64_t unix_now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// A Status from a typed call, for Writer::apply.
template <typename T>
Status status_of(Result<T> r) {
    if (!r) {
        return r.error();
    }
    return ok_status();
}

// The interface `ifindex` in a fresh list, or nullptr.
const api::IfListEntry* find_if(const Result<api::GetIfListReply>& l, std::uint32_t ifindex) {
    if (!l) {
        return nullptr;
    }
    for (const auto& e : l->interfaces) {
        if (e.ifindex == ifindex) {
            return &e;
        }
    }
    return nullptr;
}

// One registration per column `first`..`last` of the table entry `entry`.
void register_columns(const std::shared_ptr<Provider>& p, const Oid& entry, std::uint32_t first,
                      std::uint32_t last, const std::string& name, int prio) {
    for (std::uint32_t c = first; c <= last; ++c) {
        register_provider(p, oid_cat(entry, {c}), name + "." + std::to_string(c), false, prio);
    }
}

}  // namespace

Agent::Agent(boost::asio::io_context& io, SnmpLoop& loop, AgentOptions opts)
    : io_(io),
      loop_(loop),
      opts_(std::move(opts)),
      source_(opts_.control_socket, opts_.routerd_timeout),
      pager_(source_, opts_.cache, opts_.route_page),
      events_retry_(io) {}

void Agent::register_all() {
    auto age = std::chrono::duration_cast<CachedRows::Clock::duration>(opts_.cache);
    int prio = opts_.priority;

    // snmpd's master prefers the longer (more specific) registration and uses priority only
    // between equal ones (measured with nsModuleTable), so each subtree is registered exactly as
    // snmpd's own module registers it: mibII/ipaddr, iproute and ipmedia per column, "route
    // number" at its instance.
    // ip scalars: one registration per object, as snmpd's own modules register them, so ours
    // win object by object (AgentX priority) and the ones we do not serve stay snmpd's.
    ip_scalars_ = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto s = source_.ip_stuff();
            if (!s) {
                return std::nullopt;
            }
            Rows rows;
            add_ip_scalars(*s, rows);
            return rows;
        },
        age);
    for (std::uint32_t n = 1; n <= oids::kIpLastScalar; ++n) {
        register_provider(ip_scalars_, oid_cat(oids::kIp, {n}), "routerdIp" + std::to_string(n),
                          n == oids::kIpForwarding || n == oids::kIpDefaultTtl, prio);
    }

    auto ip_addr = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto ifs = source_.interfaces();
            if (!ifs) {
                return std::nullopt;
            }
            Rows rows;
            add_ip_addr_table(*ifs, rows);
            return rows;
        },
        age);
    register_columns(ip_addr, oids::kIpAddrEntry, 1, 5, "routerdIpAddrTable", prio);

    auto arp = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto a = source_.arp();
            if (!a) {
                return std::nullopt;
            }
            Rows rows;
            add_ip_net_to_media(*a, rows);
            return rows;
        },
        age);
    register_columns(arp, oids::kIpNetToMediaEntry, 1, 4, "routerdIpNetToMedia", prio);

    register_columns(std::make_shared<RouteProvider>(RouteTable::ip_route, pager_),
                     oids::kIpRouteEntry, 1, 13, "routerdIpRouteTable", prio);
    register_provider(std::make_shared<RouteProvider>(RouteTable::ip_cidr, pager_),
                      oids::kIpCidrRouteTable, "routerdIpCidrRouteTable", false, prio);
    register_provider(std::make_shared<RouteProvider>(RouteTable::inet_cidr, pager_),
                      oids::kInetCidrRouteTable, "routerdInetCidrRouteTable", false, prio);
    auto route_number = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto n = pager_.route_count();
            if (!n) {
                return std::nullopt;
            }
            return Rows{{oid_cat(oids::kInetCidrRouteNumber, {0}), Value::gauge32(*n)}};
        },
        age);
    register_provider(route_number, oid_cat(oids::kInetCidrRouteNumber, {0}),
                      "routerdInetCidrRouteNumber", false, prio);

    auto icmp = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto s = source_.icmp_stat();
            if (!s) {
                return std::nullopt;
            }
            Rows rows;
            add_icmp_group(*s, rows);
            return rows;
        },
        age);
    for (std::uint32_t n = 1; n <= 26; ++n) {
        register_provider(icmp, oid_cat(oids::kIcmp, {n}), "routerdIcmp" + std::to_string(n), false,
                          prio);
    }
    register_provider(icmp, oids::kIcmpStatsTable, "routerdIcmpStatsTable", false, prio);
    register_provider(icmp, oids::kIcmpMsgStatsTable, "routerdIcmpMsgStatsTable", false, prio);

    if_rows_ = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto ifs = source_.interfaces();
            if (!ifs) {
                return std::nullopt;
            }
            Rows rows;
            add_if_mib(*ifs, TimeBase{unix_now_ns(), master_uptime_ticks()},
                       source_.routerd_start_ns(), rows);
            return rows;
        },
        age);
    register_provider(if_rows_, oids::kIfNumber, "routerdIfNumber", false, prio);
    register_provider(if_rows_, oids::kIfTable, "routerdIfTable", true, prio);
    register_provider(if_rows_, oids::kIfXTable, "routerdIfXTable", false, prio);

    // IGMP-STD-MIB: snmpd serves nothing here (SNMP-AGENT.md 3.1).
    igmp_rows_ = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto i = source_.igmp();
            if (!i) {
                return std::nullopt;
            }
            Rows rows;
            add_igmp_std_mib(*i, rows);
            return rows;
        },
        age);
    register_provider(igmp_rows_,
                      Oid(oids::kIgmpInterfaceEntry.begin(), oids::kIgmpInterfaceEntry.end() - 1),
                      "routerdIgmpInterfaceTable", true, prio);
    register_provider(igmp_rows_,
                      Oid(oids::kIgmpCacheEntry.begin(), oids::kIgmpCacheEntry.end() - 1),
                      "routerdIgmpCacheTable", false, prio);

    rd_rows_ = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            auto ip = source_.ip_stuff();
            auto icmp_s = ip ? source_.icmp_stat() : Result<api::IcmpStat>(ip.error());
            auto igmp_s = icmp_s ? source_.igmp_stat() : Result<api::IgmpStat>(icmp_s.error());
            auto ifs =
                igmp_s ? source_.interfaces() : Result<std::vector<InterfaceView>>(igmp_s.error());
            if (!ifs) {
                return std::nullopt;
            }
            Rows rows;
            add_routerd_mib(RouterdView{*ip, *icmp_s, *igmp_s, std::move(*ifs)}, rows);
            return rows;
        },
        age);
    for (std::uint32_t n = 1; n <= 8; ++n) {
        bool writable = n == 6 || n == 7;  // rdIpSettings, rdIfTable
        register_provider(rd_rows_, oid_cat(oids::kRouterdObjects, {n}),
                          "routerdMib" + std::to_string(n), writable, prio);
    }
    // rdAgent: served even while routerd is away, to say so.
    auto agent_rows = std::make_shared<CachedRows>(
        [this]() -> std::optional<Rows> {
            bool up = static_cast<bool>(source_.ip_stuff());
            return Rows{
                {oid_cat(oids::kRdAgent, {oids::kRdAgentRouterdConnected, 0}), Value::truth(up)}};
        },
        CachedRows::Clock::duration::zero());
    register_provider(agent_rows, oids::kRdAgent, "routerdAgent", false, prio);

    register_writers();
}

void Agent::register_writers() {
    // ipForwarding.0 / ipDefaultTTL.0: SET_IP_MISC (the seed's ip_misc request).
    ip_scalars_->add_writer(oid_cat(oids::kIp, {oids::kIpForwarding}), [this](const Oid& s) {
        if (s != Oid{0}) {
            return std::optional<Writer>();
        }
        return std::optional<Writer>(Writer{
            Asn::integer, check_ip_forwarding,
            [this]() -> Result<std::int64_t> {
                auto st = source_.ip_stuff();
                if (!st) {
                    return st.error();
                }
                return ip_forwarding_value(*st);
            },
            [this](std::int64_t v) { return status_of(source_.call(ip_forwarding_request(v))); }});
    });
    ip_scalars_->add_writer(oid_cat(oids::kIp, {oids::kIpDefaultTtl}), [this](const Oid& s) {
        if (s != Oid{0}) {
            return std::optional<Writer>();
        }
        return std::optional<Writer>(Writer{
            Asn::integer, check_ip_default_ttl,
            [this]() -> Result<std::int64_t> {
                auto st = source_.ip_stuff();
                if (!st) {
                    return st.error();
                }
                return std::int64_t{st->ip_default_ttl};
            },
            [this](std::int64_t v) { return status_of(source_.call(ip_default_ttl_request(v))); }});
    });

    // ifAdminStatus.N: SET_IF_ADMIN.
    if_rows_->add_writer(oid_cat(oids::kIfEntry, {oids::kIfAdminStatusCol}), [this](const Oid& s) {
        if (s.size() != 1) {
            return std::optional<Writer>();
        }
        std::uint32_t ifindex = s[0];
        return std::optional<Writer>(
            Writer{Asn::integer, check_if_admin_status,
                   [this, ifindex]() -> Result<std::int64_t> {
                       auto l = source_.call_as<api::GetIfListReply>(api::GetIfListRequest{});
                       const auto* e = find_if(l, ifindex);
                       if (e == nullptr) {
                           return make_error(ENODEV, "no such interface");
                       }
                       return static_cast<std::int64_t>(e->admin);
                   },
                   [this, ifindex](std::int64_t v) {
                       return status_of(source_.call(if_admin_request(ifindex, v)));
                   }});
    });

    // igmpInterfaceTable settings: SET_IGMP (routerd checks the merged result, e.g. response
    // interval below query interval, and refuses otherwise: commitFailed).
    for (std::uint32_t col :
         {kIgmpQueryInterval, kIgmpStatus, kIgmpVersion, kIgmpQueryMaxResponseTime, kIgmpRobustness,
          kIgmpLastMembQueryIntvl}) {
        igmp_rows_->add_writer(
            oid_cat(oids::kIgmpInterfaceEntry, {col}), [this, col](const Oid& s) {
                if (s.size() != 1) {
                    return std::optional<Writer>();
                }
                std::uint32_t ifindex = s[0];
                return std::optional<Writer>(
                    Writer{col == kIgmpStatus ? Asn::integer : Asn::gauge32,
                           [col](std::int64_t v) { return check_igmp_column(col, v); },
                           [this, ifindex, col]() -> Result<std::int64_t> {
                               auto r = source_.call_as<api::GetIgmpGroupsReply>(
                                   api::GetIgmpGroupsRequest{ifindex});
                               if (!r || r->interfaces.empty()) {
                                   return make_error(ENODEV, "no such interface");
                               }
                               return igmp_column_value(r->interfaces.front(), col);
                           },
                           [this, ifindex, col](std::int64_t v) {
                               return status_of(source_.call(igmp_request(ifindex, col, v)));
                           }});
            });
    }

    // ROUTERD-MIB settings: rdIpqTtl, rdIpSendRedirects, rdIpSourceRoute (SET_IP_SETTINGS).
    auto ip_setting = [this](std::uint32_t n, const std::function<SnmpErr(std::int64_t)>& check,
                             const std::function<std::int64_t(const api::IpStuff&)>& read,
                             const std::function<api::SetIpSettingsRequest(std::int64_t)>& req) {
        rd_rows_->add_writer(oid_cat(oids::kRdIpSettings, {n}), [=, this](const Oid& s) {
            if (s != Oid{0}) {
                return std::optional<Writer>();
            }
            return std::optional<Writer>(
                Writer{Asn::integer, check,
                       [this, read]() -> Result<std::int64_t> {
                           auto st = source_.ip_stuff();
                           if (!st) {
                               return st.error();
                           }
                           return read(*st);
                       },
                       [this, req](std::int64_t v) { return status_of(source_.call(req(v))); }});
        });
    };
    ip_setting(
        oids::kRdIpqTtl, check_rd_ipq_ttl,
        [](const api::IpStuff& s) { return std::int64_t{s.ipq_ttl}; }, rd_ipq_ttl_request);
    ip_setting(
        oids::kRdIpSendRedirects, check_truth,
        [](const api::IpStuff& s) { return std::int64_t{s.ip_sendredirects != 0 ? 1 : 2}; },
        rd_send_redirects_request);
    ip_setting(
        oids::kRdIpSourceRoute, check_truth,
        [](const api::IpStuff& s) { return std::int64_t{s.ip_sourceroute != 0 ? 1 : 2}; },
        rd_source_route_request);

    // rdIfMaskReply / rdIfRedirects / rdIfDirectedBroadcast: SET_IF_FLAGS.
    for (std::uint32_t col :
         {oids::kRdIfMaskReply, oids::kRdIfRedirects, oids::kRdIfDirectedBroadcast}) {
        rd_rows_->add_writer(oid_cat(oids::kRdIfEntry, {col}), [this, col](const Oid& s) {
            if (s.size() != 1) {
                return std::optional<Writer>();
            }
            std::uint32_t ifindex = s[0];
            return std::optional<Writer>(
                Writer{Asn::integer, check_truth,
                       [this, ifindex, col]() -> Result<std::int64_t> {
                           auto l = source_.call_as<api::GetIfListReply>(api::GetIfListRequest{});
                           const auto* e = find_if(l, ifindex);
                           if (e == nullptr) {
                               return make_error(ENODEV, "no such interface");
                           }
                           bool b = col == oids::kRdIfMaskReply   ? e->settings.mask_reply
                                    : col == oids::kRdIfRedirects ? e->settings.redirects
                                                                  : e->settings.directed_broadcast;
                           return std::int64_t{b ? 1 : 2};
                       },
                       [this, ifindex, col](std::int64_t v) {
                           return status_of(source_.call(rd_if_flags_request(ifindex, col, v)));
                       }});
        });
    }
}

// ---- link events -------------------------------------------------------------------------

void Agent::start_events() {
    connect_events();
}

void Agent::connect_events() {
    auto c = api::Client::connect(opts_.control_socket, opts_.routerd_timeout);
    if (!c) {
        retry_events_later();
        return;
    }
    if (auto r = c->call(api::SetMgmtRequest{true}); !r) {
        std::fprintf(stderr, "router-agent: SET_MGMT refused: %s\n", r.error().message.c_str());
        retry_events_later();
        return;
    }
    events_.emplace(std::move(*c));
    events_backoff_ = std::chrono::milliseconds(250);
    // The states the next events are compared with (subscribed first, so none is missed).
    trap_filter_.reset();
    if (auto l = source_.call_as<api::GetIfListReply>(api::GetIfListRequest{})) {
        for (const auto& e : l->interfaces) {
            trap_filter_.seed(e.ifindex, e.oper);
        }
    }
    events_fd_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, events_->fd());
    std::fprintf(stderr, "router-agent: subscribed to routerd link events\n");
    arm_events();
}

void Agent::arm_events() {
    events_fd_->async_wait(boost::asio::posix::descriptor_base::wait_read,
                           [this](boost::system::error_code ec) {
                               if (!ec) {
                                   on_event_readable();
                               }
                           });
}

void Agent::on_event_readable() {
    auto ev = events_->next_event(opts_.routerd_timeout);
    if (!ev) {
        // routerd went away (EOF) or sent garbage: drop the connection, subscribe again later.
        std::fprintf(stderr, "router-agent: link events: %s\n", ev.error().message.c_str());
        events_fd_->release();  // the Client owns the fd
        events_fd_.reset();
        events_.reset();
        retry_events_later();
        return;
    }
    if (trap_filter_.should_send(*ev)) {
        send_notification(link_trap_varbinds(*ev));
        loop_.sync();
    }
    arm_events();
}

void Agent::retry_events_later() {
    events_retry_.expires_after(events_backoff_);
    events_backoff_ = std::min(events_backoff_ * 2, std::chrono::milliseconds(2000));
    events_retry_.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
            connect_events();
        }
    });
}

}  // namespace routerd::agent
