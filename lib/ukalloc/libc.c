/*
 * The C library's allocation functions (declared in nolibc's stdlib.h) on
 * the default allocator, with errno as the C standard wants it.
 */
#include <errno.h>
#include <stdlib.h>
#include <uk/alloc.h>

void *malloc(size_t size)
{
	void *p = uk_malloc(uk_alloc_get_default(), size);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *calloc(size_t nmemb, size_t size)
{
	void *p = uk_calloc(uk_alloc_get_default(), nmemb, size);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *realloc(void *ptr, size_t size)
{
	void *p = uk_realloc(uk_alloc_get_default(), ptr, size);

	if (!p && size)
		errno = ENOMEM;
	return p;
}

void free(void *ptr)
{
	uk_free(uk_alloc_get_default(), ptr);
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
	return uk_posix_memalign(uk_alloc_get_default(), memptr, align, size);
}

void *aligned_alloc(size_t align, size_t size)
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
