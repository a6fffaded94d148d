/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlib's allocation entry points on ukalloc. libc.a is built with
 * MALLOC_PROVIDED, so it has no allocator: its own callers use the _r
 * forms below, applications use malloc() and friends, which ukalloc
 * defines (CONFIG_LIBUKALLOC_LIBC, selected by LIBNEWLIB) on the default
 * allocator (bbuddy or mimalloc), with errno set the C way. Only memalign()
 * is newlib's name that ukalloc does not define.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdlib.h>

void *memalign(size_t align, size_t size)
{
	void *p = NULL;
	int rc;

	/* posix_memalign wants a power of two of at least a pointer. */
	if (align < sizeof(void *))
		align = sizeof(void *);
	rc = posix_memalign(&p, align, size);
	if (rc) {
		errno = rc;
		return NULL;
	}
	return p;
}

/*
 * The reentrant forms: r is the caller's own reent (newlib passes _REENT),
 * which is also where errno lands, so they only forward.
 */
void *_malloc_r(struct _reent *r __attribute__((unused)), size_t size)
{
	return malloc(size);
}

void _free_r(struct _reent *r __attribute__((unused)), void *ptr)
{
	free(ptr);
}

void *_calloc_r(struct _reent *r __attribute__((unused)), size_t n,
		size_t size)
{
	return calloc(n, size);
}

void *_realloc_r(struct _reent *r __attribute__((unused)), void *ptr,
		 size_t size)
{
	return realloc(ptr, size);
}

void *_memalign_r(struct _reent *r __attribute__((unused)), size_t align,
		  size_t size)
{
	return memalign(align, size);
}
