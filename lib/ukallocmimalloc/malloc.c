/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library's malloc family when mimalloc is the default allocator:
 * straight to mimalloc (glue.h), without the struct uk_alloc indirection,
 * which cost more than mimalloc's own fast path (doc/ukallocmimalloc.md).
 * Replaces lib/ukalloc/libc.c's functions (LIBUKALLOC_LIBC_ALLOCATOR) and
 * keeps their meaning: malloc() is uk_malloc() of the default allocator.
 * While the default is another allocator (the boot allocator, before
 * mimalloc starts, or one an application set), they call ukalloc's
 * generic versions (uk_alloc_libc_*()), which use whatever the default is.
 * errno as the C standard wants it; statistics as uk_*() would count them.
 */
#include <errno.h>
#include <stdlib.h>
#include "glue.h"

/* bench/ links these into a Linux program, next to glibc's. */
#ifdef UK_MIMALLOC_HOST_BENCH
#define LIBC(name) uk_mimalloc_bench_##name
#else
#define LIBC(name) name
#endif

/* Whether the default allocator is mimalloc (one load and a compare). */
static inline int mi_default(void)
{
	return likely(uk_alloc_get_default() == &uk_mimalloc_alloc);
}

/* NULL sets errno and counts a failure, as uk_malloc() and malloc() do. */
static inline void *or_enomem(void *p)
{
	if (unlikely(!p)) {
		uk_mi_count_enomem();
		errno = ENOMEM;
	}
	return p;
}

/*
 * malloc() off its fast path: mimalloc is not the default, the size is not
 * small, or this thread's free list for it is empty. Out of line, so that
 * the fast path keeps nothing across a call and needs no stack frame.
 */
static __noinline void *malloc_slow(size_t size)
{
	if (!mi_default())
		return uk_alloc_libc_malloc(size);
	return or_enomem(uk_mi_malloc_any(size));
}

void *LIBC(malloc)(size_t size)
{
	void *p;

	if (likely(mi_default())) {
		p = uk_mi_malloc_fast(size);
		if (likely(p != NULL))
			return p;
	}
	return malloc_slow(size);
}

void *LIBC(calloc)(size_t nmemb, size_t size)
{
	if (!mi_default())
		return uk_alloc_libc_calloc(nmemb, size);
	return or_enomem(uk_mi_calloc(nmemb, size));
}

void *LIBC(realloc)(void *ptr, size_t size)
{
	if (!mi_default())
		return uk_alloc_libc_realloc(ptr, size);
	if (!ptr)
		return LIBC(malloc)(size);
	if (!size) {
		uk_mi_free(ptr);
		return NULL;
	}
	return or_enomem(uk_mi_realloc(ptr, size));
}

/*
 * free() off its fast path, when uk_mi_free_fast() did nothing. A block
 * of the first arena is mimalloc's whatever the default is now (the
 * arena was handed over to mimalloc for good): checked first, it spares
 * the fast path the default's load.
 */
static __noinline void free_slow(void *ptr)
{
	if (uk_mi_in_arena0(ptr) || mi_default()) {
		uk_mi_free_finish(ptr);
		return;
	}
	uk_alloc_libc_free(ptr);
}

void LIBC(free)(void *ptr)
{
	uk_mi_free_or(ptr, free_slow);
}

int LIBC(posix_memalign)(void **memptr, size_t align, size_t size)
{
	void *p;

	if (!mi_default())
		return uk_alloc_libc_posix_memalign(memptr, align, size);
	if (!memptr || !align || (align & (align - 1))
	    || align % sizeof(void *))
		return EINVAL;
	p = uk_mi_memalign(align, size);
	if (!p) {
		uk_mi_count_enomem();
		return ENOMEM;
	}
	*memptr = p;
	return 0;
}

/* C11 allows any power of two; smaller than a pointer means a pointer. */
void *LIBC(aligned_alloc)(size_t align, size_t size)
{
	if (!mi_default())
		return uk_alloc_libc_aligned_alloc(align, size);
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return or_enomem(uk_mi_memalign(align, size));
}
