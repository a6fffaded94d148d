/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukmpi's guest suites: runs threads pinned on a set of CPUs and waits
 * for all of them under a watchdog, so that a hang fails the test
 * (the threads are then left where they are) instead of stopping the run.
 */
#ifndef __UKMPI_GUEST_RUN_H__
#define __UKMPI_GUEST_RUN_H__

#include <stdio.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>

#define RUN_MAX_CPUS 64

struct run_job {
	void (*fn)(unsigned int i, void *arg);
	void *arg;
	unsigned int i;
	int done;		/* atomics: set by the thread when fn returned */
};

static void run_job_main(void *p)
{
	struct run_job *j = p;

	j->fn(j->i, j->arg);
	/* Release: what fn wrote is visible to the watchdog's acquire. */
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
}

/*
 * n threads, thread i running fn(i, arg) on CPU first + i % ncpus. 0 when
 * all returned within timeout_s seconds (they are joined), else -1 (a
 * message says how many hang; they are not joined).
 */
static int run_threads(unsigned int n, unsigned int first, unsigned int ncpus,
		       void (*fn)(unsigned int, void *), void *arg,
		       unsigned int timeout_s)
{
	static struct run_job jobs[RUN_MAX_CPUS];
	struct uk_thread *t[RUN_MAX_CPUS];
	__nsec end = ukplat_monotonic_clock() +
		     ukarch_time_sec_to_nsec(timeout_s);
	unsigned int i, left;

	if (n > RUN_MAX_CPUS)
		return -1;
	for (i = 0; i < n; i++) {
		jobs[i] = (struct run_job){ fn, arg, i, 0 };
		t[i] = uk_sched_thread_create_on((int)(first + i % ncpus),
						 run_job_main, &jobs[i],
						 "ukmpi-test");
		if (!t[i])
			return -1;
	}
	for (;;) {
		left = 0;
		for (i = 0; i < n; i++)
			left += !__atomic_load_n(&jobs[i].done,
						 __ATOMIC_ACQUIRE);
		if (!left)
			break;
		if (ukplat_monotonic_clock() > end) {
			printf("    watchdog: %u of %u threads still running "
			       "after %u s: hung\n", left, n, timeout_s);
			return -1;
		}
		uk_sched_thread_sleep(ukarch_time_msec_to_nsec(5));
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	return 0;
}

/* One thread on each of CPUs first..first+n-1; fn gets 0..n-1. */
static inline int run_on_cpus(unsigned int first, unsigned int n,
			      void (*fn)(unsigned int, void *), void *arg,
			      unsigned int timeout_s)
{
	return run_threads(n, first, n, fn, arg, timeout_s);
}

#endif /* __UKMPI_GUEST_RUN_H__ */
