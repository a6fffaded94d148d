/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocbbuddy: a binary buddy allocator, safe on every CPU at once.
 *
 * Memory is managed in 64-byte units; a block of order k is 64 << k bytes
 * and aligned to its size. One lock protects the buddy structure; blocks of
 * 64 B to 8 KiB (orders 0-7) also go through per-CPU caches, refilled and
 * drained in batches, so most small requests take no shared lock. A request
 * that finds no memory empties every CPU's cache into the buddy structure
 * before it fails. Details and figures: doc/ukalloc.md.
 *
 * All operations of the returned struct uk_alloc may be used from any CPU,
 * with interrupts enabled or disabled, and from interrupt handlers.
 */
#ifndef __UK_ALLOCBBUDDY_H__
#define __UK_ALLOCBBUDDY_H__

#include <stddef.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many ranges per allocator (the first one included). */
#define UK_ALLOCBBUDDY_MAX_REGIONS 16

/*
 * Creates an allocator in [base, base + len): its own state and the
 * per-range metadata (1/64 of the range) come out of the range. Does not
 * register it (uk_allocbbuddy_init() does). Returns NULL when the range is
 * too small for the state plus some memory to manage.
 */
struct uk_alloc *uk_allocbbuddy_create(void *base, size_t len);

/* uk_allocbbuddy_create(), then uk_alloc_register(). */
struct uk_alloc *uk_allocbbuddy_init(void *base, size_t len);

/*
 * Empties every CPU's cache of a into its buddy structure (blocks merge
 * with their buddies again). Any CPU, any context; other CPUs may keep
 * allocating meanwhile (their caches then refill).
 */
void uk_allocbbuddy_drain(struct uk_alloc *a);

/*
 * on = 0: every request takes the buddy lock (the caches are drained and
 * stay empty), which uses the least memory and is what a plain locked buddy
 * does; on = 1 (the default): small blocks go through the per-CPU caches.
 * Any CPU, any time; requests running meanwhile may take either path.
 */
void uk_allocbbuddy_set_cpu_caches(struct uk_alloc *a, int on);

struct uk_allocbbuddy_info {
	size_t buddy_free;	/* bytes free in the buddy structure */
	size_t cached;		/* bytes free in per-CPU caches */
	size_t managed;		/* bytes managed (no metadata) */
	unsigned long bad_frees; /* frees reported as invalid and ignored */
};

/* A snapshot of a's counters (exact while nobody else uses a). */
void uk_allocbbuddy_info(struct uk_alloc *a, struct uk_allocbbuddy_info *i);

#ifdef __cplusplus
}
#endif

#endif /* __UK_ALLOCBBUDDY_H__ */
