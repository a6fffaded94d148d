/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lockhello: a c-hello-style application that uses uklock through
 * upstream Unikraft's lock API, so the same source builds against upstream
 * 0.17 with our uklock in place of upstream's (support/scripts/check-upstream)
 * and in our tree. Three threads each add to counters under a spinlock, a
 * mutex and an rwlock's write side (yielding inside the mutex's and the
 * rwlock's critical sections, so the others block on them), read a pair
 * under the read side, and signal a semaphore when done. Prints one line
 * ending in OK when every total is exact and the pair was never seen torn;
 * returns 0, else 1.
 */
#include <stdio.h>
#include <uk/mutex.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include <uk/semaphore.h>
#include <uk/spinlock.h>

#define THREADS 3
#define ROUNDS 200

static uk_spinlock spin = UK_SPINLOCK_INITIALIZER();
static __spinlock arch_spin = UK_SPINLOCK_INITIALIZER();
static struct uk_mutex mtx;
static struct uk_rwlock rw;
static struct uk_semaphore done;
static unsigned long n_spin, n_arch, n_mutex;
static unsigned long pair_a, pair_b;	/* equal outside the write side */
static unsigned long torn;

static void round_once(void)
{
	unsigned long a, b, flags;

	uk_spin_lock_irqsave(&spin, flags);
	n_spin++;
	uk_spin_unlock_irqrestore(&spin, flags);
	uk_spin_lock(&arch_spin);
	n_arch++;
	uk_spin_unlock(&arch_spin);

	uk_mutex_lock(&mtx);
	a = n_mutex;
	uk_sched_yield();	/* others now block on the mutex */
	n_mutex = a + 1;
	uk_mutex_unlock(&mtx);

	uk_rwlock_wlock(&rw);
	pair_a++;
	uk_sched_yield();	/* readers and writers now wait */
	pair_b++;
	uk_rwlock_wunlock(&rw);

	uk_rwlock_rlock(&rw);
	a = pair_a;
	b = pair_b;
	uk_rwlock_runlock(&rw);
	if (a != b)
		torn++;
}

/* Upstream's thread functions must not return (uk_thread_fn1_t). */
static __noreturn void worker(void *arg __unused)
{
	int i;

	for (i = 0; i < ROUNDS; i++)
		round_once();
	uk_semaphore_up(&done);
	uk_sched_thread_exit();
}

int main(void)
{
	unsigned long want = THREADS * ROUNDS;
	int i, bad;

	uk_mutex_init(&mtx);
	uk_rwlock_init(&rw);
	uk_semaphore_init(&done, 0);
	for (i = 0; i < THREADS; i++)
		if (!uk_sched_thread_create(uk_sched_current(), worker, NULL,
					    "lockhello")) {
			printf("lockhello: no thread\n");
			return 1;
		}
	for (i = 0; i < THREADS; i++)
		uk_semaphore_down(&done);
	bad = n_spin != want || n_arch != want || n_mutex != want ||
	      pair_a != want || pair_b != want || torn;
	printf("lockhello: %d threads x %d rounds: spin %lu, __spinlock %lu, "
	       "mutex %lu, rwlock %lu/%lu, torn reads %lu: %s\n", THREADS,
	       ROUNDS, n_spin, n_arch, n_mutex, pair_a, pair_b, torn,
	       bad ? "MISMATCH" : "OK");
	return bad;
}
