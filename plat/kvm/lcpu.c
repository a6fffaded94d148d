/* Logical CPU queries and remote calls. Only the boot CPU runs until SMP bring-up exists. */
#include <errno.h>
#include <uk/plat/lcpu.h>

unsigned int ukplat_lcpu_count(void)
{
	return 1;
}

unsigned int ukplat_lcpu_idx(void)
{
	return 0;
}

int ukplat_lcpu_call(unsigned int idx, ukplat_lcpu_fn_t fn, void *arg,
		     int wait)
{
	(void)wait;
	if (idx != ukplat_lcpu_idx())
		return -EINVAL;
	fn(arg);
	return 0;
}

int ukplat_lcpu_call_others(ukplat_lcpu_fn_t fn, void *arg, int wait)
{
	(void)fn;
	(void)arg;
	(void)wait;
	return 0;	/* there are no other CPUs online */
}
