// SPDX-License-Identifier: Apache-2.0
// CachedRows and the shared set checks.
#include "agent/mib/provider.hh"

namespace routerd::agent {

std::string oid_to_string(const Oid& oid) {
    std::string s;
    for (auto sub : oid) {
        if (!s.empty()) {
            s += '.';
        }
        s += std::to_string(sub);
    }
    return s;
}

const Rows* CachedRows::rows() {
    auto now = Clock::now();
    if (!rows_ || max_age_ <= Clock::duration::zero() || now - loaded_at_ >= max_age_) {
        // A failed load leaves nothing: routerd away means no answers, never old ones.
        rows_ = load_();
        loaded_at_ = now;
    }
    return rows_ ? &*rows_ : nullptr;
}

std::optional<Varbind> CachedRows::next(const Oid& oid, bool inclusive) {
    const Rows* r = rows();
    if (r == nullptr) {
        return std::nullopt;
    }
    auto it = inclusive ? r->lower_bound(oid) : r->upper_bound(oid);
    if (it == r->end()) {
        return std::nullopt;
    }
    return Varbind{it->first, it->second};
}

SetTarget CachedRows::set_target(const Oid& oid) {
    for (const auto& [prefix, factory] : writers_) {
        if (oid.size() > prefix.size() && oid_has_prefix(oid, prefix)) {
            Oid suffix(oid.begin() + static_cast<std::ptrdiff_t>(prefix.size()), oid.end());
            // Re-read: a SET must judge the row as routerd has it now.
            rows_.reset();
            if (auto w = factory(suffix); w && get(oid)) {
                return {SnmpErr::no_error, std::move(*w)};
            }
            return {SnmpErr::no_creation, {}};
        }
    }
    return Provider::set_target(oid);
}

SnmpErr check_range(std::int64_t v, std::int64_t lo, std::int64_t hi) {
    return v < lo || v > hi ? SnmpErr::wrong_value : SnmpErr::no_error;
}

SnmpErr check_truth(std::int64_t v) {
    return check_range(v, 1, 2);
}

}  // namespace routerd::agent
