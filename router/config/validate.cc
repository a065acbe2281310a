// SPDX-License-Identifier: Apache-2.0
// Validation of a loaded Config: names, addresses, subnets, next hops, IGMP timers.
#include "router/config/validate.hh"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

namespace routerd::config {

namespace {

std::string line_of(SourceMark m) {
    return "line " + std::to_string(m.line);
}

// "(line 7)" when the other element has a position; nothing for configs built in code.
std::string at_line(SourceMark m) {
    return m.line > 0 ? " (" + line_of(m) + ")" : "";
}
std::string first_at(SourceMark m) {
    return m.line > 0 ? " (first at " + line_of(m) + ")" : "";
}

std::string iface_label(const std::string& name) {
    return "interface " + quote(name);
}

std::uint64_t prefix_key(Ip4Prefix p) {
    return (std::uint64_t{p.network().value()} << 8) | p.len;
}

// Positions of element i, or none when the config was built in code.
const InterfaceMarks& iface_marks(const Config& c, std::size_t i) {
    static const InterfaceMarks none;
    return i < c.source.interfaces.size() ? c.source.interfaces[i] : none;
}
const RouteMarks& route_marks(const Config& c, std::size_t i) {
    static const RouteMarks none;
    return i < c.source.routes.size() ? c.source.routes[i] : none;
}
SourceMark address_mark(const InterfaceMarks& m, std::size_t j) {
    return j < m.addresses.size() ? m.addresses[j] : m.entry;
}
SourceMark or_else(SourceMark a, SourceMark b) {
    return a.line > 0 ? a : b;
}

bool before(SourceMark a, SourceMark b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
}

struct AddrRef;
struct Connected;

class Validator {
public:
    Validator(const Config& config, DiagnosticList& out) : c_(config), out_(out) {}

    void run() {
        interfaces();
        subnets();
        routes();
        if (auto m = check_control_socket(c_.control.socket)) {
            out_.error(c_.source.control_socket, *m);
        }
    }

private:
    void interfaces();
    void igmp(std::size_t i);
    void subnets();
    void report_overlap(const AddrRef& later, const AddrRef& earlier, bool same_address);
    void routes();
    void next_hop(const RouteConfig& r, const RouteMarks& m, const Connected& connected);

