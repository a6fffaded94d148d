/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocmimalloc: mimalloc 2.0.9 behind struct uk_alloc. With
 * CONFIG_LIBUKALLOCMIMALLOC_DEFAULT it becomes the default allocator (so
 * uk_malloc(uk_alloc_get_default(), ...) and malloc() use it) as soon as
 * the schedulers run; until then the boot allocator (ukallocbbuddy) serves,
 * and it stays mimalloc's source of memory.
 *
 * The operations may be used from any thread on any CPU at the same time
 * (each thread allocates from its own heap; any thread may free any block),
 * but NOT from interrupt handlers: mimalloc's per-thread heap is that of
 * the interrupted thread. A thread's heap is handed back to mimalloc when
 * the thread exits (uksched's exit hook calls mi_thread_done()).
 * mimalloc's own API (<mimalloc.h>: mi_malloc(), mi_heap_*) may be used
 * directly as well.
 *
 * Statistics cost time on every request, so they are options:
 * CONFIG_LIBUKALLOCMIMALLOC_STATS (block counts for uk_alloc_stats_get(),
 * which returns -ENOTSUP without it) and
 * CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES (exact uk_alloc_availmem(), which
 * returns -ENOTSUP without it). Both are off by default.
 */
#ifndef __UK_ALLOCMIMALLOC_H__
#define __UK_ALLOCMIMALLOC_H__

#include <stddef.h>
#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The mimalloc allocator, or NULL before it started (it starts in a late
 * init call, right after the schedulers). Any CPU, any context.
 */
struct uk_alloc *uk_allocmimalloc_get(void);

struct uk_allocmimalloc_info {
	size_t os_bytes;	/* held from the backing allocator */
	size_t live_bytes;	/* in blocks handed out (malloc(), uk_*()) */
	unsigned long threads_done; /* thread heaps given back at exit */
};

/*
 * A snapshot of the counters (exact while no thread allocates). Returns 0,
 * or -ENOTSUP when live_bytes is not counted (built without
 * CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES; live_bytes is then 0). Blocks
 * taken with mi_malloc() directly are never in live_bytes.
 */
int uk_allocmimalloc_info(struct uk_allocmimalloc_info *i);

#ifdef __cplusplus
}
#endif

#endif /* __UK_ALLOCMIMALLOC_H__ */
