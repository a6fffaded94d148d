/* SPDX-License-Identifier: BSD-3-Clause */
/* Writer-preferring readers-writer lock on a spinlock and two wait queues. */
#include <uk/assert.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include "lock_port.h"

/*
 * waiting_writers and waiting_readers count the threads that found the
 * lock unavailable, in the same l->sl section, and will wait until they
 * get it; the unlocks wake a queue only when its count says someone waits.
 * No wake-up is lost: an unlock that comes after that section sees the
 * count, and if its wake-up comes before the thread is on the queue, the
 * thread's wait condition, tested once it is on the queue, sees the lock
 * available (the queue's lock orders the two).
 *
 * The counters are written under l->sl only, and also read without
 * it (the wait conditions below), so they are stored atomically. Relaxed
 * is enough: those reads are hints and entry is decided again under l->sl.
 */
#define SET(field, v) __atomic_store_n(&l->field, (v), __ATOMIC_RELAXED)

/*
 * The lock's state, checked under l->sl: a writer excludes readers, and no
 * count is negative.
 */
static void check(const struct uk_rwlock *l)
{
	UK_ASSERT(l->writer == 0 || l->writer == 1);
	UK_ASSERT(!(l->writer && l->readers));
	UK_ASSERT(l->readers >= 0 && l->waiting_writers >= 0
		  && l->waiting_readers >= 0);
	UK_ASSERT(l->writer ? l->write_depth >= 1 : l->write_depth == 0);
}

/* The calling thread, or NULL before uksched runs one. */
static struct uk_thread *me(void)
{
	return lock_sched_running() ? uk_thread_current() : NULL;
}

void uk_rwlock_init_config(struct uk_rwlock *l, unsigned int flags)
{
	l->config_flags = flags;
	l->write_depth = 0;
	l->owner = NULL;
	uk_spin_init(&l->sl);
	SET(readers, 0);
	SET(writer, 0);
	SET(waiting_writers, 0);
	l->waiting_readers = 0;	/* only read under l->sl */
	uk_waitq_init(&l->readq);
	uk_waitq_init(&l->writeq);
}

/* Relaxed reads below are hints for waking; entry is decided locked. */
static int read_ok(struct uk_rwlock *l)
{
	return !__atomic_load_n(&l->writer, __ATOMIC_RELAXED)
	       && !__atomic_load_n(&l->waiting_writers, __ATOMIC_RELAXED);
}

static int write_ok(struct uk_rwlock *l)
{
	return !__atomic_load_n(&l->writer, __ATOMIC_RELAXED)
	       && !__atomic_load_n(&l->readers, __ATOMIC_RELAXED);
}

void uk_rwlock_rlock(struct uk_rwlock *l)
{
	int counted = 0;	/* in waiting_readers */

	for (;;) {
		unsigned long f;

		uk_spin_lock_irqsave(&l->sl, f);
		if (!l->writer && !l->waiting_writers) {
			SET(readers, l->readers + 1);
			l->waiting_readers -= counted;
			check(l);
			uk_spin_unlock_irqrestore(&l->sl, f);
			return;
		}
		if (!counted && lock_sched_running()) {
			l->waiting_readers++;
			counted = 1;
		}
		uk_spin_unlock_irqrestore(&l->sl, f);
		if (!lock_sched_running())
			ukarch_spinwait();
		else
			uk_waitq_wait_event(&l->readq, read_ok(l));
	}
}

void uk_rwlock_runlock(struct uk_rwlock *l)
{
	unsigned long f;
	int wake;

	uk_spin_lock_irqsave(&l->sl, f);
	UK_ASSERT(l->readers > 0);
	SET(readers, l->readers - 1);
	check(l);
	wake = l->readers == 0 && l->waiting_writers;
	uk_spin_unlock_irqrestore(&l->sl, f);
	if (wake)
		uk_waitq_wake_up_one(&l->writeq);
}

void uk_rwlock_wlock(struct uk_rwlock *l)
{
	unsigned long f;

	uk_spin_lock_irqsave(&l->sl, f);
	if (l->writer && l->owner == me() && uk_rwlock_is_write_recursive(l)) {
		l->write_depth++;
		uk_spin_unlock_irqrestore(&l->sl, f);
		return;
	}
	/* From here on, new readers wait. */
	SET(waiting_writers, l->waiting_writers + 1);
	while (l->writer || l->readers) {
		uk_spin_unlock_irqrestore(&l->sl, f);
		if (!lock_sched_running())
			ukarch_spinwait();
		else
			uk_waitq_wait_event(&l->writeq, write_ok(l));
		uk_spin_lock_irqsave(&l->sl, f);
	}
	SET(waiting_writers, l->waiting_writers - 1);
	SET(writer, 1);
	l->write_depth = 1;
	l->owner = me();
	check(l);
	uk_spin_unlock_irqrestore(&l->sl, f);
}

void uk_rwlock_wunlock(struct uk_rwlock *l)
{
	unsigned long f;
	int writers, readers;

	uk_spin_lock_irqsave(&l->sl, f);
	UK_ASSERT(l->writer && l->owner == me());
	if (--l->write_depth > 0) {
		uk_spin_unlock_irqrestore(&l->sl, f);
		return;
	}
	l->owner = NULL;
	SET(writer, 0);
	check(l);
	writers = l->waiting_writers;
	readers = l->waiting_readers;
	uk_spin_unlock_irqrestore(&l->sl, f);
	if (writers)
		uk_waitq_wake_up_one(&l->writeq);
	else if (readers)
		uk_waitq_wake_up(&l->readq);
}

void uk_rwlock_upgrade(struct uk_rwlock *l)
{
	unsigned long f;

	uk_spin_lock_irqsave(&l->sl, f);
	UK_ASSERT(l->readers > 0);
	if (l->readers == 1 && !l->writer) {
		/* The only reader: nobody can come between. */
		SET(readers, 0);
		SET(writer, 1);
		l->write_depth = 1;
		l->owner = me();
		check(l);
		uk_spin_unlock_irqrestore(&l->sl, f);
		return;
	}
	uk_spin_unlock_irqrestore(&l->sl, f);
	/* Two readers upgrading at once would wait for each other: yield. */
	uk_rwlock_runlock(l);
	uk_rwlock_wlock(l);
}

void uk_rwlock_downgrade(struct uk_rwlock *l)
{
	unsigned long f;
	int readers;

	uk_spin_lock_irqsave(&l->sl, f);
	UK_ASSERT(l->writer && l->write_depth == 1 && l->owner == me());
	l->write_depth = 0;
	l->owner = NULL;
	SET(writer, 0);
	SET(readers, 1);
	check(l);
	/* Writer preference: readers enter only when no writer waits. */
	readers = !l->waiting_writers && l->waiting_readers;
	uk_spin_unlock_irqrestore(&l->sl, f);
	if (readers)
		uk_waitq_wake_up(&l->readq);
}
