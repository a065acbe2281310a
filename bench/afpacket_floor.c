// SPDX-License-Identifier: Apache-2.0
// afpacket-floor: the smallest AF_PACKET forwarder, the floor routerd is measured against.
//
//   ../shared/tools/forward-bench --silence-kernel -- build/release/bench/afpacket-floor
//
// It reads RTR_IN's frames from a TPACKET_V3 RX ring (ETH_P_ALL, the same socket set-up as
// routerd's AfPacketPort), rewrites the Ethernet addresses to RTR_OUT_MAC -> SINK_MAC and sends
// them from a TX-only socket with one sendmmsg per 64-frame batch, pointing straight into the
// ring. No IPv4 check, no lookup, no TTL, no ARP, no counters: whatever routerd costs beyond
// this is routerd's own work. Not part of the product; a measuring stick for bench notes.
// Stops on SIGTERM/SIGINT (forward-bench ends it by process group).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kBlockSize = 1 << 20, kBlocks = 16, kBatch = 64 };

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

static void die(const char* what) {
    fprintf(stderr, "afpacket-floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static const char* env(const char* name) {
    const char* v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "afpacket-floor: $%s is not set (run me under forward-bench)\n", name);
        exit(2);
    }
    return v;
}

static void parse_mac(const char* name, uint8_t mac[6]) {
    unsigned b[6];
    if (sscanf(env(name), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        fprintf(stderr, "afpacket-floor: $%s is not a MAC address\n", name);
        exit(2);
    }
    for (int i = 0; i < 6; ++i) {
        mac[i] = (uint8_t)b[i];
    }
}

static int bound_socket(const char* ifname, uint16_t proto) {
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        die("socket");
    }
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(proto)};
    sll.sll_ifindex = (int)if_nametoindex(ifname);
    if (sll.sll_ifindex == 0) {
        die(ifname);
    }
    if (proto != 0) {
        int v = TPACKET_V3;
        if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0) {
            die("PACKET_VERSION");
        }
        struct tpacket_req3 req = {.tp_block_size = kBlockSize,
                                   .tp_block_nr = kBlocks,
                                   .tp_frame_size = 2048,
                                   .tp_frame_nr = kBlockSize / 2048 * kBlocks,
                                   .tp_retire_blk_tov = 1};
        if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
            die("PACKET_RX_RING");
        }
        int one = 1;
        (void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    } else {
        int one = 1;
        (void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    }
    if (bind(fd, (struct sockaddr*)&sll, sizeof sll) < 0) {
        die("bind");
    }
    return fd;
}

int main(void) {
    uint8_t out_mac[6];
    uint8_t sink_mac[6];
    parse_mac("RTR_OUT_MAC", out_mac);
    parse_mac("SINK_MAC", sink_mac);
    int rx = bound_socket(env("RTR_IN"), ETH_P_ALL);
    int tx = bound_socket(env("RTR_OUT"), 0);
    uint8_t* ring = mmap(NULL, (size_t)kBlockSize * kBlocks, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_POPULATE, rx, 0);
    if (ring == MAP_FAILED) {
        die("mmap");
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    struct mmsghdr msg[kBatch];
    struct iovec iov[kBatch];
    memset(msg, 0, sizeof msg);
    for (int i = 0; i < kBatch; ++i) {
        msg[i].msg_hdr.msg_iov = &iov[i];
        msg[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned block = 0;
    while (!g_stop) {
        struct tpacket_block_desc* bd = (void*)(ring + (size_t)block * kBlockSize);
        if ((__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0) {
            struct pollfd p = {.fd = rx, .events = POLLIN};
            (void)poll(&p, 1, 100);
            continue;
        }
        uint8_t* pkt = (uint8_t*)bd + bd->hdr.bh1.offset_to_first_pkt;
        unsigned n = 0;
        for (uint32_t i = 0; i < bd->hdr.bh1.num_pkts; ++i) {
            struct tpacket3_hdr* h = (void*)pkt;
            uint8_t* frame = pkt + h->tp_mac;
            memcpy(frame, sink_mac, 6);
            memcpy(frame + 6, out_mac, 6);
            iov[n].iov_base = frame;
            iov[n].iov_len = h->tp_snaplen;
            if (++n == kBatch) {
                (void)sendmmsg(tx, msg, n, MSG_DONTWAIT);
                n = 0;
            }
            pkt += h->tp_next_offset;
        }
        if (n > 0) {
            (void)sendmmsg(tx, msg, n, MSG_DONTWAIT);
        }
        __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        block = (block + 1) % kBlocks;
    }
    return 0;
}
