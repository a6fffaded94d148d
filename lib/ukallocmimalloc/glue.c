/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mimalloc as a struct uk_alloc: the operations (their bodies are in
 * glue.h, shared with malloc.c), the start after the schedulers (explicit
 * process init in thread "main", once every CPU runs a thread), and the
 * thread-exit hook that gives each dead thread's heap back
 * (mi_thread_done()).
 *
 * Blocks the boot allocator handed out before the switch may still reach
 * free()/realloc(): a pointer outside mimalloc's memory goes back to the
 * backing allocator (glue.h: uk_mi_ours()).
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc_impl.h>
#include <uk/allocmimalloc.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include <uk/sched.h>
#include "glue.h"

#define PAGE 4096UL

struct uk_mimalloc_cpu_live uk_mimalloc_live[CONFIG_UKPLAT_LCPU_MAXCOUNT];
struct uk_alloc uk_mimalloc_alloc;
uintptr_t uk_mimalloc_arena0;
uintptr_t uk_mimalloc_arena0_len;
static int started;
static unsigned long threads_done;

static long live_sum(void)
{
	long s = 0;
	unsigned int i;

	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++)
		/* Relaxed: a snapshot of counters. */
		s += __atomic_load_n(&uk_mimalloc_live[i].bytes,
				     __ATOMIC_RELAXED);
	return s;
}

/*
 * The operations. Every CPU runs a thread with TLS by the time mimalloc
 * is registered (mimalloc_start() waits for it), so mimalloc's per-thread
 * heap is always there: no check per request.
 */
static void *um_malloc(struct uk_alloc *a __unused, size_t size)
{
	return uk_mi_malloc(size);
}

/* (uk_calloc() checked n * size for overflow.) */
static void *um_calloc(struct uk_alloc *a __unused, size_t n, size_t size)
{
	return uk_mi_calloc(n, size);
}

static void *um_memalign(struct uk_alloc *a __unused, size_t align,
			 size_t size)
{
	return uk_mi_memalign(align, size);
}

static int um_posix_memalign(struct uk_alloc *a __unused, void **memptr,
			     size_t align, size_t size)
{
	void *p = uk_mi_memalign(align, size);

	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

static void um_free(struct uk_alloc *a __unused, void *p)
{
	uk_mi_free(p);
}

/*
 * uk_malloc() and uk_free() on this allocator call the two below, not the
 * operations above (CONFIG_LIBUKALLOC_DIRECT, uk/alloc.h): the same
 * bodies, without the struct uk_alloc argument, counting the failures
 * uk_malloc() would count. _uk_alloc_direct is uk_mimalloc_alloc.
 */
__alias(uk_mimalloc_alloc, _uk_alloc_direct);

/* uk_malloc()'s slow path on mimalloc: out of line, as uk_mi_malloc's. */
static __noinline void *direct_malloc_slow(size_t size)
{
	void *p = uk_mi_malloc_any(size);

	if (unlikely(!p))
		uk_mi_count_enomem();
	return p;
}

void *_uk_alloc_direct_malloc(size_t size)
{
	void *p = uk_mi_malloc_fast(size);

	if (likely(p != NULL))
		return p;
	return direct_malloc_slow(size);
}

void _uk_alloc_direct_free(void *ptr)
{
	uk_mi_free(ptr);
}

/* (uk_realloc() handles a NULL p and size 0.) */
static void *um_realloc(struct uk_alloc *a __unused, void *p, size_t size)
{
	return uk_mi_realloc(p, size);
}

/* Pages count as live bytes, not as blocks (uk_palloc counts them). */
static void *um_palloc(struct uk_alloc *a __unused, unsigned long n)
{
	void *p;

	if (n > (unsigned long)PTRDIFF_MAX / PAGE)
		return NULL;
	p = uk_mi_aligned(PAGE, n * PAGE);
	if (p)
		uk_mi_count(p, 1, 0);
	return p;
}

static void um_pfree(struct uk_alloc *a __unused, void *p, unsigned long n)
{
	if (!uk_mi_ours(p)) {
		uk_pfree(uk_mimalloc_backing, p, n);
		return;
	}
	uk_mi_count(p, -1, 0);
	mi_free(p);
}

/*
 * Free bytes: the backing allocator's, plus what mimalloc holds that is not
 * in a block handed out (free blocks, free pages, cached segments, its
 * metadata). Without LIBUKALLOCMIMALLOC_COUNT_BYTES the bytes in blocks
 * are not known: -ENOTSUP rather than a figure that counts them as free.
 */
static long um_availmem(struct uk_alloc *a __unused)
{
	long held;

	if (!UK_MI_BYTES)
		return -ENOTSUP;
	held = (long)uk_mimalloc_os_bytes() - live_sum();

	return uk_alloc_availmem(uk_mimalloc_backing) + (held > 0 ? held : 0);
}

/* The largest block mimalloc can still get from the backing allocator. */
static long um_maxalloc(struct uk_alloc *a __unused)
{
	return uk_alloc_maxalloc(uk_mimalloc_backing);
}

/* More memory for the backing allocator is more memory for mimalloc. */
static int um_addmem(struct uk_alloc *a __unused, void *base, size_t size)
{
	return uk_alloc_addmem(uk_mimalloc_backing, base, size);
}

/* Runs in every exiting thread: its heap is abandoned for others to reclaim. */
static void thread_exit(struct uk_thread *t __unused)
{
	if (!mi_heap_is_initialized(mi_get_default_heap()))
		return;
	mi_thread_done();
	/* Relaxed: a counter for tests. */
	__atomic_fetch_add(&threads_done, 1, __ATOMIC_RELAXED);
}

struct uk_alloc *uk_allocmimalloc_get(void)
{
	/* Acquire: pairs with the release in mimalloc_start(). */
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE)
	       ? &uk_mimalloc_alloc : NULL;
}

