/* SPDX-License-Identifier: BSD-3-Clause */
/* virtio-net internals shared with its tests (not a public header). */
#ifndef __VIRTIO_NET_PRIV_H__
#define __VIRTIO_NET_PRIV_H__

#include <uk/netdev_driver.h>
#include <uk/spinlock.h>
#include <uk/virtio.h>

/* Feature bits (virtio 1.2, 5.1.3). */
#define VIRTIO_NET_F_CSUM	0	/* device completes our checksums */
#define VIRTIO_NET_F_GUEST_CSUM	1	/* we accept partial checksums */
#define VIRTIO_NET_F_MTU	3
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_MRG_RXBUF	15
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_F_CTRL_VQ	17
#define VIRTIO_NET_F_MQ		22

/* Every frame is preceded by this header (12 bytes with VERSION_1). */
struct virtio_net_hdr {
	__u8 flags;
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
	__u8 gso_type;
	__u16 hdr_len;
	__u16 gso_size;
	__u16 csum_start;
	__u16 csum_offset;
	__u16 num_buffers;
} __packed;
#define VNET_HDR_LEN		sizeof(struct virtio_net_hdr)

#define VNET_QSIZE		256	/* default ring size */
#define VNET_RX_BATCH		16	/* refill when this many are missing */
#define VNET_RX_LOW		VNET_RX_BATCH	/* device had this few: kick */

struct vnet;
struct uk_thread;

/*
 * One receive queue. lock serializes everything done to vq (both of its
 * sides: taking used buffers, refilling, interrupt suppression) and the
 * fields below it; rx_one/rx_burst hold it, so RX of a queue runs on one
 * CPU at a time whichever CPU calls.
 */
struct uk_netdev_rx_queue {
	struct uk_spinlock lock;
	struct virtqueue *vq;
	struct vnet *vn;
	__u16 id;
	unsigned int cpu;		/* its interrupt's CPU */
	int intr_on;			/* the application asked for events */
	__u16 posted;			/* buffers in the ring */
	__u16 skip;			/* used entries left of a dropped frame */
	uk_netdev_alloc_rxpkts alloc;
	void *alloc_argp;
	unsigned long bad;		/* frames dropped as malformed */
	unsigned long kicks_forced;	/* had run dry: kicked anyway */
	unsigned long events;		/* callbacks run (on cpu) */
	unsigned long events_elsewhere;	/* ... on another CPU: must stay 0 */
	unsigned long taken;		/* used entries dequeued */
	/* The watchdog's (LIBVIRTIONET_WATCHDOG), under lock as the rest. */
	__u16 watch_used;		/* the device's used idx at last look */
	unsigned long watch_taken;	/* taken at last look */
	int watch_waiting;		/* used entries waited at last look */
	unsigned int watch_idle;	/* looks in a row the device used none */
	unsigned long watch_kicks;	/* device idle with buffers: kicked */
	unsigned long watch_events;	/* frames left untaken: event again */
} __align(UKARCH_CACHE_LINE_SIZE);

/*
 * One transmit queue. lock serializes everything done to vq (enqueue,
 * kick, reclaiming sent frames) and the counters below it. Every caller
 * takes it, the owner CPU too (doc/virtio-net.md, "Why the owner locks").
 */
struct uk_netdev_tx_queue {
	struct uk_spinlock lock;
	struct virtqueue *vq;
	struct vnet *vn;
	__u16 id;
	unsigned int cpu;		/* the owner: its pair's CPU */
	unsigned long full;		/* tx found the ring full */
	unsigned long foreign;		/* frames sent from another CPU */
	unsigned long kicks_forced;	/* queued, idle: kicked anyway */
	__nsec stuck_since;		/* queued, nothing taken since (0: no) */
} __align(UKARCH_CACHE_LINE_SIZE);

struct vnet {
	struct uk_netdev netdev;
	struct virtio_dev vdev;
	struct uk_hwaddr mac;
	__u16 mtu;
	__u16 max_pairs;	/* the device offers (1 without MQ) */
	__u16 usable_pairs;	/* max_pairs within CPUs, vectors, queues */
	__u16 pairs;		/* configured */
	int link_known;		/* VIRTIO_NET_F_STATUS negotiated */
	struct virtqueue *ctrlq;	/* NULL when pairs == 1 */
	/* The control command in flight (identity-mapped, start-up only). */
	struct {
		__u8 cls, cmd;
		__u16 pairs;
		__u8 ack;
	} __packed ctrl;
	struct uk_netdev_rx_queue rxq[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	struct uk_netdev_tx_queue txq[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	/* Pair i's watchdog thread, on pair i's CPU (LIBVIRTIONET_WATCHDOG). */
	struct uk_thread *watchdog[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
};

static inline struct vnet *to_vnet(struct uk_netdev *dev)
{
	return __containerof(dev, struct vnet, netdev);
}

#endif /* __VIRTIO_NET_PRIV_H__ */
