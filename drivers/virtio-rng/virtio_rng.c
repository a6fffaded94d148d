/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-rng driver: one request queue, answered by the device with
 * random bytes written into driver buffers.
 *
 * Requests come from any CPU (producer side under prod_lock); completions
 * are taken by the queue's interrupt handler on the CPU its MSI-X entry
 * targets, or by a waiting requester that polls (consumer side under
 * cons_lock). Whoever takes a completion marks the request done and wakes
 * the requester's CPU. Lock order: cons_lock, then pool_lock; prod_lock
 * is never held with either.
 *
 * A request struct lives on the requester's stack: the completer reads
 * everything it needs from it before the release store of done, after
 * which the requester may return.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/print.h>
#include <uk/virtio_rng.h>
#include "virtio_rng.h"
#if CONFIG_LIBUKRANDOM
#include <uk/random.h>
#endif

struct virtio_rng *virtio_rng_dev;

/* Marks req done with got bytes (or -EIO) and wakes its CPU. */
static void complete(struct virtio_rng *r, struct rng_req *req, int rc,
		     __u32 got)
{
	unsigned int cpu = req->cpu;
	unsigned long f;

	if (req == &r->pool_req) {
		uk_spin_lock_irqsave(&r->pool_lock, f);
		got = rc < 0 ? 0 : MIN(got, VIRTIO_RNG_POOL - r->pool_len);
		memcpy(r->pool + r->pool_len, r->pool_buf, got);
		r->pool_len += got;
		r->pool_inflight = 0;
		uk_spin_unlock_irqrestore(&r->pool_lock, f);
		return;
	}
	req->got = got;
	/*
	 * Release: got and the bytes the device wrote (ordered by
	 * virtqueue_dequeue's acquire) are visible to the requester's
	 * acquire load of done. req may be gone after this store.
	 */
	__atomic_store_n(&req->done, rc < 0 ? -EIO : 1, __ATOMIC_RELEASE);
	if (cpu != ukplat_lcpu_idx())
		ukplat_lcpu_wakeup(cpu);
}

/* Drains the used ring; cons_lock held. */
static void drain(struct virtio_rng *r)
{
	void *ck;
	__u32 len;
	int rc;

	do {
		while ((rc = virtqueue_dequeue(r->vq, &ck, &len)) != 0) {
			if (rc < 0)
				r->bad++;
			if (ck)
				complete(r, ck, rc, len);
		}
	} while (virtqueue_intr_enable(r->vq));
}

static int rng_irq(void *arg)
{
	struct virtio_rng *r = arg;
	unsigned long f;

	r->irqs[ukplat_lcpu_idx()].n++;
	uk_spin_lock_irqsave(&r->cons_lock, f);
	drain(r);
	uk_spin_unlock_irqrestore(&r->cons_lock, f);
	return 1;
}

/* A waiter's poll: drains unless someone else is at it. */
static void poll_used(struct virtio_rng *r)
{
	unsigned long f;

	if (uk_spin_trylock_irqsave(&r->cons_lock, f)) {
		drain(r);
		uk_spin_unlock_irqrestore(&r->cons_lock, f);
	}
}

int virtio_rng_submit(struct virtio_rng *r, struct rng_req *req)
{
	struct virtqueue_seg seg = { req->buf, req->len };
	unsigned long f;
	int rc;

	req->cpu = ukplat_lcpu_idx();
	req->got = 0;
	req->done = 0;
	uk_spin_lock_irqsave(&r->prod_lock, f);
	rc = virtqueue_enqueue(r->vq, req, &seg, 0, 1);
	if (rc == 0)
		virtqueue_kick(r->vq);
	uk_spin_unlock_irqrestore(&r->prod_lock, f);
	return rc;
}

void virtio_rng_wait(struct virtio_rng *r, struct rng_req *req)
{
	unsigned long f;

	/* Acquire: pairs with the release store in complete(). */
	while (!__atomic_load_n(&req->done, __ATOMIC_ACQUIRE)) {
		poll_used(r);
		f = ukplat_lcpu_save_irqf();
		if (__atomic_load_n(&req->done, __ATOMIC_ACQUIRE)) {
			ukplat_lcpu_restore_irqf(f);
			break;
		}
		/*
		 * Interrupts were on: sti; hlt cannot miss the wake-up IPI
		 * (or the queue interrupt) sent after the check above.
		 * Interrupts were off: keep polling.
		 */
		if (f & X86_EFLAGS_IF)
			ukplat_lcpu_halt_irq();
		else
			ukarch_spinwait();
		ukplat_lcpu_restore_irqf(f);
	}
}

/* Submits req, waiting for free descriptors as long as it takes. */
static void submit_wait(struct virtio_rng *r, struct rng_req *req)
{
	while (virtio_rng_submit(r, req) == -ENOSPC) {
		poll_used(r);
		ukarch_spinwait();
	}
}

static ssize_t read_blocking(struct virtio_rng *r, __u8 *buf, size_t len)
{
	struct rng_req req;
	size_t off = 0;

	while (off < len) {
		req.buf = buf + off;
		req.len = MIN(len - off, (size_t)VIRTIO_RNG_CHUNK);
		submit_wait(r, &req);
		virtio_rng_wait(r, &req);
		if (req.done < 0)
			return off ? (ssize_t)off : -EIO;
		off += req.got;
	}
	return (ssize_t)len;
}

