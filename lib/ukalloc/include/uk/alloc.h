/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukalloc: the allocator interface, with Unikraft's names. An allocator is a
 * struct uk_alloc (a table of operations); the uk_*() functions below call
 * them and keep per-CPU statistics. One registered allocator is the default:
 * with CONFIG_LIBUKALLOC_LIBC, malloc() and friends use it.
 *
 * Unless an operation says otherwise, every function may be called from any
 * CPU at the same time, in thread context or with interrupts disabled, but
 * not from an interrupt handler that interrupted the same allocator on the
 * same CPU unless the allocator says it supports that (ukallocbbuddy does:
 * it disables interrupts around its per-CPU state).
 *
 * How to write an allocator: uk/alloc_impl.h and doc/ukalloc.md.
 */
#ifndef __UK_ALLOC_H__
#define __UK_ALLOC_H__

#include <stddef.h>
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_alloc;

typedef void *(*uk_alloc_malloc_func_t)(struct uk_alloc *a, size_t size);
typedef void *(*uk_alloc_calloc_func_t)(struct uk_alloc *a, size_t nmemb,
					size_t size);
typedef void *(*uk_alloc_realloc_func_t)(struct uk_alloc *a, void *ptr,
					 size_t size);
typedef int (*uk_alloc_posix_memalign_func_t)(struct uk_alloc *a,
					      void **memptr, size_t align,
					      size_t size);
typedef void *(*uk_alloc_memalign_func_t)(struct uk_alloc *a, size_t align,
					  size_t size);
typedef void (*uk_alloc_free_func_t)(struct uk_alloc *a, void *ptr);
typedef void *(*uk_alloc_palloc_func_t)(struct uk_alloc *a,
					unsigned long num_pages);
typedef void (*uk_alloc_pfree_func_t)(struct uk_alloc *a, void *ptr,
				      unsigned long num_pages);
typedef long (*uk_alloc_getsize_func_t)(struct uk_alloc *a);
typedef int (*uk_alloc_addmem_func_t)(struct uk_alloc *a, void *base,
				      size_t size);

/*
 * struct uk_alloc flags: the allocator counts nb_allocs (blocks its
 * malloc, calloc, memalign and posix_memalign hand out; not realloc's
 * moves, not pages) and nb_frees (blocks free() takes back) itself.
 */
#define _UK_ALLOC_F_COUNTS	0x1
/*
 * struct uk_alloc flags: the allocator keeps no statistics (counting costs
 * it more than it is worth, ukallocmimalloc by default): the uk_*()
 * functions count nothing for it either, and uk_alloc_stats_get() returns
 * -ENOTSUP rather than counts that would be wrong.
 */
#define _UK_ALLOC_F_NOSTATS	0x2
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_ALLOC_F_COUNTS	_UK_ALLOC_F_COUNTS
#define UK_ALLOC_F_NOSTATS	_UK_ALLOC_F_NOSTATS
#endif

/*
 * Per-CPU counters of one allocator, summed by uk_alloc_stats_get(). In
 * the upstream profile only struct uk_alloc's layout needs the type, so it
 * keeps it under a private tag.
 */
#ifndef UK_UPSTREAM_PROFILE
#define _UK_ALLOC_CPU_STATS	struct uk_alloc_cpu_stats
#else
#define _UK_ALLOC_CPU_STATS	struct __uk_alloc_cpu_stats
#endif
_UK_ALLOC_CPU_STATS {
	unsigned long nb_allocs;	/* malloc-family blocks handed out */
	unsigned long nb_frees;		/* malloc-family blocks freed */
	unsigned long nb_pallocs;	/* palloc calls that succeeded */
	unsigned long nb_pfrees;	/* pfree calls */
	unsigned long nb_enomem;	/* requests failed for lack of memory */
} __align(__UKARCH_CACHE_LINE_SIZE);

/* Sum over all CPUs (uk_alloc_stats_get()). */
struct uk_alloc_stats {
	unsigned long tot_nb_allocs;
	unsigned long tot_nb_frees;
	unsigned long cur_nb_allocs;	/* tot_nb_allocs - tot_nb_frees */
	unsigned long tot_nb_pallocs;
	unsigned long tot_nb_pfrees;
	unsigned long cur_nb_pallocs; /* tot_nb_pallocs - tot_nb_pfrees */
	unsigned long nb_enomem;
};

/*
 * An allocator. Every operation is mandatory once the allocator is
 * registered (uk_alloc_init_palloc() fills the malloc family from
 * palloc/pfree for allocators that only manage pages); addmem may be NULL.
 * The operations do not count statistics: the uk_*() functions do, except
 * nb_allocs and nb_frees of an allocator with UK_ALLOC_F_COUNTS, which
 * counts those itself where it is cheaper (uk/alloc_impl.h).
 */
