/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The struct uk_alloc of the buddy allocator: sizes to orders, the choice
 * between per-CPU caches and the buddy lock, checks of freed pointers,
 * creation and counters.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc_impl.h>
#include <uk/assert.h>
#include <uk/print.h>
#include "bbuddy_impl.h"

/* Largest block: orders 0 .. BB_NORDERS - 1. */
#define BB_MAX_BYTES	(BB_UNIT << (BB_NORDERS - 1))

/* Order of the smallest block holding size bytes; BB_NORDERS if none. */
static unsigned int order_of(size_t size)
{
	size_t units;

	if (size > BB_MAX_BYTES)
		return BB_NORDERS;
	units = (size + BB_UNIT - 1) >> BB_UNIT_SHIFT;
	if (units <= 1)
		return 0;
	return (unsigned int)(64 - __builtin_clzl(units - 1));
}

static struct bb_region *region_of(struct bbuddy *b, uintptr_t p)
{
	/* Acquire: pairs with the release in bb_buddy_addmem(). */
	unsigned int i, n = __atomic_load_n(&b->nregions, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (p >= b->regions[i].base && p < b->regions[i].end)
			return &b->regions[i];
	return NULL;
}

/* Whether order k goes through the per-CPU caches. */
static int cached(struct bbuddy *b, unsigned int k)
{
	/* Relaxed: a mode switch; either path is correct at any time. */
	return k < BB_CACHED_ORDERS
	       && !__atomic_load_n(&b->no_caches, __ATOMIC_RELAXED);
}

/*
 * A block of order k, or NULL. count: add it to the calling CPU's
 * nb_allocs (malloc family, not pages or realloc's moves), counted where
 * interrupts are off anyway (UK_ALLOC_F_COUNTS).
 */
static void *block_alloc(struct bbuddy *b, unsigned int k, int count)
{
	struct bb_region *r;
	unsigned long f;
	void *p = NULL;
	int round;

	if (k >= BB_NORDERS)
		return NULL;
	/*
	 * Out of memory at first: empty every CPU's cache into the buddy
	 * (merging blocks) and try again; twice, since another CPU may
	 * refill its cache from what we drained in between.
	 */
	for (round = 0; round < 3 && !p; round++) {
		if (round)
			bb_cache_drain_all(b);
		if (cached(b, k)) {
			p = bb_cache_alloc(b, k, count);
			continue;
		}
		uk_spin_lock_irqsave(&b->lock, f);
		p = bb_buddy_take(b, k, BB_ST_ALLOC, &r);
		if (p && count)
			uk_alloc_stat_inc_irqoff(
				&b->a._stats[ukplat_lcpu_idx()].nb_allocs);
		uk_spin_unlock_irqrestore(&b->lock, f);
	}
	return p;
}

static void bad_free(struct bbuddy *b, const char *what, void *p,
		     const char *why)
{
	/* Relaxed: a counter for tests and reports. */
	__atomic_fetch_add(&b->bad_frees, 1, __ATOMIC_RELAXED);
	if (b->strict)
		UK_CRASH("bbuddy: %s(%p): %s\n", what, p, why);
	uk_pr_err("bbuddy: %s(%p): %s; ignored\n", what, p, why);
}

/*
 * Checks that p is the start of an allocated block of a and marks it
 * CACHED (owned by the free in progress). Returns its order, or -1 after
 * reporting an invalid pointer.
 */
static int claim_for_free(struct bbuddy *b, const char *what, void *p,
			  struct bb_region **rp)
{
	uintptr_t u = (uintptr_t)p;
	struct bb_region *r = region_of(b, u);
	__u8 s;

