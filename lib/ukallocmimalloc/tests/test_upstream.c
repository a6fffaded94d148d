/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mimalloc's own tests from the Debian source, in the guest: test-api.c
 * (its 34 checks, including alignments up to 256 MiB: needs about 1 GiB
 * of guest memory) and test-stress.c with 4 threads, scale 10, 5 rounds,
 * its threads placed round-robin over every CPU. test-stress checks a
 * cookie in every block it frees and aborts (crashing the guest) on a
 * mismatch; we also count its threads, their CPUs and their heaps given
 * back at exit.
 */
#include <errno.h>
#include <stdlib.h>
#include <uk/allocmimalloc.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>
#include "test_threads.h"

int uk_mimalloc_test_api_main(void);
int uk_mimalloc_test_stress_main(int argc, char **argv);
int uk_mimalloc_test_rand(void);
void uk_mimalloc_test_srand(unsigned int seed);

uk_testsuite_register(ukallocmimalloc_upstream, NULL);

/* rand() for test-stress: its threads only call it at their start. */
static unsigned long rand_state = 1;

int uk_mimalloc_test_rand(void)
{
	unsigned long s = __atomic_load_n(&rand_state, __ATOMIC_RELAXED);

	/* Relaxed: any interleaving gives a usable pseudo-random value. */
	s = s * 6364136223846793005UL + 1442695040888963407UL;
	__atomic_store_n(&rand_state, s, __ATOMIC_RELAXED);
	return (int)((s >> 33) & 0x7fffffff);
}

void uk_mimalloc_test_srand(unsigned int seed)
{
	/* Relaxed: set before the threads start. */
	__atomic_store_n(&rand_state, seed, __ATOMIC_RELAXED);
}

struct start {
	void *(*fn)(void *);
	void *arg;
};

static unsigned int next_cpu;
static unsigned long threads_created;
static unsigned long cpus_used;	/* bit per CPU a test thread ran on */

static void entry(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	/* Relaxed: bits gathered, read after the joins. */
	__atomic_fetch_or(&cpus_used, 1UL << ukplat_lcpu_idx(),
			  __ATOMIC_RELAXED);
	s.fn(s.arg);
}

int uk_mimalloc_test_pthread_create(pthread_t *t, const void *attr,
				    void *(*fn)(void *), void *arg)
{
	struct start *s = malloc(sizeof(*s));
	unsigned int cpu;

	(void)attr;
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	/* Relaxed: only spreads the threads. */
	cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED)
	      % ukplat_lcpu_count();
	*t = uk_sched_thread_create_on((int)cpu, entry, s, "mi-stress");
	if (!*t) {
		free(s);
		return EAGAIN;
	}
	/* Relaxed: a count read after the joins. */
	__atomic_fetch_add(&threads_created, 1, __ATOMIC_RELAXED);
	return 0;
}

int uk_mimalloc_test_pthread_join(pthread_t t, void **ret)
{
	uk_thread_join(t);
	if (ret)
		*ret = NULL;
	return 0;
}

UK_TESTCASE(ukallocmimalloc_upstream, test_api)
{
	UK_TEST_EXPECT_SNUM_EQ(uk_mimalloc_test_api_main(), 0);
}

UK_TESTCASE(ukallocmimalloc_upstream, test_stress_4_10_5_on_every_cpu)
{
	char *argv[] = { "test-stress", "4", "10", "5", NULL };
	struct uk_allocmimalloc_info i0, i1;
	unsigned int n = ukplat_lcpu_count();

	uk_allocmimalloc_info(&i0);
	UK_TEST_EXPECT_SNUM_EQ(uk_mimalloc_test_stress_main(4, argv), 0);
	uk_allocmimalloc_info(&i1);
	UK_TEST_EXPECT_UNUM_EQ(threads_created, 4 * 5);
	/* 20 threads handed out round-robin: the first min(n, 20) CPUs. */
	UK_TEST_EXPECT_UNUM_EQ(cpus_used, (1UL << (n < 20 ? n : 20)) - 1);
	/* Every stress thread allocated, so each gave a heap back. */
	UK_TEST_EXPECT_UNUM_EQ(i1.threads_done - i0.threads_done, 4 * 5);
}
