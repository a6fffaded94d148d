/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The buddy structure: regions, free lists per order, split and merge.
 * Every function here runs with b->lock held (interrupts off), except
 * bb_buddy_init() on a structure nobody else sees yet.
 */
#include <errno.h>
#include <string.h>
#include <uk/assert.h>
#include "bbuddy_impl.h"

static void list_add(struct bbuddy *b, struct bb_free *f, unsigned int k)
{
	struct bb_free *h = &b->free_list[k];

	f->next = h->next;
	f->prev = h;
	h->next->prev = f;
	h->next = f;
}

static void list_del(struct bb_free *f)
{
	f->prev->next = f->next;
	f->next->prev = f->prev;
}

/* Relaxed store: free_units is only read as a snapshot (availmem). */
static void free_units_add(struct bbuddy *b, long n)
{
	__atomic_store_n(&b->free_units, b->free_units + n, __ATOMIC_RELAXED);
}

void bb_buddy_init(struct bbuddy *b)
{
	unsigned int k;

	for (k = 0; k < BB_NORDERS; k++)
		b->free_list[k].next = b->free_list[k].prev = &b->free_list[k];
}

static int wild_carve(struct bbuddy *b, unsigned int k);

/*
 * Takes a block of order k, splitting a larger one if needed, and marks it
 * st (ALLOC or CACHED). Returns it and its region in *rp, or NULL.
 */
void *bb_buddy_take(struct bbuddy *b, unsigned int k, unsigned int st,
		    struct bb_region **rp)
{
	struct bb_free *f;
	struct bb_region *r;
	unsigned int j = k;

	for (;;) {
		while (j < BB_NORDERS
		       && b->free_list[j].next == &b->free_list[j])
			j++;
		if (j < BB_NORDERS)
			break;
		/* It listed one of order k, maybe merged into a larger one. */
		if (!wild_carve(b, k))
			return NULL;
		j = k;
	}
	f = b->free_list[j].next;
	r = f->r;
	UK_ASSERT(bb_block_is(r, (uintptr_t)f, BB_ST_FREE, j));
	list_del(f);
	/* Split: the upper halves go back to the lists, order by order. */
	while (j > k) {
		struct bb_free *half;

		j--;
		half = (struct bb_free *)((uintptr_t)f + (BB_UNIT << j));
		half->r = r;
		bb_state_set(r, (uintptr_t)half, BB_ST(BB_ST_FREE, j));
		list_add(b, half, j);
	}
	bb_state_set(r, (uintptr_t)f, BB_ST(st, k));
	free_units_add(b, -(1L << k));
	*rp = r;
	return f;
}

static void wild_absorb(struct bb_region *r);

/*
 * Lists block p of order k (state ALLOC or CACHED, or wilderness), merging
 * it with its free buddies; absorb: when it then ends at the wilderness,
 * the wilderness takes it back (and the free blocks below it in turn).
 */
static void give(struct bbuddy *b, struct bb_region *r, uintptr_t p,
		 unsigned int k, int absorb)
{
	struct bb_free *f;

	free_units_add(b, 1L << k);
	while (k + 1 < BB_NORDERS) {
		uintptr_t size = BB_UNIT << k;
		uintptr_t buddy = p ^ size;	/* blocks are size aligned */

		if (buddy < r->base || buddy >= r->end
		    || r->end - buddy < size)
			break;
		if (bb_state_get(r, buddy) != BB_ST(BB_ST_FREE, k))
			break;
		/* A FREE byte is only set on a listed block (under the lock):
		 * its header is ours to unlink. */
		UK_ASSERT(((struct bb_free *)buddy)->r == r);
		list_del((struct bb_free *)buddy);
		/* The upper half's first unit is now inside a block. */
		if (buddy > p) {
			bb_state_set(r, buddy, BB_ST_NONE);
		} else {
			bb_state_set(r, p, BB_ST_NONE);
			p = buddy;
		}
		k++;
	}
	f = (struct bb_free *)p;
	f->r = r;
	bb_state_set(r, p, BB_ST(BB_ST_FREE, k));
	list_add(b, f, k);
	if (absorb && p + (BB_UNIT << k) == r->wild)
		wild_absorb(r);
}