/* Asks for a pool refill when none is in flight; pool_lock held. */
static int pool_refill_needed(struct virtio_rng *r)
{
	if (r->pool_inflight || r->pool_len == VIRTIO_RNG_POOL)
		return 0;
	r->pool_inflight = 1;
	r->pool_req.buf = r->pool_buf;
	r->pool_req.len = VIRTIO_RNG_POOL - r->pool_len;
	return 1;
}

/* Takes up to len pooled bytes into buf (may be 0), then refills. */
static size_t pool_take(struct virtio_rng *r, __u8 *buf, size_t len)
{
	unsigned long f;
	size_t n;
	int refill;

	uk_spin_lock_irqsave(&r->pool_lock, f);
	n = MIN(len, (size_t)r->pool_len);
	if (n)
		memcpy(buf, r->pool + r->pool_len - n, n);
	r->pool_len -= n;
	refill = pool_refill_needed(r);
	uk_spin_unlock_irqrestore(&r->pool_lock, f);
	if (refill && virtio_rng_submit(r, &r->pool_req) < 0) {
		uk_spin_lock_irqsave(&r->pool_lock, f);
		r->pool_inflight = 0;	/* queue full: next read retries */
		uk_spin_unlock_irqrestore(&r->pool_lock, f);
	}
	return n;
}

static ssize_t read_nonblock(struct virtio_rng *r, __u8 *buf, size_t len)
{
	size_t n = pool_take(r, buf, len);

	return n ? (ssize_t)n : -EAGAIN;
}

ssize_t uk_virtio_rng_read(void *buf, size_t len, int flags)
{
	struct virtio_rng *r = virtio_rng_dev;

	if (!r)
		return -ENODEV;
	if (!len)
		return 0;
	if (flags & UK_VIRTIO_RNG_NONBLOCK)
		return read_nonblock(r, buf, len);
	return read_blocking(r, buf, len);
}

int uk_virtio_rng_present(void)
{
	return virtio_rng_dev != NULL;
}

#if CONFIG_LIBUKRANDOM
static ssize_t source_read(void *buf, size_t len, int flags)
{
	return uk_virtio_rng_read(buf, len, flags & UK_RANDOM_NONBLOCK
				  ? UK_VIRTIO_RNG_NONBLOCK : 0);
}

/* ukrandom seeds and reseeds its per-CPU generators from the device. */
static const struct uk_random_source rng_source = {
	.name = "virtio-rng",
	.read = source_read,
};
#endif

static int rng_add(struct pci_device *pdev)
{
	struct virtio_rng *r;
	int rc;

	if (virtio_rng_dev)
		return -EBUSY;	/* one device is enough */
	r = uk_calloc(uk_alloc_get_default(), 1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	uk_spin_init(&r->prod_lock);
	uk_spin_init(&r->cons_lock);
	uk_spin_init(&r->pool_lock);
	rc = virtio_pci_init(&r->vdev, pdev, 1ULL << VIRTIO_F_RING_EVENT_IDX
			     | 1ULL << VIRTIO_F_INDIRECT_DESC);
	if (rc < 0)
		goto out_free;
	r->vq = virtio_vq_setup(&r->vdev, 0, VIRTIO_RNG_QSIZE, 0, rng_irq, r);
	rc = r->vq ? virtio_ready(&r->vdev) : -ENOSPC;
	if (rc < 0) {
		virtio_fail(&r->vdev);
		goto out_free;
	}
	pdev->priv = r;
	/* Release: the set-up is complete before readers can see r. */
	__atomic_store_n(&virtio_rng_dev, r, __ATOMIC_RELEASE);
	/* Fill the non-blocking pool (completes once interrupts are on). */
	pool_take(r, NULL, 0);
#if CONFIG_LIBUKRANDOM
	uk_random_source_register(&rng_source);
#endif
	uk_pr_info("virtio-rng: %02x:%02x.%x, queue of %u, features %#llx\n",
		   pdev->addr.bus, pdev->addr.devid, pdev->addr.function,
		   virtqueue_num(r->vq), (unsigned long long)r->vdev.features);
	return 0;
out_free:
	/* Nothing the device can still write to was set up, or it is FAILED. */
	if (!r->vq)
		uk_free(uk_alloc_get_default(), r);
	return rc;
}

static const struct pci_device_id rng_ids[] = {
	{ PCI_DEVICE_ID(VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE
			+ VIRTIO_ID_RNG) },
	{ PCI_DEVICE_ID(VIRTIO_PCI_VENDOR, 0x1005) },	/* transitional */
	PCI_DEVICE_ID_END
};

static struct pci_driver rng_driver = {
	.name = "virtio-rng",
	.device_ids = rng_ids,
	.add_dev = rng_add,
};

static int rng_register(void)
{
	if (uk_pci_driver_register(&rng_driver) <= 0)
		uk_pr_info("virtio-rng: no device (-ENODEV)\n");
	return 0;
}
uk_lib_initcall(rng_register);
