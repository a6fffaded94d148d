/* SPDX-License-Identifier: BSD-3-Clause */
/* virtio-rng internals shared with its tests (not a public header). */
#ifndef __VIRTIO_RNG_PRIV_H__
#define __VIRTIO_RNG_PRIV_H__

#include <uk/plat/lcpu.h>
#include <uk/spinlock.h>
#include <uk/virtio.h>

#define VIRTIO_RNG_POOL		256	/* bytes kept for non-blocking reads */
#define VIRTIO_RNG_CHUNK	65536	/* largest single device request */
#define VIRTIO_RNG_QSIZE	64	/* at most this many entries */

/* One device request; lives on the requester's stack until done. */
struct rng_req {
	__u8 *buf;
	__u32 len;
	__u32 got;		/* bytes the device wrote */
	unsigned int cpu;	/* to wake when done */
	int done;		/* 0 pending, 1 done, -EIO malformed; atomic */
};

struct rng_irq_count {
	unsigned long n;
} __align(UKARCH_CACHE_LINE_SIZE);

struct virtio_rng {
	struct virtio_dev vdev;
	struct virtqueue *vq;
	/* Serializes the producer side of vq (enqueue, kick). */
	struct uk_spinlock prod_lock;
	/* Serializes the consumer side of vq (dequeue, intr_enable). */
	struct uk_spinlock cons_lock;
	/* Protects pool, pool_len and pool_inflight. */
	struct uk_spinlock pool_lock;
	__u8 pool[VIRTIO_RNG_POOL];
	unsigned int pool_len;
	int pool_inflight;
	struct rng_req pool_req;
	__u8 pool_buf[VIRTIO_RNG_POOL];
	/* Queue interrupts taken, per CPU (written by that CPU only). */
	struct rng_irq_count irqs[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	unsigned long bad;	/* malformed completions (under cons_lock) */
};

/* The device in use, or NULL. */
extern struct virtio_rng *virtio_rng_dev;

/* Tests: queue a request without waiting, wait for one. */
int virtio_rng_submit(struct virtio_rng *r, struct rng_req *req);
void virtio_rng_wait(struct virtio_rng *r, struct rng_req *req);

#endif /* __VIRTIO_RNG_PRIV_H__ */
