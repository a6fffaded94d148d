/* SPDX-License-Identifier: BSD-3-Clause */
/* Hands the platform's free memory regions to the region allocator at boot. */
#include <uk/allocregion.h>
#include <uk/init.h>
#include <uk/plat/memory.h>
#include <uk/print.h>

static int allocregion_boot_init(void)
{
	struct ukplat_memregion_desc *m;
	int i;

	ukplat_memregion_foreach(&m, i) {
		if (!(m->flags & UKPLAT_MEMRF_FREE))
			continue;
		if (uk_allocregion_addmem((void *)m->pbase, m->len) < 0)
			uk_pr_warn("region table full: %lu bytes at 0x%lx "
				   "unused\n", (unsigned long)m->len,
				   (unsigned long)m->pbase);
	}
	return 0;
}

uk_early_initcall_prio(allocregion_boot_init, 0);
