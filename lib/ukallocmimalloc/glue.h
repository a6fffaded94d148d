/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to ukallocmimalloc: what the glue files share, and the
 * operations both the struct uk_alloc (glue.c) and the C library's malloc
 * family (malloc.c) run, inlined into each so that malloc() costs what
 * mi_malloc() costs plus a compare (doc/ukallocmimalloc.md).
 */
#ifndef __UK_MIMALLOC_GLUE_H__
#define __UK_MIMALLOC_GLUE_H__

#include <stddef.h>
#include <stdint.h>
#include <uk/alloc_impl.h>
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>
#include "mimalloc.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "mimalloc-internal.h"
#pragma GCC diagnostic pop

#if CONFIG_LIBUKALLOCMIMALLOC_STATS
#define UK_MI_STATS 1
#else
#define UK_MI_STATS 0
#endif
#if CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES
#define UK_MI_BYTES 1
#else
#define UK_MI_BYTES 0
#endif

/*
 * The allocator mimalloc takes its memory from (the boot allocator); set
 * once by glue.c before mimalloc starts, read-only afterwards.
 */
extern struct uk_alloc *uk_mimalloc_backing;

/* The struct uk_alloc of mimalloc (glue.c). */
extern struct uk_alloc uk_mimalloc_alloc;

/*
 * The first (largest) arena's range: written once before mimalloc is
 * registered, read-only afterwards (published by the registration's
 * release). Blocks in it are mimalloc's for sure: the backing allocator
 * handed the whole range over. 0/0 when there is no arena.
 */
extern uintptr_t uk_mimalloc_arena0;
extern uintptr_t uk_mimalloc_arena0_len;

/* Per-CPU data: bytes in blocks handed out (alloc adds, free subtracts). */
struct uk_mimalloc_cpu_live {
	long bytes;
} __align(UKARCH_CACHE_LINE_SIZE);

extern struct uk_mimalloc_cpu_live uk_mimalloc_live[];

/* Bytes mimalloc currently holds from the backing allocator (os.c). */
size_t uk_mimalloc_os_bytes(void);

/* Counts bytes taken from (or, negative, given back to) the backing. */
void uk_mimalloc_os_account(long bytes);

/*
 * Counting without locked instructions: this CPU's copies of the
 * counters are written only by this CPU, and nothing else runs on it
 * between reading the index and the store: threads are not preempted
 * (ukschedcoop switches only when a thread yields or blocks, which no
 * allocator operation does), and interrupt handlers must not use this
 * allocator. Relaxed: readers sum snapshots and order nothing else by
 * them. (A locked add per counter made a host alloc+free pair about twice
 * as slow: bench/.)
 */
