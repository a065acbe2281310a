// SPDX-License-Identifier: Apache-2.0
// Fuzz target: arbitrary bytes as an IPv4 header (options walked) and through every other view.
#include "router/base/checksum.hh"
#include "router/packet/headers.hh"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

using routerd::Ip4Addr;
namespace pkt = routerd::packet;
using Bytes = std::span<const std::uint8_t>;

// An invariant: abort (libFuzzer reports the input and the stack) when it does not hold. A
// function rather than RD_CHECK keeps the checks out of the cognitive-complexity count.
void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

// Every value read goes here, so the optimiser keeps the loads that ASan must see.
volatile std::uint64_t g_sink = 0;
void use(std::uint64_t v) {
    g_sink = g_sink + v;
}
void use(Ip4Addr a) {
    use(a.value());
}
void use(const routerd::MacAddr& m) {
    use(m.bytes[0] + m.bytes[5]);
}

// Invariants of the option walk: options come in order, never overlap, lie inside the
// header; the error pointer (RFC 792) lies inside the option area.
void walk_options(pkt::ConstIp4View ip) {
    const Bytes h = ip.header();
    require(h.size() >= pkt::kIp4HeaderLen && h.size() <= pkt::kIp4MaxHeaderLen);
    require(h.data() == ip.bytes().data() && h.size() <= ip.size());
    pkt::Ip4OptionIter it = ip.options_iter();
    std::size_t end = pkt::kIp4HeaderLen;
    std::size_t count = 0;
    while (auto o = it.next()) {
        require(o->offset >= end);
        require(o->length >= 1 && o->offset + o->length <= h.size());
        if (o->length == 1) {
            require(o->type == IPOPT_NOP && o->data.empty());
        } else {
            require(o->length >= 2);
            require(o->data.data() == h.data() + o->offset + 2);
            require(o->data.size() == o->length - 2u);
        }
        for (std::uint8_t b : o->data) {
            use(b);
        }
        use(o->pointer());
        end = o->offset + o->length;
        require(++count <= pkt::kIp4MaxOptionsLen);
    }
    require(!it.next());
    if (it.failed()) {
        require(it.error_offset() >= pkt::kIp4HeaderLen && it.error_offset() < h.size());
    }
    const pkt::Ip4OptCheck c = pkt::ip4_options_check(h);
    require(c.error == it.error() && c.offset == it.error_offset());
}

// An IPv4 header a router would accept (RFC 1812 5.2.2 fields the views can judge).
bool header_valid(pkt::ConstIp4View ip) {
    return ip.ip_v() == IPVERSION && ip.header_complete() && ip.cksum_ok() &&
           pkt::ip4_options_check(ip.header()).error == pkt::Ip4OptError::none;
}

void rewrite_valid_header(Bytes in) {
    std::vector<std::uint8_t> copy(in.begin(), in.end());
    auto ip = pkt::Ip4View::parse(copy);
    require(ip.has_value());
    // Re-checksumming a valid header verifies (RFC 1071 1 (3)).
    ip->update_sum();
    require(ip->cksum_ok());
    require(routerd::in_cksum(ip->header().data(), ip->header().size()) == 0);
    // So does every incremental rewrite of a verified header (RFC 1624 eqn. 3).
    if (ip->ip_ttl() > 0) {
        ip->set_ip_ttl_and_sum(static_cast<std::uint8_t>(ip->ip_ttl() - 1));
        require(ip->cksum_ok());
    }
    ip->set_ip_dst_and_sum(Ip4Addr(ip->ip_src().value() ^ 0x5a5a5a5a));
    require(ip->cksum_ok());
}

void fuzz_icmp(Bytes b) {
    auto icmp = pkt::ConstIcmpView::parse(b);
    if (!icmp) {
        return;
    }
    use(icmp->icmp_type() + icmp->icmp_code() + icmp->icmp_cksum() + icmp->icmp_id() +
        icmp->icmp_seq() + icmp->icmp_pptr() + icmp->icmp_nextmtu() + icmp->icmp_void());
    use(icmp->icmp_gwaddr());
    use(icmp->icmp_otime().value_or(0) + icmp->icmp_rtime().value_or(0) +
        icmp->icmp_ttime().value_or(0));
    use(icmp->icmp_mask().value_or(Ip4Addr{}));
    use(icmp->compute_sum() + icmp->cksum_ok());
    require(icmp->icmp_data().size() == b.size() - pkt::kIcmpHeaderLen);
    if (auto quoted = icmp->icmp_ip()) {
        walk_options(*quoted);
    }
}