    const Config& c_;
    DiagnosticList& out_;
};

void Validator::interfaces() {
    std::unordered_map<std::string, std::size_t> names;
    for (std::size_t i = 0; i < c_.interfaces.size() && !out_.full(); ++i) {
        const InterfaceConfig& ic = c_.interfaces[i];
        const InterfaceMarks& m = iface_marks(c_, i);
        SourceMark name_mark = or_else(m.name, m.entry);
        if (m.name_complete) {
            if (auto problem = check_interface_name(ic.name)) {
                out_.error(name_mark, *problem);
            }
            auto [it, fresh] = names.emplace(ic.name, i);
            if (!fresh) {
                const InterfaceMarks& first = iface_marks(c_, it->second);
                out_.error(name_mark, "duplicate interface " + quote(ic.name) +
                                          first_at(or_else(first.name, first.entry)));
            }
        }
        // The seed's ifreq_all holds up to 10 addresses per interface.
        if (ic.addresses.size() > kMaxAddrsPerIface) {
            out_.error(address_mark(m, kMaxAddrsPerIface),
                       iface_label(ic.name) + " has more than " +
                           std::to_string(kMaxAddrsPerIface) + " addresses");
        }
        if (ic.addresses.empty() && m.addresses_complete && m.entry.line == 0) {
            out_.error(m.entry, iface_label(ic.name) + " needs at least one address");
        }
        for (std::size_t j = 0; j < ic.addresses.size(); ++j) {
            if (auto problem = check_interface_address(ic.addresses[j])) {
                out_.error(address_mark(m, j), *problem);
            }
        }
        igmp(i);
    }
}

void Validator::igmp(std::size_t i) {
    const IgmpMarks& m = iface_marks(c_, i).igmp;
    if (!m.complete) {
        return;  // a value already failed to load; its default would mislead the relations
    }
    SourceMark fallback = or_else(m.block, iface_marks(c_, i).entry);
    for (IgmpIssue& issue : check_igmp(c_.interfaces[i].igmp)) {
        SourceMark at;
        switch (issue.setting) {
            case IgmpSetting::querier:
                break;
            case IgmpSetting::version:
                at = m.version;
                break;
            case IgmpSetting::query_interval:
                at = m.query_interval;
                break;
            case IgmpSetting::query_response_interval:
                at = m.query_response_interval;
                break;
            case IgmpSetting::robustness:
                at = m.robustness;
                break;
            case IgmpSetting::last_member_query_interval:
                at = m.last_member_query_interval;
                break;
        }
        // QRI < QI: point at whichever of the two the file spelled out.
        if (at.line == 0 && issue.setting == IgmpSetting::query_response_interval) {
            at = m.query_interval;
        }
        at = or_else(at, fallback);
        if (issue.severity == Severity::warning) {
            out_.warning(at, std::move(issue.message));
        } else {
            out_.error(at, std::move(issue.message));
        }
    }
}

// One address per interface address, for the subnet sweep.
struct AddrRef {
    std::uint32_t start;  // subnet network
    std::uint32_t end;    // subnet broadcast
    Ip4Prefix address;
    std::uint32_t iface;
    std::uint32_t index;  // position in interfaces[iface].addresses
    SourceMark mark;
    std::size_t order;  // file order (or config order) for "which one is later"
};

// Same address twice, and subnets of different interfaces that overlap. CIDR subnets are nested
// or disjoint, so after sorting by (start, larger first) the subnets containing the current one
// are exactly the stack of open ones: O(n log n).
// Every interface address, numbered in file order (by position, then config order for configs
// built in code) and sorted for the sweep: by subnet start, the larger subnet first.
std::vector<AddrRef> address_refs(const Config& c) {
    std::vector<AddrRef> refs;
    for (std::size_t i = 0; i < c.interfaces.size(); ++i) {
        const InterfaceMarks& m = iface_marks(c, i);
        const auto& addrs = c.interfaces[i].addresses;
        for (std::size_t j = 0; j < addrs.size(); ++j) {
            const Ip4Prefix& a = addrs[j];
            refs.push_back(AddrRef{a.network().value(), a.broadcast().value(), a,
                                   static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                                   address_mark(m, j), 0});
        }
    }
    std::vector<std::size_t> idx(refs.size());
    for (std::size_t k = 0; k < idx.size(); ++k) {
        idx[k] = k;
    }
    std::stable_sort(idx.begin(), idx.end(), [&refs](std::size_t a, std::size_t b) {
        return before(refs[a].mark, refs[b].mark);
    });
    for (std::size_t k = 0; k < idx.size(); ++k) {
        refs[idx[k]].order = k;
    }
    std::sort(refs.begin(), refs.end(), [](const AddrRef& a, const AddrRef& b) {
        if (a.start != b.start) {
            return a.start < b.start;
        }
        if (a.end != b.end) {
            return a.end > b.end;
        }
        return a.order < b.order;
    });
    return refs;
}

void Validator::subnets() {
    const std::vector<AddrRef> refs = address_refs(c_);
    std::vector<const AddrRef*> open;
    std::vector<bool> reported(refs.size());
    for (const AddrRef& r : refs) {
        while (!open.empty() && open.back()->end < r.start) {
            open.pop_back();
        }
        // The innermost containing subnet in conflict with r: another interface's, or the same
        // address again (nested subnets on one interface are secondary addresses, allowed).
        auto conflict = std::find_if(open.rbegin(), open.rend(), [&r](const AddrRef* o) {
            return o->iface != r.iface || o->address.addr == r.address.addr;
        });
        if (conflict != open.rend()) {
            const AddrRef& o = **conflict;
            const AddrRef& later = o.order > r.order ? o : r;
            const AddrRef& earlier = o.order > r.order ? r : o;
            if (!reported[later.order] && !out_.full()) {
                reported[later.order] = true;
                report_overlap(later, earlier, o.address.addr == r.address.addr);
            }
        }
        open.push_back(&r);
    }
}

void Validator::report_overlap(const AddrRef& later, const AddrRef& earlier, bool same_address) {
    const std::string& other = c_.interfaces[earlier.iface].name;
    const std::string addr = later.address.addr.to_string();
    if (same_address && later.iface == earlier.iface) {
        out_.error(later.mark, "duplicate address " + addr + " on " + iface_label(other) +
                                   first_at(earlier.mark));
    } else if (same_address) {
        out_.error(later.mark,
                   "address " + addr + " is also on " + iface_label(other) + at_line(earlier.mark));
    } else {
        Ip4Prefix ls{later.address.network(), later.address.len};
        Ip4Prefix es{earlier.address.network(), earlier.address.len};
        out_.error(later.mark, "subnet " + ls.to_string() + " of " + later.address.to_string() +
                                   " overlaps " + es.to_string() + " of " + iface_label(other) +
                                   at_line(earlier.mark));
    }
}

// What routes are checked against: connected subnets by (network, length), the lengths in use,
// our own addresses and the interface names.
struct Connected {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> subnets;
    std::unordered_map<std::uint32_t, std::uint32_t> own;
    std::unordered_map<std::string_view, std::uint32_t> names;
    std::uint64_t lengths = 0;  // bit n: some subnet is a /n
    bool all_addresses = true;  // every address loaded
    bool all_names = true;      // every name loaded
    std::string listed_names;   // the first 8, for "unknown interface" messages

