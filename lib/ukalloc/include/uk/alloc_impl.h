/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For allocator implementations only: registration, and generic versions of
 * operations an allocator does not want to write itself.
 */
#ifndef __UK_ALLOC_IMPL_H__
#define __UK_ALLOC_IMPL_H__

#include <uk/alloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Adds a (all operations filled in, name set) to the registry. The first
 * allocator registered becomes the default unless one was set already.
 * Any CPU, boot or run time. Returns 0, or -EINVAL when an operation other
 * than addmem is NULL.
 */
int uk_alloc_register(struct uk_alloc *a);

/*
 * Fills a's malloc family from its page operations (blocks of whole pages
 * with a one-page-or-less header in front: meant for allocators whose small
 * requests are rare, or as a starting point for a new port), zeroes its
 * statistics, and registers it.
 */
int uk_alloc_init_palloc(struct uk_alloc *a, const char *name,
			 uk_alloc_palloc_func_t palloc,
			 uk_alloc_pfree_func_t pfree,
			 uk_alloc_getsize_func_t maxalloc,
			 uk_alloc_getsize_func_t availmem,
			 uk_alloc_addmem_func_t addmem);

/*
 * For allocators with UK_ALLOC_F_COUNTS: adds one to *ctr, a counter in
 * a->_stats[cpu], where cpu is the calling CPU and interrupts are disabled
 * from before the index was read until after this call. Then nothing else
 * writes that copy meanwhile: other CPUs only write their own copies, and
 * neither an interrupt handler nor a thread switch can run on this CPU in
 * between. So a plain increment is exact, without a locked instruction.
 */
static inline void uk_alloc_stat_inc_irqoff(unsigned long *ctr)
{
	/*
	 * Relaxed: only this CPU writes *ctr (see above); readers sum
	 * snapshots and order nothing else by it.
	 */
	__atomic_store_n(ctr, __atomic_load_n(ctr, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

/*
 * With CONFIG_LIBUKALLOC_LIBC_ALLOCATOR an allocator library defines
 * malloc() and friends itself, with a fast path for when it is the
 * default; these are ukalloc's versions (on whatever allocator is the
 * default, errno as in C), for its other cases.
 */
void *uk_alloc_libc_malloc(size_t size);
void *uk_alloc_libc_calloc(size_t nmemb, size_t size);
void *uk_alloc_libc_realloc(void *ptr, size_t size);
void uk_alloc_libc_free(void *ptr);
int uk_alloc_libc_posix_memalign(void **memptr, size_t align, size_t size);
void *uk_alloc_libc_aligned_alloc(size_t align, size_t size);

/* The generic operations uk_alloc_init_palloc() installs. */
void *uk_malloc_ifpages(struct uk_alloc *a, size_t size);
void *uk_calloc_compat(struct uk_alloc *a, size_t nmemb, size_t size);
void *uk_realloc_ifpages(struct uk_alloc *a, void *ptr, size_t size);
int uk_posix_memalign_ifpages(struct uk_alloc *a, void **memptr,
			      size_t align, size_t size);
void *uk_memalign_compat(struct uk_alloc *a, size_t align, size_t size);
void uk_free_ifpages(struct uk_alloc *a, void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* __UK_ALLOC_IMPL_H__ */
