// SPDX-License-Identifier: Apache-2.0
// Differential fuzzer for Fib: input bytes are a program of add/delete/lookup operations run on
// Fib and FibReference together; any disagreement aborts.
#include "router/fib/fib.hh"
#include "router/fib/fib_reference.hh"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using routerd::ip4_mask;
using routerd::Ip4Addr;
using routerd::Ip4Prefix;
using routerd::fib::Fib;
using routerd::fib::FibConfig;
using routerd::fib::FibReference;
using routerd::fib::kMaxNhIndex;
using routerd::fib::NhIndex;

class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
    bool empty() const { return p_ == end_; }
    // Whether n more bytes are there: an operation never runs on padding (zeros would mean /0).
    bool has(std::size_t n) const { return static_cast<std::size_t>(end_ - p_) >= n; }
    std::uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            v = (v << 8) | u8();
        }
        return v;
    }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

// Prefix lengths, mostly /8 to /32 (byte b gives 8 + b % 25). A short prefix rewrites up to 2^24
// entries, so /0 to /7 come only from the bytes 0x58-0x5f: rare in random data and not among
// the values libFuzzer's mutations favour (0x00, 0xff), which keeps the fuzzer fast.
std::uint8_t length_of(std::uint8_t b) {
    if ((b & 0xf8) == 0x58) {
        return b & 7;
    }
    return static_cast<std::uint8_t>(8 + b % 25);
}

[[noreturn]] void fail(const char* what, std::uint32_t a, unsigned x, unsigned y) {
    std::fprintf(stderr, "fib_fuzz: %s at %s: fib %u reference %u\n", what,
                 Ip4Addr(a).to_string().c_str(), x, y);
    std::abort();
}

// Few tbl8 groups, so that exhaustion is reached; the pool starts at one and grows.
constexpr FibConfig kConfig{8, 1};

struct State {
    Fib fib{kConfig};
    FibReference ref;
    std::vector<Ip4Prefix> present;

    void check(std::uint32_t a) const {
        const NhIndex got = fib.lookup(a);
        const NhIndex want = ref.lookup(Ip4Addr(a));
        if (got != want) {
            fail("lookup", a, got, want);
        }
    }
    void check_edges(const Ip4Prefix& p) const {
        const std::uint32_t lo = p.addr.value();
        const std::uint32_t hi = p.broadcast().value();
        for (std::uint32_t a : {lo, hi, lo - 1, hi + 1}) {
            check(a);
        }
    }
    void add(Ip4Prefix p, NhIndex nh) {
        p.addr = p.network();
        const bool had = ref.find(p).has_value();
        const auto st = fib.add(p, nh);
        if (st) {
            ref.add(p, nh);
            if (!had) {
                present.push_back(p);
            }
        } else if (had || p.len <= 24) {
            // Only a new prefix longer than /24 may fail (no tbl8 group left).
            fail("add refused", p.addr.value(), p.len, static_cast<unsigned>(st.error().code));
        } else if (fib.find(p)) {
            fail("refused add left the prefix", p.addr.value(), p.len, 0);
        }
        check_edges(p);
    }
    void remove_at(std::size_t k) {
        const Ip4Prefix p = present[k];
        present[k] = present.back();
        present.pop_back();
        if (!fib.remove(p) || !ref.remove(p)) {
            fail("remove", p.addr.value(), p.len, 0);
        }
        check_edges(p);
    }
};

State& state() {
    static State* s = new State;  // 48 MiB table built once; emptied after every input
    return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State& s = state();
    Reader in(data, size);
    int ops = 0;
    while (!in.empty() && ops++ < 4096) {
        const std::uint8_t op = in.u8();
        static constexpr std::size_t kOperandBytes[6] = {6, 7, 1, 5, 4, 6};
        if (!in.has(kOperandBytes[op % 6])) {
            break;
        }
        switch (op % 6) {
            case 0: {  // add anywhere
                const std::uint32_t a = in.u32();
                const std::uint8_t len = length_of(in.u8());
                s.add(Ip4Prefix{Ip4Addr(a), len}, static_cast<NhIndex>(1 + in.u8()));
                break;
            }
            case 1: {  // add next to a present prefix: nested, covering or a neighbour
                if (s.present.empty()) {
                    break;
                }
                const Ip4Prefix& base = s.present[in.u8() % s.present.size()];
                const std::uint8_t len = length_of(in.u8());
                const std::uint32_t a = base.addr.value() ^ (in.u32() & ~ip4_mask(base.len));
                s.add(Ip4Prefix{Ip4Addr(a), len},
                      static_cast<NhIndex>(1 + (in.u8() * 131u) % kMaxNhIndex));
                break;
            }
            case 2: {  // delete a present prefix
                if (!s.present.empty()) {
                    s.remove_at(in.u8() % s.present.size());
                }
                break;
            }
            case 3: {  // delete something that may be absent: both must agree
                const Ip4Prefix p{Ip4Addr(in.u32()), length_of(in.u8())};
                const Ip4Prefix net{p.network(), p.len};
                if (s.ref.find(net)) {
                    break;  // present: case 2 covers it, and `present` must stay exact
                }
                if (s.fib.remove(net)) {
                    fail("removed an absent prefix", net.addr.value(), net.len, 0);
                }
                break;
            }
            case 4:  // lookups around an address
            {
                const std::uint32_t a = in.u32();
                for (std::uint32_t d = 0; d < 4; ++d) {
                    s.check(a + d);
                    s.check(a - d);
                }
                break;
            }
            default: {  // batched lookup against single ones
                std::uint32_t addrs[33];
                NhIndex out[33];
                const std::size_t n = in.u8() % 34;
                const std::uint32_t a = in.u32();
                const std::uint32_t stride = 1u << (in.u8() % 32);
                for (std::size_t i = 0; i < n; ++i) {
                    addrs[i] = a + static_cast<std::uint32_t>(i) * stride;
                }
                s.fib.lookup_batch({addrs, n}, {out, n});
                for (std::size_t i = 0; i < n; ++i) {
                    if (out[i] != s.fib.lookup(addrs[i])) {
                        fail("batch", addrs[i], out[i], s.fib.lookup(addrs[i]));
                    }
                    s.check(addrs[i]);
                }
                break;
            }
        }
    }
    for (const auto& p : s.present) {
        s.check_edges(p);
    }
    // Empty the table for the next input; everything must collapse back.
    while (!s.present.empty()) {
        s.remove_at(s.present.size() - 1);
    }
    if (s.fib.size() != 0 || s.ref.size() != 0 || s.fib.tbl8_groups_in_use() != 0) {
        fail("not empty after deleting everything", 0, static_cast<unsigned>(s.fib.size()),
             s.fib.tbl8_groups_in_use());
    }
    return 0;
}
