/* SPDX-License-Identifier: BSD-3-Clause */
// An allocator on glibc for the uknetdev host tests: counts the blocks it
// has out, so a test can check that everything was given back.
#ifndef UKNETDEV_TEST_MALLOC_ALLOC_H
#define UKNETDEV_TEST_MALLOC_ALLOC_H

#include <atomic>
#include <cstdlib>

extern "C" {
#include <uk/alloc.h>
}

struct MallocAlloc {
	struct uk_alloc a;	// first
	std::atomic<long> out{0};
};

static void *ma_malloc(struct uk_alloc *a, size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p)
		((MallocAlloc *)a)->out++;
	return p;
}

static int ma_posix_memalign(struct uk_alloc *a, void **p, size_t al,
			     size_t size)
{
	int rc = posix_memalign(p, al < sizeof(void *) ? sizeof(void *) : al,
				size ? size : 1);

	if (!rc)
		((MallocAlloc *)a)->out++;
	return rc;
}

static void *ma_memalign(struct uk_alloc *a, size_t al, size_t size)
{
	void *p = nullptr;

	return ma_posix_memalign(a, &p, al, size) ? nullptr : p;
}

static void *ma_calloc(struct uk_alloc *a, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p)
		((MallocAlloc *)a)->out++;
	return p;
}

static void ma_free(struct uk_alloc *a, void *p)
{
	if (p)
		((MallocAlloc *)a)->out--;
	free(p);
}

static inline MallocAlloc *malloc_alloc_new()
{
	MallocAlloc *m = new MallocAlloc();

	m->a.malloc = ma_malloc;
	m->a.calloc = ma_calloc;
	m->a.posix_memalign = ma_posix_memalign;
	m->a.memalign = ma_memalign;
	m->a.free = ma_free;
	m->a.flags = _UK_ALLOC_F_SELF;	// no counting by ukalloc
	m->a.name = "test-malloc";
	return m;
}

#endif
