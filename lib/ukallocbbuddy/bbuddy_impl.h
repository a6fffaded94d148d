/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to ukallocbbuddy (and its host tests): the allocator's state and
 * the functions its files share.
 *
 * Every 64-byte unit of a region has one state byte. The byte of the first
 * unit of a block holds the block's state (bits 7-6) and order (bits 5-0);
 * every other byte is 0. So a pointer can be checked (is it the start of a
 * block, and an allocated one?) with one load, and a block's buddy is free
 * and whole exactly when its byte reads FREE with the same order.
 * State bytes are read and written with atomic byte operations: a block's
 * owner changes ALLOC <-> CACHED without the buddy lock, while the buddy
 * code (under the lock) reads neighbours' bytes. FREE is only ever set or
 * cleared under the buddy lock, so a merge decision cannot be invalidated.
 *
 * The table's own units are never handed out; their bytes hold the ready
 * bitmap below, and read as NONE. The rest of the table is zeroed lazily,
 * one piece of BB_PIECE bytes (the state of 256 KiB of memory) at a time,
 * the first time a byte in the piece is written; until then the piece's
 * bit in r->ready is clear and its bytes read as 0 (NONE), whatever the
 * memory holds. So adding a region costs its ready bitmap (one bit per
 * 256 KiB), not a write over 1/64 of it: a 2 GiB guest boots as fast as a
 * 128 MiB one. Likewise a region starts as wilderness, [wild, end),
 * counted free but in no list and with no state (NONE): blocks are carved
 * from its start when the lists have none large enough (buddy.c,
 * wild_carve()), so memory is written in the order it is used. A piece's
 * bit is only ever set, under the buddy lock, after the piece was zeroed
 * (release); an unlocked writer (ALLOC <-> CACHED) writes a byte that a
 * locked one wrote before.
 *
 * Invariants, UK_ASSERTed where blocks change hands: a block of order k
 * starts at an address aligned to its size (so its buddy is p ^ size); a
 * block in free list k reads FREE with order k and its header names its
 * region (bb_buddy_take(), give()'s merges); a block given back to the
 * buddy reads ALLOC or CACHED with the order it was taken with, never FREE
 * (bb_buddy_give()); a block in a per-CPU cache of order k reads CACHED
 * with order k (pcpu.c).
 */
#ifndef __BBUDDY_IMPL_H__
#define __BBUDDY_IMPL_H__

#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/spinlock.h>

#define BB_UNIT_SHIFT	6
#define BB_UNIT		(1UL << BB_UNIT_SHIFT)
#define BB_NORDERS	40	/* largest block: 2^39 units (32 TiB) */
#define BB_CACHED_ORDERS 8	/* orders 0-7 (64 B - 8 KiB) are cached */
/*
 * A cache line of state bytes describes 64 units, a block of this order:
 * caches refill with whole such blocks, so that CPUs working on their own
 * blocks do not write the same line of the state table.
 */
#define BB_STATE_LINE_ORDER 6

#define BB_ST_NONE	0	/* not the first unit of a block */
#define BB_ST_FREE	1	/* in the buddy free lists */
#define BB_ST_ALLOC	2	/* handed out */
#define BB_ST_CACHED	3	/* in a per-CPU cache */
#define BB_ST(st, k)	((__u8)((st) << 6 | (k)))
#define BB_ST_STATE(b)	((b) >> 6)
#define BB_ST_ORDER(b)	((b) & 0x3f)

/* Table bytes zeroed at once: the state of 4096 units (256 KiB). */
#define BB_PIECE_SHIFT	12
#define BB_PIECE	(1UL << BB_PIECE_SHIFT)

struct bb_region {
	uintptr_t base;		/* first unit (state table here) */
	uintptr_t first;	/* first unit after the table: the buddy's */
	uintptr_t end;		/* past the last unit */
	uintptr_t wild;		/* [wild, end): not carved into blocks yet */
	__u8 *state;		/* one byte per unit from base */
	__u8 *ready;		/* one bit per piece of state: zeroed */
};

/* Header of a free block in the buddy lists (inside the block). */
struct bb_free {
	struct bb_free *next, *prev;
	struct bb_region *r;
};

/* Header of a block in a per-CPU cache (inside the block). */
struct bb_cached {
	struct bb_cached *next;
	struct bb_region *r;
};

struct bb_mag {
	struct bb_cached *head;
	unsigned long count;
};

/* Per-CPU data: one CPU's caches. */
struct bb_cpu {
	/*
	 * Protects mag[] and writes of cached_units. Taken by the owning
	 * CPU (interrupts off) and by any CPU that drains the caches.
	 * Lock order: a CPU's lock, then the buddy lock.
	 */
	struct uk_spinlock lock;
	unsigned long cached_units;	/* read without the lock (relaxed) */
	struct bb_mag mag[BB_CACHED_ORDERS];
} __align(UKARCH_CACHE_LINE_SIZE);

struct bbuddy {
	struct uk_alloc a;	/* first: the struct uk_alloc * is ours */
	/* Read on every request, written rarely: apart from the lock. */
	int strict;			/* crash on an invalid free */
	int no_caches;		/* atomic: bypass per-CPU caches */
	/* Regions [0, nregions) are set up; published with release. */
	unsigned int nregions;
	struct bb_region regions[UK_ALLOCBBUDDY_MAX_REGIONS];
	/*
	 * Protects free_list, writes of free_units, managed_units and
	 * nregions, region setup, and every BB_ST_FREE state byte.
	 */
	struct uk_spinlock lock __align(UKARCH_CACHE_LINE_SIZE);
	unsigned long free_units;	/* read without the lock (relaxed) */
	unsigned long managed_units;
	unsigned long bad_frees;	/* atomic counter */
	struct bb_free free_list[BB_NORDERS];	/* circular, sentinels */
	struct bb_cpu cpu[CONFIG_UKPLAT_LCPU_MAXCOUNT];
};

static inline struct bbuddy *bb_of(struct uk_alloc *a)
{
	return (struct bbuddy *)a;
}

static inline __u8 *bb_state(struct bb_region *r, uintptr_t p)
{
	return &r->state[(p - r->base) >> BB_UNIT_SHIFT];
}

/* Whether the piece of the table holding p's byte has been zeroed. */
static inline int bb_piece_ready(struct bb_region *r, uintptr_t p)
{
	size_t piece = (p - r->base) >> (BB_UNIT_SHIFT + BB_PIECE_SHIFT);

	/* Acquire: pairs with the release in bb_piece_zero(). */
	return __atomic_load_n(&r->ready[piece / 8], __ATOMIC_ACQUIRE)
	       >> (piece % 8) & 1;
}

/* buddy.c: zeroes the piece of p's byte; under the buddy lock. */
void bb_piece_zero(struct bb_region *r, uintptr_t p);

static inline __u8 bb_state_get(struct bb_region *r, uintptr_t p)
{
	/* The table's own units: their bytes hold r->ready. */
	if (p < r->first || !bb_piece_ready(r, p))
		return BB_ST_NONE;	/* never written: see the file comment */
	/* Relaxed: see the file comment for who may change it when. */
	return __atomic_load_n(bb_state(r, p), __ATOMIC_RELAXED);
}

/* Whether p is the start of a block of order k in state st, aligned to
 * the block's size. For UK_ASSERT. */
static inline int bb_block_is(struct bb_region *r, uintptr_t p,
			      unsigned int st, unsigned int k)
{
	return !(p & ((BB_UNIT << k) - 1)) && bb_state_get(r, p) == BB_ST(st, k);
}

static inline void bb_state_set(struct bb_region *r, uintptr_t p, __u8 v)
{
	if (!bb_piece_ready(r, p))
		bb_piece_zero(r, p);	/* only under the lock: file comment */
	/* Relaxed: as in bb_state_get(). */
	__atomic_store_n(bb_state(r, p), v, __ATOMIC_RELAXED);
}

/* buddy.c: the buddy structure; callers hold b->lock. */
void bb_buddy_init(struct bbuddy *b);
void *bb_buddy_take(struct bbuddy *b, unsigned int k, unsigned int st,
		    struct bb_region **rp);
void bb_buddy_give(struct bbuddy *b, struct bb_region *r, uintptr_t p,
		   unsigned int k);
int bb_buddy_addmem(struct bbuddy *b, void *base, size_t len);
unsigned int bb_buddy_max_order(struct bbuddy *b);	/* NORDERS: none */

/* pcpu.c: per-CPU caches. */
/* count: add to the calling CPU's nb_allocs / nb_frees (UK_ALLOC_F_COUNTS). */
void *bb_cache_alloc(struct bbuddy *b, unsigned int k, int count);
void bb_cache_free(struct bbuddy *b, struct bb_region *r, uintptr_t p,
		   unsigned int k, int count);
void bb_cache_drain_all(struct bbuddy *b);
int bb_cache_max_order(struct bbuddy *b);	/* -1: all empty */

/* bbuddy.c: for host tests, crash (1) or report (0) invalid frees. */
void bb_set_strict(struct uk_alloc *a, int strict);

#endif /* __BBUDDY_IMPL_H__ */
