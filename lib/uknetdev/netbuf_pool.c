/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Netbuf pools (uk/netbuf_pool.h): a stack of free blocks under a
 * spinlock taken with interrupts off, so receive callbacks (interrupt
 * context) and threads may share a pool. A netbuf's priv points to its
 * pool; its destructor pushes the block back. Invariant: nfree <= size
 * (asserted on every push).
 */
#include <errno.h>
#include <uk/netbuf_pool.h>

static void pool_put(struct uk_netbuf *nb)
{
	struct uk_netbuf_pool *p = nb->priv;
	unsigned long f;

	uk_spin_lock_irqsave(&p->lock, f);
	UK_ASSERT(p->nfree < p->size);
	p->free[p->nfree++] = nb;	/* the netbuf is its block's start */
	uk_spin_unlock_irqrestore(&p->lock, f);
}

struct uk_netbuf *uk_netbuf_pool_get(struct uk_netbuf_pool *p)
{
	struct uk_netbuf *nb;
	unsigned long f;
	void *mem = NULL;

	uk_spin_lock_irqsave(&p->lock, f);
	if (p->nfree)
		mem = p->free[--p->nfree];
	uk_spin_unlock_irqrestore(&p->lock, f);
	if (!mem)
		return NULL;
	nb = uk_netbuf_prepare_buf(mem, p->blocksize, p->headroom, 0,
				   pool_put);
	UK_ASSERT(nb);
	nb->priv = p;
	return nb;
}

unsigned int uk_netbuf_pool_free_count(struct uk_netbuf_pool *p)
{
	/* Relaxed: a snapshot for statistics and tests. */
	return __atomic_load_n(&p->nfree, __ATOMIC_RELAXED);
}

uint16_t uk_netbuf_pool_alloc_rxpkts(void *argp, struct uk_netbuf *pkts[],
				     uint16_t count)
{
	uint16_t i;

	for (i = 0; i < count; i++) {
		pkts[i] = uk_netbuf_pool_get(argp);
		if (!pkts[i])
			break;
	}
	return i;
}

int uk_netbuf_pool_init(struct uk_netbuf_pool *p, struct uk_alloc *a,
			unsigned int n, size_t blocksize, uint16_t headroom)
{
	unsigned int i;

	if (blocksize < sizeof(struct uk_netbuf) + headroom)
		return -EINVAL;
	uk_spin_init(&p->lock);
	p->size = n;
	p->blocksize = blocksize;
	p->headroom = headroom;
	p->nfree = 0;
	p->free = uk_malloc(a, n * sizeof(void *));
	if (!p->free)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		p->free[i] = uk_memalign(a, 64, blocksize);
		if (!p->free[i]) {
			while (i--)
				uk_free(a, p->free[i]);
			uk_free(a, p->free);
			return -ENOMEM;
		}
	}
	p->nfree = n;
	return 0;
}

int uk_netbuf_pool_destroy(struct uk_netbuf_pool *p, struct uk_alloc *a)
{
	unsigned long f;
	unsigned int i;

	uk_spin_lock_irqsave(&p->lock, f);
	if (p->nfree != p->size) {
		uk_spin_unlock_irqrestore(&p->lock, f);
		return -EBUSY;
	}
	for (i = 0; i < p->size; i++)
		uk_free(a, p->free[i]);
	p->size = p->nfree = 0;
	uk_spin_unlock_irqrestore(&p->lock, f);
	uk_free(a, p->free);
	p->free = NULL;
	return 0;
}
