// SPDX-License-Identifier: Apache-2.0
// Formats the martian samples RFC 1812 5.3.7 asks to log (conformance B09).
#include "router/dataplane/martian_log.hh"

namespace routerd::dataplane {

namespace {

constexpr std::uint64_t kRing = inet::Context::kMartianRing;
// 2^64 is a multiple of the ring size, so `count % kRing` stays the right slot across a wrap.
static_assert((kRing & (kRing - 1)) == 0, "the martian ring size must be a power of two");

std::string if_name(const inet::Snapshot* snap, int ifindex) {
    const inet::Interface* ifc = snap != nullptr ? snap->by_ifindex(ifindex) : nullptr;
    return ifc != nullptr ? ifc->name : "ifindex " + std::to_string(ifindex);
}

}  // namespace

std::vector<std::string> martian_log_lines(std::uint64_t seen, const MartianSample& now,
                                           const inet::Snapshot* snap) {
    std::vector<std::string> lines;
    const std::uint64_t fresh = now.count - seen;  // modulo 2^64
    if (fresh == 0) {
        return lines;
    }
    const std::uint64_t shown = fresh < kRing ? fresh : kRing;
    if (fresh > shown) {
        lines.push_back("martian: " + std::to_string(fresh - shown) +
                        " earlier not shown (counted in ips_badaddr)");
    }
    for (std::uint64_t n = now.count - shown; n != now.count; ++n) {
        const inet::Context::Martian& m = now.ring[n % kRing];
        lines.push_back("martian: src " + m.src.to_string() + " dst " + m.dst.to_string() + " on " +
                        if_name(snap, m.ifindex) + " from " + m.mac.to_string());
    }
    return lines;
}

}  // namespace routerd::dataplane
