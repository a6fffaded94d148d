/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for placement: affinity sets, the fn0/fn1/fn2 creation
 * variants with their stack sizes, moving a sleeper, and a storm of
 * migrations aimed at threads that yield, sleep and block meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/wait.h>

#define MAXCPU CONFIG_UKPLAT_LCPU_MAXCOUNT
/* Generous: QEMU TCG vCPUs on a loaded 2-core host can stall for seconds. */
#define WAIT_NS (60ULL * 1000000000ULL)

uk_testsuite_register(ukschedplace, NULL);

/* Waits (sleeping 1 ms at a time) until *v >= want or WAIT_NS pass. */
static unsigned long wait_count(unsigned long *v, unsigned long want)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	unsigned long now;

	/* Acquire: the counted threads' writes are visible. */
	while ((now = __atomic_load_n(v, __ATOMIC_ACQUIRE)) < want
	       && ukplat_monotonic_clock() < end)
		uk_sched_thread_sleep(1000000);
	return now;
}

struct affine_arg {
	__u64 cpus_seen;	/* bit per CPU this thread ran on */
	volatile int go_on;	/* cleared to let it finish */
};

static unsigned long affine_done;

static void affine_fn(void *p)
{
	struct affine_arg *a = p;
	int r;

	for (r = 0; r < 300 || a->go_on; r++) {
		/* Relaxed RMW: a concurrent reset to 0 is never undone. */
		__atomic_fetch_or(&a->cpus_seen, 1ULL << ukplat_lcpu_idx(),
				  __ATOMIC_RELAXED);
		uk_sched_yield();
	}
	/* Release: cpus_seen is read after the count. */
	__atomic_fetch_add(&affine_done, 1, __ATOMIC_RELEASE);
}

/* Threads created within a set of CPUs never run outside it. */
UK_TESTCASE(ukschedplace, affinity_set_is_respected)
{
	unsigned int n = ukplat_lcpu_count(), last = n - 1, i;
	struct affine_arg a[8];
	struct uk_thread *t[8];
	struct uk_cpuset set, got;
	__u64 allowed = (1ULL << 0) | (1ULL << last), outside = 0;

	memset(a, 0, sizeof(a));
	affine_done = 0;
	uk_cpuset_zero(&set);
	uk_cpuset_set(&set, 0);
	uk_cpuset_set(&set, last);
	for (i = 0; i < 8; i++)
		t[i] = uk_sched_thread_create_affine(&set, affine_fn, &a[i],
						     "affine");
	UK_TEST_EXPECT_UNUM_EQ(wait_count(&affine_done, 8), 8);
	for (i = 0; i < 8; i++) {
		outside |= a[i].cpus_seen & ~allowed;
		uk_thread_get_affinity(t[i], &got);
		UK_TEST_EXPECT(uk_cpuset_isset(&got, last));
		UK_TEST_EXPECT_SNUM_EQ(uk_thread_is_pinned(t[i]), n == 1);
		uk_thread_join(t[i]);
	}
	UK_TEST_EXPECT_UNUM_EQ(outside, 0);
	uk_cpuset_zero(&set);
	uk_cpuset_set(&set, n);		/* not online */
	errno = 0;
	UK_TEST_EXPECT_NULL(uk_sched_thread_create_affine(&set, affine_fn,
							  &a[0], "x"));
	UK_TEST_EXPECT_SNUM_EQ(errno, EINVAL);
}

