// SPDX-License-Identifier: Apache-2.0
// The YAML schema of routerd.yaml (DESIGN.md "YAML configuration"): keys, types, ranges.
#include "router/config/schema.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace routerd::config {

namespace {

using Kind = TreeNode::Kind;

// The keys of each section, in DESIGN.md's order; enumerators index the name arrays.
enum class TopKey { ip, interfaces, routes, control };
constexpr std::array<std::string_view, 4> kTopKeys = {"ip", "interfaces", "routes", "control"};
enum class IpKey { forwarding, default_ttl, reassembly_timeout, send_redirects, source_route };
constexpr std::array<std::string_view, 5> kIpKeys = {
    "forwarding", "default-ttl", "reassembly-timeout", "send-redirects", "source-route"};
enum class IfKey { name, addresses, mtu, mask_reply, redirects, directed_broadcast, igmp };
constexpr std::array<std::string_view, 7> kIfKeys = {
    "name", "addresses", "mtu", "mask-reply", "redirects", "directed-broadcast", "igmp"};
enum class IgmpKey {
    querier,
    version,
    query_interval,
    query_response_interval,
    robustness,
    last_member_query_interval
};
constexpr std::array<std::string_view, 6> kIgmpKeys = {
    "querier",        "version",
    "query-interval", "query-response-interval",
    "robustness",     "last-member-query-interval"};
enum class RouteKey { prefix, via, interface, reject, blackhole };
constexpr std::array<std::string_view, 5> kRouteKeys = {"prefix", "via", "interface", "reject",
                                                        "blackhole"};
enum class ControlKey { socket };
constexpr std::array<std::string_view, 1> kControlKeys = {"socket"};

std::string describe(const TreeNode& n) {
    switch (n.kind) {
        case Kind::null:
            return "nothing";
        case Kind::sequence:
            return "a list";
        case Kind::mapping:
            return "a mapping";
        case Kind::scalar:
            return n.plain ? quote(n.text) : "a quoted string " + quote(n.text);
        case Kind::alias:  // Tree::at() resolves aliases; never seen here
            return "an alias";
    }
    return {};
}

std::string line_of(SourceMark m) {
    return "line " + std::to_string(m.line);
}

// Integers: optional sign and decimal digits (YAML 1.2 core without hex/octal); saturates far
// beyond any range we check, so a huge number is reported as out of range, not as a non-number.
std::optional<std::int64_t> parse_integer(std::string_view s) {
    constexpr std::int64_t kSaturate = std::int64_t{1} << 50;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = std::min(kSaturate, v * 10 + (c - '0'));
    }
    return negative ? -v : v;
}

enum class TenthsParse { ok, not_a_number, too_fine };

// Seconds with at most one significant decimal: "10", "2.5", "25.50". Result in tenths.
TenthsParse parse_tenths(std::string_view s, std::int64_t& tenths) {
    std::size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (dot != std::string_view::npos && frac.empty()) {
        return TenthsParse::not_a_number;
    }
    auto w = parse_integer(whole);
    if (!w) {
        return TenthsParse::not_a_number;
    }
    std::int64_t first = 0;
    for (std::size_t i = 0; i < frac.size(); ++i) {
        char c = frac[i];
        if (c < '0' || c > '9') {
            return TenthsParse::not_a_number;
        }
        if (i == 0) {
            first = c - '0';
        } else if (c != '0') {
            return TenthsParse::too_fine;
        }
    }
    bool negative = !whole.empty() && whole[0] == '-';
    tenths = *w * 10 + (negative ? -first : first);
    return TenthsParse::ok;
}

// What a route mapping said about its shape, for check_route_shape().
struct RouteShape {
    struct Action {
        SourceMark mark;
        std::string_view name;
        RouteKind kind = RouteKind::via;
    };
    bool has_prefix = false;
    bool action_unreadable = false;  // a bad reject/blackhole value: the shape is unknown
    std::optional<SourceMark> interface_key;
    std::array<Action, 3> actions{};  // via, reject: true, blackhole: true — in file order
    std::size_t n_actions = 0;

    void add(SourceMark mark, std::string_view name, RouteKind kind) {
        if (n_actions < actions.size()) {
            actions[n_actions++] = Action{mark, name, kind};
        }
    }
};

// One key: value pair of a mapping.
struct Entry {
    std::string_view key;
    SourceMark key_mark;
    const TreeNode& value;