int uk_allocmimalloc_info(struct uk_allocmimalloc_info *i)
{
	long l = live_sum();

	i->os_bytes = uk_mimalloc_os_bytes();
	i->live_bytes = l > 0 ? (size_t)l : 0;
	/* Relaxed: a counter. */
	i->threads_done = __atomic_load_n(&threads_done, __ATOMIC_RELAXED);
	return UK_MI_BYTES ? 0 : -ENOTSUP;
}

#define ARENA_MIN (64UL << 20)

/*
 * Hands mimalloc CONFIG_LIBUKALLOCMIMALLOC_ARENA_PERCENT % of the backing
 * allocator's free memory as arenas: power-of-two blocks (no rounding
 * waste in the buddy allocator), 32 MiB aligned as mimalloc's segments
 * must be, declared not zeroed (mimalloc clears what it needs).
 */
static void arenas_setup(void)
{
	long avail = uk_alloc_availmem(uk_mimalloc_backing);
	size_t want, size, max;
	void *p;
	int n = 0;

	if (avail <= 0)
		return;
	want = (size_t)avail / 100 * CONFIG_LIBUKALLOCMIMALLOC_ARENA_PERCENT;
	while (want >= ARENA_MIN && n < 32) {
		max = (size_t)uk_alloc_maxalloc(uk_mimalloc_backing);
		size = ARENA_MIN;
		while (size * 2 <= want && size * 2 <= max)
			size *= 2;
		if (size > max)
			break;
		p = uk_memalign(uk_mimalloc_backing, MI_SEGMENT_ALIGN, size);
		if (!p)
			break;
		if (!mi_manage_os_memory(p, size, true, false, false, -1)) {
			uk_free(uk_mimalloc_backing, p);
			break;
		}
		uk_mimalloc_os_account((long)size);
		if (!n) {
			uk_mimalloc_arena0 = (uintptr_t)p;
			uk_mimalloc_arena0_len = size;
		}
		want -= size;
		n++;
	}
}

/*
 * Registers mimalloc (and makes it the default). Runs in thread "main",
 * which gets mimalloc's main heap; every CPU must already run a thread
 * with TLS (mimalloc_start()).
 */
static int mimalloc_setup(void)
{
	uk_mimalloc_backing = uk_alloc_get_default();
	if (!uk_mimalloc_backing)
		UK_CRASH("ukallocmimalloc: no boot allocator to take "
			 "memory from\n");
	/*
	 * Memory is always committed here: no delayed commit, and no
	 * decommit bookkeeping (clock reads, commit masks) for no-op calls.
	 */
	mi_option_set(mi_option_eager_commit_delay, 0);
	mi_option_disable(mi_option_allow_decommit);
	mi_process_init();
	arenas_setup();
	if (uk_thread_exit_hook_register(thread_exit) < 0)
		UK_CRASH("ukallocmimalloc: no room for the thread exit hook\n");
	uk_mimalloc_alloc.malloc = um_malloc;
	uk_mimalloc_alloc.calloc = um_calloc;
	uk_mimalloc_alloc.realloc = um_realloc;
	uk_mimalloc_alloc.posix_memalign = um_posix_memalign;
	uk_mimalloc_alloc.memalign = um_memalign;
	uk_mimalloc_alloc.free = um_free;
	uk_mimalloc_alloc.palloc = um_palloc;
	uk_mimalloc_alloc.pfree = um_pfree;
	uk_mimalloc_alloc.maxalloc = um_maxalloc;
	uk_mimalloc_alloc.availmem = um_availmem;
	uk_mimalloc_alloc.addmem = um_addmem;
	uk_mimalloc_alloc.name = "mimalloc";
	/*
	 * With LIBUKALLOCMIMALLOC_STATS the glue counts blocks itself (glue.h),
	 * so that malloc() (malloc.c) counts without uk_malloc(); without it
	 * no statistic is kept and uk_alloc_stats_get() says so.
	 */
	uk_mimalloc_alloc.flags = UK_MI_STATS ? UK_ALLOC_F_COUNTS
					      : UK_ALLOC_F_NOSTATS;
	if (uk_alloc_register(&uk_mimalloc_alloc) < 0)
		UK_CRASH("ukallocmimalloc: registration failed\n");
	/* Release: whoever sees started sees the operations filled in. */
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
#if CONFIG_LIBUKALLOCMIMALLOC_DEFAULT
	uk_alloc_set_default(&uk_mimalloc_alloc);
#endif
	return 0;
}

#ifndef UK_MIMALLOC_HOST_BENCH
/*
 * In the boot stage where every CPU runs its scheduler with a current
 * thread and TLS (UK_INIT_CLASS_SCHED_ALL, which uksched guarantees), so
 * no request needs to check for TLS (secondary CPUs allocating through
 * mimalloc before their idle thread existed crashed at -smp 4).
 */
static int mimalloc_start(void)
{
	if (!uk_sched_started() || !uk_thread_current())
		UK_CRASH("ukallocmimalloc: started before the schedulers\n");
	return mimalloc_setup();
}

uk_sched_all_initcall_prio(mimalloc_start, 5);
#else
/* bench/: the same setup, called by the host benchmark program. */
int uk_mimalloc_host_bench_start(void)
{
	return mimalloc_setup();
}
#endif
