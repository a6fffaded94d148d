/* SPDX-License-Identifier: BSD-3-Clause */
/* Blocking mutex: one atomic word, and a wait queue for its sleepers. */
#include <uk/assert.h>
#include <uk/mutex.h>
#include <uk/sched.h>
#include "lock_port.h"

/*
 * The lock is m->state alone: a thread holds m once it has moved state
 * from FREE with an atomic operation. Uncontended, lock is one
 * compare-and-swap (FREE -> HELD) and unlock one exchange. A thread that
 * finds m held sets CONTENDED before it sleeps, and an unlock that
 * replaces CONTENDED wakes one sleeper. A waiter's wait condition is the
 * exchange itself: "exchanging in CONTENDED returned FREE" takes m (leaving
 * CONTENDED, since others may still sleep), and when it returns HELD or
 * CONTENDED it has marked m for the holder's unlock. It is evaluated
 * every time the waiter is on the queue, before it sleeps: so an unlock
 * either comes before it (the waiter takes m) or finds CONTENDED and the
 * waiter on the queue, and no wake-up is lost. (A condition without the
 * exchange would lose one: a woken waiter that finds m taken by a thread
 * that never waited, whose state is HELD, would sleep again unmarked.)
 *
 * owner and lock_count say who holds m and how often; only the holder
 * writes them (after taking m, before releasing it). owner is also read by
 * other threads (recursion check, crash messages), so it is accessed with
 * relaxed atomics: a thread only ever compares it with itself, and it
 * wrote every value equal to itself. Before the scheduler runs, the owner
 * is "boot" (NULL), and held means state != FREE.
 */
/*
 * Statistics (CONFIG_LIBUKLOCK_MUTEX_METRICS): per-CPU counters, so that
 * counting adds no shared cache line to the lock. Each is changed with a
 * relaxed atomic add (a thread may be interrupted by a trylock_isr on its
 * CPU) and summed on read: counters order nothing, a sum is a snapshot.
 */
enum { M_INITS, M_TAKEN, M_FREED, M_LOCKS, M_TRY_OK, M_TRY_FAIL, M_UNLOCKS,
       M_N };

#if CONFIG_LIBUKLOCK_MUTEX_METRICS
/* x86_64's cache line, spelled out: upstream's tree has no common name. */
#define METRICS_LINE	64

static struct {
	unsigned long n[M_N];
} __align(METRICS_LINE) metrics[CONFIG_UKPLAT_LCPU_MAXCOUNT];

static void count(int what)
{
	__atomic_fetch_add(&metrics[ukplat_lcpu_idx()].n[what], 1,
			   __ATOMIC_RELAXED);
}

static unsigned long sum(int what)
{
	unsigned long s = 0;
	unsigned int c;

	for (c = 0; c < CONFIG_UKPLAT_LCPU_MAXCOUNT; c++)
		s += __atomic_load_n(&metrics[c].n[what], __ATOMIC_RELAXED);
	return s;
}

void uk_mutex_get_metrics(struct uk_mutex_metrics *dst)
{
	unsigned long taken = sum(M_TAKEN), freed = sum(M_FREED);

	UK_ASSERT(dst);
	dst->active_locked = taken - freed;
	dst->active_unlocked = sum(M_INITS) + freed - taken;
	dst->total_locks = sum(M_LOCKS);
	dst->total_ok_trylocks = sum(M_TRY_OK);
	dst->total_failed_trylocks = sum(M_TRY_FAIL);
	dst->total_unlocks = sum(M_UNLOCKS);
}
#else
static inline void count(int what __unused)
{
}

void uk_mutex_get_metrics(struct uk_mutex_metrics *dst)
{
	UK_ASSERT(dst);
	*dst = (struct uk_mutex_metrics){ 0 };
}
#endif

static struct uk_thread *owner_of(struct uk_mutex *m)
{
	/* Relaxed: see above. */
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
}

static void set_owner(struct uk_mutex *m, struct uk_thread *t)
{
	/* Relaxed: see above. */
	__atomic_store_n(&m->owner, t, __ATOMIC_RELAXED);
}

