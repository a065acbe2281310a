// SPDX-License-Identifier: Apache-2.0
// Statistics structs, counter index enums and name tables, all generated from stats.def.
#pragma once

#include "router/base/counter.hh"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace routerd::api {

/// BSD ICMP_MAXTYPE: icps_inhist / icps_outhist keep one counter per ICMP type 0..40.
inline constexpr std::size_t kIcmpMaxType = 40;
inline constexpr std::size_t kIcmpHistSize = kIcmpMaxType + 1;
/// One histogram of stats.def (RD_ICMPSTAT_HIST), indexed by ICMP type.
using IcmpHist = std::array<std::uint64_t, kIcmpHistSize>;

// The generated parts keep one entry per line (clang-format would fold the macro bodies); an
// X-macro body is a declaration list, which parentheses would break.
// clang-format off
// NOLINTBEGIN(bugprone-macro-parentheses)

/// struct ipstat (BSD netinet/ip_var.h): IP counters, 64-bit.
struct IpStat {
#define RD_IPSTAT(name, description) std::uint64_t name = 0;
#include "router/api/stats.def"
    friend bool operator==(const IpStat&, const IpStat&) = default;
};

/// struct icmpstat (BSD netinet/icmp_var.h): ICMP counters and the in/out type histograms.
struct IcmpStat {
#define RD_ICMPSTAT(name, description) std::uint64_t name = 0;
#define RD_ICMPSTAT_HIST(name, size, description) std::array<std::uint64_t, (size)> name{};
#include "router/api/stats.def"
    friend bool operator==(const IcmpStat&, const IcmpStat&) = default;
};

/// struct igmpstat (BSD netinet/igmp_var.h) plus the querier's counters.
struct IgmpStat {
#define RD_IGMPSTAT(name, description) std::uint64_t name = 0;
#include "router/api/stats.def"
    friend bool operator==(const IgmpStat&, const IgmpStat&) = default;
};

/// struct rtstat (BSD net/route.h).
struct RtStat {
#define RD_RTSTAT(name, description) std::uint64_t name = 0;
#include "router/api/stats.def"
    friend bool operator==(const RtStat&, const RtStat&) = default;
};

/// struct ifstats: one interface's if_data counters, 64-bit.
struct IfStats {
#define RD_IFSTATS(name, description) std::uint64_t name = 0;
#include "router/api/stats.def"
    friend bool operator==(const IfStats&, const IfStats&) = default;
};

/// Counter indices, in stats.def order: the index of each counter in a CounterBlock and on the
/// wire. A histogram takes `size` consecutive indices, from `name` to `name_last`.
enum class IpStatId {
#define RD_IPSTAT(name, description) name,
#include "router/api/stats.def"
};
enum class IcmpStatId {
#define RD_ICMPSTAT(name, description) name,
#define RD_ICMPSTAT_HIST(name, size, description) name, name##_last = (name) + (size) - 1,
#include "router/api/stats.def"
};
enum class IgmpStatId {
#define RD_IGMPSTAT(name, description) name,
#include "router/api/stats.def"
};
enum class RtStatId {
#define RD_RTSTAT(name, description) name,
#include "router/api/stats.def"
};
enum class IfStatsId {
#define RD_IFSTATS(name, description) name,
#include "router/api/stats.def"
};
// NOLINTEND(bugprone-macro-parentheses)
// clang-format on

/// One entry of stats.def: its name (the JSON key and MIB object stem), its one-line description
/// and where its value lives, both in the struct and in the group's CounterBlock.
template <typename S>
struct StatField {
    std::string_view name;
    std::string_view description;
    std::size_t index = 0;               // first counter index (the Id enum value)
    std::size_t size = 1;                // 1 for a scalar, the bucket count for a histogram
    std::uint64_t S::*scalar = nullptr;  // set for a scalar
    IcmpHist S::*hist = nullptr;         // set for a histogram

    constexpr bool is_histogram() const { return hist != nullptr; }
    /// The field's counters in `s`: one for a scalar, every bucket for a histogram.
    constexpr std::span<const std::uint64_t> values(const S& s) const {
        if (hist != nullptr) {
            return std::span<const std::uint64_t>(s.*hist);
        }
        return std::span<const std::uint64_t>(&(s.*scalar), 1);
    }
    constexpr std::span<std::uint64_t> values(S& s) const {
        if (hist != nullptr) {
            return std::span<std::uint64_t>(s.*hist);
        }
        return std::span<std::uint64_t>(&(s.*scalar), 1);
    }
};