    explicit Connected(const Config& c) {
        for (std::size_t i = 0; i < c.interfaces.size(); ++i) {
            const InterfaceMarks& m = iface_marks(c, i);
            all_addresses = all_addresses && m.addresses_complete;
            all_names = all_names && m.name_complete;
            auto index = static_cast<std::uint32_t>(i);
            if (names.emplace(c.interfaces[i].name, index).second) {
                list_name(c.interfaces[i].name);
            }
            for (const Ip4Prefix& a : c.interfaces[i].addresses) {
                subnets[prefix_key(a)].push_back(index);
                own.emplace(a.addr.value(), index);
                lengths |= std::uint64_t{1} << a.len;
            }
        }
    }

    // The longest connected subnet holding `via` (on interface `named`, when given).
    std::optional<Ip4Prefix> subnet_of(Ip4Addr via, std::optional<std::uint32_t> named) const {
        for (int len = 32; len >= 0; --len) {
            if ((lengths & (std::uint64_t{1} << len)) == 0) {
                continue;
            }
            Ip4Prefix p{Ip4Addr(via.value() & ip4_mask(static_cast<unsigned>(len))),
                        static_cast<std::uint8_t>(len)};
            auto it = subnets.find(prefix_key(p));
            if (it != subnets.end() && (!named || std::find(it->second.begin(), it->second.end(),
                                                            *named) != it->second.end())) {
                return p;
            }
        }
        return std::nullopt;
    }

private:
    void list_name(const std::string& name) {
        if (names.size() == 9) {
            listed_names += ", ...";
        } else if (names.size() < 9) {
            listed_names += (names.size() == 1 ? "" : ", ") + name;
        }
    }
};

void Validator::routes() {
    const Connected connected(c_);
    std::unordered_map<std::uint64_t, std::uint32_t> seen;
    seen.reserve(c_.routes.size());
    for (std::size_t k = 0; k < c_.routes.size() && !out_.full(); ++k) {
        const RouteConfig& r = c_.routes[k];
        const RouteMarks& m = route_marks(c_, k);
        auto [it, fresh] = seen.emplace(prefix_key(r.prefix), static_cast<std::uint32_t>(k));
        if (!fresh) {
            const RouteMarks& first = route_marks(c_, it->second);
            out_.error(or_else(m.prefix, m.entry),
                       "duplicate route " + r.prefix.to_string() +
                           first_at(or_else(first.prefix, first.entry)));
        }
        if (r.kind == RouteKind::via) {
            next_hop(r, m, connected);
        }
    }
}

void Validator::next_hop(const RouteConfig& r, const RouteMarks& m, const Connected& connected) {
    SourceMark via_mark = or_else(m.via, m.entry);
    const std::string hop = "next hop " + r.via.to_string();
    std::optional<std::uint32_t> named;
    if (!r.interface.empty()) {
        auto n = connected.names.find(r.interface);
        if (n == connected.names.end()) {
            if (connected.all_names) {
                out_.error(or_else(m.interface, m.entry),
                           "unknown interface " + quote(r.interface) +
                               (connected.listed_names.empty()
                                    ? " (no interfaces are configured)"
                                    : " (interfaces: " + connected.listed_names + ")"));
            }
            return;
        }
        named = n->second;
    }
    if (auto o = connected.own.find(r.via.value()); o != connected.own.end()) {
        out_.error(via_mark, hop + " is an address of this router (" +
                                 iface_label(c_.interfaces[o->second].name) + ")");
        return;
    }
    // RFC 1812 5.2.4.3 / 4.2.3: a next hop must be a neighbour on a connected subnet.
    std::optional<Ip4Prefix> subnet = connected.subnet_of(r.via, named);
    if (!subnet) {
        bool complete =
            named ? iface_marks(c_, *named).addresses_complete : connected.all_addresses;
        if (complete) {  // else an address failed to load: the subnet may be that one
            out_.error(via_mark, named ? hop + " is not on a subnet of " + iface_label(r.interface)
                                       : hop + " is on no connected subnet");
        }
        return;
    }
    // RFC 1122 3.2.1.3: the subnet's network and broadcast addresses are no neighbour's.
    if (subnet->len <= 30 && (r.via == subnet->network() || r.via == subnet->broadcast())) {
        out_.error(via_mark, hop + " is the " +
                                 (r.via == subnet->network() ? "network" : "broadcast") +
                                 " address of " + subnet->to_string());
    }
}

}  // namespace

std::optional<std::string> check_interface_name(std::string_view name) {
    // Linux dev_valid_name(): 1 to IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or space.
    bool ok = !name.empty() && name.size() <= kMaxIfNameLen && name != "." && name != "..";
    for (char ch : name) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '/' || c == ':' || c == ' ' || c < 0x20 || c == 0x7f) {
            ok = false;
        }
    }
    if (ok) {
        return std::nullopt;
    }
    return "bad interface name " + quote(name) +
           " (Linux allows 1-15 characters, no '/', ':' or white space)";
}

