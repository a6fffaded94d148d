/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generic malloc family on top of an allocator's palloc/pfree, for
 * allocators that only manage pages. A block is whole pages; a header right
 * in front of the returned pointer holds the page count and where the pages
 * start (aligned blocks start further into their pages).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc_impl.h>

struct ifpages_hdr {
	void *base;		/* what palloc returned */
	unsigned long num_pages;
};

#define HDR_SPACE 16	/* keeps the payload 16-byte aligned */
UK_CTASSERT(sizeof(struct ifpages_hdr) <= HDR_SPACE);

static struct ifpages_hdr *hdr_of(void *ptr)
{
	return (struct ifpages_hdr *)((char *)ptr - HDR_SPACE);
}

/* Payload of size bytes at alignment align (>= HDR_SPACE, power of two). */
static void *ifpages_alloc(struct uk_alloc *a, size_t align, size_t size)
{
	unsigned long pages;
	size_t need;
	char *base, *p;

	/*
	 * Worst case: the payload starts align bytes into the pages (they
	 * are page aligned, so the header fits in front of any boundary).
	 */
	if (size > SIZE_MAX - align - PAGE_SIZE)
		return NULL;
	need = size + align;
	pages = DIV_ROUND_UP(need, PAGE_SIZE);
	base = a->palloc(a, pages);
	if (!base)
		return NULL;
	p = (char *)ALIGN_UP((uintptr_t)base + HDR_SPACE, align);
	hdr_of(p)->base = base;
	hdr_of(p)->num_pages = pages;
	return p;
}

void *uk_malloc_ifpages(struct uk_alloc *a, size_t size)
{
	return ifpages_alloc(a, HDR_SPACE, size);
}

void uk_free_ifpages(struct uk_alloc *a, void *ptr)
{
	struct ifpages_hdr *h;

	if (!ptr)
		return;
	h = hdr_of(ptr);
	a->pfree(a, h->base, h->num_pages);
}

void *uk_calloc_compat(struct uk_alloc *a, size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = a->malloc(a, nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *uk_realloc_ifpages(struct uk_alloc *a, void *ptr, size_t size)
{
	struct ifpages_hdr *h;
	size_t have;
	void *q;

	if (!ptr)
		return a->malloc(a, size);
	h = hdr_of(ptr);
	have = (size_t)((char *)h->base + h->num_pages * PAGE_SIZE
			- (char *)ptr);
	if (size <= have)
		return ptr;
	q = a->malloc(a, size);
	if (!q)
		return NULL;
	memcpy(q, ptr, have);
	a->free(a, ptr);
	return q;
}

int uk_posix_memalign_ifpages(struct uk_alloc *a, void **memptr,
			      size_t align, size_t size)
{
	void *p = ifpages_alloc(a, align < HDR_SPACE ? HDR_SPACE : align,
				size);

	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

void *uk_memalign_compat(struct uk_alloc *a, size_t align, size_t size)
{
	void *p;

	if (a->posix_memalign(a, &p, align < sizeof(void *)
			      ? sizeof(void *) : align, size))
		return NULL;
	return p;
}

int uk_alloc_init_palloc(struct uk_alloc *a, const char *name,
			 uk_alloc_palloc_func_t palloc,
			 uk_alloc_pfree_func_t pfree,
			 uk_alloc_getsize_func_t maxalloc,
			 uk_alloc_getsize_func_t availmem,
			 uk_alloc_addmem_func_t addmem)
{
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->malloc = uk_malloc_ifpages;
	a->calloc = uk_calloc_compat;
	a->realloc = uk_realloc_ifpages;
	a->posix_memalign = uk_posix_memalign_ifpages;
	a->memalign = uk_memalign_compat;
	a->free = uk_free_ifpages;
	a->palloc = palloc;
	a->pfree = pfree;
	a->maxalloc = maxalloc;
	a->availmem = availmem;
	a->addmem = addmem;
	return uk_alloc_register(a);
}
