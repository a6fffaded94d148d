/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU caches (magazines) of small blocks in front of the buddy lock.
 *
 * Each CPU has, per cached order, a stack of free blocks linked through the
 * blocks themselves. The calling CPU's caches are used with local interrupts
 * disabled (an interrupt handler that allocates cannot break in, and the
 * cooperative scheduler cannot move the thread to another CPU while
 * interrupts are off and it does not yield) and under the cache's own
 * spinlock, which is uncontended except when another CPU drains the caches
 * because memory ran short. An empty cache takes batch_of(k) blocks from
 * the buddy structure in one lock hold; a cache holding more than twice
 * that gives batch_of(k) back in one lock hold. A free goes to the freeing
 * CPU's cache, whichever CPU allocated the block.
 */
#include <uk/alloc_impl.h>
#include <uk/assert.h>
#include "bbuddy_impl.h"

/*
 * Blocks moved per refill or drain: 64 of 64 bytes, then about 4 KiB
 * worth (at least 4 blocks), a refill rounds up to whole
 * BB_STATE_LINE_ORDER blocks.
 */
static unsigned long batch_of(unsigned int k)
{
	unsigned long n = 4096UL >> (k + BB_UNIT_SHIFT);

	return n < 4 ? 4 : n;
}

static void cached_add(struct bb_cpu *c, long units)
{
	/* Relaxed: written under c->lock, read only as a snapshot. */
	__atomic_store_n(&c->cached_units, c->cached_units + units,
			 __ATOMIC_RELAXED);
}

static void mag_push(struct bb_mag *m, struct bb_cached *x)
{
	x->next = m->head;
	m->head = x;
	m->count++;
}

/* Gives the blocks of list (order k, linked by next) to the buddy. */
static void give_list(struct bbuddy *b, struct bb_cached *list,
		      unsigned int k)
{
	while (list) {
		struct bb_cached *next = list->next;

		/* bb_buddy_give() overwrites the header: next read first. */
		bb_buddy_give(b, list->r, (uintptr_t)list, k);
		list = next;
	}
}

/*
 * Fills c's empty order-k cache from the buddy; c->lock held, irqs off.
 * Small orders come as whole blocks of BB_STATE_LINE_ORDER split here, so
 * the cached blocks' state bytes share lines with no other CPU's; when
 * none is left, as single order-k blocks.
 */
static void refill(struct bbuddy *b, struct bb_cpu *c, unsigned int k)
{
	unsigned int ck = k < BB_STATE_LINE_ORDER ? BB_STATE_LINE_ORDER : k;
	unsigned long got = 0, n = batch_of(k), i;
	struct bb_region *r;

	uk_spin_lock(&b->lock);
	while (got < n) {
		char *x = bb_buddy_take(b, ck, BB_ST_CACHED, &r);

		if (!x && ck > k) {
			ck = k;
			continue;
		}
		if (!x)
			break;
		for (i = 0; i < 1UL << (ck - k); i++) {
			struct bb_cached *y = (struct bb_cached *)
					      (x + (i << (k + BB_UNIT_SHIFT)));

			bb_state_set(r, (uintptr_t)y, BB_ST(BB_ST_CACHED, k));
			y->r = r;
			mag_push(&c->mag[k], y);
		}
		got += 1UL << (ck - k);
	}
	uk_spin_unlock(&b->lock);
	cached_add(c, (long)(got << k));
}

