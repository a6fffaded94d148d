/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mimalloc's OS layer in the guest, in place of its src/os.c (2.0.9 has no
 * separate OS interface: these are the _mi_os_* functions its other files
 * call). Memory comes from the backing allocator (ukallocbbuddy, whose
 * blocks are aligned to their power-of-two size, so 32 MiB segments cost
 * exactly 32 MiB). Memory is always mapped and writable: commit, decommit,
 * reset and protect succeed without doing anything, and MI_SECURE is 0.
 * No huge OS pages, one NUMA node.
 */
#include <string.h>
#include <uk/alloc.h>
#include <uk/essentials.h>
#include "mimalloc.h"
#include "mimalloc-internal.h"
#include "glue.h"

#define OS_PAGE_SIZE 4096UL

struct uk_alloc *uk_mimalloc_backing;

/* Bytes held from the backing allocator. */
static size_t os_bytes;

size_t uk_mimalloc_os_bytes(void)
{
	/* Relaxed: a statistic (availmem's snapshot). */
	return __atomic_load_n(&os_bytes, __ATOMIC_RELAXED);
}

void uk_mimalloc_os_account(long bytes)
{
	/* Relaxed: a statistic. */
	__atomic_fetch_add(&os_bytes, (size_t)bytes, __ATOMIC_RELAXED);
}

void _mi_os_init(void)
{
}

size_t _mi_os_page_size(void)
{
	return OS_PAGE_SIZE;
}

/* No large pages: the small page size, as mimalloc expects then. */
size_t _mi_os_large_page_size(void)
{
	return OS_PAGE_SIZE;
}

bool _mi_os_has_overcommit(void)
{
	return false;
}

/*
 * The same rounding as mimalloc's own OS layer (at most 12.5 % waste), so
 * that sizes given back match the sizes taken.
 */
size_t _mi_os_good_alloc_size(size_t size)
{
	size_t a;

	if (size < 512 * MI_KiB)
		a = OS_PAGE_SIZE;
	else if (size < 2 * MI_MiB)
		a = 64 * MI_KiB;
	else if (size < 8 * MI_MiB)
		a = 256 * MI_KiB;
	else if (size < 32 * MI_MiB)
		a = MI_MiB;
	else
		a = 4 * MI_MiB;
	if (size >= SIZE_MAX - a)
		return size;
	return (size + a - 1) & ~(a - 1);
}

/* Zeroed memory (mimalloc assumes fresh OS memory is zero). */
static void *os_take(size_t size, size_t align)
{
	void *p;

	if (!size || !uk_mimalloc_backing)
		return NULL;
	p = uk_memalign(uk_mimalloc_backing, align, size);
	if (!p)
		return NULL;
	memset(p, 0, size);
	/* Relaxed: a statistic. */
	__atomic_fetch_add(&os_bytes, size, __ATOMIC_RELAXED);
	_mi_stat_increase(&_mi_stats_main.reserved, size);
	_mi_stat_increase(&_mi_stats_main.committed, size);
	return p;
}

static void os_give(void *p, size_t size)
{
	if (!p || !size)
		return;
	uk_free(uk_mimalloc_backing, p);
	/* Relaxed: a statistic. */
	__atomic_fetch_sub(&os_bytes, size, __ATOMIC_RELAXED);
	_mi_stat_decrease(&_mi_stats_main.reserved, size);
	_mi_stat_decrease(&_mi_stats_main.committed, size);
}

void *_mi_os_alloc(size_t size, mi_stats_t *stats)
{
	(void)stats;
	return os_take(_mi_os_good_alloc_size(size), OS_PAGE_SIZE);
}

void _mi_os_free_ex(void *p, size_t size, bool was_committed,
		    mi_stats_t *stats)
{
	(void)was_committed;
	(void)stats;
	os_give(p, _mi_os_good_alloc_size(size));
}

void _mi_os_free(void *p, size_t size, mi_stats_t *stats)
{
	_mi_os_free_ex(p, size, true, stats);
}

