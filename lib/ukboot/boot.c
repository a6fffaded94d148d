/* The path from the platform's C entry to main() and back out to power-off. */
#include <stdio.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>

/* Linker-script symbols bounding the tables. */
extern const struct uk_init_entry *const __uk_inittab_start[];
extern const struct uk_init_entry *const __uk_inittab_end[];
typedef void (*ctor_func_t)(void);
extern const ctor_func_t __init_array_start[], __init_array_end[];

int main(int argc, char *argv[]);
void uk_boot_entry(int argc, char *argv[]) __noreturn;

static void run_inittab(void)
{
	const struct uk_init_entry *const *e;

	for (e = __uk_inittab_start; e < __uk_inittab_end; e++) {
		int rc = (*e)->fn();

		if (rc < 0)
			UK_CRASH("init function %s failed: %d\n", (*e)->name,
				 rc);
	}
}

static void run_constructors(void)
{
	const ctor_func_t *c;

	for (c = __init_array_start; c < __init_array_end; c++)
		(*c)();
}

static int exit_status(int ret)
{
	if (ret >= 0 && ret <= UKPLAT_EXIT_MAX_MAIN)
		return ret;
	printf("ukboot: main() returned %d, outside 0..%d: exit status %d\n",
	       ret, UKPLAT_EXIT_MAX_MAIN, UKPLAT_EXIT_MAIN_RANGE);
	return UKPLAT_EXIT_MAIN_RANGE;
}

void uk_boot_entry(int argc, char *argv[])
{
	run_inittab();
	run_constructors();
#if CONFIG_LIBUKBOOT_SHOW_TIMING
	printf("ukboot: main() reached %lu us after the first instruction "
	       "(TSC %lu MHz)\n",
	       (unsigned long)ukarch_time_nsec_to_usec(ukplat_monotonic_clock()),
	       (unsigned long)(ukplat_tsc_frequency() / 1000000));
#endif
	/* main() runs with interrupts on: timers and remote calls reach it. */
	ukplat_lcpu_enable_irq();
	ukplat_exit(exit_status(main(argc, argv)));
}