void fuzz_igmp(Bytes b) {
    if (auto igmp = pkt::ConstIgmpView::parse(b)) {
        use(igmp->igmp_type() + igmp->igmp_code() + igmp->igmp_cksum() + igmp->compute_sum());
        use(igmp->igmp_group());
        use(static_cast<std::uint64_t>(igmp->query_version()));
    }
    if (auto q = pkt::ConstIgmpV3QueryView::parse(b)) {
        require(pkt::kIgmpV3QueryMinLen + q->sources().size() <= b.size());
        use(q->s_flag() + q->qrv() + q->qqi() + q->max_resp_time());
        for (std::size_t i = 0; i < q->num_sources(); ++i) {
            use(q->source(i));
        }
    }
    if (auto r = pkt::ConstIgmpV3ReportView::parse(b)) {
        pkt::IgmpV3RecordIter it = r->records();
        std::size_t end = pkt::kIgmpHeaderLen;
        std::size_t count = 0;
        while (auto rec = it.next()) {
            require(rec->offset == end);
            require(rec->sources.data() == b.data() + rec->offset + pkt::kIgmpV3RecordHeaderLen);
            end = rec->offset + pkt::kIgmpV3RecordHeaderLen + rec->sources.size() +
                  std::size_t{rec->aux_data_len} * 4;
            require(end <= b.size());
            for (std::size_t i = 0; i < rec->num_sources; ++i) {
                use(rec->source(i));
            }
            require(++count <= r->num_records());
        }
        if (it.failed()) {
            require(it.error_offset() == end);
        }
    }
}

void fuzz_transport(Bytes b, Ip4Addr src, Ip4Addr dst) {
    if (auto u = pkt::ConstUdpView::parse(b)) {
        use(u->uh_sport() + u->uh_dport() + u->uh_ulen() + u->uh_sum() + u->payload().size());
    }
    if (auto t = pkt::ConstTcpView::parse(b)) {
        use(t->th_sport() + t->th_dport() + t->th_seq() + t->th_ack() + t->th_off() +
            t->th_flags() + t->th_win() + t->th_sum() + t->th_urp() + t->header_len());
    }
    use(pkt::ip4_pseudo_cksum(src, dst, IPPROTO_UDP, b));
}

void fuzz_ip4(Bytes b) {
    auto ip = pkt::ConstIp4View::parse(b);
    if (!ip) {
        return;
    }
    use(ip->ip_v() + ip->ip_hl() + ip->ip_tos() + ip->ip_len() + ip->ip_id() + ip->ip_off() +
        ip->ip_df() + ip->ip_mf() + ip->frag_offset() + ip->is_fragment() + ip->ip_ttl() +
        ip->ip_p() + ip->ip_sum() + ip->compute_sum());
    use(ip->ip_src());
    use(ip->ip_dst());
    walk_options(*ip);
    require(ip->header().size() + ip->payload().size() == b.size());
    if (header_valid(*ip)) {
        rewrite_valid_header(b);
    }
    const Bytes payload = ip->payload();
    switch (ip->ip_p()) {
        case IPPROTO_ICMP:
            fuzz_icmp(payload);
            break;
        case IPPROTO_IGMP:
            fuzz_igmp(payload);
            break;
        default:
            fuzz_transport(payload, ip->ip_src(), ip->ip_dst());
            break;
    }
}

void fuzz_ether(Bytes b) {
    auto eh = pkt::ConstEtherView::parse(b);
    if (!eh) {
        return;
    }
    use(eh->ether_dhost());
    use(eh->ether_shost());
    use(eh->ether_type() + eh->is_8023_length());
    const pkt::EtherPayload p = eh->payload();
    require(p.offset <= b.size() && p.len <= b.size() - p.offset);
    // IEEE 802.3 3.2.6: a length field is never taken for a type.
    if (p.encap == pkt::EtherEncap::ethernet_ii) {
        require(eh->ether_type() >= pkt::kEtherTypeMin);
    }
    if (p.encap == pkt::EtherEncap::ethernet_ii || p.encap == pkt::EtherEncap::snap) {
        const Bytes l3 = b.subspan(p.offset, p.len);
        if (p.ether_type == ETHERTYPE_IP) {
            fuzz_ip4(l3);
        } else if (auto arp = pkt::ConstArpView::parse(l3)) {
            use(arp->ar_hrd() + arp->ar_pro() + arp->ar_hln() + arp->ar_pln() + arp->ar_op() +
                arp->is_ether_ip4());
            use(arp->arp_sha());
            use(arp->arp_tha());
            use(arp->arp_spa());
            use(arp->arp_tpa());
        }
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes in(data, size);
    fuzz_ip4(in);  // the main subject: the bytes as an IPv4 header
    fuzz_ether(in);
    fuzz_icmp(in);
    fuzz_igmp(in);
    fuzz_transport(in, Ip4Addr{}, Ip4Addr{});
    return 0;
}
