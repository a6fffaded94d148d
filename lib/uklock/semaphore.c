/* Counting semaphore on a spinlock and a wait queue. */
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/semaphore.h>

/*
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
	uk_waitq_init(&s->wait);
}

int uk_semaphore_down_try(struct uk_semaphore *s)
{
	unsigned long f;
	int ok = 0;

	uk_spin_lock_irqsave(&s->sl, f);
	if (s->count > 0) {
		set_count(s, s->count - 1);
		ok = 1;
	}
	uk_spin_unlock_irqrestore(&s->sl, f);
	return ok;
}

static long count_of(struct uk_semaphore *s)
{
	/* Relaxed: only a hint to stop waiting; down_try decides. */
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

void uk_semaphore_down(struct uk_semaphore *s)
{
	while (!uk_semaphore_down_try(s)) {
		if (!uk_sched_started()) {
			ukarch_spinwait();
			continue;
		}
		uk_waitq_wait_event(&s->wait, count_of(s) > 0);
	}
}

__nsec uk_semaphore_down_to(struct uk_semaphore *s, __nsec timeout)
{
	__nsec start = ukplat_monotonic_clock(), deadline = start + timeout;

	while (!uk_semaphore_down_try(s)) {
		if (ukplat_monotonic_clock() >= deadline)
			return __NSEC_MAX;
		if (!uk_sched_started()) {
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

	uk_spin_lock_irqsave(&s->sl, f);
	set_count(s, s->count + 1);
	uk_spin_unlock_irqrestore(&s->sl, f);
	uk_waitq_wake_up_one(&s->wait);
}
