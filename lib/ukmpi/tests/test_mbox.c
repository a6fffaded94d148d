/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of the mailbox across CPUs: 4 producers and 4 consumers
 * spread over every CPU (each message received exactly once, each
 * producer's messages in order at every consumer), the _try forms,
 * timeouts that return on time, and a poster blocked by a full mailbox
 * until a receive makes room.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <uk/alloc.h>
#include <uk/mbox.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>
#include "guest_run.h"

uk_testsuite_register(ukmpi_mbox, NULL);

#define PRODUCERS 4
#define CONSUMERS 4
#define PER_PRODUCER 2000
#define MBOX_SIZE 8
#define TIMEOUT_NS ukarch_time_msec_to_nsec(20)
/* Late wake-ups under TCG on a busy host: generous, still a bound. */
#define LATE_NS ukarch_time_msec_to_nsec(1000)

static struct uk_mbox *mb;
static unsigned char seen[PRODUCERS * PER_PRODUCER];	/* atomics */
static unsigned long disorder;				/* atomics */

/* Message p:i is the pointer value p * PER_PRODUCER + i + 1 (never NULL). */
static void mpmc_thread(unsigned int i, void *arg __unused)
{
	long last[PRODUCERS] = { -1, -1, -1, -1 };
	unsigned int k;
	uintptr_t v;
	void *msg;

	if (i < PRODUCERS) {
		for (k = 0; k < PER_PRODUCER; k++)
			uk_mbox_post(mb, (void *)(uintptr_t)
				     (i * PER_PRODUCER + k + 1));
		return;
	}
	for (k = 0; k < PRODUCERS * PER_PRODUCER / CONSUMERS; k++) {
		uk_mbox_recv(mb, &msg);
		v = (uintptr_t)msg - 1;
		if (v >= PRODUCERS * PER_PRODUCER)
			continue;	/* counted as missing below */
		/* Relaxed: counts, read after the join. */
		__atomic_fetch_add(&seen[v], 1, __ATOMIC_RELAXED);
		if ((long)(v % PER_PRODUCER) <= last[v / PER_PRODUCER])
			__atomic_fetch_add(&disorder, 1, __ATOMIC_RELAXED);
		last[v / PER_PRODUCER] = (long)(v % PER_PRODUCER);
	}
}

UK_TESTCASE(ukmpi_mbox, four_producers_four_consumers)
{
	unsigned int n = ukplat_lcpu_count(), i, once = 0;
	void *msg;

	mb = uk_mbox_create(uk_alloc_get_default(), MBOX_SIZE);
	UK_TEST_REQUIRE(mb != NULL);
	disorder = 0;
	for (i = 0; i < PRODUCERS * PER_PRODUCER; i++)
		seen[i] = 0;
	UK_TEST_EXPECT_SNUM_EQ(run_threads(PRODUCERS + CONSUMERS, 0, n,
					   mpmc_thread, NULL, 120), 0);
	for (i = 0; i < PRODUCERS * PER_PRODUCER; i++)
		once += seen[i] == 1;
	UK_TEST_EXPECT_UNUM_EQ(once, PRODUCERS * PER_PRODUCER);
	UK_TEST_EXPECT_UNUM_EQ(disorder, 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_recv_try(mb, &msg), -ENOMSG);
	uk_mbox_free(uk_alloc_get_default(), mb);
	printf("    %d producers, %d consumers on %u CPUs, %d messages, "
	       "mailbox of %d\n", PRODUCERS, CONSUMERS, n,
	       PRODUCERS * PER_PRODUCER, MBOX_SIZE);
}

UK_TESTCASE(ukmpi_mbox, try_forms_and_timeouts)
{
	struct uk_mbox *m = uk_mbox_create(uk_alloc_get_default(), 2);
	__nsec t0, w;
	void *msg = (void *)1;

	UK_TEST_REQUIRE(m != NULL);
	UK_TEST_EXPECT_NULL(uk_mbox_create(uk_alloc_get_default(), 0));
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_recv_try(m, &msg), -ENOMSG);
	t0 = ukplat_monotonic_clock();
	w = uk_mbox_recv_to(m, &msg, TIMEOUT_NS);
	t0 = ukplat_monotonic_clock() - t0;
	UK_TEST_EXPECT(w == __NSEC_MAX);
	UK_TEST_EXPECT_NULL(msg);
	UK_TEST_EXPECT_UNUM_GE(t0, TIMEOUT_NS);
	UK_TEST_EXPECT_UNUM_LE(t0, TIMEOUT_NS + LATE_NS);
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_post_try(m, (void *)11), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_post_try(m, (void *)12), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_post_try(m, (void *)13), -ENOBUFS);
	t0 = ukplat_monotonic_clock();
	w = uk_mbox_post_to(m, (void *)13, TIMEOUT_NS);
	t0 = ukplat_monotonic_clock() - t0;
	UK_TEST_EXPECT(w == __NSEC_MAX);
	UK_TEST_EXPECT_UNUM_GE(t0, TIMEOUT_NS);
	UK_TEST_EXPECT_UNUM_LE(t0, TIMEOUT_NS + LATE_NS);
	/* A message there: no wait, oldest first. */
	w = uk_mbox_recv_to(m, &msg, TIMEOUT_NS);
	UK_TEST_EXPECT(w < TIMEOUT_NS);
	UK_TEST_EXPECT_PTR_EQ(msg, (void *)11);
	UK_TEST_EXPECT_SNUM_EQ(uk_mbox_recv_try(m, &msg), 0);
	UK_TEST_EXPECT_PTR_EQ(msg, (void *)12);
	uk_mbox_free(uk_alloc_get_default(), m);
}

static int posted;	/* atomics */

static void blocked_poster(void *arg)
{
	uk_mbox_post(arg, (void *)3);
	/* Release: the post is done before main sees the flag. */
	__atomic_store_n(&posted, 1, __ATOMIC_RELEASE);
}

/* On the last CPU (main's own CPU at -smp 1: it runs when main sleeps). */
UK_TESTCASE(ukmpi_mbox, full_mailbox_blocks_the_poster)
{
	struct uk_mbox *m = uk_mbox_create(uk_alloc_get_default(), 2);
	__nsec end = ukplat_monotonic_clock() + ukarch_time_sec_to_nsec(60);
	struct uk_thread *t;
	void *msg = NULL;

	UK_TEST_REQUIRE(m != NULL);
	posted = 0;
	uk_mbox_post(m, (void *)1);
	uk_mbox_post(m, (void *)2);
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      blocked_poster, m, "poster");
	UK_TEST_REQUIRE(t != NULL);
	uk_sched_thread_sleep(TIMEOUT_NS);
	/* Acquire: pairs with the poster's release. */
	UK_TEST_EXPECT_SNUM_EQ(__atomic_load_n(&posted, __ATOMIC_ACQUIRE), 0);
	uk_mbox_recv(m, &msg);
	UK_TEST_EXPECT_PTR_EQ(msg, (void *)1);
	while (!__atomic_load_n(&posted, __ATOMIC_ACQUIRE) &&
	       ukplat_monotonic_clock() < end)
		uk_sched_thread_sleep(ukarch_time_msec_to_nsec(1));
	UK_TEST_REQUIRE(__atomic_load_n(&posted, __ATOMIC_ACQUIRE) == 1);
	uk_thread_join(t);
	uk_mbox_recv(m, &msg);
	UK_TEST_EXPECT_PTR_EQ(msg, (void *)2);
	uk_mbox_recv(m, &msg);
	UK_TEST_EXPECT_PTR_EQ(msg, (void *)3);
	uk_mbox_free(uk_alloc_get_default(), m);
}