std::optional<std::string> check_interface_address(const Ip4Prefix& p) {
    const std::string a = p.to_string();
    const Ip4Addr addr = p.addr;
    if (p.len == 0) {
        return "address " + a + " needs a prefix length of 1-32";
    }
    // RFC 1812 5.3.7 / RFC 1122 3.2.1.3: addresses no interface may hold.
    if (addr.is_this_network()) {
        return "address " + a + " is in 0.0.0.0/8 (\"this network\", RFC 1122 3.2.1.3)";
    }
    if (addr.is_loopback()) {
        return "address " + a + " is a loopback address (RFC 1122 3.2.1.3)";
    }
    if (addr.is_multicast()) {
        return "address " + a + " is a multicast address (RFC 1112 4)";
    }
    if (addr.is_limited_broadcast()) {
        return "address " + a + " is the limited broadcast address (RFC 919)";
    }
    if (addr.is_class_e()) {
        return "address " + a + " is a reserved class E address (RFC 1812 5.3.7)";
    }
    // RFC 1122 3.2.1.3: host number all zeros or all ones is not a host; a /31 has neither
    // (RFC 3021), a /32 is the address alone.
    if (p.len <= 30) {
        Ip4Prefix subnet{p.network(), p.len};
        if (addr == p.network()) {
            return "address " + a + " is the network address of " + subnet.to_string() +
                   " (RFC 1122 3.2.1.3)";
        }
        if (addr == p.broadcast()) {
            return "address " + a + " is the broadcast address of " + subnet.to_string() +
                   " (RFC 1122 3.2.1.3)";
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_control_socket(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return "control socket " + quote(path) + " must be an absolute path";
    }
    if (path.find('\0') != std::string_view::npos) {
        return "control socket " + quote(path) + " contains a NUL byte";
    }
    if (path.size() > kMaxSocketPathLen) {
        return "control socket path is longer than " + std::to_string(kMaxSocketPathLen) +
               " bytes (sun_path, unix(7))";
    }
    return std::nullopt;
}

std::vector<IgmpIssue> check_igmp(const IgmpConfig& g) {
    std::vector<IgmpIssue> out;
    auto add = [&out](IgmpSetting s, Severity sev, std::string m) {
        out.push_back(IgmpIssue{s, sev, std::move(m)});
    };
    const std::string qri = format_seconds(g.query_response_interval);
    const std::string lmqi = format_seconds(g.last_member_query_interval);
    if (g.version < kMinIgmpVersion || g.version > kMaxIgmpVersion) {
        add(IgmpSetting::version, Severity::error,
            "'version' must be 1-3, got " + std::to_string(g.version));
        return out;
    }
    if (g.query_interval.count() < kMinQueryInterval ||
        g.query_interval.count() > kMaxQueryInterval) {
        add(IgmpSetting::query_interval, Severity::error,
            "'query-interval' must be 1-31744 (seconds, RFC 3376 4.1.7), got " +
                std::to_string(g.query_interval.count()));
    }
    // Response times on the wire: v1 has none (hosts wait up to 10 s), v2 has 8 bits of tenths,
    // v3 a floating-point code up to 31744 tenths.
    auto response_limit = [&](IgmpSetting s, std::string_view key, Deciseconds v,
                              const std::string& shown) {
        if (v < kMinIgmpResponse) {
            add(s, Severity::error,
                "'" + std::string(key) +
                    "' must be at least 0.1 s (0 reads as an IGMPv1 "
                    "query, RFC 2236 4), got " +
                    shown);
        } else if (g.version == 2 && v > kMaxIgmpV2Response) {
            add(s, Severity::error,
                "'" + std::string(key) +
                    "' must be at most 25.5 s with IGMP version 2 "
                    "(RFC 2236 2.2), got " +
                    shown);
        } else if (g.version == 3 && v > kMaxIgmpV3Response) {
            add(s, Severity::error,
                "'" + std::string(key) +
                    "' must be at most 3174.4 s with IGMP version 3 "
                    "(RFC 3376 4.1.1), got " +
                    shown);
        }
    };
    if (g.version == 1) {
        if (g.query_response_interval != kIgmpV1ResponseInterval) {
            add(IgmpSetting::query_response_interval, Severity::error,
                "'query-response-interval' is fixed at 10 s with IGMP version 1 (RFC 1112 "
                "appendix I, RFC 2236 4), got " +
                    qri);
        }
    } else {
        response_limit(IgmpSetting::query_response_interval, "query-response-interval",
                       g.query_response_interval, qri);
        response_limit(IgmpSetting::last_member_query_interval, "last-member-query-interval",
                       g.last_member_query_interval, lmqi);
    }
    // RFC 2236 8.3, RFC 3376 8.3: the response interval must be less than the query interval.
    if (g.query_response_interval >= g.query_interval) {
        add(IgmpSetting::query_response_interval, Severity::error,
            "'query-response-interval' (" + qri + " s) must be shorter than 'query-interval' (" +
                std::to_string(g.query_interval.count()) + " s) (RFC 2236 8.3, RFC 3376 8.3)");
    }
    // RFC 3376 8.1: the Robustness Variable MUST NOT be zero, and SHOULD NOT be one.
    if (g.robustness < kMinRobustness || g.robustness > kMaxRobustness) {
        add(IgmpSetting::robustness, Severity::error,
            "'robustness' must be 1-255 (RFC 3376 8.1), got " + std::to_string(g.robustness));
    } else if (g.robustness == 1) {
        add(IgmpSetting::robustness, Severity::warning,
            "'robustness' 1 means one lost packet loses membership (RFC 3376 8.1: should "
            "not be one)");
    }
    return out;
}

std::vector<Diagnostic> validate(const Config& config) {
    DiagnosticList out(config.source.file);
    validate(config, out);
    return std::move(out).take();
}

void validate(const Config& config, DiagnosticList& out) {
    Validator(config, out).run();
}

}  // namespace routerd::config