static inline void uk_mi_cpu_add(long *c, long n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

/*
 * Counts one block (sign 1: handed out, -1: taken back) in the counters
 * the configuration keeps: blocks (LIBUKALLOCMIMALLOC_STATS; pages are
 * counted by uk_palloc()/uk_pfree(), so block 0 for them) and bytes
 * (LIBUKALLOCMIMALLOC_COUNT_BYTES). Without either, nothing at all: not
 * even the CPU index is read.
 */
static inline void uk_mi_count(void *p, int sign, int block)
{
	unsigned int cpu;

	if (!UK_MI_STATS && !UK_MI_BYTES)
		return;
	cpu = ukplat_lcpu_idx();
	if (UK_MI_BYTES)
		uk_mi_cpu_add(&uk_mimalloc_live[cpu].bytes,
			      sign * (long)mi_usable_size(p));
	if (UK_MI_STATS && block)
		uk_alloc_stat_inc_irqoff(sign > 0
			? &uk_mimalloc_alloc._stats[cpu].nb_allocs
			: &uk_mimalloc_alloc._stats[cpu].nb_frees);
}

/* A failed request of the malloc family called without uk_*() (malloc.c). */
static inline void uk_mi_count_enomem(void)
{
	if (UK_MI_STATS)
		uk_alloc_stat_inc_irqoff(
			&uk_mimalloc_alloc._stats[ukplat_lcpu_idx()].nb_enomem);
}

/* A block (counted) or NULL. */
static inline void *uk_mi_counted(void *p)
{
	if (likely(p != NULL))
		uk_mi_count(p, 1, 1);
	return p;
}

/* Whether p is in the first arena (0 for NULL): uk_mi_ours() below. */
static inline int uk_mi_in_arena0(const void *p)
{
	return (uintptr_t)p - uk_mimalloc_arena0 < uk_mimalloc_arena0_len;
}

/*
 * Whether p is a mimalloc block, rather than one the boot allocator
 * handed out before the switch: one compare for blocks in the first
 * arena (nearly all of them), mimalloc's segment map for the others (its
 * segments from os.c, huge blocks, further arenas).
 */
static inline int uk_mi_ours(const void *p)
{
	if (likely(uk_mi_in_arena0(p)))
		return 1;
	return mi_is_in_heap_region(p);
}

/* mimalloc aligns blocks of 8 bytes or less to 8 only: malloc wants 16. */
static inline size_t uk_mi_size(size_t size)
{
	return size < 16 ? 16 : size;
}

/*
 * mimalloc's own fast paths, inline here (uk_mi_malloc_fast() and
 * uk_mi_free_try()), when the build keeps nothing in blocks beyond the
 * free-list link: no debug fill or padding (MI_DEBUG 0), no encoded free
 * lists (MI_SECURE 0), no statistics (MI_STAT 0), no valgrind/ASan
 * tracking. Otherwise every request calls mi_malloc()/mi_free().
 * Inline, malloc() costs no call into mimalloc where its free list has a
 * block: Debian's library costs one (doc/ukallocmimalloc.md, Host).
 */
#if MI_DEBUG == 0 && MI_SECURE == 0 && MI_STAT == 0 && !MI_TRACK_ENABLED \
	&& !defined(MI_ENCODE_FREELIST) && !(defined(MI_PADDING) && MI_PADDING)
#define UK_MI_INLINE 1
#else
#define UK_MI_INLINE 0
#endif

/*
 * The malloc family's fast path: a block of size bytes, 1 to
 * MI_SMALL_SIZE_MAX, counted: the head of the free list of this thread's
 * heap page for size rounded up to an even number of words (16 bytes:
 * mimalloc aligns its 8-byte blocks to 8 only, and every other block to
 * 16). NULL when it cannot: size 0 or above MI_SMALL_SIZE_MAX, the list
 * is empty, or the build is not UK_MI_INLINE; then uk_mi_malloc_any().
 * The index of the page is mimalloc's _mi_wsize_from_size() of the
 * rounded size: ((size - 1) / 8 | 1) + 1, two instructions, where
 * rounding the size first cost three more.
 */
static inline void *uk_mi_malloc_fast(size_t size)
{
	mi_heap_t *heap;
	mi_page_t *page;
	mi_block_t *block;

	/* The largest size's index is inside the heap's table. */
	_Static_assert((((MI_SMALL_SIZE_MAX - 1) >> 3) | 1) + 1
		       < MI_PAGES_DIRECT, "page index out of the table");
	if (!UK_MI_INLINE || unlikely(size - 1 >= MI_SMALL_SIZE_MAX))
		return NULL;
	heap = mi_get_default_heap();
	page = heap->pages_free_direct[((size - 1) >> 3 | 1) + 1];
	block = page->free;
	if (unlikely(!block))
		return NULL;
	page->free = mi_block_next(page, block);
	page->used++;
	return uk_mi_counted(block);
}

/*
 * Any request, counted: mimalloc's generic path, which also sets up a
 * thread's heap on its first request (an uninitialised heap's pages are
 * all mimalloc's empty page) and takes any size when blocks carry no
 * padding (UK_MI_INLINE); mi_malloc() otherwise.
 */
static inline void *uk_mi_malloc_any(size_t size)
{
	size = uk_mi_size(size);
	if (UK_MI_INLINE)
		return uk_mi_counted(_mi_malloc_generic(mi_get_default_heap(),
							size, false, 0));
	return uk_mi_counted(mi_malloc(size));
}

/*
 * Frees p, a mimalloc block, on mimalloc's fast path: pushes it on its
 * page's local free list when this thread owns the page and the page is
 * neither full nor holds aligned blocks. Returns 1 when done; NULL in
 * *retire, or the page when it has no block in use any more (then
 * _mi_page_retire() must follow, as in mi_free()). Returns 0 when it did
 * nothing: then mi_free() must free p (cross-thread free, full page,
 * inner pointer of an aligned block).
 */
static inline int uk_mi_free_try(void *p, mi_page_t **retire)
{
	mi_segment_t *segment = _mi_ptr_segment(p);
	mi_page_t *page = _mi_segment_page_of(segment, p);
	mi_block_t *block = p;

	/* Relaxed, as mi_free(): only this thread can make it its own id. */
	if (unlikely(_mi_thread_id()
		     != mi_atomic_load_relaxed(&segment->thread_id)
		     || page->flags.full_aligned))
		return 0;
	mi_block_set_next(page, block, page->local_free);
	page->local_free = block;
	*retire = likely(--page->used != 0) ? NULL : page;
	return 1;
}

/* uk_mi_malloc() off its fast path: out of line, as uk_mi_free_far(). */
static __noinline __unused void *uk_mi_malloc_slow(size_t size)
{
	return uk_mi_malloc_any(size);
}

static inline void *uk_mi_malloc(size_t size)
{
	void *p = uk_mi_malloc_fast(size);

	if (likely(p != NULL))
		return p;
	return uk_mi_malloc_slow(size);
}

/* NULL on overflow (checked by mi_calloc(), and here before rounding). */
static inline void *uk_mi_calloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return uk_mi_counted(mi_calloc(1, uk_mi_size(bytes)));
}

