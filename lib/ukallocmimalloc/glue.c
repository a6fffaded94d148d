/*
 * mimalloc as a struct uk_alloc: the operations, the start after the
 * schedulers (explicit process init in thread "main"), and the thread-exit
 * hook that gives each dead thread's heap back (mi_thread_done()).
 *
 * Blocks the boot allocator handed out before the switch may still reach
 * free()/realloc(): a pointer outside mimalloc's segments goes back to the
 * backing allocator (mimalloc's segment map answers in one load for
 * mimalloc's own small and medium blocks).
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
#include "mimalloc.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "mimalloc-internal.h"
#pragma GCC diagnostic pop
#include "glue.h"

#define PAGE 4096UL

#if CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES
#define COUNT_BYTES 1
#else
#define COUNT_BYTES 0
#endif

/* Per-CPU data: bytes in blocks handed out (alloc adds, free subtracts). */
struct cpu_live {
	long bytes;
} __align(UKARCH_CACHE_LINE_SIZE);

static struct cpu_live live[CONFIG_UKPLAT_LCPU_MAXCOUNT];
static struct uk_alloc mi_alloc;
static int started;
static unsigned long threads_done;

/*
 * Counting without locked instructions (UK_ALLOC_F_COUNTS): this CPU's
 * copies of nb_allocs/nb_frees and of the live bytes are written only by
 * this CPU, and nothing else runs on it between reading the index and the
 * store: threads are not preempted (ukschedcoop switches only when a thread
 * yields or blocks, which no allocator operation does), and interrupt
 * handlers must not use this allocator. Relaxed: readers sum snapshots and
 * order nothing else by them. (A locked add per counter made a host
 * alloc+free pair about twice as slow: bench/.)
 */
static void cpu_add(long *c, long n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static void count_block(void *p, int sign, int block)
{
	unsigned int cpu = ukplat_lcpu_idx();

	if (COUNT_BYTES)
		cpu_add(&live[cpu].bytes, sign * (long)mi_usable_size(p));
	if (block)
		uk_alloc_stat_inc_irqoff(sign > 0
					 ? &mi_alloc._stats[cpu].nb_allocs
					 : &mi_alloc._stats[cpu].nb_frees);
}

static long live_sum(void)
{
	long s = 0;
	unsigned int i;

	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++)
		/* Relaxed: a snapshot of counters. */
		s += __atomic_load_n(&live[i].bytes, __ATOMIC_RELAXED);
	return s;
}

/* A malloc-family block (counted in nb_allocs) or NULL. */
static void *counted(void *p)
{
	if (p)
		count_block(p, 1, 1);
	return p;
}

/* Blocks from the boot allocator (before the switch) are not mimalloc's. */
static int ours(const void *p)
{
	return mi_is_in_heap_region(p);
}

/*
 * A CPU that has no thread yet (a secondary CPU still setting up its idle
 * thread when mimalloc starts) has no TLS, so no mimalloc heap: its
 * requests go to the backing allocator.
 */
static int no_tls(void)
{
	return !uk_thread_current();
}

/* mimalloc aligns blocks of 8 bytes or less to 8 only: uk_malloc wants 16. */
static void *um_malloc(struct uk_alloc *a __unused, size_t size)
{
	if (no_tls())
		return uk_malloc(uk_mimalloc_backing, size);
	return counted(mi_malloc(size < 16 ? 16 : size));
}

static void *um_calloc(struct uk_alloc *a __unused, size_t n, size_t size)
{
	if (no_tls())
		return uk_calloc(uk_mimalloc_backing, n, size);
	if (n * size < 16)
		return counted(mi_calloc(1, 16));
	return counted(mi_calloc(n, size));
}

/*
 * Not mi_malloc_aligned(): in 2.0.9 its fast path hands out a small block
 * for a power-of-two size >= align <= 1 KiB, assuming small blocks are
 * aligned to their size, but pages of blocks up to 1 KiB start 384 bytes
 * in, so 256, 512 and 1024-byte blocks are not (found by our random
 * alignment test). mi_malloc_aligned_at() checks the address.
 * A 0-byte request gets a 1-byte block, which mimalloc aligns.
 */
static void *aligned(size_t align, size_t size)
{
	return mi_malloc_aligned_at(size ? size : 1, align, 0);
}

static void *um_memalign(struct uk_alloc *a __unused, size_t align,
			 size_t size)
{
	if (no_tls())
		return uk_memalign(uk_mimalloc_backing, align, size);
	return counted(aligned(align, size));
}

