/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for the blocking locks across CPUs: mutex, semaphore, rwlock. */
#include <stdio.h>
#include <uk/mutex.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include <uk/semaphore.h>
#include <uk/test.h>

#define NTHREADS 8
#define ROUNDS 3000

uk_testsuite_register(uklock_blocking, NULL);

static struct uk_mutex mtx = UK_MUTEX_INITIALIZER(mtx);
static unsigned long counter;	/* protected by mtx, deliberately plain */

static void mutex_worker(void *arg __unused)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		uk_mutex_lock(&mtx);
		counter++;
		if (i % 64 == 0)
			uk_sched_yield();	/* sleep while holding it */
		uk_mutex_unlock(&mtx);
	}
}

/* 8 threads spread over all CPUs: the unprotected counter adds up. */
UK_TESTCASE(uklock_blocking, mutex_mutual_exclusion)
{
	struct uk_thread *t[NTHREADS];
	int i;

	counter = 0;
	for (i = 0; i < NTHREADS; i++)
		t[i] = uk_sched_thread_create_on(
			(int)(i % ukplat_lcpu_count()), mutex_worker, NULL, "m");
	for (i = 0; i < NTHREADS; i++)
		uk_thread_join(t[i]);
	UK_TEST_EXPECT_UNUM_EQ(counter, (unsigned long)NTHREADS * ROUNDS);
	UK_TEST_EXPECT(!uk_mutex_is_locked(&mtx));
	printf("    %d threads on %u CPUs, %d critical sections each\n",
	       NTHREADS, ukplat_lcpu_count(), ROUNDS);
}

UK_TESTCASE(uklock_blocking, mutex_recursive_and_trylock)
{
	struct uk_mutex r;

	uk_mutex_init_config(&r, UK_MUTEX_CONFIG_RECURSE);
	uk_mutex_lock(&r);
	UK_TEST_EXPECT_SNUM_EQ(uk_mutex_trylock(&r), 1);
	uk_mutex_lock(&r);
	uk_mutex_unlock(&r);
	uk_mutex_unlock(&r);
	UK_TEST_EXPECT(uk_mutex_is_locked(&r));
	uk_mutex_unlock(&r);
	UK_TEST_EXPECT(!uk_mutex_is_locked(&r));
}

static unsigned long handoff_step;

static void handoff_waiter(void *arg __unused)
{
	__atomic_store_n(&handoff_step, 1, __ATOMIC_RELEASE);
	uk_mutex_lock(&mtx);	/* blocks: main holds it */
	__atomic_store_n(&handoff_step, 2, __ATOMIC_RELEASE);
	uk_mutex_unlock(&mtx);
}

/* The mutex passes from main (CPU 0) to a thread sleeping on the last CPU. */
UK_TESTCASE(uklock_blocking, mutex_handoff_across_cpus)
{
	struct uk_thread *t;

	handoff_step = 0;
	uk_mutex_lock(&mtx);
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      handoff_waiter, NULL, "handoff");
	while (__atomic_load_n(&handoff_step, __ATOMIC_ACQUIRE) < 1)
		uk_sched_yield();
	uk_sched_thread_sleep(2000000);	/* let it block */
	UK_TEST_EXPECT_UNUM_EQ(handoff_step, 1);
	uk_mutex_unlock(&mtx);
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(handoff_step, 2);
}

static struct uk_semaphore items, slots;
static unsigned long sem_sum;

static void sem_consumer(void *arg __unused)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		uk_semaphore_down(&items);
		__atomic_fetch_add(&sem_sum, 1, __ATOMIC_RELAXED);
		uk_semaphore_up(&slots);
	}
}

UK_TESTCASE(uklock_blocking, semaphore_counts_and_times_out)
{
	struct uk_thread *t;
	__nsec waited;
	int i;

	uk_semaphore_init(&items, 0);
	uk_semaphore_init(&slots, 4);
	sem_sum = 0;
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      sem_consumer, NULL, "sem");
	for (i = 0; i < ROUNDS; i++) {
		uk_semaphore_down(&slots);
		uk_semaphore_up(&items);
	}
	uk_thread_join(t);
	UK_TEST_EXPECT_UNUM_EQ(sem_sum, ROUNDS);
	UK_TEST_EXPECT_SNUM_EQ(slots.count, 4);
	UK_TEST_EXPECT_SNUM_EQ(uk_semaphore_down_try(&items), 0);
	/* Empty: a 10 ms timeout expires, not early, count untouched. */
	waited = ukplat_monotonic_clock();
	UK_TEST_EXPECT_UNUM_EQ(uk_semaphore_down_to(&items, 10000000),
			       __NSEC_MAX);
	UK_TEST_EXPECT_UNUM_GE(ukplat_monotonic_clock() - waited, 10000000);
	UK_TEST_EXPECT_SNUM_EQ(items.count, 0);
	uk_semaphore_up(&items);
	waited = uk_semaphore_down_to(&items, 10000000);
	UK_TEST_EXPECT_UNUM_LE(waited, 10000000);
}

