/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C allocation functions on top of the region allocator. Each block
 * starts after a 16-byte header holding its usable size (for realloc).
 * free() keeps the memory: this is the boot allocator until a real one exists.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/allocregion.h>

#define HDR_SIZE 16

static void *block_alloc(size_t size, size_t align)
{
	char *raw;

	if (align < HDR_SIZE)
		align = HDR_SIZE;
	if (size > SIZE_MAX - align)
		return NULL;
	/* Header in the alignment slack in front of the block. */
	raw = uk_allocregion_alloc(size + align, align);
	if (!raw)
		return NULL;
	*(size_t *)(raw + align - HDR_SIZE) = size;
	return raw + align;
}

static size_t block_size(const void *p)
{
	return *(const size_t *)((const char *)p - HDR_SIZE);
}

void *malloc(size_t size)
{
	void *p = block_alloc(size, HDR_SIZE);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void free(void *p)
{
	(void)p;
}

void *realloc(void *p, size_t size)
{
	void *q;

	if (!p)
		return malloc(size);
	if (size <= block_size(p))
		return p;
	q = malloc(size);
	if (q)
		memcpy(q, p, block_size(p));
	return q;
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = block_alloc(size, align);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	void *p = NULL;
	int rc = posix_memalign(&p, align, size);

	if (rc)
		errno = rc;
	return rc ? NULL : p;
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}
