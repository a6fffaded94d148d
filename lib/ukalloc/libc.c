/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library's allocation functions (declared in nolibc's stdlib.h) on
 * the default allocator, with errno as the C standard wants it. With
 * CONFIG_LIBUKALLOC_LIBC_ALLOCATOR an allocator library defines malloc()
 * and friends itself (a fast path for when it is the default): these are
 * then named uk_alloc_libc_*() (uk/alloc_impl.h), for its other cases.
 */
#include <errno.h>
#include <stdlib.h>
#include <uk/alloc_impl.h>

#if CONFIG_LIBUKALLOC_LIBC_ALLOCATOR
#define LIBC(name) uk_alloc_libc_##name
#else
#define LIBC(name) name
#endif

void *LIBC(malloc)(size_t size)
{
	void *p = uk_malloc(uk_alloc_get_default(), size);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *LIBC(calloc)(size_t nmemb, size_t size)
{
	void *p = uk_calloc(uk_alloc_get_default(), nmemb, size);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *LIBC(realloc)(void *ptr, size_t size)
{
	void *p = uk_realloc(uk_alloc_get_default(), ptr, size);

	if (!p && size)
		errno = ENOMEM;
	return p;
}

void LIBC(free)(void *ptr)
{
	uk_free(uk_alloc_get_default(), ptr);
}

int LIBC(posix_memalign)(void **memptr, size_t align, size_t size)
{
	return uk_posix_memalign(uk_alloc_get_default(), memptr, align, size);
}

void *LIBC(aligned_alloc)(size_t align, size_t size)
{
	void *p = NULL;
	int rc;

	/* C11 allows any power of two; posix_memalign wants >= a pointer. */
	if (align && !(align & (align - 1)) && align < sizeof(void *))
		align = sizeof(void *);
	rc = uk_posix_memalign(uk_alloc_get_default(), &p, align, size);
	if (rc) {
		errno = rc;
		return NULL;
	}
	return p;
}