namespace detail {
// Table entries for the X-macro expansions below.
template <typename S, typename Id>
constexpr StatField<S> scalar_field(std::string_view name, std::string_view description, Id id,
                                    std::uint64_t S::*member) {
    return {name, description, static_cast<std::size_t>(id), 1, member, nullptr};
}
template <typename S, typename Id>
constexpr StatField<S> hist_field(std::string_view name, std::string_view description, Id id,
                                  std::size_t size, IcmpHist S::*member) {
    return {name, description, static_cast<std::size_t>(id), size, nullptr, member};
}
}  // namespace detail

// clang-format off
// NOLINTBEGIN(bugprone-macro-parentheses)
inline constexpr auto kIpStatFields = std::to_array<StatField<IpStat>>({
#define RD_IPSTAT(name, description) \
    detail::scalar_field(#name, description, IpStatId::name, &IpStat::name),
#include "router/api/stats.def"
});
inline constexpr auto kIcmpStatFields = std::to_array<StatField<IcmpStat>>({
#define RD_ICMPSTAT(name, description) \
    detail::scalar_field(#name, description, IcmpStatId::name, &IcmpStat::name),
#define RD_ICMPSTAT_HIST(name, size, description) \
    detail::hist_field(#name, description, IcmpStatId::name, size, &IcmpStat::name),
#include "router/api/stats.def"
});
inline constexpr auto kIgmpStatFields = std::to_array<StatField<IgmpStat>>({
#define RD_IGMPSTAT(name, description) \
    detail::scalar_field(#name, description, IgmpStatId::name, &IgmpStat::name),
#include "router/api/stats.def"
});
inline constexpr auto kRtStatFields = std::to_array<StatField<RtStat>>({
#define RD_RTSTAT(name, description) \
    detail::scalar_field(#name, description, RtStatId::name, &RtStat::name),
#include "router/api/stats.def"
});
inline constexpr auto kIfStatsFields = std::to_array<StatField<IfStats>>({
#define RD_IFSTATS(name, description) \
    detail::scalar_field(#name, description, IfStatsId::name, &IfStats::name),
#include "router/api/stats.def"
});
// NOLINTEND(bugprone-macro-parentheses)
// clang-format on

namespace detail {
template <typename S, std::size_t N>
constexpr std::size_t counter_count(const std::array<StatField<S>, N>& fields) {
    std::size_t n = 0;
    for (const auto& f : fields) {
        n += f.size;
    }
    return n;
}
}  // namespace detail

/// How many counters (histogram buckets included) each group has: its CounterBlock size.
inline constexpr std::size_t kIpStatCount = detail::counter_count(kIpStatFields);
inline constexpr std::size_t kIcmpStatCount = detail::counter_count(kIcmpStatFields);
inline constexpr std::size_t kIgmpStatCount = detail::counter_count(kIgmpStatFields);
inline constexpr std::size_t kRtStatCount = detail::counter_count(kRtStatFields);
inline constexpr std::size_t kIfStatsCount = detail::counter_count(kIfStatsFields);

/// Per-group facts for generic code: StatTraits<IpStat>::kGroup == "ipstat", ::Id, ::kCount,
/// ::kFields.
template <typename S>
struct StatTraits;

template <>
struct StatTraits<IpStat> {
    using Id = IpStatId;
    static constexpr std::string_view kGroup = "ipstat";
    static constexpr std::size_t kCount = kIpStatCount;
    static constexpr std::span<const StatField<IpStat>> kFields = kIpStatFields;
};
template <>
struct StatTraits<IcmpStat> {
    using Id = IcmpStatId;
    static constexpr std::string_view kGroup = "icmpstat";
    static constexpr std::size_t kCount = kIcmpStatCount;
    static constexpr std::span<const StatField<IcmpStat>> kFields = kIcmpStatFields;
};
template <>
struct StatTraits<IgmpStat> {
    using Id = IgmpStatId;
    static constexpr std::string_view kGroup = "igmpstat";
    static constexpr std::size_t kCount = kIgmpStatCount;
    static constexpr std::span<const StatField<IgmpStat>> kFields = kIgmpStatFields;
};
template <>
struct StatTraits<RtStat> {
    using Id = RtStatId;
    static constexpr std::string_view kGroup = "rtstat";
    static constexpr std::size_t kCount = kRtStatCount;
    static constexpr std::span<const StatField<RtStat>> kFields = kRtStatFields;
};
template <>
struct StatTraits<IfStats> {
    using Id = IfStatsId;
    static constexpr std::string_view kGroup = "ifstats";
    static constexpr std::size_t kCount = kIfStatsCount;
    static constexpr std::span<const StatField<IfStats>> kFields = kIfStatsFields;
};

/// A group's counters as a flat array in Id order (what CounterBlock sums into).
template <typename S>
using StatCounters = std::array<std::uint64_t, StatTraits<S>::kCount>;

/// The per-worker counter blocks the data plane increments (one writer each, summed on read).
template <typename S>
using StatBlock = CounterBlock<typename StatTraits<S>::Id, StatTraits<S>::kCount>;
using IpStatBlock = StatBlock<IpStat>;
using IcmpStatBlock = StatBlock<IcmpStat>;
using IgmpStatBlock = StatBlock<IgmpStat>;
using RtStatBlock = StatBlock<RtStat>;
using IfStatsBlock = StatBlock<IfStats>;

/// The CounterBlock index of bucket `type` of an ICMP histogram (IcmpStatId::icps_inhist or
/// ::icps_outhist). Precondition: type <= kIcmpMaxType (BSD counts nothing above it).
constexpr IcmpStatId icmp_hist_id(IcmpStatId hist, std::size_t type) {
    return static_cast<IcmpStatId>(static_cast<std::size_t>(hist) + type);
}

/// Calls f(const StatField<S>&, std::span<const std::uint64_t> values) for every entry of the
/// group, in stats.def order: the way to print, serialise or compare name/value pairs.
template <typename S, typename F>
constexpr void for_each_stat(const S& s, F&& f) {
    for (const auto& field : StatTraits<S>::kFields) {
        f(field, field.values(s));
    }
}

/// The stats.def entry called `name` in group S, or nullptr.
template <typename S>
constexpr const StatField<S>* find_stat(std::string_view name) {
    for (const auto& field : StatTraits<S>::kFields) {
        if (field.name == name) {
            return &field;
        }
    }
    return nullptr;
}

/// The struct's counters as a flat array in Id order.
template <typename S>
constexpr StatCounters<S> to_counters(const S& s) {
    StatCounters<S> out{};
    for (const auto& field : StatTraits<S>::kFields) {
        auto v = field.values(s);
        std::copy(v.begin(), v.end(), out.begin() + static_cast<std::ptrdiff_t>(field.index));
    }
    return out;
}

/// The struct from a flat array in Id order (e.g. sum_blocks() of every worker's block).
template <typename S>
constexpr S from_counters(std::span<const std::uint64_t, StatTraits<S>::kCount> counters) {
    S s{};
    for (const auto& field : StatTraits<S>::kFields) {
        auto v = field.values(s);
        auto first = counters.begin() + static_cast<std::ptrdiff_t>(field.index);
        std::copy(first, first + static_cast<std::ptrdiff_t>(field.size), v.begin());
    }
    return s;
}

namespace detail {
// The fields must tile 0..kCount-1 in order, or the X-macro expansions disagree.
template <typename S>
constexpr bool fields_tile_counters() {
    std::size_t next = 0;
    for (const auto& field : StatTraits<S>::kFields) {
        if (field.index != next || field.size == 0 ||
            field.is_histogram() == (field.scalar != nullptr)) {
            return false;
        }
        next += field.size;
    }
    return next == StatTraits<S>::kCount;
}
}  // namespace detail

static_assert(detail::fields_tile_counters<IpStat>());
static_assert(detail::fields_tile_counters<IcmpStat>());
static_assert(detail::fields_tile_counters<IgmpStat>());
static_assert(detail::fields_tile_counters<RtStat>());
static_assert(detail::fields_tile_counters<IfStats>());
static_assert(std::is_same_v<decltype(IcmpStat::icps_inhist), IcmpHist>);

}  // namespace routerd::api