/* Gives back block p of order k (state ALLOC or CACHED), merging it. */
void bb_buddy_give(struct bbuddy *b, struct bb_region *r, uintptr_t p,
		   unsigned int k)
{
	/* Not already free (bbuddy.c's claim_for_free() turns a double free
	 * away before it gets here), and of the order it was taken with. */
	UK_ASSERT(bb_block_is(r, p, BB_ST_CACHED, k)
		  || bb_block_is(r, p, BB_ST_ALLOC, k));
	give(b, r, p, k, 1);
}

/*
 * Zeroes the state table, which starts 64-byte aligned: 8 bytes per store
 * (the table is 1/64 of the memory; under QEMU TCG `rep stosb`, which
 * memset uses, costs a few ns per byte, a visible part of the boot time).
 */
static void zero_table(__u8 *t, size_t n)
{
	size_t words = n / 8;

	__asm__ __volatile__("rep stosq"
			     : "+D"(t), "+c"(words)
			     : "a"(0UL)
			     : "memory");
	memset(t, 0, n % 8);
}

void bb_piece_zero(struct bb_region *r, uintptr_t p)
{
	size_t piece = (p - r->base) >> (BB_UNIT_SHIFT + BB_PIECE_SHIFT);
	size_t from = piece << BB_PIECE_SHIFT;
	size_t to = MIN(from + BB_PIECE, (r->end - r->base) >> BB_UNIT_SHIFT);

	UK_ASSERT(p >= r->first && p < r->end);
	/* Not the bytes of the table's own units: the bitmap is there. */
	from = MAX(from, (r->first - r->base) >> BB_UNIT_SHIFT);
	zero_table(r->state + from, to - from);
	/* Release: the zeroes are visible before the bit (bb_piece_ready). */
	__atomic_fetch_or(&r->ready[piece / 8], (__u8)(1 << (piece % 8)),
			  __ATOMIC_RELEASE);
}

/* Largest k such that [p, p + unit << k) is k-aligned and ends <= end. */
static unsigned int carve_order(uintptr_t p, uintptr_t end)
{
	unsigned int k = 0;

	while (k + 1 < BB_NORDERS && !(p & ((BB_UNIT << (k + 1)) - 1))
	       && end - p >= (BB_UNIT << (k + 1)))
		k++;
	return k;
}

/*
 * Moves blocks from the start of a region's wilderness to the free lists,
 * the largest aligned ones that fit but none above order k, until one of
 * order k was listed; returns 0 when no region's wilderness had one. So
 * memory is first written (block headers, state pieces) in the order it
 * is used, next to what was used before: a region's setup touches none
 * of it, and under a hypervisor every first touch of a page costs.
 */
static int wild_carve(struct bbuddy *b, unsigned int k)
{
	unsigned int i, kk;

	for (i = 0; i < b->nregions; i++) {
		struct bb_region *r = &b->regions[i];

		while (r->wild < r->end) {
			uintptr_t p = r->wild;

			kk = MIN(carve_order(p, r->end), k);
			r->wild += BB_UNIT << kk;
			/* give() counts the block in free_units again. */
			free_units_add(b, -(1L << kk));
			give(b, r, p, kk, 0);
			if (kk == k)
				return 1;
		}
	}
	return 0;
}

/*
 * While a free block ends where r's wilderness starts, takes it back into
 * the wilderness (out of its list, state NONE): so freeing everything
 * gives back the region as it was set up, with its largest blocks.
 */