void uk_mutex_init_config(struct uk_mutex *m, unsigned int flags)
{
	m->state = _UK_MUTEX_FREE;
	m->lock_count = 0;
	m->owner = NULL;
	m->flags = flags;
	uk_waitq_init(&m->wait);
	count(M_INITS);
}

static const char *name_of(struct uk_thread *t)
{
	return t ? t->name : "boot";
}

static struct uk_thread *me_or_boot(void)
{
	return lock_sched_running() ? uk_thread_current() : NULL;
}

/* me holds m already: 1 if it may take it again, or crashes. */
static int relock(struct uk_mutex *m, struct uk_thread *me, int crash)
{
	if (m->flags & UK_MUTEX_CONFIG_RECURSE) {
		m->lock_count++;
		return 1;
	}
	if (crash)
		UK_CRASH("mutex %p: thread %s locks it again (not recursive)\n",
			 m, name_of(me));
	return 0;
}

static void took(struct uk_mutex *m, struct uk_thread *me)
{
	/* Invariant: held (state != FREE) with no owner and no count yet. */
	UK_ASSERT(__atomic_load_n(&m->state, __ATOMIC_RELAXED)
		  != _UK_MUTEX_FREE);
	UK_ASSERT(m->lock_count == 0 && !owner_of(m));
	set_owner(m, me);
	m->lock_count = 1;
	count(M_TAKEN);
}

static int take_fast(struct uk_mutex *m)
{
	unsigned int free = _UK_MUTEX_FREE;

	/*
	 * Acquire on success: pairs with the release in uk_mutex_unlock(),
	 * so the previous holder's critical section is visible. Relaxed on
	 * failure: nothing is read under it.
	 */
	return __atomic_compare_exchange_n(&m->state, &free, _UK_MUTEX_HELD, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void uk_mutex_lock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();

	count(M_LOCKS);
	if (me && owner_of(m) == me) {
		relock(m, me, 1);
		return;
	}
	if (take_fast(m))
		goto taken;
	if (!me) {	/* no scheduler yet: spin */
		while (!take_fast(m))
			ukarch_spinwait();
		goto taken;
	}
	/*
	 * Acquire: as in take_fast(), when it returns FREE (m is ours).
	 * The condition is evaluated on the queue (see above).
	 */
	uk_waitq_wait_event(&m->wait,
			    __atomic_exchange_n(&m->state, _UK_MUTEX_CONTENDED,
						__ATOMIC_ACQUIRE)
			    == _UK_MUTEX_FREE);
taken:
	took(m, me);
}

int uk_mutex_trylock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();

	if (me && owner_of(m) == me) {
		if (!relock(m, me, 0)) {
			count(M_TRY_FAIL);
			return 0;
		}
		count(M_TRY_OK);
		return 1;
	}
	if (!take_fast(m)) {
		count(M_TRY_FAIL);
		return 0;
	}
	took(m, me);
	count(M_TRY_OK);
	return 1;
}

int uk_mutex_is_locked(struct uk_mutex *m)
{
	/* Relaxed: a hint by definition. */
	return __atomic_load_n(&m->state, __ATOMIC_RELAXED) != _UK_MUTEX_FREE;
}

void uk_mutex_unlock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();
	/* Relaxed: only a crash message reads it. */
	int held = __atomic_load_n(&m->state, __ATOMIC_RELAXED)
		   != _UK_MUTEX_FREE;

	if (!held || owner_of(m) != me)
		UK_CRASH("mutex %p: unlocked by %s, owned by %s\n", m,
			 name_of(me), held ? name_of(owner_of(m)) : "nobody");
	UK_ASSERT(m->lock_count > 0);
	count(M_UNLOCKS);
	if (--m->lock_count > 0)
		return;
	count(M_FREED);
	set_owner(m, NULL);
	/*
	 * Release: our critical section is visible to the next holder,
	 * which takes m with an acquire operation.
	 */
	if (__atomic_exchange_n(&m->state, _UK_MUTEX_FREE, __ATOMIC_RELEASE)
	    == _UK_MUTEX_CONTENDED)
		uk_waitq_wake_up_one(&m->wait);
}