	if (!r) {
		bad_free(b, what, p, "pointer not from this allocator");
		return -1;
	}
	if (u & (BB_UNIT - 1)) {
		bad_free(b, what, p, "misaligned: not the start of a block");
		return -1;
	}
	s = bb_state_get(r, u);
	do {
		if (BB_ST_STATE(s) == BB_ST_NONE) {
			bad_free(b, what, p,
				 "misaligned: inside a block, not its start");
			return -1;
		}
		if (BB_ST_STATE(s) != BB_ST_ALLOC) {
			bad_free(b, what, p, "double free: block is free");
			return -1;
		}
		/*
		 * Relaxed: the CAS only decides which of two racing frees
		 * owns the block; its contents are ordered by the cache or
		 * buddy lock the block goes through next.
		 */
	} while (!__atomic_compare_exchange_n(
			bb_state(r, u), &s,
			BB_ST(BB_ST_CACHED, BB_ST_ORDER(s)), 0,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED));
	*rp = r;
	return BB_ST_ORDER(s);
}

/* Gives back a claimed block; count as in block_alloc() (nb_frees). */
static void block_free(struct bbuddy *b, struct bb_region *r, void *p,
		       unsigned int k, int count)
{
	unsigned long f;

	if (cached(b, k)) {
		bb_cache_free(b, r, (uintptr_t)p, k, count);
		return;
	}
	uk_spin_lock_irqsave(&b->lock, f);
	if (count)
		uk_alloc_stat_inc_irqoff(
			&b->a._stats[ukplat_lcpu_idx()].nb_frees);
	bb_buddy_give(b, r, (uintptr_t)p, k);
	uk_spin_unlock_irqrestore(&b->lock, f);
}

static void *bb_malloc(struct uk_alloc *a, size_t size)
{
	return block_alloc(bb_of(a), order_of(size), 1);
}

/* free() of p; count as in block_free(). */
static void free_counted(struct bbuddy *b, void *p, int count)
{
	struct bb_region *r;
	int k;

	if (!p)
		return;
	k = claim_for_free(b, "free", p, &r);
	if (k >= 0)
		block_free(b, r, p, (unsigned int)k, count);
}

static void bb_free(struct uk_alloc *a, void *p)
{
	free_counted(bb_of(a), p, 1);
}

static void *bb_realloc(struct uk_alloc *a, void *p, size_t size)
{
	struct bbuddy *b = bb_of(a);
	struct bb_region *r;
	size_t have;
	void *q;
	__u8 s;

	if (!p)
		return bb_malloc(a, size);
	r = region_of(b, (uintptr_t)p);
	s = r && !((uintptr_t)p & (BB_UNIT - 1))
	    ? bb_state_get(r, (uintptr_t)p) : 0;
	if (BB_ST_STATE(s) != BB_ST_ALLOC) {
		bad_free(b, "realloc", p, "not an allocated block");
		return NULL;
	}
	have = BB_UNIT << BB_ST_ORDER(s);
	if (order_of(size) == BB_ST_ORDER(s))
		return p;
	/* A move: neither a new block nor a freed one for the counters. */
	q = block_alloc(b, order_of(size), 0);
	if (!q)
		return NULL;
	memcpy(q, p, size < have ? size : have);
	free_counted(b, p, 0);
	return q;
}

/* Blocks are aligned to their size: ask for one at least align big. */
static void *bb_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	return bb_malloc(a, size > align ? size : align);
}

static int bb_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
			     size_t size)
{
	void *p = bb_memalign(a, align, size);

	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

static void *bb_palloc(struct uk_alloc *a, unsigned long num_pages)
{
	if (num_pages > BB_MAX_BYTES / PAGE_SIZE)
		return NULL;
	/* Pages are counted by uk_palloc() (nb_pallocs). */
	return block_alloc(bb_of(a), order_of(num_pages * PAGE_SIZE), 0);
}

static void bb_pfree(struct uk_alloc *a, void *p, unsigned long num_pages)
{
	struct bbuddy *b = bb_of(a);
	struct bb_region *r;
	int k;

	if (!p)
		return;
	k = claim_for_free(b, "pfree", p, &r);
	if (k < 0)
		return;
	if (num_pages > BB_MAX_BYTES / PAGE_SIZE
	    || order_of(num_pages * PAGE_SIZE) != (unsigned int)k) {
		/* Undo the claim: the block stays allocated. */
		bb_state_set(r, (uintptr_t)p, BB_ST(BB_ST_ALLOC, k));
		bad_free(b, "pfree", p, "page count differs from palloc's");
		return;
	}
	block_free(b, r, p, (unsigned int)k, 0);
}

static long bb_availmem(struct uk_alloc *a)
{
	struct bbuddy *b = bb_of(a);
	unsigned long units;
	unsigned int i;

	/* Relaxed: a snapshot of counters written under their locks. */
	units = __atomic_load_n(&b->free_units, __ATOMIC_RELAXED);
	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++)
		units += __atomic_load_n(&b->cpu[i].cached_units,
					 __ATOMIC_RELAXED);
	return (long)(units << BB_UNIT_SHIFT);
}