static void wild_absorb(struct bb_region *r)
{
	unsigned int k = 0;

	while (k < BB_NORDERS && r->wild - r->first >= BB_UNIT << k) {
		uintptr_t q = r->wild - (BB_UNIT << k);

		if (bb_state_get(r, q) != BB_ST(BB_ST_FREE, k)) {
			k++;
			continue;
		}
		list_del((struct bb_free *)q);
		bb_state_set(r, q, BB_ST_NONE);
		r->wild = q;
		k = 0;
	}
}

/* Largest order a block carved from r's wilderness can have, or -1. */
static int wild_max_order(struct bb_region *r)
{
	int k;

	for (k = BB_NORDERS - 1; k >= 0; k--) {
		uintptr_t size = BB_UNIT << k, p = ALIGN_UP(r->wild, size);

		if (p >= r->wild && p < r->end && r->end - p >= size)
			return k;
	}
	return -1;
}

/* Whether [start, end) overlaps b's state or one of its regions. */
static int overlaps(struct bbuddy *b, uintptr_t start, uintptr_t end)
{
	unsigned int i;

	if (start < (uintptr_t)(b + 1) && (uintptr_t)b < end)
		return 1;
	for (i = 0; i < b->nregions; i++)
		if (start < b->regions[i].end && b->regions[i].base < end)
			return 1;
	return 0;
}

/*
 * Adds [base, base + len): the state table at its start, the rest as free
 * blocks. Returns 0, -EINVAL (too small, wrapping, or overlapping memory b
 * already has), -ENOSPC (region table full).
 */
int bb_buddy_addmem(struct bbuddy *b, void *base, size_t len)
{
	uintptr_t start = ALIGN_UP((uintptr_t)base, BB_UNIT);
	uintptr_t end = (uintptr_t)base + len, first;
	struct bb_region *r;
	size_t units, pieces;

	if (end < (uintptr_t)base || end < start)
		return -EINVAL;
	end = ALIGN_DOWN(end, BB_UNIT);
	units = (end - start) >> BB_UNIT_SHIFT;
	pieces = DIV_ROUND_UP(units, BB_PIECE);
	/* The table takes 1/64 of the range; keep at least 4 units. */
	first = ALIGN_UP(start + units, BB_UNIT);
	if (units < 8 || first >= end || end - first < 4 * BB_UNIT)
		return -EINVAL;
	/*
	 * The ready bitmap (a bit per piece, 1/2^15 of the units) lies in
	 * the table's own state bytes, which nothing reads or writes (below
	 * r->first), so it moves nothing the buddy hands out.
	 */
	UK_ASSERT(DIV_ROUND_UP(pieces, 8) <= (first - start) >> BB_UNIT_SHIFT);
	if (overlaps(b, (uintptr_t)base, (uintptr_t)base + len))
		return -EINVAL;
	if (b->nregions == UK_ALLOCBBUDDY_MAX_REGIONS)
		return -ENOSPC;
	r = &b->regions[b->nregions];
	r->base = start;
	r->end = end;
	r->first = first;
	r->state = (__u8 *)start;
	r->ready = (__u8 *)start;
	zero_table(r->ready, DIV_ROUND_UP(pieces, 8));
	/* All of it is wilderness: carved into blocks as they are needed. */
	r->wild = first;
	/* Release: a CPU that sees the new count sees the region's fields. */
	__atomic_store_n(&b->nregions, b->nregions + 1, __ATOMIC_RELEASE);
	free_units_add(b, (long)((end - first) >> BB_UNIT_SHIFT));
	b->managed_units += (end - first) >> BB_UNIT_SHIFT;
	return 0;
}

unsigned int bb_buddy_max_order(struct bbuddy *b)
{
	int k = BB_NORDERS, w = -1;
	unsigned int i;

	for (i = 0; i < b->nregions; i++)
		w = MAX(w, wild_max_order(&b->regions[i]));
	while (k-- > w + 1)
		if (b->free_list[k].next != &b->free_list[k])
			return k;
	return w >= 0 ? (unsigned int)w : BB_NORDERS;
}
