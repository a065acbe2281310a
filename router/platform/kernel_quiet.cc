// SPDX-License-Identifier: Apache-2.0
// KernelQuiet: sysctls, address removal (libnl-route), nftables ingress drop, state file.
#include "router/platform/kernel_quiet.hh"

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <sstream>
#include <unistd.h>

namespace routerd::platform {

// One change, enough to undo it: a sysctl's old value, a removed address, our nft table.
struct KernelQuiet::Record {
    enum class Kind { sysctl, addr, nft } kind = Kind::sysctl;
    std::string a;  // sysctl path | interface name | table name
    std::string b;  // old value   | address/len
    std::string c;  //             | broadcast ("" if none)
    std::string d;  //             | label
};

namespace {

using Record = KernelQuiet::Record;
constexpr char kStateHeader[] = "routerd-kernel-state 1";

// /proc/sys path of a per-interface setting; '.' in a name (VLAN eth0.100) becomes '/'.
std::string conf_path(const char* family, const std::string& ifname, const char* key) {
    std::string name = ifname;
    for (char& ch : name) {
        if (ch == '.') {
            ch = '/';
        }
    }
    return std::string("/proc/sys/net/") + family + "/conf/" + name + "/" + key;
}

Result<std::string> read_sysctl(const std::string& path) {
    std::ifstream in(path);
    std::string v;
    if (!in || !std::getline(in, v)) {
        return make_error(errno ? errno : EIO, "cannot read " + path);
    }
    return v;
}

Status write_sysctl(const std::string& path, const std::string& value) {
    std::ofstream out(path);
    out << value << '\n';
    out.flush();
    if (!out) {
        return make_error(errno ? errno : EIO, "cannot write " + value + " to " + path);
    }
    return ok_status();
}

Status nft_run(const std::string& cmd) {
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (ctx == nullptr) {
        return make_error(ENOMEM, "nftables: no context");
    }
    nft_ctx_buffer_error(ctx);
    int rc = nft_run_cmd_from_buffer(ctx, cmd.c_str());
    std::string err = nft_ctx_get_error_buffer(ctx);
    nft_ctx_free(ctx);
    if (rc != 0) {
        return make_error(EIO, "nftables: " + err);
    }
    return ok_status();
}

struct NlSock {
    nl_sock* sk = nl_socket_alloc();
    ~NlSock() {
        if (sk != nullptr) {
            nl_socket_free(sk);
        }
    }
};

// The IPv4 addresses the kernel holds on `ifname`, as records to re-add later.
Result<std::vector<Record>> ipv4_addresses(nl_sock* sk, const std::string& ifname) {
    int ifindex = static_cast<int>(if_nametoindex(ifname.c_str()));
    if (ifindex == 0) {
        return make_error(ENODEV, "no interface " + ifname);
    }
    nl_cache* cache = nullptr;
    if (int err = rtnl_addr_alloc_cache(sk, &cache); err < 0) {
        return make_error(EIO, std::string("netlink: address dump: ") + nl_geterror(err));
    }
    std::vector<Record> out;
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET) {
            continue;
        }
        char buf[64];
        Record r{Record::Kind::addr, ifname, {}, {}, {}};
        r.b = nl_addr2str(rtnl_addr_get_local(a), buf, sizeof buf);
        if (nl_addr* brd = rtnl_addr_get_broadcast(a); brd != nullptr) {
            r.c = nl_addr2str(brd, buf, sizeof buf);
        }
        if (const char* label = rtnl_addr_get_label(a); label != nullptr) {
            r.d = label;
        }
        out.push_back(std::move(r));
    }
    nl_cache_free(cache);
    return out;
}

Status change_address(nl_sock* sk, const Record& r, bool add) {
    int ifindex = static_cast<int>(if_nametoindex(r.a.c_str()));
    if (ifindex == 0) {
        return make_error(ENODEV, "no interface " + r.a);
    }
    rtnl_addr* a = rtnl_addr_alloc();
    nl_addr* local = nullptr;
    nl_addr* brd = nullptr;
    int err = nl_addr_parse(r.b.c_str(), AF_INET, &local);
    if (err == 0 && !r.c.empty()) {
        err = nl_addr_parse(r.c.c_str(), AF_INET, &brd);
    }
    if (err == 0) {
        rtnl_addr_set_ifindex(a, ifindex);
        rtnl_addr_set_family(a, AF_INET);
        err = rtnl_addr_set_local(a, local);
        if (err == 0 && brd != nullptr) {
            err = rtnl_addr_set_broadcast(a, brd);
        }
        if (err == 0 && !r.d.empty()) {
            err = rtnl_addr_set_label(a, r.d.c_str());
        }
        if (err == 0) {
            err = add ? rtnl_addr_add(sk, a, 0) : rtnl_addr_delete(sk, a, 0);
        }
    }
    if (local != nullptr) {
        nl_addr_put(local);
    }
    if (brd != nullptr) {
        nl_addr_put(brd);
    }
    rtnl_addr_put(a);
    // Removing a primary address also removes its secondaries (unless promote_secondaries is
    // set): a secondary that is already gone (EADDRNOTAVAIL, NLE_NOADDR) is removed.
    if (err < 0 && !(add && err == -NLE_EXIST) && !(!add && err == -NLE_NOADDR)) {
        return make_error(EIO, std::string(add ? "re-adding " : "removing ") + r.b + " on " + r.a +
                                   ": " + nl_geterror(err));
    }
    return ok_status();
}

