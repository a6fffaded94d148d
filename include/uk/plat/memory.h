/* SPDX-License-Identifier: BSD-3-Clause */
/* Platform memory map: the RAM regions the allocators may use. */
#ifndef __UK_PLAT_MEMORY_H__
#define __UK_PLAT_MEMORY_H__

#include <uk/essentials.h>

/* Upstream has region types instead (UKPLAT_MEMRT_*). */
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UKPLAT_MEMRF_FREE	0x1	/* usable by allocators */
#define UKPLAT_MEMRF_KERNEL	0x2	/* the loaded image */
#define UKPLAT_MEMRF_RESERVED	0x4	/* firmware, MMIO, ... */
#endif /* !UK_UPSTREAM_PROFILE */

struct ukplat_memregion_desc {
	__paddr_t pbase;	/* page aligned */
	__u64 len;		/* bytes, a multiple of the page size */
	unsigned int flags;	/* UKPLAT_MEMRF_* */
};

/* Number of regions in the memory map (free and other). */
int ukplat_memregion_count(void);

/*
 * Stores a pointer to region i in *mrd. Regions are sorted by address and
 * never overlap. Returns 0, or -1 when i is out of range.
 */
int ukplat_memregion_get(int i, struct ukplat_memregion_desc **mrd);

#define ukplat_memregion_foreach(mrd, i)				\
	for ((i) = 0; ukplat_memregion_get((i), (mrd)) == 0; (i)++)

#endif /* __UK_PLAT_MEMORY_H__ */