void *bb_cache_alloc(struct bbuddy *b, unsigned int k, int count)
{
	struct bb_cached *x;
	struct bb_region *r = NULL;
	struct bb_cpu *c;
	unsigned long f;
	unsigned int cpu;

	f = ukplat_lcpu_save_irqf();
	cpu = ukplat_lcpu_idx();
	c = &b->cpu[cpu];
	uk_spin_lock(&c->lock);
	if (!c->mag[k].head)
		refill(b, c, k);
	x = c->mag[k].head;
	if (x) {
		c->mag[k].head = x->next;
		c->mag[k].count--;
		cached_add(c, -(1L << k));
		r = x->r;
		if (count)
			uk_alloc_stat_inc_irqoff(&b->a._stats[cpu].nb_allocs);
	}
	uk_spin_unlock(&c->lock);
	ukplat_lcpu_restore_irqf(f);
	if (x) {
		/* The cache's blocks stay CACHED until here (file comment of
		 * bbuddy_impl.h): no free can have claimed it meanwhile. */
		UK_ASSERT(bb_block_is(r, (uintptr_t)x, BB_ST_CACHED, k));
		bb_state_set(r, (uintptr_t)x, BB_ST(BB_ST_ALLOC, k));
	}
	return x;
}

void bb_cache_free(struct bbuddy *b, struct bb_region *r, uintptr_t p,
		   unsigned int k, int count)
{
	struct bb_cached *x = (struct bb_cached *)p, *list = NULL;
	unsigned long i, n = batch_of(k);
	struct bb_mag *m;
	struct bb_cpu *c;
	unsigned long f;
	unsigned int cpu;

	f = ukplat_lcpu_save_irqf();
	cpu = ukplat_lcpu_idx();
	c = &b->cpu[cpu];
	if (count)
		uk_alloc_stat_inc_irqoff(&b->a._stats[cpu].nb_frees);
	uk_spin_lock(&c->lock);
	m = &c->mag[k];
	/* claim_for_free() (bbuddy.c) made it CACHED, with its order. */
	UK_ASSERT(bb_block_is(r, p, BB_ST_CACHED, k));
	x->r = r;
	mag_push(m, x);
	if (m->count > 2 * n) {
		for (i = 0; i < n; i++) {
			struct bb_cached *y = m->head;

			m->head = y->next;
			y->next = list;
			list = y;
		}
		m->count -= n;
		cached_add(c, (1L << k) - (long)(n << k));
	} else {
		cached_add(c, 1L << k);
	}
	uk_spin_unlock(&c->lock);
	if (list) {
		uk_spin_lock(&b->lock);
		give_list(b, list, k);
		uk_spin_unlock(&b->lock);
	}
	ukplat_lcpu_restore_irqf(f);
}

void bb_cache_drain_all(struct bbuddy *b)
{
	struct bb_cached *lists[BB_CACHED_ORDERS];
	unsigned int i, k;
	unsigned long f;

	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++) {
		struct bb_cpu *c = &b->cpu[i];

		/* Relaxed: a hint; an empty cache is skipped. */
		if (!__atomic_load_n(&c->cached_units, __ATOMIC_RELAXED))
			continue;
		f = ukplat_lcpu_save_irqf();
		uk_spin_lock(&c->lock);
		for (k = 0; k < BB_CACHED_ORDERS; k++) {
			lists[k] = c->mag[k].head;
			c->mag[k].head = NULL;
			c->mag[k].count = 0;
		}
		cached_add(c, -(long)c->cached_units);
		uk_spin_unlock(&c->lock);
		uk_spin_lock(&b->lock);
		for (k = 0; k < BB_CACHED_ORDERS; k++)
			give_list(b, lists[k], k);
		uk_spin_unlock(&b->lock);
		ukplat_lcpu_restore_irqf(f);
	}
}

int bb_cache_max_order(struct bbuddy *b)
{
	int best = -1, k;
	unsigned int i;
	unsigned long f;

	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++) {
		struct bb_cpu *c = &b->cpu[i];

		/* Relaxed: a hint, as in bb_cache_drain_all(). */
		if (!__atomic_load_n(&c->cached_units, __ATOMIC_RELAXED))
			continue;
		f = ukplat_lcpu_save_irqf();
		uk_spin_lock(&c->lock);
		for (k = BB_CACHED_ORDERS - 1; k > best; k--)
			if (c->mag[k].head) {
				best = k;
				break;
			}
		uk_spin_unlock(&c->lock);
		ukplat_lcpu_restore_irqf(f);
	}
	return best;
}