static struct uk_rwlock rw;
static volatile unsigned long record[4];	/* written whole by writers */
static unsigned long torn, readers_in, max_readers, writes_done, rw_stop;

static void rw_reader(void *arg __unused)
{
	while (!__atomic_load_n(&rw_stop, __ATOMIC_ACQUIRE)) {
		unsigned long in;

		uk_rwlock_rlock(&rw);
		in = __atomic_add_fetch(&readers_in, 1, __ATOMIC_RELAXED);
		if (in > __atomic_load_n(&max_readers, __ATOMIC_RELAXED))
			__atomic_store_n(&max_readers, in, __ATOMIC_RELAXED);
		for (int k = 0; k < 50; k++)
			torn += record[k % 4] != record[0];
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_RELAXED);
		uk_rwlock_runlock(&rw);
		uk_sched_yield();
	}
}

static void rw_writer(void *arg __unused)
{
	unsigned long v;

	for (v = 1; v <= 500; v++) {
		uk_rwlock_wlock(&rw);
		for (int k = 0; k < 4; k++) {
			record[k] = v;
			uk_sched_yield();	/* half-written while yielding */
		}
		uk_rwlock_wunlock(&rw);
		__atomic_fetch_add(&writes_done, 1, __ATOMIC_RELEASE);
	}
}

/* Readers never see a half-written record; the writer is not starved. */
UK_TESTCASE(uklock_blocking, rwlock_consistent_and_writer_not_starved)
{
	unsigned int n = ukplat_lcpu_count(), i;
	struct uk_thread *r[NTHREADS], *w;

	uk_rwlock_init(&rw);
	torn = readers_in = max_readers = writes_done = rw_stop = 0;
	for (i = 0; i < 4; i++)
		record[i] = 0;
	for (i = 0; i < 6; i++)
		r[i] = uk_sched_thread_create_on((int)(i % n), rw_reader, NULL,
						 "reader");
	w = uk_sched_thread_create_on((int)(n - 1), rw_writer, NULL, "writer");
	uk_thread_join(w);	/* would hang if readers starved it */
	__atomic_store_n(&rw_stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 6; i++)
		uk_thread_join(r[i]);
	UK_TEST_EXPECT_UNUM_EQ(writes_done, 500);
	UK_TEST_EXPECT_UNUM_EQ(torn, 0);
	UK_TEST_EXPECT_UNUM_EQ(record[3], 500);
	printf("    %u CPUs: 6 readers, 500 writes, up to %lu readers at once\n",
	       n, max_readers);
}

static unsigned long inside;

/* Holds the read lock until every CPU's reader holds it too. */
static void rendezvous_reader(void *arg __unused)
{
	__nsec end = ukplat_monotonic_clock() + 5000000000ULL;

	uk_rwlock_rlock(&rw);
	__atomic_fetch_add(&inside, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&inside, __ATOMIC_ACQUIRE) < ukplat_lcpu_count()
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();	/* not yielding: the CPU stays busy */
	uk_rwlock_runlock(&rw);
}

/* One reader per CPU: all hold the lock at the same time. */
UK_TESTCASE(uklock_blocking, rwlock_readers_run_concurrently)
{
	unsigned int n = ukplat_lcpu_count(), i;
	struct uk_thread *r[CONFIG_UKPLAT_LCPU_MAXCOUNT];

	uk_rwlock_init(&rw);
	inside = 0;
	for (i = 1; i < n; i++)
		r[i] = uk_sched_thread_create_on((int)i, rendezvous_reader,
						 NULL, "rdv");
	rendezvous_reader(NULL);
	for (i = 1; i < n; i++)
		uk_thread_join(r[i]);
	UK_TEST_EXPECT_UNUM_EQ(inside, n);
}

static struct uk_rwlock rwr =
	UK_RWLOCK_INITIALIZER(rwr, UK_RWLOCK_CONFIG_WRITE_RECURSE);
static unsigned long entered, h_in, h_release;

static void entering_reader(void *arg)
{
	struct uk_rwlock *l = arg;

	uk_rwlock_rlock(l);
	__atomic_store_n(&entered, 1, __ATOMIC_RELEASE);
	uk_rwlock_runlock(l);
}

/* Holds l for reading until told to let go. */
static void holding_reader(void *arg)
{
	struct uk_rwlock *l = arg;

	uk_rwlock_rlock(l);
	__atomic_store_n(&h_in, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&h_release, __ATOMIC_ACQUIRE))
		uk_sched_yield();
	uk_rwlock_runlock(l);
}

/* A reader on the last CPU; whether it got in within 200 yields of ours. */
static struct uk_thread *reader_tries(struct uk_rwlock *l, int *got_in)
{
	struct uk_thread *t;
	int i;