void *_mi_os_alloc_aligned(size_t size, size_t alignment, bool commit,
			   bool *large, mi_stats_t *stats)
{
	(void)commit;
	(void)stats;
	if (large)
		*large = false;
	if (alignment < OS_PAGE_SIZE)
		alignment = OS_PAGE_SIZE;
	if (alignment & (alignment - 1))
		return NULL;
	return os_take(_mi_os_good_alloc_size(size), alignment);
}

/*
 * Aligned so that p + offset is aligned (huge alignments): over-allocates
 * by the distance, as mimalloc's own layer does; _mi_os_free_aligned()
 * finds the start again.
 */
void *_mi_os_alloc_aligned_offset(size_t size, size_t alignment,
				  size_t offset, bool commit, bool *large,
				  mi_stats_t *stats)
{
	size_t extra;
	uint8_t *start;

	if (offset > MI_SEGMENT_SIZE || offset > size)
		return NULL;
	if (!offset)
		return _mi_os_alloc_aligned(size, alignment, commit, large,
					    stats);
	extra = _mi_align_up(offset, alignment) - offset;
	start = _mi_os_alloc_aligned(size + extra, alignment, commit, large,
				     stats);
	return start ? start + extra : NULL;
}

void _mi_os_free_aligned(void *p, size_t size, size_t alignment,
			 size_t align_offset, bool was_committed,
			 mi_stats_t *stats)
{
	size_t extra = _mi_align_up(align_offset, alignment) - align_offset;

	_mi_os_free_ex((uint8_t *)p - extra, size + extra, was_committed,
		       stats);
}

/* Always committed; contents kept, so not known to be zero. */
bool _mi_os_commit(void *addr, size_t size, bool *is_zero, mi_stats_t *stats)
{
	(void)addr;
	(void)size;
	(void)stats;
	if (is_zero)
		*is_zero = false;
	return true;
}

bool _mi_os_decommit(void *addr, size_t size, mi_stats_t *stats)
{
	(void)addr;
	(void)size;
	(void)stats;
	return true;
}

bool _mi_os_reset(void *addr, size_t size, mi_stats_t *stats)
{
	(void)addr;
	(void)size;
	(void)stats;
	return true;
}

bool _mi_os_unreset(void *addr, size_t size, bool *is_zero, mi_stats_t *stats)
{
	return _mi_os_commit(addr, size, is_zero, stats);
}

/* No page protection is used (MI_SECURE=0 never asks for guard pages). */
bool _mi_os_protect(void *addr, size_t size)
{
	(void)addr;
	(void)size;
	return true;
}

bool _mi_os_unprotect(void *addr, size_t size)
{
	(void)addr;
	(void)size;
	return true;
}

/* Shrinking in place is not possible with the backing allocator. */
bool _mi_os_shrink(void *p, size_t oldsize, size_t newsize, mi_stats_t *stats)
{
	(void)p;
	(void)oldsize;
	(void)newsize;
	(void)stats;
	return false;
}

/* No 1 GiB pages: nothing reserved. */
void *_mi_os_alloc_huge_os_pages(size_t pages, int numa_node,
				 mi_msecs_t max_msecs, size_t *pages_reserved,
				 size_t *psize)
{
	(void)pages;
	(void)numa_node;
	(void)max_msecs;
	if (pages_reserved)
		*pages_reserved = 0;
	if (psize)
		*psize = 0;
	return NULL;
}

void _mi_os_free_huge_pages(void *p, size_t size, mi_stats_t *stats)
{
	(void)p;
	(void)size;
	(void)stats;
}

/* One NUMA node. The cache variable is read by mimalloc's inline code. */
_Atomic(size_t) _mi_numa_node_count;

size_t _mi_os_numa_node_count_get(void)
{
	/* Relaxed: the value never changes. */
	mi_atomic_store_relaxed(&_mi_numa_node_count, (size_t)1);
	return 1;
}

int _mi_os_numa_node_get(mi_os_tld_t *tld)
{
	(void)tld;
	return 0;
}
