/* Logical CPU queries. Only the boot CPU runs until SMP bring-up exists. */
#include <uk/plat/lcpu.h>

unsigned int ukplat_lcpu_count(void)
{
	return 1;
}

unsigned int ukplat_lcpu_idx(void)
{
	return 0;
}