static long bb_maxalloc(struct uk_alloc *a)
{
	struct bbuddy *b = bb_of(a);
	unsigned int k;
	unsigned long f;
	int ck;

	uk_spin_lock_irqsave(&b->lock, f);
	k = bb_buddy_max_order(b);
	uk_spin_unlock_irqrestore(&b->lock, f);
	if (k == BB_NORDERS || k < BB_CACHED_ORDERS) {
		ck = bb_cache_max_order(b);
		if (ck >= 0 && (k == BB_NORDERS || (unsigned int)ck > k))
			k = (unsigned int)ck;
	}
	return k == BB_NORDERS ? 0 : (long)(BB_UNIT << k);
}

static int bb_addmem(struct uk_alloc *a, void *base, size_t len)
{
	struct bbuddy *b = bb_of(a);
	unsigned long f;
	int rc;

	uk_spin_lock_irqsave(&b->lock, f);
	rc = bb_buddy_addmem(b, base, len);
	uk_spin_unlock_irqrestore(&b->lock, f);
	return rc;
}

struct uk_alloc *uk_allocbbuddy_create(void *base, size_t len)
{
	uintptr_t start = ALIGN_UP((uintptr_t)base, UKARCH_CACHE_LINE_SIZE);
	uintptr_t end = (uintptr_t)base + len;
	struct bbuddy *b = (struct bbuddy *)start;

	if (end < (uintptr_t)base || start > end
	    || end - start < sizeof(*b))
		return NULL;
	memset(b, 0, sizeof(*b));
	uk_spin_init(&b->lock);
	bb_buddy_init(b);
#if CONFIG_LIBUKALLOCBBUDDY_DEBUG
	b->strict = 1;
#endif
	b->a.name = "bbuddy";
	b->a.flags = UK_ALLOC_F_COUNTS;
	b->a.malloc = bb_malloc;
	b->a.calloc = uk_calloc_compat;
	b->a.realloc = bb_realloc;
	b->a.posix_memalign = bb_posix_memalign;
	b->a.memalign = bb_memalign;
	b->a.free = bb_free;
	b->a.palloc = bb_palloc;
	b->a.pfree = bb_pfree;
	b->a.maxalloc = bb_maxalloc;
	b->a.availmem = bb_availmem;
	b->a.addmem = bb_addmem;
	/* No lock needed yet: nobody else knows b. */
	if (bb_buddy_addmem(b, (void *)(start + sizeof(*b)),
			    end - start - sizeof(*b)) < 0)
		return NULL;
	return &b->a;
}

struct uk_alloc *uk_allocbbuddy_init(void *base, size_t len)
{
	struct uk_alloc *a = uk_allocbbuddy_create(base, len);

	if (a && uk_alloc_register(a) < 0)
		return NULL;
	return a;
}

void uk_allocbbuddy_drain(struct uk_alloc *a)
{
	bb_cache_drain_all(bb_of(a));
}

void uk_allocbbuddy_set_cpu_caches(struct uk_alloc *a, int on)
{
	/* Relaxed: see cached(). */
	__atomic_store_n(&bb_of(a)->no_caches, !on, __ATOMIC_RELAXED);
	if (!on)
		bb_cache_drain_all(bb_of(a));
}

void uk_allocbbuddy_info(struct uk_alloc *a, struct uk_allocbbuddy_info *i)
{
	struct bbuddy *b = bb_of(a);
	unsigned long cached = 0, f;
	unsigned int c;

	for (c = 0; c < CONFIG_UKPLAT_LCPU_MAXCOUNT; c++)
		/* Relaxed: snapshot, as in bb_availmem(). */
		cached += __atomic_load_n(&b->cpu[c].cached_units,
					  __ATOMIC_RELAXED);
	uk_spin_lock_irqsave(&b->lock, f);
	i->buddy_free = b->free_units << BB_UNIT_SHIFT;
	i->managed = b->managed_units << BB_UNIT_SHIFT;
	uk_spin_unlock_irqrestore(&b->lock, f);
	i->cached = cached << BB_UNIT_SHIFT;
	/* Relaxed: a counter. */
	i->bad_frees = __atomic_load_n(&b->bad_frees, __ATOMIC_RELAXED);
}

void bb_set_strict(struct uk_alloc *a, int strict)
{
	bb_of(a)->strict = strict;
}
