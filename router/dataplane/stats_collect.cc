// SPDX-License-Identifier: Apache-2.0
// stats_collect: CounterBlock sums turned into the structs the control socket sends.
#include "router/dataplane/stats_collect.hh"

namespace routerd::dataplane {

namespace {

// Sums the block `pick` selects from every worker into the struct S.
template <typename S, typename Pick>
S collect(StatsList workers, Pick pick) {
    api::StatCounters<S> sum{};
    for (const inet::Stats* w : workers) {
        if (const auto* block = pick(*w)) {
            block->add_to(sum);
        }
    }
    return api::from_counters<S>(sum);
}

}  // namespace

api::IpStat collect_ip(StatsList workers) {
    return collect<api::IpStat>(workers, [](const inet::Stats& s) { return &s.ip; });
}

api::IcmpStat collect_icmp(StatsList workers) {
    return collect<api::IcmpStat>(workers, [](const inet::Stats& s) { return &s.icmp; });
}

api::IgmpStat collect_igmp(StatsList workers) {
    return collect<api::IgmpStat>(workers, [](const inet::Stats& s) { return &s.igmp; });
}

api::RtStat collect_rt(StatsList workers) {
    return collect<api::RtStat>(workers, [](const inet::Stats& s) { return &s.rt; });
}

api::IfStats collect_if(StatsList workers, std::uint32_t slot) {
    return collect<api::IfStats>(workers, [slot](const inet::Stats& s) {
        return slot < s.interfaces() ? &s.ifs(slot) : nullptr;
    });
}

}  // namespace routerd::dataplane
