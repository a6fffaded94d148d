/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtio 1.x, section 2.7): the driver's side of one
 * ring, with indirect descriptors (VIRTIO_F_INDIRECT_DESC) and event
 * suppression (VIRTIO_F_RING_EVENT_IDX). Transport-independent: the
 * transport gives the ring memory and a notify function.
 *
 * Who may touch a virtqueue: it has a producer side (enqueue, kick) and a
 * consumer side (dequeue, intr_enable/intr_disable). One thread/CPU at a
 * time per side; the two sides may run at the same time on different CPUs
 * without a lock between them (descriptors come back to the producer
 * through a lock-free hand-over stack). Serializing several producers (or
 * several consumers) is the driver's job, e.g. with a spinlock per side.
 *
 * Memory orders, and what they pair with on the device's side:
 *   - enqueue writes descriptors and the avail ring entry; kick stores
 *     avail->idx seq-cst (a release): pairs with the device's read
 *     barrier after it loads avail->idx (spec 2.7.13);
 *   - kick then loads avail_event (or used->flags) seq-cst: with the
 *     store, a full barrier; pairs with the device's full barrier
 *     between writing avail_event and re-reading avail->idx, so either
 *     it sees our entry or we see that it wants a notification;
 *   - dequeue: used->idx is loaded with acquire before the used entries;
 *     pairs with the device's write barrier before it stores used->idx;
 *   - intr_enable: used_event is stored, then used->idx re-read, both
 *     seq-cst (a full barrier between them); pairs with the device's
 *     barrier between storing used->idx and reading used_event: either
 *     it interrupts or we see the entry.
 */
#ifndef __UK_VIRTQUEUE_H__
#define __UK_VIRTQUEUE_H__

#include <stddef.h>
#include <uk/essentials.h>

#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_RING_EVENT_IDX	29
#define VIRTIO_F_VERSION_1	32

#define VIRTQ_INDIRECT_MAX	8	/* descriptors per indirect table */

/* One buffer segment: guest-physical == virtual (identity map). */
struct virtqueue_seg {
	void *addr;
	__u32 len;
};

struct virtqueue_stats {
	unsigned long enqueued;
	unsigned long dequeued;
	unsigned long kicks;		/* notifications sent */
	unsigned long kicks_saved;	/* suppressed by the device */
	unsigned long bad_used;		/* used entries rejected */
};

struct virtqueue;
typedef void (*virtqueue_notify_t)(struct virtqueue *vq, void *arg);

/* Bytes of ring memory (page-aligned) and of struct virtqueue for n. */
size_t virtqueue_ring_size(__u16 n);
size_t virtqueue_size(__u16 n);

/*
 * Sets up vq (virtqueue_size(n) bytes) on ring memory ring
 * (virtqueue_ring_size(n) bytes, page-aligned, zeroed here), for queue
 * index idx of n entries (a power of two) with the negotiated features.
 * Returns 0 or -EINVAL.
 */
int virtqueue_init(struct virtqueue *vq, __u16 idx, __u16 n, void *ring,
		   __u64 features, virtqueue_notify_t notify,
		   void *notify_arg);

/* Addresses the device is given: descriptor table, avail ring, used ring. */
void virtqueue_ring_addrs(const struct virtqueue *vq, __u64 *desc,
			  __u64 *avail, __u64 *used);
__u16 virtqueue_index(const struct virtqueue *vq);
__u16 virtqueue_num(const struct virtqueue *vq);

/*
 * Producer: queues one buffer of nr device-readable segments followed by
 * nw device-writable ones, with cookie (non-NULL) returned on completion.
 * Several segments use one indirect descriptor when negotiated and
 * nr + nw <= VIRTQ_INDIRECT_MAX. Not visible to the device before
 * virtqueue_kick(). Returns 0, -EINVAL (no segment, NULL cookie, empty
 * segment), -ENOSPC (not enough free descriptors now).
 */
int virtqueue_enqueue(struct virtqueue *vq, void *cookie,
		      const struct virtqueue_seg *seg, unsigned int nr,
		      unsigned int nw);

/*
 * Producer: publishes what was enqueued and notifies the device unless
 * it suppressed notifications. Returns 1 when it notified, 0 otherwise.
 */
int virtqueue_kick(struct virtqueue *vq);

/*
 * Producer: publishes what was enqueued and notifies the device even if
 * it suppressed notifications, for a device that waits for a kick its
 * event index told us not to send (doc/virtio-net.md, "Lost TX kick").
 * A notification the device did not need is harmless.
 */
void virtqueue_kick_force(struct virtqueue *vq);

/*
 * Consumer: takes one completed buffer. Returns 1 with *cookie and *len
 * (bytes the device wrote), 0 when none is ready, or -EIO for a used
 * entry the device got wrong (counted in bad_used): an ID that is not a
 * buffer in flight (*cookie = NULL; skipped), or a length above the
 * buffer's writable size (*cookie set, *len = 0; the buffer is free).
 */
int virtqueue_dequeue(struct virtqueue *vq, void **cookie, __u32 *len);

/* Consumer: whether used entries are waiting. */
int virtqueue_has_used(struct virtqueue *vq);

/*
 * The device's used index: how many buffers it has completed (mod 2^16).
 * For a watchdog telling a device at work from one that stopped; any
 * caller of the queue.
 */
__u16 virtqueue_used_idx(struct virtqueue *vq);

/*
 * Producer and consumer (the same caller): buffers published by the last
 * kick that the device has not used yet, i.e. what the device can still
 * fill. 0 means the device has run out and may be waiting for a kick.
 */
__u16 virtqueue_dev_pending(struct virtqueue *vq);

/*
 * Consumer: asks for an interrupt at the next completion. Returns 1 when
 * completions are already waiting (dequeue them: no interrupt may come
 * for those), 0 otherwise.
 */
int virtqueue_intr_enable(struct virtqueue *vq);
/* Consumer: asks the device not to interrupt (a hint it may ignore). */
void virtqueue_intr_disable(struct virtqueue *vq);

/* Free descriptors the producer can use now (without hand-backs). */
unsigned int virtqueue_free_count(const struct virtqueue *vq);

void virtqueue_stats_get(const struct virtqueue *vq,
			 struct virtqueue_stats *st);

#endif /* __UK_VIRTQUEUE_H__ */
