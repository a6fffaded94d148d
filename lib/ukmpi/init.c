/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot-time set-up of the per-CPU-pair channels: rings between every
 * online CPU, from the default allocator. The CPUs are online before the
 * init table runs (plat/kvm starts them), so the count is final here.
 */
#include <uk/alloc.h>
#include <uk/chan.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>

static int ukmpi_chan_init(void)
{
	return uk_chan_setup(uk_alloc_get_default(), ukplat_lcpu_count());
}

uk_lib_initcall(ukmpi_chan_init);
