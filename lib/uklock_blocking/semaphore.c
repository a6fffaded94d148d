/* SPDX-License-Identifier: BSD-3-Clause */
/* Counting semaphore on a spinlock and a wait queue. */
#include <uk/plat/time.h>
#include <uk/sched.h>
#include "lock_port.h"
#include <uk/assert.h>
#include <uk/semaphore.h>

/*
 * waiters counts the threads that found the count at 0 and wait for it,
 * under s->sl: a thread counts itself in the same critical section in
 * which it finds nothing to take, and leaves in the one in which it takes
 * a unit or gives up. up touches the wait queue (and its spinlock) only
 * when someone is counted. No wake-up is lost: an up after the waiter's
 * section sees it counted; if the wake-up then comes before the waiter is
 * on the queue, the waiter's condition, tested once it is on the queue,
 * sees the count above 0 (the queue's lock orders the two).
 *
 * count is written under s->sl only, and also read without it (the wait
 * condition), so it is stored atomically. Relaxed is enough: that read is
 * a hint and down_try decides again under s->sl.
 */
static void set_count(struct uk_semaphore *s, long count)
{
	__atomic_store_n(&s->count, count, __ATOMIC_RELAXED);
}

void uk_semaphore_init(struct uk_semaphore *s, long count)
{
	uk_spin_init(&s->sl);
	set_count(s, count);
	s->waiters = 0;
	uk_waitq_init(&s->wait);
}

/*
 * Takes a unit if there is one: 1, and the caller leaves waiters if
 * *counted. Else 0, and the caller is counted in waiters from now on
 * (*counted = 1) if it will wait on the queue (wait != 0).
 */
static int take(struct uk_semaphore *s, int *counted, int wait)
{
	unsigned long f;
	int ok = 0;

	uk_spin_lock_irqsave(&s->sl, f);
	if (s->count > 0) {
		set_count(s, s->count - 1);
		s->waiters -= *counted;
		*counted = 0;
		ok = 1;
	} else if (wait && !*counted) {
		s->waiters++;
		*counted = 1;
	}
	UK_ASSERT(s->waiters >= 0);	/* invariant: a count of threads */
	uk_spin_unlock_irqrestore(&s->sl, f);
	return ok;
}

/* A counted waiter gives up (timeout). */
static void uncount(struct uk_semaphore *s, int *counted)
{
	unsigned long f;

	if (!*counted)
		return;
	uk_spin_lock_irqsave(&s->sl, f);
	s->waiters--;
	UK_ASSERT(s->waiters >= 0);
	uk_spin_unlock_irqrestore(&s->sl, f);
	*counted = 0;
}

int uk_semaphore_down_try(struct uk_semaphore *s)
{
	int counted = 0;

	return take(s, &counted, 0);
}

static long count_of(struct uk_semaphore *s)
{
	/* Relaxed: only a hint to stop waiting; down_try decides. */
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

void uk_semaphore_down(struct uk_semaphore *s)
{
	int counted = 0, sched = lock_sched_running();

	while (!take(s, &counted, sched)) {
		if (!sched) {
			ukarch_spinwait();
			continue;
		}
		uk_waitq_wait_event(&s->wait, count_of(s) > 0);
	}
}

__nsec uk_semaphore_down_to(struct uk_semaphore *s, __nsec timeout)
{
	__nsec start = ukplat_monotonic_clock(), deadline = start + timeout;
	int counted = 0, sched = lock_sched_running();

	while (!take(s, &counted, sched)) {
		if (ukplat_monotonic_clock() >= deadline) {
			uncount(s, &counted);
			return __NSEC_MAX;
		}
		if (!sched) {
			ukarch_spinwait();
			continue;
		}
		uk_waitq_wait_event_deadline(&s->wait, count_of(s) > 0,
					     deadline);
	}
	return ukplat_monotonic_clock() - start;
}

void uk_semaphore_up(struct uk_semaphore *s)
{
	unsigned long f;
	int wake;

	uk_spin_lock_irqsave(&s->sl, f);
	set_count(s, s->count + 1);
	wake = s->waiters > 0;
	uk_spin_unlock_irqrestore(&s->sl, f);
	if (wake)
		uk_waitq_wake_up_one(&s->wait);
}