/* Changing a running thread's affinity moves it into the new set. */
UK_TESTCASE(ukschedplace, set_affinity_moves_thread)
{
	unsigned int n = ukplat_lcpu_count(), last = n - 1;
	struct affine_arg a = { .go_on = 1 };
	struct uk_thread *t;
	struct uk_cpuset set;
	__nsec end;

	affine_done = 0;
	t = uk_sched_thread_create_on(0, affine_fn, &a, "moved");
	UK_TEST_REQUIRE(t != NULL);
	uk_sched_yield();
	uk_cpuset_zero(&set);
	UK_TEST_EXPECT_SNUM_EQ(uk_thread_set_affinity(t, &set), -EINVAL);
	uk_cpuset_set(&set, last);
	UK_TEST_EXPECT_SNUM_EQ(uk_thread_set_affinity(t, &set), 0);
	end = ukplat_monotonic_clock() + WAIT_NS;
	while (uk_thread_cpu(t) != last && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	UK_TEST_EXPECT_UNUM_EQ(uk_thread_cpu(t), last);
	__atomic_store_n(&a.cpus_seen, 0, __ATOMIC_RELAXED);
	uk_sched_thread_sleep(2000000);	/* it runs on its new CPU only */
	a.go_on = 0;
	UK_TEST_EXPECT_UNUM_EQ(wait_count(&affine_done, 1), 1);
	UK_TEST_EXPECT_UNUM_EQ(a.cpus_seen & ~(1ULL << last), 0);
	uk_thread_join(t);

	/* The caller itself: moves and comes back. */
	UK_TEST_EXPECT_SNUM_EQ(uk_thread_set_affinity(uk_thread_current(),
						      &set), 0);
	UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_idx(), last);
	uk_cpuset_zero(&set);
	uk_cpuset_set(&set, 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_thread_set_affinity(uk_thread_current(),
						      &set), 0);
	UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_idx(), 0);
	uk_cpuset_fill(&set);
	uk_thread_set_affinity(uk_thread_current(), &set);
}

static unsigned long fn_sum;

static void add_one(void)
{
	__atomic_fetch_add(&fn_sum, 1, __ATOMIC_RELAXED);
}

static void add_arg(void *a)
{
	__atomic_fetch_add(&fn_sum, (unsigned long)a, __ATOMIC_RELAXED);
}

static void add_two(void *a, void *b)
{
	__atomic_fetch_add(&fn_sum, (unsigned long)a * (unsigned long)b,
			   __ATOMIC_RELAXED);
}

/* Uses 40 KiB of a 48 KiB stack: needs more than 8 KiB, less than 48. */
static void deep_stack(void *a)
{
	volatile unsigned char buf[40 * 1024];
	unsigned long i, sum = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	for (i = 0; i < sizeof(buf); i++)
		sum += buf[i];
	/* 160 runs of 0..255: 160 * 32640. */
	if (sum == 160UL * 32640UL)
		__atomic_fetch_add(&fn_sum, (unsigned long)a, __ATOMIC_RELAXED);
}

UK_TESTCASE(ukschedplace, fn0_fn1_fn2_and_stack_sizes)
{
	unsigned int n = ukplat_lcpu_count();
	struct uk_thread *t[4];
	int i;

	fn_sum = 0;
	t[0] = uk_sched_thread_create_fn0(uk_sched_get(n - 1), add_one, 0,
					  "fn0");
	t[1] = uk_sched_thread_create_fn1(NULL, add_arg, (void *)10, 0,
					  "fn1");
	t[2] = uk_sched_thread_create_fn2(uk_sched_get(0), add_two,
					  (void *)10, (void *)100, 16384,
					  "fn2");
	t[3] = uk_sched_thread_create_fn1(NULL, deep_stack, (void *)10000,
					  48 * 1024, "deep");
	for (i = 0; i < 4; i++) {
		UK_TEST_REQUIRE(t[i] != NULL);
		uk_thread_join(t[i]);
	}
	UK_TEST_EXPECT_UNUM_EQ(fn_sum, 1 + 10 + 1000 + 10000);
	errno = 0;
	UK_TEST_EXPECT_NULL(uk_sched_thread_create_fn0(NULL, add_one, 4096,
						       "tiny"));
	UK_TEST_EXPECT_SNUM_EQ(errno, EINVAL);
}

static unsigned long sleeper_cpu;
static __nsec sleeper_slept;

static void sleeper(void *arg __unused)
{
	__nsec t0 = ukplat_monotonic_clock();

	uk_sched_thread_sleep(30000000);
	sleeper_slept = ukplat_monotonic_clock() - t0;
	sleeper_cpu = ukplat_lcpu_idx() + 1;
}

/* A sleeper moved to another CPU wakes there, and not early. */
UK_TESTCASE(ukschedplace, migrate_sleeping_thread)
{
	unsigned int n = ukplat_lcpu_count(), last = n - 1;
	struct uk_thread *t;

	sleeper_cpu = 0;
	t = uk_sched_thread_create_on(0, sleeper, NULL, "sleeper");
	UK_TEST_REQUIRE(t != NULL);
	uk_sched_yield();	/* it runs and goes to sleep */
	UK_TEST_EXPECT_SNUM_EQ(t->state, UK_THREAD_BLOCKED);
	UK_TEST_EXPECT_SNUM_EQ(uk_sched_thread_migrate(t, last), 0);
	UK_TEST_EXPECT_UNUM_EQ(uk_thread_cpu(t), last);
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(sleeper_cpu, last + 1);
	UK_TEST_EXPECT_UNUM_GE(sleeper_slept, 30000000);
}

