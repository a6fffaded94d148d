/* SPDX-License-Identifier: BSD-3-Clause */
/* The path from the platform's C entry to main() and back out to power-off. */
#include <stdio.h>
#include <uk/assert.h>
#include <uk/boot.h>
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

#if CONFIG_LIBUKBOOT_SHOW_TIMING
/*
 * Boot steps for the timing lines, recorded first and printed just before
 * main() (printing on the serial console takes longer than most steps).
 * Init functions taking SHOW_MIN_NS or more are named, the others summed.
 */
#define SHOW_MIN_NS	50000
#define MAX_STEPS	24

static struct ukplat_boot_stage steps[MAX_STEPS];
static unsigned int nsteps;

static void step(const char *name, __nsec end)
{
	if (nsteps < MAX_STEPS)
		steps[nsteps++] = (struct ukplat_boot_stage){ name, end };
}

/* One line per step: its name, when it ended, how long it took. */
static void show_steps(void)
{
	const struct ukplat_boot_stage *s;
	unsigned int i, n = ukplat_boot_stages(&s);
	__nsec start = 0;

	for (i = 0; i < n + nsteps; i++) {
		const struct ukplat_boot_stage *p = i < n ? &s[i]
							 : &steps[i - n];

		printf("ukboot: %-44s %7lu us  +%lu us\n", p->name,
		       (unsigned long)ukarch_time_nsec_to_usec(p->end),
		       (unsigned long)ukarch_time_nsec_to_usec(p->end - start));
		start = p->end;
	}
}
#endif

static void run_inittab(void)
{
	const struct uk_init_entry *const *e;
#if CONFIG_LIBUKBOOT_SHOW_TIMING
	__nsec t0 = ukplat_monotonic_clock(), t1, shown = t0;
#endif

	for (e = __uk_inittab_start; e < __uk_inittab_end; e++) {
		int rc = (*e)->fn();

		if (rc < 0)
			UK_CRASH("init function %s failed: %d\n", (*e)->name,
				 rc);
#if CONFIG_LIBUKBOOT_SHOW_TIMING
		t1 = ukplat_monotonic_clock();
		if (t1 - t0 >= SHOW_MIN_NS) {
			if (t0 > shown)
				step("init: the ones before", t0);
			step((*e)->name, t1);
			shown = t1;
		}
		t0 = t1;
#endif
	}
#if CONFIG_LIBUKBOOT_SHOW_TIMING
	step("init: the rest", ukplat_monotonic_clock());
#endif
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
#if CONFIG_LIBUKBOOT_SHOW_TIMING
	__nsec reached;
#endif

	run_inittab();
	run_constructors();
#if CONFIG_LIBUKBOOT_SHOW_TIMING
	reached = ukplat_monotonic_clock();	/* before the slow printing */
	step("constructors", reached);
	show_steps();
	printf("ukboot: main() reached %lu us after the first instruction "
	       "(TSC %lu MHz)\n",
	       (unsigned long)ukarch_time_nsec_to_usec(reached),
	       (unsigned long)(ukplat_tsc_frequency() / 1000000));
#endif
	/* main() runs with interrupts on: timers and remote calls reach it. */
	ukplat_lcpu_enable_irq();
	ukplat_exit(exit_status(main(argc, argv)));
}