static int um_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
			     size_t size)
{
	void *p = um_memalign(a, align, size);

	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

/* (A mimalloc block cannot be freed on a CPU without TLS; none is.) */
static void um_free(struct uk_alloc *a __unused, void *p)
{
	if (!p)
		return;
	if (!ours(p)) {
		uk_free(uk_mimalloc_backing, p);
		return;
	}
	count_block(p, -1, 1);
	mi_free(p);
}

static void *um_realloc(struct uk_alloc *a __unused, void *p, size_t size)
{
	size_t old;
	void *q;

	if (!ours(p))
		return uk_realloc(uk_mimalloc_backing, p, size);
	/* Without TLS mimalloc cannot free: p stays as it is. */
	if (no_tls())
		return NULL;
	old = COUNT_BYTES ? mi_usable_size(p) : 0;
	q = mi_realloc(p, size < 16 ? 16 : size);
	if (q && COUNT_BYTES)
		cpu_add(&live[ukplat_lcpu_idx()].bytes,
			(long)mi_usable_size(q) - (long)old);
	return q;
}

/* Pages count as live bytes, not as blocks (uk_palloc counts them). */
static void *um_palloc(struct uk_alloc *a __unused, unsigned long n)
{
	void *p;

	if (n > (unsigned long)PTRDIFF_MAX / PAGE)
		return NULL;
	if (no_tls())
		return uk_palloc(uk_mimalloc_backing, n);
	p = aligned(PAGE, n * PAGE);
	if (p)
		count_block(p, 1, 0);
	return p;
}

static void um_pfree(struct uk_alloc *a __unused, void *p, unsigned long n)
{
	if (!ours(p)) {
		uk_pfree(uk_mimalloc_backing, p, n);
		return;
	}
	count_block(p, -1, 0);
	mi_free(p);
}

/*
 * Free bytes: the backing allocator's, plus what mimalloc holds that is not
 * in a block handed out through uk_alloc (free blocks, free pages, cached
 * segments, its metadata). Without LIBUKALLOCMIMALLOC_COUNT_BYTES the live
 * bytes stay 0: everything mimalloc holds counts as free.
 */
static long um_availmem(struct uk_alloc *a __unused)
{
	long held = (long)uk_mimalloc_os_bytes() - live_sum();

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
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE) ? &mi_alloc : NULL;
}

void uk_allocmimalloc_info(struct uk_allocmimalloc_info *i)
{
	long l = live_sum();

	i->os_bytes = uk_mimalloc_os_bytes();
	i->live_bytes = l > 0 ? (size_t)l : 0;
	/* Relaxed: a counter. */
	i->threads_done = __atomic_load_n(&threads_done, __ATOMIC_RELAXED);
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
		want -= size;
		n++;
	}
}

/*
 * After the schedulers started (uk_late_initcall, priority 5): every CPU
 * runs a thread with TLS, so mimalloc's per-thread default heap works.
 * Runs in thread "main", which gets mimalloc's main heap.
 */
static int mimalloc_start(void)
{
	uk_mimalloc_backing = uk_alloc_get_default();
	if (!uk_mimalloc_backing)
		UK_CRASH("ukallocmimalloc: no boot allocator to take "
			 "memory from\n");
	if (!uk_sched_started() || !uk_thread_current())
		UK_CRASH("ukallocmimalloc: started before the schedulers\n");
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
	mi_alloc.malloc = um_malloc;
	mi_alloc.calloc = um_calloc;
	mi_alloc.realloc = um_realloc;
	mi_alloc.posix_memalign = um_posix_memalign;
	mi_alloc.memalign = um_memalign;
	mi_alloc.free = um_free;
	mi_alloc.palloc = um_palloc;
	mi_alloc.pfree = um_pfree;
	mi_alloc.maxalloc = um_maxalloc;
	mi_alloc.availmem = um_availmem;
	mi_alloc.addmem = um_addmem;
	mi_alloc.name = "mimalloc";
	mi_alloc.flags = UK_ALLOC_F_COUNTS;
	if (uk_alloc_register(&mi_alloc) < 0)
		UK_CRASH("ukallocmimalloc: registration failed\n");
	/* Release: whoever sees started sees the operations filled in. */
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
#if CONFIG_LIBUKALLOCMIMALLOC_DEFAULT
	uk_alloc_set_default(&mi_alloc);
#endif
	return 0;
}

#ifndef UK_MIMALLOC_HOST_BENCH
uk_initcall_class_prio(mimalloc_start, 6, 8);
#else
/* bench/: the same start, called by the host benchmark program. */
int uk_mimalloc_host_bench_start(void)
{
	return mimalloc_start();
}
#endif
