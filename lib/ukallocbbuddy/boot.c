/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Makes the buddy allocator the default at boot: it is created in the
 * largest free region of the platform's memory map and gets the others with
 * addmem.
 */
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/memory.h>
#include <uk/print.h>

static int bbuddy_boot_init(void)
{
	struct ukplat_memregion_desc *m, *big = NULL;
	struct uk_alloc *a;
	int i;

	ukplat_memregion_foreach(&m, i)
		if ((m->flags & UKPLAT_MEMRF_FREE)
		    && (!big || m->len > big->len))
			big = m;
	if (!big)
		UK_CRASH("bbuddy: the memory map has no free region\n");
	a = uk_allocbbuddy_init((void *)big->pbase, big->len);
	if (!a)
		UK_CRASH("bbuddy: cannot set up in %lu bytes at 0x%lx\n",
			 (unsigned long)big->len, (unsigned long)big->pbase);
	ukplat_memregion_foreach(&m, i) {
		int rc;

		if (!(m->flags & UKPLAT_MEMRF_FREE) || m == big)
			continue;
		rc = uk_alloc_addmem(a, (void *)m->pbase, m->len);
		if (rc < 0)
			uk_pr_warn("bbuddy: %lu bytes at 0x%lx unused (%d)\n",
				   (unsigned long)m->len,
				   (unsigned long)m->pbase, rc);
	}
	uk_alloc_set_default(a);
	return 0;
}

uk_early_initcall_prio(bbuddy_boot_init, 0);
