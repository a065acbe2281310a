// SPDX-License-Identifier: Apache-2.0
// AfPacketPort: TPACKET_V3 RX ring walk, sendmmsg TX staging, socket set-up.
#include "router/platform/af_packet_port.hh"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <linux/if_ether.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace routerd::platform {

namespace {

Error sys_error(const std::string& what) {
    int err = errno;
    return make_error(err, what + ": " + std::strerror(err));
}

tpacket_block_desc* block_at(std::uint8_t* ring, std::uint32_t size, std::uint32_t i) {
    return reinterpret_cast<tpacket_block_desc*>(ring + static_cast<std::size_t>(i) * size);
}

// The block status word is shared with the kernel: acquire on read so the packets it covers
// are visible, release on hand-back so our writes to them are done first.
std::uint32_t load_status(tpacket_block_desc* bd) {
    return std::atomic_ref<std::uint32_t>(bd->hdr.bh1.block_status).load(std::memory_order_acquire);
}

void give_back(tpacket_block_desc* bd) {
    std::atomic_ref<std::uint32_t>(bd->hdr.bh1.block_status)
        .store(TP_STATUS_KERNEL, std::memory_order_release);
}

packet::L2Class l2_class(unsigned char pkttype) {
    switch (pkttype) {
        case PACKET_HOST:
            return packet::L2Class::to_us;
        case PACKET_BROADCAST:
            return packet::L2Class::broadcast;
        case PACKET_MULTICAST:
            return packet::L2Class::multicast;
        case PACKET_OUTGOING:
            return packet::L2Class::own_outgoing;
        default:
            return packet::L2Class::other_host;
    }
}

constexpr std::size_t kTpHdrLen = TPACKET_ALIGN(sizeof(tpacket3_hdr));

}  // namespace

Result<std::unique_ptr<AfPacketPort>> AfPacketPort::open(const std::string& ifname,
                                                         const AfPacketOptions& opts) {
    auto port = std::unique_ptr<AfPacketPort>(new AfPacketPort());
    if (auto st = port->setup(ifname, opts); !st) {
        return st.error();
    }
    return port;
}