/*
 * Not mi_malloc_aligned(): in 2.0.9 its fast path hands out a small block
 * for a power-of-two size >= align <= 1 KiB, assuming small blocks are
 * aligned to their size, but pages of blocks up to 1 KiB start 384 bytes
 * in, so 256, 512 and 1024-byte blocks are not (found by our random
 * alignment test). mi_malloc_aligned_at() checks the address.
 * A 0-byte request gets a 1-byte block, which mimalloc aligns.
 */
static inline void *uk_mi_aligned(size_t align, size_t size)
{
	return mi_malloc_aligned_at(size ? size : 1, align, 0);
}

/* align: a power of two (checked by the caller). */
static inline void *uk_mi_memalign(size_t align, size_t size)
{
	return uk_mi_counted(uk_mi_aligned(align, size));
}

/*
 * A block that is not in the first arena: mimalloc's (counted, freed) or
 * the boot allocator's (given back to it). Out of line, so that the
 * callers' fast paths keep nothing in callee-saved registers.
 */
static __noinline __unused void uk_mi_free_far(void *p)
{
	if (!mi_is_in_heap_region(p)) {
		uk_free(uk_mimalloc_backing, p);
		return;
	}
	uk_mi_count(p, -1, 1);
	mi_free(p);
}

/*
 * mimalloc's free fast path for p, when p is in the first arena: returns
 * 1 when p is freed and counted, and nothing is left to do. Otherwise
 * *retire is the page of p, freed, when that page has no block in use
 * any more (the caller finishes with uk_mi_free_retire()), or NULL when
 * nothing was done (p outside the first arena, NULL included, or a block
 * mi_free() must take: uk_mi_free_finish()). Calls nothing (without
 * LIBUKALLOCMIMALLOC_COUNT_BYTES).
 */
static inline int uk_mi_free_fast(void *p, mi_page_t **retire)
{
	*retire = NULL;
	if (!UK_MI_INLINE || unlikely(!uk_mi_in_arena0(p))
	    || unlikely(!uk_mi_free_try(p, retire)))
		return 0;
	if (unlikely(*retire != NULL))
		return 0;
	uk_mi_count(p, -1, 1);
	return 1;
}

/*
 * Counts p, freed, and retires its page, which has no block in use any
 * more, as mi_free() does. Counted first: the count reads the page's
 * block size, which retiring may give back.
 */
static inline void uk_mi_free_retire(void *p, mi_page_t *page)
{
	uk_mi_count(p, -1, 1);
	_mi_page_retire(page);
}

/*
 * Frees p, which uk_mi_free_fast() did not free: mi_free() or the boot
 * allocator takes it. NULL is ignored.
 */
static __noinline __unused void uk_mi_free_finish(void *p)
{
	if (unlikely(!p))
		return;
	if (unlikely(!uk_mi_in_arena0(p))) {
		uk_mi_free_far(p);
		return;
	}
	uk_mi_count(p, -1, 1);
	mi_free(p);
}

/*
 * Frees p: the fast path, or slow(p) when it did nothing (slow: a
 * constant, so that the call is direct once this is inlined). Both calls
 * are tail calls (glue.c and malloc.c build with -foptimize-sibling-calls,
 * Makefile.uk), so the fast path needs no stack frame.
 */
static inline void uk_mi_free_or(void *p, void (*slow)(void *p))
{
	mi_page_t *retire;

	if (likely(uk_mi_free_fast(p, &retire)))
		return;
	if (retire) {
		uk_mi_free_retire(p, retire);
		return;
	}
	slow(p);
}

/* Boot allocator blocks go back to it; NULL is ignored. */
static inline void uk_mi_free(void *p)
{
	uk_mi_free_or(p, uk_mi_free_finish);
}

/* p != NULL, size != 0 (the callers handle those): moves are not counted. */
static inline void *uk_mi_realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (unlikely(!uk_mi_ours(p)))
		return uk_realloc(uk_mimalloc_backing, p, size);
	old = UK_MI_BYTES ? mi_usable_size(p) : 0;
	q = mi_realloc(p, uk_mi_size(size));
	if (q && UK_MI_BYTES)
		uk_mi_cpu_add(&uk_mimalloc_live[ukplat_lcpu_idx()].bytes,
			      (long)mi_usable_size(q) - (long)old);
	return q;
}

#endif /* __UK_MIMALLOC_GLUE_H__ */
