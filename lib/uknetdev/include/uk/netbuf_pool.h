/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * (ours) A fixed pool of equal netbufs that any CPU may take from and
 * give back to in any context (a spinlock with interrupts off), for a
 * driver's receive refill: uk_netbuf_pool_alloc_rxpkts() has the
 * uk_netdev_alloc_rxpkts signature. The last uk_netbuf_free() of a
 * pool netbuf returns its memory to the pool.
 */
#ifndef __UK_NETBUF_POOL_H__
#define __UK_NETBUF_POOL_H__

#include <uk/netbuf.h>
#include <uk/spinlock.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_netbuf_pool {
	struct uk_spinlock lock;	/* protects free and nfree */
	void **free;			/* blocks not handed out */
	unsigned int nfree, size;
	size_t blocksize;		/* netbuf + buffer */
	uint16_t headroom;
};

/*
 * Allocates n blocks of blocksize bytes (netbuf and buffer together,
 * 64-byte aligned) from a; each netbuf handed out has headroom bytes
 * before its data. Thread context. 0 or -ENOMEM (nothing kept).
 */
int uk_netbuf_pool_init(struct uk_netbuf_pool *p, struct uk_alloc *a,
			unsigned int n, size_t blocksize, uint16_t headroom);

/*
 * Gives every block and the stack back to a (the allocator of init).
 * -EBUSY, and nothing changes, while netbufs are out.
 */
int uk_netbuf_pool_destroy(struct uk_netbuf_pool *p, struct uk_alloc *a);

/* A netbuf from the pool (len 0), or NULL when it is empty. Any context. */
struct uk_netbuf *uk_netbuf_pool_get(struct uk_netbuf_pool *p);

/* Blocks in the pool now (a snapshot). */
unsigned int uk_netbuf_pool_free_count(struct uk_netbuf_pool *p);

/* uk_netdev_alloc_rxpkts for argp = a pool: up to count netbufs. */
uint16_t uk_netbuf_pool_alloc_rxpkts(void *argp, struct uk_netbuf *pkts[],
				     uint16_t count);

#ifdef __cplusplus
}
#endif

#endif /* __UK_NETBUF_POOL_H__ */
