/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy conformance (suite ukschedpolicy): whatever policy is linked, its
 * four calls (enqueue, dequeue, pick_next, load; uk/sched_impl.h) behave
 * under uksched's life cycle: a queued thread is picked and runs exactly
 * once per enqueue, load counts exactly the queued threads of its CPU, a
 * thread that stops waiting is dequeued, waking a blocked thread enqueues
 * it once however often it is woken, and a terminated thread (queued,
 * blocked, sleeping, or running and about to block) ends and leaves no
 * queue entry behind. The checks run on the caller's CPU, where nothing
 * else runs while the caller does not yield (cooperative), so the counts
 * are exact.
 */
#include <stdio.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched_impl.h>
#include <uk/test.h>
#include <uk/wait.h>
#include "wait_count.h"

uk_testsuite_register(ukschedpolicy, NULL);

/* The policy's load of the caller's CPU. */
static unsigned int my_load(void)
{
	struct uk_sched *s = uk_sched_current();

	return s->ops->load(s);
}

/* Yields until t has exited, at most WAIT_COUNT_NS; 1 when it has. */
static int exited_soon(struct uk_thread *t)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_COUNT_NS;

	while (!uk_thread_is_exited(t) && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	return uk_thread_is_exited(t);
}

#define NQ 6
static unsigned long runs[NQ], ran_total;
static unsigned int ran_cpu[NQ];

static void count_run(void *arg)
{
	ran_cpu[(unsigned long)arg] = ukplat_lcpu_idx();
	/* Relaxed: read after the release below. */
	__atomic_fetch_add(&runs[(unsigned long)arg], 1, __ATOMIC_RELAXED);
	/* Release: pairs with wait_count()'s acquire. */
	__atomic_fetch_add(&ran_total, 1, __ATOMIC_RELEASE);
}

/* enqueue, then pick_next: every queued thread runs once; load counts. */
UK_TESTCASE(ukschedpolicy, enqueued_threads_are_picked_once_and_counted)
{
	int cpu = (int)ukplat_lcpu_idx();
	unsigned int base = my_load(), i, once = 0;
	struct uk_thread *t[NQ];

	ran_total = 0;
	for (i = 0; i < NQ; i++) {
		runs[i] = 0;
		t[i] = uk_sched_thread_create_on(cpu, count_run,
						 (void *)(unsigned long)i, "q");
		UK_TEST_REQUIRE(t[i] != NULL);
		UK_TEST_EXPECT_UNUM_EQ(my_load(), base + i + 1);
		UK_TEST_EXPECT_SNUM_EQ(t[i]->on_rq, 1);
	}
	UK_TEST_EXPECT_UNUM_EQ(wait_count(&ran_total, NQ), NQ);
	for (i = 0; i < NQ; i++) {
		uk_thread_join(t[i]);
		once += runs[i] == 1;
	}
	UK_TEST_EXPECT_UNUM_EQ(once, NQ);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
}

/* Moving a queued thread to another CPU takes it off this CPU's queue. */
UK_TESTCASE(ukschedpolicy, moving_a_queued_thread_dequeues_it)
{
	unsigned int n = ukplat_lcpu_count(), me = ukplat_lcpu_idx();
	unsigned int other = (me + 1) % n, base = my_load();
	struct uk_thread *t;

	if (n < 2)	/* a move to its own CPU keeps it queued */
		printf("    one CPU: moved to the CPU it is on\n");
	ran_total = runs[0] = 0;
	t = uk_sched_thread_create_on((int)me, count_run, (void *)0UL, "m");
	UK_TEST_REQUIRE(t != NULL);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_sched_thread_migrate(t, other), 0);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + (n < 2));
	UK_TEST_EXPECT_UNUM_EQ(wait_count(&ran_total, 1), 1);
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(runs[0], 1);
	UK_TEST_EXPECT_UNUM_EQ(ran_cpu[0], other);
}

/* Waking a blocked thread (itself) enqueues it once; running on dequeues. */
UK_TESTCASE(ukschedpolicy, wakes_enqueue_once_and_running_dequeues)
{
	struct uk_thread *me = uk_thread_current();
	unsigned int base = my_load();
	DEFINE_WAIT_QUEUE(wq);
	struct uk_waitq_entry e = { 0 };

	uk_thread_block(me);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
	uk_thread_wake(me);
	uk_thread_wake(me);
	uk_thread_wake(me);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 1);
	UK_TEST_EXPECT_SNUM_EQ(me->on_rq, 1);
	uk_sched_yield();	/* picked again (perhaps after others) */
	UK_TEST_EXPECT_SNUM_EQ(me->on_rq, 0);
	UK_TEST_EXPECT(me->state == UK_THREAD_RUNNING);

	/* Woken while still running, then the condition held: dequeued. */
	uk_waitq_prepare(&wq, &e);
	uk_waitq_wake_up(&wq);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 1);
	uk_waitq_finish(&wq, &e);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
	UK_TEST_EXPECT_SNUM_EQ(me->on_rq, 0);
	UK_TEST_EXPECT(me->state == UK_THREAD_RUNNING);
}

static unsigned long blocker_state, blocker_woke;

/* Blocks (registered as blocked first), then counts its wake-ups. */
static void blocker(void *arg __unused)
{
	uk_thread_block(uk_thread_current());
	/* Release: pairs with wait_count()'s acquire. */
	__atomic_store_n(&blocker_state, 1, __ATOMIC_RELEASE);
	uk_sched_yield();
	__atomic_fetch_add(&blocker_woke, 1, __ATOMIC_RELEASE);
}

