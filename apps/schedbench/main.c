/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * schedbench: yield ping-pong between two threads on one CPU (switch cost),
 * wait-queue ping-pong between CPU 0 and CPU 1 (cross-CPU wake-up round
 * trip), and thread create+join rate. Prints ns per operation.
 * Usage: schedbench [iterations]; lib/uksched/bench/pthread_bench.c does
 * the same with host pthreads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/wait.h>

static unsigned long iters;
static volatile unsigned long turn;
static DEFINE_WAIT_QUEUE(wq_a);
static DEFINE_WAIT_QUEUE(wq_b);

static void yielder(void *arg __unused)
{
	unsigned long i;

	for (i = 0; i < iters; i++)
		uk_sched_yield();
}

/* Side 0 waits for even turns, side 1 for odd ones. */
static void pong(void *arg)
{
	unsigned long side = (unsigned long)arg, i;
	struct uk_waitq *mine = side ? &wq_b : &wq_a;
	struct uk_waitq *other = side ? &wq_a : &wq_b;

	for (i = 0; i < iters; i++) {
		uk_waitq_wait_event(mine, turn % 2 == side);
		turn++;
		uk_waitq_wake_up(other);
	}
}

static void nothing(void *arg __unused)
{
}

static void row(const char *what, unsigned long n, __nsec t)
{
	printf("%-40s %8lu %12.0f\n", what, n, (double)t / n);
}

int main(int argc, char *argv[])
{
	struct uk_thread *a, *b;
	unsigned long i;
	__nsec t0;

	iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	printf("cpus: %u\n%-40s %8s %12s\n", ukplat_lcpu_count(), "operation",
	       "count", "ns/op");
	a = uk_sched_thread_create_on(0, yielder, NULL, "y1");
	b = uk_sched_thread_create_on(0, yielder, NULL, "y2");
	t0 = ukplat_monotonic_clock();
	uk_thread_join(a);
	uk_thread_join(b);
	row("yield switch, 2 threads on one CPU", 2 * iters,
	    ukplat_monotonic_clock() - t0);
	if (ukplat_lcpu_count() > 1) {
		turn = 0;
		a = uk_sched_thread_create_on(0, pong, (void *)0, "p0");
		b = uk_sched_thread_create_on(1, pong, (void *)1, "p1");
		t0 = ukplat_monotonic_clock();
		uk_thread_join(a);
		uk_thread_join(b);
		row("wake-up CPU 0 <-> CPU 1 (one way)", 2 * iters,
		    ukplat_monotonic_clock() - t0);
	}
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < iters / 10; i++)
		uk_thread_join(uk_sched_thread_create_on(UK_SCHED_CPU_ANY,
							 nothing, NULL, "n"));
	row("create + join", iters / 10, ukplat_monotonic_clock() - t0);
	return 0;
}