	__atomic_store_n(&entered, 0, __ATOMIC_RELEASE);
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      entering_reader, l, "rwprobe");
	for (i = 0; i < 200; i++)
		uk_sched_yield();
	*got_in = (int)__atomic_load_n(&entered, __ATOMIC_ACQUIRE);
	return t;
}

/*
 * Unikraft's rwlock extras: a recursive writer (nested wlocks counted),
 * upgrade (at once for the only reader, waiting when another reader holds
 * the lock) and downgrade (readers may enter, the caller still reads).
 */
UK_TESTCASE(uklock_blocking, rwlock_write_recursion_upgrade_downgrade)
{
	struct uk_thread *t;
	int got_in;

	UK_TEST_EXPECT_NOT_ZERO(uk_rwlock_is_write_recursive(&rwr));
	uk_rwlock_init(&rw);
	UK_TEST_EXPECT_ZERO(uk_rwlock_is_write_recursive(&rw));

	/* Nested: the lock stays held until the outer wunlock. */
	uk_rwlock_wlock(&rwr);
	uk_rwlock_wlock(&rwr);
	UK_TEST_EXPECT_SNUM_EQ(rwr.write_depth, 2);
	uk_rwlock_wunlock(&rwr);
	UK_TEST_EXPECT_SNUM_EQ(rwr.writer, 1);
	t = reader_tries(&rwr, &got_in);
	UK_TEST_EXPECT_ZERO(got_in);
	uk_rwlock_wunlock(&rwr);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(entered, 1);
	UK_TEST_EXPECT_SNUM_EQ(rwr.writer + rwr.readers, 0);

	/* The only reader upgrades at once; a reader then stays out. */
	uk_rwlock_rlock(&rw);
	uk_rwlock_upgrade(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.writer, 1);
	UK_TEST_EXPECT_SNUM_EQ(rw.readers, 0);
	t = reader_tries(&rw, &got_in);
	UK_TEST_EXPECT_ZERO(got_in);
	/* Downgraded: the waiting reader enters beside us. */
	uk_rwlock_downgrade(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.writer, 0);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(entered, 1);
	UK_TEST_EXPECT_SNUM_EQ(rw.readers, 1);
	uk_rwlock_runlock(&rw);

	/* Another reader holds it: upgrade waits for it to leave. */
	h_in = h_release = 0;
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      holding_reader, &rw, "rwhold");
	while (!__atomic_load_n(&h_in, __ATOMIC_ACQUIRE))
		uk_sched_yield();
	uk_rwlock_rlock(&rw);
	__atomic_store_n(&h_release, 1, __ATOMIC_RELEASE);
	uk_rwlock_upgrade(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.writer, 1);
	UK_TEST_EXPECT_SNUM_EQ(rw.readers, 0);
	uk_rwlock_wunlock(&rw);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(rw.writer + rw.readers, 0);
}

#if CONFIG_LIBUKLOCK_MUTEX_METRICS
static struct uk_mutex mm;
static int mm_try;

static void failing_trylock(void *arg __unused)
{
	mm_try = uk_mutex_trylock(&mm);
}

/* Unikraft's mutex statistics move by exactly what was done. */
UK_TESTCASE(uklock_blocking, mutex_metrics_count_exactly)
{
	struct uk_mutex_metrics a, b;
	struct uk_thread *t;

	mm_try = -1;
	uk_mutex_get_metrics(&a);
	uk_mutex_init_config(&mm, UK_MUTEX_CONFIG_RECURSE);
	uk_mutex_lock(&mm);
	UK_TEST_EXPECT_SNUM_EQ(uk_mutex_trylock(&mm), 1);	/* recursion */
	t = uk_sched_thread_create_on((int)ukplat_lcpu_count() - 1,
				      failing_trylock, NULL, "mmtry");
	uk_thread_join(t);
	UK_TEST_EXPECT_ZERO(mm_try);
	uk_mutex_get_metrics(&b);
	UK_TEST_EXPECT_UNUM_EQ(b.active_locked - a.active_locked, 1);
	UK_TEST_EXPECT_UNUM_EQ(b.active_unlocked, a.active_unlocked);
	uk_mutex_unlock(&mm);
	uk_mutex_unlock(&mm);
	uk_mutex_get_metrics(&b);
	UK_TEST_EXPECT_UNUM_EQ(b.active_locked, a.active_locked);
	UK_TEST_EXPECT_UNUM_EQ(b.active_unlocked - a.active_unlocked, 1);
	UK_TEST_EXPECT_UNUM_EQ(b.total_locks - a.total_locks, 1);
	UK_TEST_EXPECT_UNUM_EQ(b.total_ok_trylocks - a.total_ok_trylocks, 1);
	UK_TEST_EXPECT_UNUM_EQ(b.total_failed_trylocks
			       - a.total_failed_trylocks, 1);
	UK_TEST_EXPECT_UNUM_EQ(b.total_unlocks - a.total_unlocks, 2);
}
#endif