#define STORM_THREADS	12
#define STORM_ROUNDS	400

static unsigned long storm_done, storm_bad, storm_total;
static DEFINE_WAIT_QUEUE(storm_wq);
static unsigned long storm_tick;

/* Yields, sleeps and blocks while others move it around. */
static void storm_fn(void *arg)
{
	unsigned long id = (unsigned long)arg, r, i, mine = 0;
	volatile unsigned long local[64];

	for (i = 0; i < 64; i++)
		local[i] = id * 1000 + i;
	for (r = 0; r < STORM_ROUNDS; r++) {
		if (r % 50 == 7)
			uk_sched_thread_sleep(100000);
		else if (r % 50 == 21) {
			unsigned long tick = __atomic_load_n(&storm_tick,
							     __ATOMIC_ACQUIRE);

			uk_waitq_wait_event(&storm_wq,
				__atomic_load_n(&storm_tick, __ATOMIC_ACQUIRE)
				!= tick);
		} else
			uk_sched_yield();
		mine++;
	}
	for (i = 0; i < 64; i++)
		storm_bad += local[i] != id * 1000 + i;
	__atomic_fetch_add(&storm_total, mine, __ATOMIC_RELAXED);
	/* Release: totals are read after the count. */
	__atomic_fetch_add(&storm_done, 1, __ATOMIC_RELEASE);
}

/* Every thread finishes every round with its stack intact. */
UK_TESTCASE(ukschedplace, migration_storm)
{
	unsigned int n = ukplat_lcpu_count(), i;
	struct uk_thread *t[STORM_THREADS];
	unsigned long seed = 12345, moves = 0, failed = 0;
	__nsec start = ukplat_monotonic_clock(), end = start + WAIT_NS;

	storm_done = storm_bad = storm_total = storm_tick = 0;
	for (i = 0; i < STORM_THREADS; i++)
		t[i] = uk_sched_thread_create_on(UK_SCHED_CPU_ANY, storm_fn,
						 (void *)(unsigned long)i,
						 "storm");
	while (__atomic_load_n(&storm_done, __ATOMIC_ACQUIRE) < STORM_THREADS
	       && ukplat_monotonic_clock() < end) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		i = (unsigned int)(seed >> 33) % STORM_THREADS;
		if (t[i]->state != UK_THREAD_EXITED) {
			failed += uk_sched_thread_migrate(t[i], (unsigned int)
					(seed >> 17) % n) != 0 &&
				  t[i]->state != UK_THREAD_EXITED;
			moves++;
		}
		/* Release: waiters re-read the tick after their wake-up. */
		__atomic_fetch_add(&storm_tick, 1, __ATOMIC_RELEASE);
		uk_waitq_wake_up(&storm_wq);
		uk_sched_yield();
	}
	UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(&storm_done, __ATOMIC_ACQUIRE),
			       STORM_THREADS);
	if (storm_done != STORM_THREADS)	/* say where the rest are */
		for (i = 0; i < STORM_THREADS; i++)
			printf("    thread %u: state %d, cpu %u, on_cpu %d, "
			       "on_rq %d, sleeping %d, migrate_to %d\n", i,
			       t[i]->state, t[i]->cpu, t[i]->on_cpu,
			       t[i]->on_rq, t[i]->wakeup != 0,
			       t[i]->migrate_to);
	UK_TEST_REQUIRE(storm_done == STORM_THREADS);
	for (i = 0; i < STORM_THREADS; i++)
		uk_thread_join(t[i]);
	UK_TEST_EXPECT_UNUM_EQ(storm_total, STORM_THREADS * STORM_ROUNDS);
	UK_TEST_EXPECT_UNUM_EQ(storm_bad, 0);
	UK_TEST_EXPECT_UNUM_EQ(failed, 0);
	UK_TEST_EXPECT_UNUM_GE(moves, 1);
	printf("    %lu migrations of %u busy threads on %u CPUs in %lu ms\n",
	       moves, STORM_THREADS, n,
	       (unsigned long)((ukplat_monotonic_clock() - start) / 1000000));
}
