/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crash: fails on purpose in the way its argument names, so that the crash
 * report (registers, backtrace, exit status) can be checked from the host.
 * Usage: crash pagefault|ud|divide|assert|panic|stack|threadstack|abort|ap|all
 *              |hang
 *   ap: CPU 1 takes the page fault; all: every CPU faults at once;
 *   threadstack: a thread on the last CPU overruns its stack;
 *   hang: never ends (the runner's timeout, status 124, is what is checked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>

static volatile int zero;

static __noinline void crash_page_fault(void)
{
	/* Just above 4 GiB: not mapped by the boot page tables. */
	*(volatile int *)0x100000010ULL = 1;
}

static __noinline int crash_divide(int x)
{
	volatile int numerator = x;	/* gcc folds 1 / y without a divide */

	return numerator / zero;
}

/* Recurses until the stack runs into its guard page (limit never reached). */
static __noinline unsigned long crash_stack(unsigned long depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth == ~0UL)
		return pad[0];
	return crash_stack(depth + 1) + pad[0];
}

static void overrun(void *arg __unused)
{
	printf("%lu\n", crash_stack(0));
}

static void crash_thread_stack(void)
{
	struct uk_thread *t;

	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1, overrun,
				      NULL, "deep");
	if (t)
		uk_thread_join(t);
}

static void fault_here(void *arg __unused)
{
	crash_page_fault();
}

static __noinline void crash_dispatch(const char *what)
{
	if (!strcmp(what, "ap")) {
		if (ukplat_lcpu_count() < 2) {
			printf("crash: 'ap' needs two CPUs or more\n");
			return;
		}
		ukplat_lcpu_call(1, fault_here, NULL, 1);
	}
	if (!strcmp(what, "all")) {
		ukplat_lcpu_call_others(fault_here, NULL, 0);
		crash_page_fault();
	}
	if (!strcmp(what, "pagefault"))
		crash_page_fault();
	else if (!strcmp(what, "ud"))
		__asm__ __volatile__("ud2");
	else if (!strcmp(what, "divide"))
		printf("%d\n", crash_divide(1000));
	else if (!strcmp(what, "assert"))
		UK_ASSERT(zero == 1);
	else if (!strcmp(what, "panic"))
		UK_CRASH("deliberate panic (%d)\n", 42);
	else if (!strcmp(what, "stack"))
		printf("%lu\n", crash_stack(0));
	else if (!strcmp(what, "threadstack"))
		crash_thread_stack();
	else if (!strcmp(what, "abort"))
		abort();
	else if (!strcmp(what, "hang"))
		for (;;)
			ukplat_lcpu_halt_irq();
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		printf("usage: crash pagefault|ud|divide|assert|panic|stack|"
		       "threadstack|abort|ap|all|hang\n");
		return 2;
	}
	crash_dispatch(argv[1]);
	printf("crash: '%s' did not crash\n", argv[1]);
	return 1;
}
