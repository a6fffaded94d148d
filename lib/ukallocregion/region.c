/* SPDX-License-Identifier: BSD-3-Clause */
/* Lock-free bump allocation over a fixed table of regions. */
#include <errno.h>
#include <stdint.h>
#include <uk/allocregion.h>

struct region {
	uintptr_t end;		/* written once, before publication */
	uintptr_t cur;		/* next free byte; advanced by CAS */
};

static struct region regions[UK_ALLOCREGION_MAX_REGIONS];
/* Published region count: regions[0..nregions) are fully written. */
static unsigned int nregions;
/* Serializes uk_allocregion_addmem() callers (rare, boot time). */
static volatile char addmem_lock;

static void addmem_lock_take(void)
{
	/* Acquire: the region table seen inside is the last holder's. */
	while (__atomic_test_and_set(&addmem_lock, __ATOMIC_ACQUIRE))
		;
}

static void addmem_lock_give(void)
{
	/* Release: our table writes are visible to the next holder. */
	__atomic_clear(&addmem_lock, __ATOMIC_RELEASE);
}

int uk_allocregion_addmem(void *base, size_t len)
{
	uintptr_t start = (uintptr_t)base;
	unsigned int n;

	if (!len || start + len < start)
		return -EINVAL;
	addmem_lock_take();
	n = nregions;
	if (n == UK_ALLOCREGION_MAX_REGIONS) {
		addmem_lock_give();
		return -ENOSPC;
	}
	regions[n].end = start + len;
	/* Relaxed: the release store of nregions below publishes it. */
	__atomic_store_n(&regions[n].cur, start, __ATOMIC_RELAXED);
	/* Release: allocators that see n + 1 see the region's fields. */
	__atomic_store_n(&nregions, n + 1, __ATOMIC_RELEASE);
	addmem_lock_give();
	return 0;
}

/* Tries to carve size bytes at alignment align out of region r. */
static void *region_take(struct region *r, size_t size, size_t align)
{
	/* Relaxed: cur is only an offset; the CAS decides ownership. */
	uintptr_t cur = __atomic_load_n(&r->cur, __ATOMIC_RELAXED);

	for (;;) {
		uintptr_t start = (cur + align - 1) & ~(uintptr_t)(align - 1);

		if (start < cur || start > r->end || r->end - start < size)
			return NULL;
		/*
		 * Relaxed is enough: the memory handed out carries no data
		 * from other CPUs, so nothing needs to be ordered with it.
		 */
		if (__atomic_compare_exchange_n(&r->cur, &cur, start + size, 1,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return (void *)start;
	}
}

void *uk_allocregion_alloc(size_t size, size_t align)
{
	/* Acquire: pairs with the release in addmem (region fields). */
	unsigned int n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
	unsigned int i;

	if (!align)
		align = 16;
	if (align & (align - 1))
		return NULL;
	for (i = 0; i < n; i++) {
		void *p = region_take(&regions[i], size, align);

		if (p)
			return p;
	}
	return NULL;
}

size_t uk_allocregion_availmem(void)
{
	unsigned int n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
	size_t avail = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		/* Relaxed: a snapshot; concurrent allocations may move it. */
		avail += regions[i].end
			 - __atomic_load_n(&regions[i].cur, __ATOMIC_RELAXED);
	return avail;
}

unsigned int uk_allocregion_count(void)
{
	return __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
}