/* Another thread, blocked off CPU, woken three times: queued and run once. */
UK_TESTCASE(ukschedpolicy, blocked_thread_woken_thrice_runs_once)
{
	int cpu = (int)ukplat_lcpu_idx();
	unsigned int base = my_load();
	struct uk_thread *t;

	blocker_state = blocker_woke = 0;
	t = uk_sched_thread_create_on(cpu, blocker, NULL, "blocker");
	UK_TEST_REQUIRE(t != NULL);
	UK_TEST_REQUIRE(wait_count(&blocker_state, 1) == 1);
	while (t->on_cpu)	/* its switch away is finished by the next */
		uk_sched_yield();
	UK_TEST_EXPECT(uk_thread_is_blocked(t));
	UK_TEST_EXPECT_SNUM_EQ(t->on_rq, 0);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
	uk_thread_wake(t);
	uk_thread_wake(t);
	uk_thread_wake(t);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 1);
	UK_TEST_EXPECT_UNUM_EQ(wait_count(&blocker_woke, 1), 1);
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(blocker_woke, 1);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
}

static unsigned long body_ran;
static DEFINE_WAIT_QUEUE(never_wq);

static void wait_forever(void *arg __unused)
{
	__atomic_store_n(&blocker_state, 1, __ATOMIC_RELEASE);
	uk_waitq_wait_event(&never_wq, 0);
	__atomic_store_n(&body_ran, 1, __ATOMIC_RELAXED);
}

static void sleep_long(void *arg __unused)
{
	uk_sched_thread_sleep(ukarch_time_sec_to_nsec(60));
	__atomic_store_n(&body_ran, 1, __ATOMIC_RELAXED);
}

static void never_called(void *arg __unused)
{
	__atomic_store_n(&body_ran, 1, __ATOMIC_RELAXED);
}

/*
 * Terminated while queued (never ran), blocked on a wait queue or
 * sleeping: each ends without running on, and nothing stays queued.
 */
UK_TESTCASE(ukschedpolicy, terminated_threads_leave_no_queue_entry)
{
	int cpu = (int)ukplat_lcpu_idx();
	unsigned int base = my_load(), i, gone = 0;
	struct uk_thread *t[3];

	body_ran = blocker_state = 0;
	t[0] = uk_sched_thread_create_on(cpu, wait_forever, NULL, "w");
	t[1] = uk_sched_thread_create_on(cpu, sleep_long, NULL, "s");
	UK_TEST_REQUIRE(t[0] && t[1]);
	UK_TEST_REQUIRE(wait_count(&blocker_state, 1) == 1);
	while (t[0]->on_cpu || t[1]->on_rq || t[1]->on_cpu)
		uk_sched_yield();	/* both blocked, off CPU */
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
	t[2] = uk_sched_thread_create_on(cpu, never_called, NULL, "q");
	UK_TEST_REQUIRE(t[2] != NULL);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 1);
	for (i = 0; i < 3; i++)
		uk_sched_thread_terminate(t[i]);
	/* The blocked and the sleeping one were woken: queued once each. */
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base + 3);
	for (i = 0; i < 3; i++)
		gone += exited_soon(t[i]);
	UK_TEST_REQUIRE(gone == 3);
	for (i = 0; i < 3; i++) {
		UK_TEST_EXPECT_SNUM_EQ(t[i]->on_rq, 0);
		UK_TEST_EXPECT_UNUM_EQ(t[i]->wakeup, 0);
		uk_thread_join(t[i]);
	}
	UK_TEST_EXPECT_UNUM_EQ(body_ran, 0);
	UK_TEST_EXPECT_UNUM_EQ(my_load(), base);
	UK_TEST_EXPECT_NULL(never_wq.head);
}

static unsigned long spin_go, spin_seen;

/* Busy until told, then blocks for good: the terminate came first. */
static void spin_then_block(void *arg __unused)
{
	/* Release/acquire: a handshake with the test. */
	__atomic_store_n(&spin_seen, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&spin_go, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	uk_thread_block(uk_thread_current());
	uk_sched_yield();	/* ends here instead of blocking */
	__atomic_store_n(&body_ran, 1, __ATOMIC_RELAXED);
}

/*
 * Terminated while running on another CPU, before it blocks: the wake-up
 * found it running, so the block must not take effect (it would never
 * end). With one CPU nothing else runs meanwhile: the terminate comes
 * before the thread first runs, and it never does.
 */
UK_TESTCASE(ukschedpolicy, terminate_before_block_ends_the_thread)
{
	unsigned int n = ukplat_lcpu_count();
	int other = (int)((ukplat_lcpu_idx() + 1) % n);
	struct uk_thread *t;
	__nsec end = ukplat_monotonic_clock() + WAIT_COUNT_NS;

	body_ran = spin_go = spin_seen = 0;
	t = uk_sched_thread_create_on(other, spin_then_block, NULL, "spin");
	UK_TEST_REQUIRE(t != NULL);
	if (n < 2) {
		printf("    one CPU: terminated before it first ran\n");
		uk_sched_thread_terminate(t);
		UK_TEST_REQUIRE(exited_soon(t));
		uk_thread_join(t);
		UK_TEST_EXPECT_UNUM_EQ(spin_seen, 0);
		return;
	}
	while (!__atomic_load_n(&spin_seen, __ATOMIC_ACQUIRE)
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	UK_TEST_REQUIRE(spin_seen);
	uk_sched_thread_terminate(t);
	UK_TEST_EXPECT(t->state == UK_THREAD_RUNNING);
	__atomic_store_n(&spin_go, 1, __ATOMIC_RELEASE);
	UK_TEST_REQUIRE(exited_soon(t));
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(body_ran, 0);
}