    // Where a message about the value points: the value, or the key when the value is empty.
    SourceMark value_mark() const { return value.kind == Kind::null ? key_mark : value.mark; }
};

class Reader {
public:
    Reader(const Tree& tree, Config& config, DiagnosticList& out)
        : tree_(tree), config_(config), out_(out) {}

    void read_top();

private:
    const TreeNode& at(std::uint32_t i) const { return tree_.at(i); }
    void error(SourceMark at, std::string message) { out_.error(at, std::move(message)); }

    template <typename Key, std::size_t N, typename F>
    void for_each_key(const TreeNode& map, const std::string& where,
                      const std::array<std::string_view, N>& names, F&& f);
    template <std::size_t N>
    std::string unknown_key(std::string_view key, const std::string& where,
                            const std::array<std::string_view, N>& names) const;

    bool expect_section(const Entry& e, Kind kind);
    void wrong_type(const Entry& e, std::string_view expected) {
        error(e.value_mark(), "expected " + std::string(expected) + " for '" + std::string(e.key) +
                                  "', got " + describe(e.value));
    }
    std::optional<bool> read_bool(const Entry& e);
    std::optional<int> read_int(const Entry& e, int min, int max, std::string_view ref);
    std::optional<Deciseconds> read_tenths(const Entry& e, Deciseconds min, Deciseconds max,
                                           std::string_view ref);
    std::optional<std::string> read_string(const Entry& e);

    void read_ip(const Entry& e);
    void read_interfaces(const Entry& e);
    void read_interface(const TreeNode& item);
    void read_addresses(const Entry& e, const std::string& label, InterfaceConfig& ic,
                        InterfaceMarks& marks);
    void read_igmp(const Entry& e, const std::string& label, IgmpConfig& igmp, IgmpMarks& marks);
    void read_routes(const Entry& e);
    void read_route(const TreeNode& item);
    std::optional<Ip4Prefix> read_route_prefix(const Entry& e);
    std::optional<Ip4Addr> read_next_hop(const Entry& e);
    void check_route_shape(const TreeNode& item, const RouteShape& shape);
    void read_control(const Entry& e);

    const Tree& tree_;
    Config& config_;
    DiagnosticList& out_;
};

template <typename Key, std::size_t N, typename F>
void Reader::for_each_key(const TreeNode& map, const std::string& where,
                          const std::array<std::string_view, N>& names, F&& f) {
    std::array<SourceMark, N> seen{};
    auto children = tree_.children(map);
    for (auto it = children.begin(); it != children.end() && !out_.full();) {
        const TreeNode& key = at(*it);
        if (++it == children.end()) {
            break;
        }
        const TreeNode& value = at(*it);
        ++it;
        if (key.kind != Kind::scalar) {
            error(key.mark, "expected a key name " + where + ", got " + describe(key));
            continue;
        }
        std::size_t k = 0;
        while (k < N && names[k] != key.text) {
            ++k;
        }
        if (k == N) {
            error(key.mark, unknown_key(key.text, where, names));
            continue;
        }
        if (seen[k].line != 0) {
            error(key.mark, "duplicate key " + quote(key.text) + " " + where + " (first at " +
                                line_of(seen[k]) + ")");
            continue;
        }
        seen[k] = key.mark;
        f(static_cast<Key>(k), Entry{key.text, key.mark, value});
    }
}

template <std::size_t N>
std::string Reader::unknown_key(std::string_view key, const std::string& where,
                                const std::array<std::string_view, N>& names) const {
    std::string m = "unknown key " + quote(key) + " " + where;
    std::string_view best;
    int best_distance = 3;
    if (key.size() <= 64) {  // a longer key is no typo of ours
        for (auto name : names) {
            int d = key_distance(key, name);
            if (d < best_distance) {
                best_distance = d;
                best = name;
            }
        }
    }
    // Close enough to be a typo: at most 2 edits, and fewer than half the key.
    if (!best.empty() && static_cast<std::size_t>(best_distance) * 2 < key.size()) {
        return m + " (did you mean '" + std::string(best) + "'?)";
    }
    m += " (expected one of: ";
    for (std::size_t i = 0; i < N; ++i) {
        m += (i == 0 ? "" : ", ") + std::string(names[i]);
    }
    return m + ")";
}