struct uk_alloc {
	uk_alloc_malloc_func_t malloc;
	uk_alloc_calloc_func_t calloc;
	uk_alloc_realloc_func_t realloc;
	uk_alloc_posix_memalign_func_t posix_memalign;
	uk_alloc_memalign_func_t memalign;
	uk_alloc_free_func_t free;
	uk_alloc_palloc_func_t palloc;
	uk_alloc_pfree_func_t pfree;
	uk_alloc_getsize_func_t maxalloc;	/* bytes */
	uk_alloc_getsize_func_t availmem;	/* bytes */
	uk_alloc_addmem_func_t addmem;
	unsigned int flags;	/* UK_ALLOC_F_* */
	const char *name;
	struct uk_alloc *next;	/* registry list (registry lock) */
	/* Per-CPU data: counters, indexed by ukplat_lcpu_idx(). */
	_UK_ALLOC_CPU_STATS _stats[CONFIG_UKPLAT_LCPU_MAXCOUNT];
};

/* ukalloc's own: use uk_alloc_get_default(). */
extern struct uk_alloc *_uk_alloc_default;

/*
 * The default allocator (the one malloc() uses), or NULL before one is
 * registered. Any CPU, any context. Inline, as in Unikraft: malloc()
 * reads it on every call.
 */
static inline struct uk_alloc *uk_alloc_get_default(void)
{
	/* Acquire: pairs with the release in uk_alloc_set_default(). */
	return __atomic_load_n(&_uk_alloc_default, __ATOMIC_ACQUIRE);
}

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Makes a (registered or not) the default allocator. Any CPU; meant for
 * boot, since blocks must go back to the allocator they came from.
 */
void uk_alloc_set_default(struct uk_alloc *a);
#endif

/*
 * The counting parts of uk_malloc() and uk_free() (alloc.c), which are
 * inline so that an allocator that counts its blocks itself or keeps no
 * statistics costs one indirect call: _uk_alloc_count() counts p (a block,
 * or NULL: a failure) and returns it, _uk_free_counted() frees ptr and
 * counts the free (out of line as a whole, so that uk_free()'s fast path
 * keeps nothing across its call).
 */
void *_uk_alloc_count(struct uk_alloc *a, void *p);
void _uk_free_counted(struct uk_alloc *a, void *ptr);
#define _UK_ALLOC_F_SELF (_UK_ALLOC_F_COUNTS | _UK_ALLOC_F_NOSTATS)

#if CONFIG_LIBUKALLOC_DIRECT
/*
 * The allocator that CONFIG_LIBUKALLOC_DIRECT names (ukallocmimalloc; at
 * most one library selects the option): its struct uk_alloc, and its
 * malloc and free operations without the struct, which keep every
 * statistic uk_malloc() and uk_free() would keep (failures included) and
 * take NULL in free. uk_malloc() and uk_free() call them directly when
 * given that allocator: a compare with a constant instead of a NULL test,
 * an indirect call and a flags test (doc/ukalloc.md).
 */
extern struct uk_alloc _uk_alloc_direct;
void *_uk_alloc_direct_malloc(size_t size);
void _uk_alloc_direct_free(void *ptr);
#endif

/*
 * size bytes aligned to at least 16, or NULL when a is NULL or out of
 * memory (the allocator stays usable). uk_malloc(a, 0) returns a unique
 * block or NULL.
 */
static inline void *uk_malloc(struct uk_alloc *a, size_t size)
{
	void *p;

#if CONFIG_LIBUKALLOC_DIRECT
	if (likely(a == &_uk_alloc_direct))
		return _uk_alloc_direct_malloc(size);
#endif
	if (unlikely(!a))
		return NULL;
	p = a->malloc(a, size);
	if (likely(p && (a->flags & _UK_ALLOC_F_SELF)))
		return p;
	return _uk_alloc_count(a, p);
}

/* nmemb * size zeroed bytes; NULL on overflow or out of memory. */
void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size);

/*
 * Resizes ptr (from a) to size bytes, keeping the contents up to the smaller
 * size. ptr NULL: uk_malloc(). size 0: frees ptr, returns NULL. Out of
 * memory: NULL, and ptr is left as it was.
 */
void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size);

/*
 * size bytes aligned to align (a power of two, a multiple of sizeof(void *))
 * in *memptr. Returns 0, EINVAL for a bad align (or a NULL a), ENOMEM.
 */
int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
		      size_t size);

/* size bytes aligned to align (a power of two), or NULL. */
void *uk_memalign(struct uk_alloc *a, size_t align, size_t size);

/*
 * Gives back a block from uk_malloc() and friends of the same allocator.
 * NULL is ignored. Any CPU, whichever CPU allocated it.
 */
static inline void uk_free(struct uk_alloc *a, void *ptr)
{
#if CONFIG_LIBUKALLOC_DIRECT
	if (likely(a == &_uk_alloc_direct)) {
		_uk_alloc_direct_free(ptr);
		return;
	}
#endif
	if (unlikely(!a || !ptr))
		return;
	if (unlikely(!(a->flags & _UK_ALLOC_F_SELF))) {
		_uk_free_counted(a, ptr);
		return;
	}
	a->free(a, ptr);
}

