/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of nolibc's errno with uksched: errno is per thread.
 * Two threads per CPU, pinned, each set errno to a value of their own,
 * wait until every thread has set its value (so all are set at once,
 * on every CPU), yield, and check theirs; then a failing strtol() sets
 * ERANGE in the caller's errno only, while the others keep their value.
 */
#include <errno.h>
#include <stdlib.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>

#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define PER_CPU		2
#define ROUNDS		200

uk_testsuite_register(nolibc_errno, NULL);

static unsigned int arrived, nthreads;
static unsigned long wrong, checks;

/* Every thread waits here until all nthreads arrived (yielding). */
static void all_arrive(unsigned int generation)
{
	/* Acq/rel: each arrival publishes its errno writes, and sees all. */
	__atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE)
	       < nthreads * generation)
		uk_sched_yield();
}

static void own_errno(void *arg)
{
	int me = (int)(long)arg, r, bad = 0;
	unsigned int gen = 0;

	for (r = 0; r < ROUNDS; r++) {
		int mine = 1000 + me * ROUNDS + r;

		errno = mine;
		all_arrive(++gen);		/* every thread's errno set now */
		uk_sched_yield();
		bad += errno != mine;
		/* Every other thread fails a call here, at the same time. */
		if ((r + me) % 2 == 0) {
			strtol("99999999999999999999999", NULL, 10);
			bad += errno != ERANGE;
		} else {
			uk_sched_yield();
			bad += errno != mine;
		}
		all_arrive(++gen);
	}
	/* Relaxed: read after the joins. */
	__atomic_fetch_add(&wrong, (unsigned long)bad, __ATOMIC_RELAXED);
	__atomic_fetch_add(&checks, 2UL * ROUNDS, __ATOMIC_RELAXED);
}

UK_TESTCASE(nolibc_errno, per_thread_on_every_cpu_at_once)
{
	unsigned int n = ukplat_lcpu_count(), c, i;
	struct uk_thread *t[MAXCPU * PER_CPU];
	int saved;

	if (n > MAXCPU)
		n = MAXCPU;
	arrived = 0;
	wrong = checks = 0;
	nthreads = n * PER_CPU;
	errno = 7;
	saved = errno;
	for (i = 0; i < nthreads; i++) {
		c = i % n;
		t[i] = uk_sched_thread_create_on((int)c, own_errno,
						 (void *)(long)i, "errno");
		UK_TEST_REQUIRE(t[i] != NULL);
	}
	for (i = 0; i < nthreads; i++)
		uk_thread_join(t[i]);
	UK_TEST_EXPECT_UNUM_EQ(checks, 2UL * ROUNDS * nthreads);
	UK_TEST_EXPECT_UNUM_EQ(wrong, 0);
	/* Nobody's writes reached this thread's errno. */
	UK_TEST_EXPECT_SNUM_EQ(errno, saved);
}
