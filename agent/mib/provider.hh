// SPDX-License-Identifier: Apache-2.0
// Provider: what a registered subtree answers (GET, GETNEXT, SET targets); CachedRows, the
// provider over a snapshot of routerd data rebuilt at most once per cache period.
#pragma once

#include "agent/mib/value.hh"
#include "router/base/result.hh"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace routerd::agent {

/// A snapshot of object instances, sorted in GETNEXT order.
using Rows = std::map<Oid, Value>;

/// How one writable instance is set. All writable objects here are INTEGER-like
/// (INTEGER, TruthValue, Integer32), so values travel as long.
struct Writer {
    Asn type = Asn::integer;
    /// Range/enumeration check (RFC 3416 4.2.5: wrongValue), pure.
    std::function<SnmpErr(std::int64_t)> check;
    /// The value now, read fresh from routerd, to undo with; empty when it cannot be read.
    std::function<Result<std::int64_t>()> current;
    /// Sends the change to routerd; an error here is commitFailed.
    std::function<Status(std::int64_t)> apply;
};

/// What a SET may do to an instance: a Writer, or the error status why not.
struct SetTarget {
    SnmpErr error = SnmpErr::not_writable;
    Writer writer;
};

/// The data behind one or more registered subtrees. Every answer comes from routerd's view;
/// when routerd is away there is none (no stale data).
class Provider {
public:
    virtual ~Provider() = default;
    /// The first instance after `oid` (at or after it when `inclusive`), or nullopt.
    virtual std::optional<Varbind> next(const Oid& oid, bool inclusive) = 0;
    /// The instance `oid` exactly.
    virtual std::optional<Value> get(const Oid& oid) {
        auto vb = next(oid, true);
        if (vb && vb->oid == oid) {
            return std::move(vb->value);
        }
        return std::nullopt;
    }
    /// Whether and how `oid` can be set (RFC 3416 4.2.5 error order: notWritable for an
    /// existing read-only instance, noCreation for one that does not exist).
    virtual SetTarget set_target(const Oid& oid) {
        return {get(oid) ? SnmpErr::not_writable : SnmpErr::no_creation, {}};
    }
    /// Drops cached data (after a successful SET, so the next GET shows the change).
    virtual void invalidate() {}
};

/// A factory of Writers for the instances below one column (or scalar) OID: given the instance
/// suffix, a Writer, or nullopt when that row does not exist.
using WriterFactory = std::function<std::optional<Writer>(const Oid& suffix)>;

/// Provider over a snapshot built by `load` (nullopt when routerd cannot be asked), kept for
/// `max_age` (0: rebuilt for every request; one walk then may mix moments).
class CachedRows : public Provider {
public:
    using Clock = std::chrono::steady_clock;
    using Loader = std::function<std::optional<Rows>()>;

    CachedRows(Loader load, Clock::duration max_age) : load_(std::move(load)), max_age_(max_age) {}

    /// Makes instances below `prefix` writable through `factory`.
    void add_writer(Oid prefix, WriterFactory factory) {
        writers_.emplace_back(std::move(prefix), std::move(factory));
    }

    std::optional<Varbind> next(const Oid& oid, bool inclusive) override;
    SetTarget set_target(const Oid& oid) override;
    void invalidate() override { rows_.reset(); }

private:
    const Rows* rows();

    Loader load_;
    Clock::duration max_age_;
    std::optional<Rows> rows_;
    Clock::time_point loaded_at_{};
    std::vector<std::pair<Oid, WriterFactory>> writers_;
};

/// Common range checks of set validation (RFC 3416 4.2.5), pure.
SnmpErr check_range(std::int64_t v, std::int64_t lo, std::int64_t hi);
/// TruthValue: true(1) or false(2).
SnmpErr check_truth(std::int64_t v);
/// TruthValue to bool; callers checked it first.
inline bool truth_of(std::int64_t v) {
    return v == 1;
}

}  // namespace routerd::agent