/*
 * num_pages pages (PAGE_SIZE each), page aligned, or NULL (a NULL, 0 pages,
 * out of memory). Free with uk_pfree() and the same num_pages.
 */
void *uk_palloc(struct uk_alloc *a, unsigned long num_pages);

/* Gives back pages from uk_palloc(a, num_pages). NULL is ignored. */
void uk_pfree(struct uk_alloc *a, void *ptr, unsigned long num_pages);

/*
 * Free bytes the allocator holds (including what sits in its caches), or a
 * negative errno: -EINVAL for NULL a, -ENOTSUP when the allocator does not
 * know how many bytes are in use (ukallocmimalloc without
 * CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES). A snapshot: exact when no other
 * CPU allocates or frees at the same time.
 */
long uk_alloc_availmem(struct uk_alloc *a);

/* Largest block one request can get right now (bytes), or negative errno. */
long uk_alloc_maxalloc(struct uk_alloc *a);

/*
 * Adds [base, base + size) to a. Returns 0, -EINVAL (NULL a, range too
 * small or bad), -ENOTSUP (a cannot take memory), -ENOSPC (too many ranges).
 */
int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t size);

/*
 * Sums a's per-CPU counters into *st and returns 0. Exact when no CPU uses
 * a at the same time; otherwise each counter is a value it had during the
 * call. Returns -EINVAL for a NULL a, -ENOTSUP when a keeps no statistics
 * (UK_ALLOC_F_NOSTATS); *st is then all zero.
 */
int uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *st);

/* Iterates over the registered allocators (read-only). */
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
struct uk_alloc *uk_alloc_first(void);
#endif
/* The same function under a private name, for uk_alloc_foreach. */
struct uk_alloc *_uk_alloc_first(void) __asm__("uk_alloc_first");
#define uk_alloc_foreach(iter)						\
	for ((iter) = _uk_alloc_first(); (iter); (iter) = (iter)->next)

/* size zeroed bytes (Unikraft's uk_zalloc): uk_calloc(a, 1, size). */
#define uk_zalloc(a, size)	uk_calloc((a), 1, (size))

/*
 * Unikraft's uk_do_*(): the same operations for a known non-NULL a. Here
 * they are the uk_*() functions themselves (which also accept NULL), so
 * statistics are counted either way.
 */
#define uk_do_malloc(a, size)		uk_malloc((a), (size))
#define uk_do_calloc(a, nmemb, size)	uk_calloc((a), (nmemb), (size))
#define uk_do_zalloc(a, size)		uk_zalloc((a), (size))
#define uk_do_realloc(a, ptr, size)	uk_realloc((a), (ptr), (size))
#define uk_do_posix_memalign(a, memptr, align, size)			\
	uk_posix_memalign((a), (memptr), (align), (size))
#define uk_do_memalign(a, align, size)	uk_memalign((a), (align), (size))
#define uk_do_free(a, ptr)		uk_free((a), (ptr))
#define uk_do_palloc(a, num_pages)	uk_palloc((a), (num_pages))
#define uk_do_pfree(a, ptr, num_pages)	uk_pfree((a), (ptr), (num_pages))

/* Unikraft's type of a page-count query (pmaxalloc, pavailmem). */
typedef long (*uk_alloc_getpsize_func_t)(struct uk_alloc *a);

/*
 * uk_alloc_maxalloc() / uk_alloc_availmem() in whole pages (rounded
 * down), or the same negative errno.
 */
static inline long uk_alloc_pmaxalloc(struct uk_alloc *a)
{
	long b = uk_alloc_maxalloc(a);

	return b < 0 ? b : (long)((unsigned long)b >> PAGE_SHIFT);
}

static inline long uk_alloc_pavailmem(struct uk_alloc *a)
{
	long b = uk_alloc_availmem(a);

	return b < 0 ? b : (long)((unsigned long)b >> PAGE_SHIFT);
}

/*
 * Free bytes / whole free pages summed over every registered allocator
 * that knows them (those answering a negative errno count 0). Snapshots,
 * as uk_alloc_availmem().
 */
static inline size_t uk_alloc_availmem_total(void)
{
	struct uk_alloc *a;
	size_t sum = 0;

	uk_alloc_foreach(a) {
		long b = uk_alloc_availmem(a);

		if (b > 0)
			sum += (size_t)b;
	}
	return sum;
}

static inline unsigned long uk_alloc_pavailmem_total(void)
{
	struct uk_alloc *a;
	unsigned long sum = 0;

	uk_alloc_foreach(a) {
		long p = uk_alloc_pavailmem(a);

		if (p > 0)
			sum += (unsigned long)p;
	}
	return sum;
}

#ifdef __cplusplus
}
#endif

#endif /* __UK_ALLOC_H__ */