Status save_state(const std::string& path, const std::vector<Record>& records) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << kStateHeader << '\n';
        for (const auto& r : records) {
            out << static_cast<int>(r.kind) << '\t' << r.a << '\t' << r.b << '\t' << r.c << '\t'
                << r.d << '\n';
        }
        out.flush();
        if (!out) {
            return make_error(errno ? errno : EIO, "cannot write " + tmp);
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        return make_error(errno, "cannot rename " + tmp + ": " + std::strerror(errno));
    }
    return ok_status();
}

Result<std::vector<Record>> load_state(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line) || line != kStateHeader) {
        return make_error(EINVAL, path + ": not a routerd kernel state file");
    }
    std::vector<Record> out;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string field;
        while (std::getline(ss, field, '\t')) {
            f.push_back(field);
        }
        f.resize(5);
        int kind = std::atoi(f[0].c_str());
        if (kind < 0 || kind > 2) {
            return make_error(EINVAL, path + ": bad record '" + line + "'");
        }
        out.push_back(Record{static_cast<Record::Kind>(kind), f[1], f[2], f[3], f[4]});
    }
    return out;
}

// Undo in reverse order of kind (the ingress drop, then addresses, then sysctls), addresses in
// their original order so the primary comes back primary; keep going past failures and report
// the first.
Status undo(const std::vector<Record>& records) {
    NlSock sock;
    Status first = ok_status();
    auto note = [&first](Status st) {
        if (!st && first) {
            first = std::move(st);
        }
    };
    bool connected = sock.sk != nullptr && nl_connect(sock.sk, NETLINK_ROUTE) == 0;
    for (const auto& r : records) {
        if (r.kind == Record::Kind::nft) {
            // Gone already (someone flushed the ruleset) is fine: the goal is its absence.
            (void)nft_run("delete table netdev " + r.a);
        }
    }
    for (const auto& r : records) {
        if (r.kind == Record::Kind::addr) {
            note(connected ? change_address(sock.sk, r, true)
                           : make_error(EIO, "netlink: cannot connect"));
        }
    }
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        if (it->kind == Record::Kind::sysctl) {
            note(write_sysctl(it->a, it->b));
        }
    }
    return first;
}

}  // namespace

KernelQuiet::KernelQuiet(Options opts, std::vector<Record> records)
    : opts_(std::move(opts)), records_(std::move(records)) {}

KernelQuiet::~KernelQuiet() {
    (void)restore();
}

Status KernelQuiet::restore() {
    if (restored_) {
        return ok_status();
    }
    restored_ = true;
    Status st = undo(records_);
    ::unlink(opts_.state_file.c_str());
    return st;
}

Status KernelQuiet::restore_leftovers(const Options& opts) {
    if (::access(opts.state_file.c_str(), F_OK) != 0) {
        return ok_status();
    }
    auto records = load_state(opts.state_file);
    if (!records) {
        return records.error();
    }
    Status st = undo(*records);
    ::unlink(opts.state_file.c_str());
    return st;
}

Result<std::unique_ptr<KernelQuiet>> KernelQuiet::apply(const std::vector<std::string>& ifnames,
                                                        const Options& opts) {
    NlSock sock;
    if (sock.sk == nullptr || nl_connect(sock.sk, NETLINK_ROUTE) < 0) {
        return make_error(EIO, "netlink: cannot connect");
    }
    // 1. Work out every change and its undo, and record them all before touching anything.
    std::vector<Record> plan;
    std::vector<std::pair<std::string, std::string>> sysctls;  // path, new value
    for (const auto& ifname : ifnames) {
        for (auto [family, key, value] :
             {std::tuple{"ipv4", "forwarding", "0"}, std::tuple{"ipv6", "disable_ipv6", "1"},
              std::tuple{"ipv4", "arp_ignore", "8"}}) {
            std::string path = conf_path(family, ifname, key);
            auto old = read_sysctl(path);
            if (!old) {
                return old.error();
            }
            plan.push_back(Record{Record::Kind::sysctl, path, *old, {}, {}});
            sysctls.emplace_back(path, value);
        }
        auto addrs = ipv4_addresses(sock.sk, ifname);
        if (!addrs) {
            return addrs.error();
        }
        plan.insert(plan.end(), addrs->begin(), addrs->end());
    }
    if (opts.ingress_drop && !ifnames.empty()) {
        plan.push_back(Record{Record::Kind::nft, opts.nft_table, {}, {}, {}});
    }
    if (auto st = save_state(opts.state_file, plan); !st) {
        return st.error();
    }
    auto quiet = std::unique_ptr<KernelQuiet>(new KernelQuiet(opts, plan));

    // 2. Apply. Any failure returns, and the destructor undoes what the plan recorded.
    for (const auto& [path, value] : sysctls) {
        if (auto st = write_sysctl(path, value); !st) {
            return st.error();
        }
    }
    for (const auto& r : plan) {
        if (r.kind == Record::Kind::addr) {
            if (auto st = change_address(sock.sk, r, false); !st) {
                return st.error();
            }
        }
    }
    if (opts.ingress_drop && !ifnames.empty()) {
        // Priority -500 runs before any operator ingress chain at the default priority 0.
        std::string cmd = "table netdev " + opts.nft_table + " {\n";
        for (std::size_t i = 0; i < ifnames.size(); ++i) {
            // Chains are numbered: interface names may hold characters nft identifiers cannot.
            cmd += "  chain in_" + std::to_string(i) + " { type filter hook ingress device \"" +
                   ifnames[i] + "\" priority -500; meta protocol { ip, arp } drop; }\n";
        }
        cmd += "}\n";
        // A stale table of ours (crash without a state file) would make "add" merge: delete.
        (void)nft_run("delete table netdev " + opts.nft_table);
        if (auto st = nft_run(cmd); !st) {
            return st.error();
        }
    }
    return quiet;
}

}  // namespace routerd::platform