// A section (mapping or list): null counts as empty; anything else is a type error.
bool Reader::expect_section(const Entry& e, Kind kind) {
    if (e.value.kind == Kind::null) {
        return false;
    }
    if (e.value.kind != kind) {
        wrong_type(e, kind == Kind::mapping ? "a mapping" : "a list");
        return false;
    }
    return true;
}

std::optional<bool> Reader::read_bool(const Entry& e) {
    // YAML 1.2 core schema booleans only: "yes"/"on" are YAML 1.1 and a classic trap.
    if (e.value.kind == Kind::scalar && e.value.plain) {
        std::string_view t = e.value.text;
        if (t == "true" || t == "True" || t == "TRUE") {
            return true;
        }
        if (t == "false" || t == "False" || t == "FALSE") {
            return false;
        }
    }
    wrong_type(e, "a boolean (true or false)");
    return std::nullopt;
}

std::optional<int> Reader::read_int(const Entry& e, int min, int max, std::string_view ref) {
    std::optional<std::int64_t> v;
    if (e.value.kind == Kind::scalar && e.value.plain) {
        v = parse_integer(e.value.text);
    }
    if (!v) {
        wrong_type(e, "an integer");
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        std::string m = "'" + std::string(e.key) + "' must be " + std::to_string(min) + "-" +
                        std::to_string(max);
        if (!ref.empty()) {
            m += " (" + std::string(ref) + ")";
        }
        error(e.value_mark(), m + ", got " + std::string(e.value.text));
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::optional<Deciseconds> Reader::read_tenths(const Entry& e, Deciseconds min, Deciseconds max,
                                               std::string_view ref) {
    std::int64_t tenths = 0;
    TenthsParse p = TenthsParse::not_a_number;
    if (e.value.kind == Kind::scalar && e.value.plain) {
        p = parse_tenths(e.value.text, tenths);
    }
    switch (p) {
        case TenthsParse::not_a_number:
            wrong_type(e, "a number of seconds");
            return std::nullopt;
        case TenthsParse::too_fine:
            error(e.value_mark(), "'" + std::string(e.key) + "' has a resolution of 0.1 s, got " +
                                      std::string(e.value.text));
            return std::nullopt;
        case TenthsParse::ok:
            break;
    }
    Deciseconds d{tenths};
    if (d < min || d > max) {
        error(e.value_mark(), "'" + std::string(e.key) + "' must be " + format_seconds(min) + "-" +
                                  format_seconds(max) + " s (" + std::string(ref) + "), got " +
                                  std::string(e.value.text));
        return std::nullopt;
    }
    return d;
}

std::optional<std::string> Reader::read_string(const Entry& e) {
    if (e.value.kind != Kind::scalar) {
        wrong_type(e, "a string");
        return std::nullopt;
    }
    return std::string(e.value.text);
}

void Reader::read_top() {
    const TreeNode& root = at(tree_.root);
    if (root.kind != Kind::mapping) {
        error(root.mark,
              "expected a mapping at the top level (keys ip, interfaces, routes, control), got " +
                  describe(root));
        return;
    }
    for_each_key<TopKey>(root, "at the top level", kTopKeys, [this](TopKey k, const Entry& e) {
        switch (k) {
            case TopKey::ip:
                read_ip(e);
                break;
            case TopKey::interfaces:
                read_interfaces(e);
                break;
            case TopKey::routes:
                read_routes(e);
                break;
            case TopKey::control:
                read_control(e);
                break;
        }
    });
}

void Reader::read_ip(const Entry& section) {
    if (!expect_section(section, Kind::mapping)) {
        return;
    }
    IpConfig& ip = config_.ip;
    for_each_key<IpKey>(section.value, "in ip", kIpKeys, [&](IpKey k, const Entry& e) {
        switch (k) {
            case IpKey::forwarding:
                ip.forwarding = read_bool(e).value_or(ip.forwarding);
                break;
            case IpKey::default_ttl:
                ip.default_ttl = read_int(e, kMinDefaultTtl, kMaxDefaultTtl, "RFC 1122 3.2.1.7")
                                     .value_or(ip.default_ttl);
                break;
            case IpKey::reassembly_timeout:
                if (auto v = read_int(e, kMinReassemblyTimeout, kMaxReassemblyTimeout,
                                      "seconds, RFC 791 3.2")) {
                    ip.reassembly_timeout = std::chrono::seconds(*v);
                }
                break;
            case IpKey::send_redirects:
                ip.send_redirects = read_bool(e).value_or(ip.send_redirects);
                break;
            case IpKey::source_route:
                ip.source_route = read_bool(e).value_or(ip.source_route);
                break;
        }
    });
}

void Reader::read_interfaces(const Entry& section) {
    if (!expect_section(section, Kind::sequence)) {
        return;
    }
    std::size_t count = 0;
    for (std::uint32_t i : tree_.children(section.value)) {
        if (out_.full()) {
            return;
        }
        if (++count > kMaxInterfaces) {
            error(at(i).mark, "more than " + std::to_string(kMaxInterfaces) + " interfaces");
            return;
        }
        read_interface(at(i));
    }
}

void Reader::read_interface(const TreeNode& item) {
    if (item.kind != Kind::mapping) {
        error(item.mark, "expected a mapping for an interface (with 'name' and 'addresses'), got " +
                             describe(item));
        return;
    }
    InterfaceConfig ic;
    InterfaceMarks marks;
    marks.entry = item.mark;
    // Name the interface in messages about its other keys, wherever `name` is written.
    std::string label = "interface";
    auto children = tree_.children(item);
    for (auto it = children.begin(); it != children.end(); ++it) {
        const TreeNode& key = at(*it);
        if (++it == children.end()) {
            break;
        }
        const TreeNode& value = at(*it);
        if (key.kind == Kind::scalar && key.text == "name" && value.kind == Kind::scalar) {
            label += " " + quote(value.text);
            break;
        }
    }
    bool has_name = false;
    bool has_addresses = false;
    for_each_key<IfKey>(item, "in " + label, kIfKeys, [&](IfKey k, const Entry& e) {
        switch (k) {
            case IfKey::name:
                has_name = true;
                marks.name = e.value_mark();
                if (auto v = read_string(e)) {
                    ic.name = std::move(*v);
                } else {
                    marks.name_complete = false;
                }
                break;
            case IfKey::addresses:
                has_addresses = true;
                read_addresses(e, label, ic, marks);
                break;
            case IfKey::mtu:
                marks.mtu = e.value_mark();
                if (auto v = read_int(e, kMinMtu, kMaxMtu, "RFC 791 3.2")) {
                    ic.mtu = *v;
                }
                break;
            case IfKey::mask_reply:
                ic.mask_reply = read_bool(e).value_or(ic.mask_reply);
                break;
            case IfKey::redirects:
                ic.redirects = read_bool(e).value_or(ic.redirects);
                break;
            case IfKey::directed_broadcast:
                ic.directed_broadcast = read_bool(e).value_or(ic.directed_broadcast);
                break;
            case IfKey::igmp:
                read_igmp(e, label, ic.igmp, marks.igmp);
                break;
        }
    });
    if (!has_name) {
        error(item.mark, "interface needs 'name'");
        marks.name_complete = false;
    }
    if (!has_addresses) {
        error(item.mark, label + " needs 'addresses' (1 to " + std::to_string(kMaxAddrsPerIface) +
                             " addresses)");
    }
    config_.interfaces.push_back(std::move(ic));
    config_.source.interfaces.push_back(std::move(marks));
}

void Reader::read_addresses(const Entry& e, const std::string& label, InterfaceConfig& ic,
                            InterfaceMarks& marks) {
    if (e.value.kind == Kind::null || (e.value.kind == Kind::sequence && e.value.count == 0)) {
        error(e.value_mark(), label + " needs at least one address in 'addresses'");
        return;
    }
    if (e.value.kind != Kind::sequence) {
        wrong_type(e, "a list of addresses");
        marks.addresses_complete = false;
        return;
    }
    std::size_t count = 0;
    for (std::uint32_t i : tree_.children(e.value)) {
        const TreeNode& item = at(i);
        // The seed's ifreq_all holds up to 10 addresses per interface.
        if (++count > kMaxAddrsPerIface) {
            error(item.mark,
                  label + " has more than " + std::to_string(kMaxAddrsPerIface) + " addresses");
            return;
        }
        if (item.kind != Kind::scalar) {
            error(item.mark,
                  "expected an address A.B.C.D/LEN in 'addresses', got " + describe(item));
            marks.addresses_complete = false;
            continue;
        }
        auto prefix = Ip4Prefix::parse(item.text);
        if (!prefix) {
            if (Ip4Addr::parse(item.text)) {
                error(item.mark,
                      "address " + quote(item.text) + " needs a prefix length (A.B.C.D/LEN)");
            } else {
                error(item.mark, "bad address " + quote(item.text) + " (expected A.B.C.D/LEN)");
            }
            marks.addresses_complete = false;
            continue;
        }
        ic.addresses.push_back(*prefix);
        marks.addresses.push_back(item.mark);
    }
}

void Reader::read_igmp(const Entry& section, const std::string& label, IgmpConfig& igmp,
                       IgmpMarks& marks) {
    marks.block = section.key_mark;
    if (section.value.kind != Kind::null && section.value.kind != Kind::mapping) {
        marks.complete = false;
    }
    if (!expect_section(section, Kind::mapping)) {
        return;
    }
    std::size_t before = out_.error_count();
    for_each_key<IgmpKey>(
        section.value, "in igmp of " + label, kIgmpKeys, [&](IgmpKey k, const Entry& e) {
            switch (k) {
                case IgmpKey::querier:
                    igmp.querier = read_bool(e).value_or(igmp.querier);
                    break;
                case IgmpKey::version:
                    marks.version = e.value_mark();
                    igmp.version =
                        read_int(e, kMinIgmpVersion, kMaxIgmpVersion, "").value_or(igmp.version);
                    break;
                case IgmpKey::query_interval:
                    marks.query_interval = e.value_mark();
                    if (auto v = read_int(e, kMinQueryInterval, kMaxQueryInterval,
                                          "seconds, RFC 3376 4.1.7")) {
                        igmp.query_interval = std::chrono::seconds(*v);
                    }
                    break;
                case IgmpKey::query_response_interval:
                    marks.query_response_interval = e.value_mark();
                    igmp.query_response_interval =
                        read_tenths(e, kMinIgmpResponse, kMaxIgmpV3Response, "RFC 3376 4.1.1")
                            .value_or(igmp.query_response_interval);
                    break;
                case IgmpKey::robustness:
                    marks.robustness = e.value_mark();
                    igmp.robustness = read_int(e, kMinRobustness, kMaxRobustness, "RFC 3376 8.1")
                                          .value_or(igmp.robustness);
                    break;
                case IgmpKey::last_member_query_interval:
                    marks.last_member_query_interval = e.value_mark();
                    igmp.last_member_query_interval =
                        read_tenths(e, kMinIgmpResponse, kMaxIgmpV3Response, "RFC 3376 4.1.1")
                            .value_or(igmp.last_member_query_interval);
                    break;
            }
        });
    if (out_.error_count() != before) {
        marks.complete = false;
    }
}

void Reader::read_routes(const Entry& section) {
    if (!expect_section(section, Kind::sequence)) {
        return;
    }
    config_.routes.reserve(section.value.count);
    config_.source.routes.reserve(section.value.count);
    std::size_t count = 0;
    for (std::uint32_t i : tree_.children(section.value)) {
        if (out_.full()) {
            return;
        }
        if (++count > kMaxRoutes) {
            error(at(i).mark, "more than " + std::to_string(kMaxRoutes) + " routes");
            return;
        }
        read_route(at(i));
    }
}

std::optional<Ip4Prefix> Reader::read_route_prefix(const Entry& e) {
    auto text = read_string(e);
    if (!text) {
        return std::nullopt;
    }
    auto p = Ip4Prefix::parse(*text);
    if (!p) {
        error(e.value_mark(), "bad prefix " + quote(*text) + " (expected A.B.C.D/LEN)");
        return std::nullopt;
    }
    if (p->has_host_bits()) {
        error(e.value_mark(), "prefix " + p->to_string() + " has host bits set (did you mean " +
                                  Ip4Prefix{p->network(), p->len}.to_string() + "?)");
        return std::nullopt;
    }
    return p;
}

std::optional<Ip4Addr> Reader::read_next_hop(const Entry& e) {
    auto text = read_string(e);
    if (!text) {
        return std::nullopt;
    }
    auto a = Ip4Addr::parse(*text);
    if (!a) {
        error(e.value_mark(), "bad next hop " + quote(*text) + " (expected A.B.C.D)");
    }
    return a;
}

// Exactly one of via / reject: true / blackhole: true; `interface` only with via. Actions are
// recorded in file order (keys are iterated in order), so messages point at the later ones.
void Reader::check_route_shape(const TreeNode& item, const RouteShape& shape) {
    if (!shape.has_prefix) {
        error(item.mark, "route needs 'prefix'");
    }
    if (shape.n_actions == 0 && !shape.action_unreadable) {
        error(item.mark, "route needs 'via', 'reject: true' or 'blackhole: true'");
    }
    bool has_via = false;
    for (std::size_t i = 0; i < shape.n_actions; ++i) {
        const RouteShape::Action& a = shape.actions[i];
        has_via = has_via || a.kind == RouteKind::via;
        if (i > 0) {
            error(a.mark, "'" + std::string(a.name) + "' cannot be combined with '" +
                              std::string(shape.actions[0].name) + "'");
        }
    }
    if (shape.interface_key && !has_via && shape.n_actions > 0) {
        error(*shape.interface_key, "'interface' is only allowed with 'via'");
    }
}

void Reader::read_route(const TreeNode& item) {
    if (item.kind != Kind::mapping) {
        error(item.mark,
              "expected a mapping for a route (with 'prefix' and 'via', 'reject' or "
              "'blackhole'), got " +
                  describe(item));
        return;
    }
    std::size_t before = out_.error_count();
    RouteConfig r;
    RouteMarks marks;
    marks.entry = item.mark;
    RouteShape shape;
    for_each_key<RouteKey>(item, "in route", kRouteKeys, [&](RouteKey k, const Entry& e) {
        switch (k) {
            case RouteKey::prefix:
                shape.has_prefix = true;
                marks.prefix = e.value_mark();
                r.prefix = read_route_prefix(e).value_or(r.prefix);
                break;
            case RouteKey::via:
                shape.add(e.key_mark, "via", RouteKind::via);
                marks.via = e.value_mark();
                r.via = read_next_hop(e).value_or(r.via);
                break;
            case RouteKey::interface:
                shape.interface_key = e.key_mark;
                marks.interface = e.value_mark();
                r.interface = read_string(e).value_or(std::string());
                break;
            case RouteKey::reject:
            case RouteKey::blackhole: {
                auto v = read_bool(e);
                shape.action_unreadable = shape.action_unreadable || !v;
                if (v.value_or(false)) {
                    bool reject = k == RouteKey::reject;
                    shape.add(e.key_mark, reject ? "reject" : "blackhole",
                              reject ? RouteKind::reject : RouteKind::blackhole);
                }
                break;
            }
        }
    });
    check_route_shape(item, shape);
    if (out_.error_count() != before || shape.n_actions != 1) {
        return;  // left out: validation would only repeat the problem
    }
    r.kind = shape.actions[0].kind;
    config_.routes.push_back(std::move(r));
    config_.source.routes.push_back(marks);
}

void Reader::read_control(const Entry& section) {
    if (!expect_section(section, Kind::mapping)) {
        return;
    }
    for_each_key<ControlKey>(section.value, "in control", kControlKeys,
                             [&](ControlKey k, const Entry& e) {
                                 switch (k) {
                                     case ControlKey::socket:
                                         config_.source.control_socket = e.value_mark();
                                         if (auto v = read_string(e)) {
                                             config_.control.socket = std::move(*v);
                                         }
                                         break;
                                 }
                             });
}

}  // namespace

int key_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance (a swap of two neighbours is one edit).
    auto norm = [](char c) {
        if (c == '_') {
            return '-';
        }
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<int> d((n + 1) * (m + 1));
    auto at = [&](std::size_t i, std::size_t j) -> int& { return d[i * (m + 1) + j]; };
    for (std::size_t i = 0; i <= n; ++i) {
        at(i, 0) = static_cast<int>(i);
    }
    for (std::size_t j = 0; j <= m; ++j) {
        at(0, j) = static_cast<int>(j);
    }
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            int cost = norm(a[i - 1]) == norm(b[j - 1]) ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && norm(a[i - 1]) == norm(b[j - 2]) &&
                norm(a[i - 2]) == norm(b[j - 1])) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(n, m);
}

void read_config(const Tree& tree, Config& config, DiagnosticList& out) {
    Reader(tree, config, out).read_top();
}

}  // namespace routerd::config
