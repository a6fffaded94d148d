/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Early region allocator: carves memory out of a few regions by moving a
 * pointer. Memory is never given back. All functions may be called from any
 * CPU at the same time; allocation is lock-free.
 */
#ifndef __UK_ALLOCREGION_H__
#define __UK_ALLOCREGION_H__

#include <stddef.h>

#define UK_ALLOCREGION_MAX_REGIONS 16

/*
 * Adds [base, base + len) to the allocator. Returns 0, -EINVAL when the
 * range is empty or wraps, or -ENOSPC when UK_ALLOCREGION_MAX_REGIONS
 * regions are already registered (the range is then not used).
 */
int uk_allocregion_addmem(void *base, size_t len);

/*
 * Returns size bytes aligned to align (a power of two; 0 means 16), or
 * NULL when no region has room or align is not a power of two. The
 * allocator stays usable after a failure.
 */
void *uk_allocregion_alloc(size_t size, size_t align);

/* Bytes not handed out yet, summed over all regions. */
size_t uk_allocregion_availmem(void);

/* Number of registered regions. */
unsigned int uk_allocregion_count(void);

#endif /* __UK_ALLOCREGION_H__ */