Status AfPacketPort::setup(const std::string& ifname, const AfPacketOptions& opts) {
    name_ = ifname;
    if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
        return make_error(EINVAL, "port " + ifname + ": bad interface name");
    }
    // Protocol 0 until bind: a socket created with ETH_P_ALL would see every interface's
    // frames in the window before bind().
    fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        return sys_error("port " + ifname + ": socket(AF_PACKET)");
    }
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, ifname.c_str(), ifname.size() + 1);
    if (::ioctl(fd_, SIOCGIFINDEX, &ifr) < 0) {
        return sys_error("port " + ifname + ": no such interface");
    }
    ifindex_ = ifr.ifr_ifindex;
    if (::ioctl(fd_, SIOCGIFHWADDR, &ifr) < 0) {
        return sys_error("port " + ifname + ": SIOCGIFHWADDR");
    }
    if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
        return make_error(EINVAL, "port " + ifname + ": not an Ethernet interface");
    }
    std::memcpy(mac_.bytes.data(), ifr.ifr_hwaddr.sa_data, 6);
    if (::ioctl(fd_, SIOCGIFMTU, &ifr) < 0) {
        return sys_error("port " + ifname + ": SIOCGIFMTU");
    }
    mtu_ = static_cast<std::size_t>(ifr.ifr_mtu);

    int version = TPACKET_V3;
    if (::setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) {
        return sys_error("port " + ifname + ": PACKET_VERSION");
    }
    tpacket_req3 req{};
    req.tp_block_size = opts.block_size;
    req.tp_block_nr = opts.block_count;
    req.tp_frame_size = 2048;
    req.tp_frame_nr = opts.block_size / req.tp_frame_size * opts.block_count;
    req.tp_retire_blk_tov = opts.block_timeout_ms;
    if (::setsockopt(fd_, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
        return sys_error("port " + ifname + ": PACKET_RX_RING");
    }
    ring_len_ = static_cast<std::size_t>(opts.block_size) * opts.block_count;
    void* ring =
        ::mmap(nullptr, ring_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, 0);
    if (ring == MAP_FAILED) {
        ring_len_ = 0;
        return sys_error("port " + ifname + ": mmap ring");
    }
    ring_ = static_cast<std::uint8_t*>(ring);
    block_size_ = opts.block_size;
    block_count_ = opts.block_count;

    int one = 1;
    // Our own transmissions would come back through ETH_P_ALL; without this option (Linux
    // < 4.20) rx_batch still skips them by their PACKET_OUTGOING type.
    (void)::setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    if (opts.qdisc_bypass) {
        (void)::setsockopt(fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    }
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex_;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) {
        return sys_error("port " + ifname + ": bind");
    }
    packet_mreq mr{};
    mr.mr_ifindex = ifindex_;
    mr.mr_type = PACKET_MR_ALLMULTI;
    if (::setsockopt(fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
        return sys_error("port " + ifname + ": PACKET_MR_ALLMULTI");
    }

    // TX goes through its own socket: protocol 0 (it receives nothing) and never in the
    // worker's epoll set, so freeing a sent skb (sock_wfree -> sock_def_write_space) finds no
    // waiter to wake on the RX socket's wait queue.
    tx_fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (tx_fd_ < 0) {
        return sys_error("port " + ifname + ": socket(AF_PACKET) for TX");
    }
    if (opts.qdisc_bypass) {
        (void)::setsockopt(tx_fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    }
    sockaddr_ll tx_sll{};
    tx_sll.sll_family = AF_PACKET;
    tx_sll.sll_protocol = 0;
    tx_sll.sll_ifindex = ifindex_;
    if (::bind(tx_fd_, reinterpret_cast<sockaddr*>(&tx_sll), sizeof tx_sll) < 0) {
        return sys_error("port " + ifname + ": bind TX socket");
    }

    tx_mem_ = std::make_unique<std::uint8_t[]>(kTxSlots * kTxSlotSize);
    for (std::size_t i = 0; i < kTxSlots; ++i) {
        tx_msg_[i].msg_hdr.msg_iov = &tx_iov_[i];
        tx_msg_[i].msg_hdr.msg_iovlen = 1;
    }
    return ok_status();
}

AfPacketPort::~AfPacketPort() {
    if (ring_ != nullptr) {
        ::munmap(ring_, ring_len_);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
    if (tx_fd_ >= 0) {
        ::close(tx_fd_);
    }
}

void AfPacketPort::release_done_blocks() noexcept {
    // Every opened block but the one being read is finished: hand them back in order.
    std::uint32_t done = held_count_ - (pkt_ != nullptr ? 1 : 0);
    for (std::uint32_t i = 0; i < done; ++i) {
        give_back(block_at(ring_, block_size_, held_first_));
        held_first_ = (held_first_ + 1) % block_count_;
    }
    held_count_ -= done;
}

void AfPacketPort::rx_release() noexcept {
    release_done_blocks();
}

std::size_t AfPacketPort::rx_batch(std::span<packet::Packet> out) noexcept {
    release_done_blocks();
    std::size_t n = 0;
    while (n < out.size()) {
        tpacket_block_desc* bd = block_at(ring_, block_size_, block_);
        if (pkt_ == nullptr) {
            // Never reopen a block we still hold (the ring has wrapped within one batch).
            if (held_count_ == block_count_ || (load_status(bd) & TP_STATUS_USER) == 0) {
                break;
            }
            pkt_ = reinterpret_cast<std::uint8_t*>(bd) + bd->hdr.bh1.offset_to_first_pkt;
            pkt_in_block_ = 0;
            ++held_count_;
        }
        if (pkt_in_block_ < bd->hdr.bh1.num_pkts) {
            auto* h = reinterpret_cast<tpacket3_hdr*>(pkt_);
            const auto* sll = reinterpret_cast<const sockaddr_ll*>(pkt_ + kTpHdrLen);
            packet::L2Class cls = l2_class(sll->sll_pkttype);
            // The kernel strips an 802.1Q tag before AF_PACKET and reports it here. routerd
            // routes untagged links only: a frame of some VLAN (IEEE 802.1Q 9.6, VID != 0) is
            // not for this interface; VID 0 is a priority tag on the untagged link.
            const bool vlan =
                (h->tp_status & TP_STATUS_VLAN_VALID) != 0 && (h->hv1.tp_vlan_tci & 0x0fffu) != 0;
            if (vlan && cls != packet::L2Class::own_outgoing) {
                ++rx_vlan_;
            }
            // A frame cut by the ring (snaplen < len) is useless to a router: skip it.
            if (h->tp_snaplen == h->tp_len && cls != packet::L2Class::own_outgoing && !vlan) {
                std::size_t headroom = h->tp_mac - TPACKET3_HDRLEN;
                std::span<std::uint8_t> buf(pkt_ + TPACKET3_HDRLEN, headroom + h->tp_snaplen);
                out[n] = packet::Packet(buf, headroom, h->tp_snaplen);
                out[n].meta.ifindex = ifindex_;
                out[n].meta.l2_class = cls;
                // A local sender's checksum offload left the L4 checksum unfinished.
                out[n].meta.csum_partial = (h->tp_status & TP_STATUS_CSUMNOTREADY) != 0;
                ++n;
            }
            ++pkt_in_block_;
            pkt_ += h->tp_next_offset;
        }
        if (pkt_in_block_ >= bd->hdr.bh1.num_pkts) {
            pkt_ = nullptr;
            block_ = (block_ + 1) % block_count_;
        }
    }
    return n;
}

std::span<std::uint8_t> AfPacketPort::tx_buffer() noexcept {
    if (tx_queued_ == kTxSlots) {
        tx_flush();
    }
    return {tx_mem_.get() + tx_queued_ * kTxSlotSize, kTxSlotSize};
}

bool AfPacketPort::tx_commit(std::size_t offset, std::size_t len) noexcept {
    if (tx_queued_ == kTxSlots || len == 0 || offset > kTxSlotSize || len > kTxSlotSize - offset) {
        return false;
    }
    tx_iov_[tx_queued_].iov_base = tx_mem_.get() + tx_queued_ * kTxSlotSize + offset;
    tx_iov_[tx_queued_].iov_len = len;
    ++tx_queued_;
    return true;
}

std::size_t AfPacketPort::tx_batch(std::span<const packet::Packet> frames) noexcept {
    std::size_t accepted = 0;
    for (const packet::Packet& p : frames) {
        // Larger than any link we open: not accepted, so the caller counts it (and the rest
        // of the batch) as output drops rather than as sent (packet/port.hh).
        if (p.len() > kTxSlotSize) {
            break;
        }
        if (tx_queued_ == kTxSlots) {
            tx_flush();
        }
        // No copy here: the message points at the frame where it is (for forwarded frames, in
        // the RX ring, which the worker hands back only after tx_flush; packet/port.hh). The
        // kernel copies it once, into the skb.
        tx_iov_[tx_queued_].iov_base = const_cast<std::uint8_t*>(p.data());
        tx_iov_[tx_queued_].iov_len = p.len();
        ++tx_queued_;
        ++accepted;
    }
    return accepted;
}

void AfPacketPort::tx_flush() noexcept {
    std::size_t sent = 0;
    int interrupted = 0;
    // sendmmsg stops at the first message the kernel refuses and reports only the ones before
    // it; the next call starts at the refused one and gets its error. That message is counted
    // as an output error and skipped, so the frames behind it still go. Bounded: every round
    // consumes at least one message, except a few EINTRs; a full device queue (EAGAIN) ends
    // the flush, and what is left is an output drop, never kept for later.
    while (sent < tx_queued_) {
        const int r = ::sendmmsg(tx_fd_, tx_msg_.data() + sent,
                                 static_cast<unsigned>(tx_queued_ - sent), MSG_DONTWAIT);
        if (r > 0) {
            sent += static_cast<std::size_t>(r);
            continue;
        }
        if (r < 0 && errno == EINTR && ++interrupted < 4) {
            continue;
        }
        if (r == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ||
            errno == EINTR) {
            break;
        }
        ++tx_errors_;  // this message: EMSGSIZE, EINVAL, ENETDOWN, ...
        ++sent;
    }
    tx_drops_ += tx_queued_ - sent;
    tx_queued_ = 0;
}

packet::PortDrops AfPacketPort::drops() noexcept {
    (void)ring_stats();  // folds the kernel's figure into rx_ring_drops_
    return {tx_errors_, tx_drops_, rx_ring_drops_, rx_vlan_};
}

AfPacketPort::RingStats AfPacketPort::ring_stats() noexcept {
    tpacket_stats_v3 st{};
    socklen_t len = sizeof st;
    if (::getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0) {
        return {};
    }
    rx_ring_drops_ += st.tp_drops;
    return {st.tp_packets, st.tp_drops, st.tp_freeze_q_cnt};
}

}  // namespace routerd::platform
