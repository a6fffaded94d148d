/* Blocking mutex on a spinlock and a wait queue. */
#include <uk/assert.h>
#include <uk/mutex.h>
#include <uk/sched.h>

/*
 * waiters counts the threads that found m held and will wait on m->wait
 * until they take it. It lets unlock skip the wait queue (its spinlock)
 * when nobody waits, and no wake-up is lost: a thread counts itself in the
 * same m->sl section in which it finds m held, so an unlock that releases
 * m after that sees it; and if that unlock's wake-up comes before the
 * thread is on the queue, the thread's wait condition, tested once it is
 * on the queue, sees m free (the queue's lock orders the two).
 *
 * lock_count, not owner, says whether m is held: before the scheduler runs
 * the owner is "boot" (NULL), the same value as "nobody". Both are written
 * under m->sl only. lock_count is also read without the spinlock (a wait
 * condition, uk_mutex_is_locked), so it is stored atomically: relaxed is
 * enough, the lock-free reads are hints and every decision is made again
 * under m->sl, whose release/acquire orders the critical sections.
 */
static void set_count(struct uk_mutex *m, int n)
{
	__atomic_store_n(&m->lock_count, n, __ATOMIC_RELAXED);
}

void uk_mutex_init_config(struct uk_mutex *m, unsigned int flags)
{
	uk_spin_init(&m->sl);
	m->owner = NULL;
	set_count(m, 0);
	m->waiters = 0;
	m->flags = flags;
	uk_waitq_init(&m->wait);
}

static const char *name_of(struct uk_thread *t)
{
	return t ? t->name : "boot";
}

/*
 * Under m->sl: 1 if me took m (or took it once more, recursive), 0 if it
 * must wait. Before the scheduler runs (me == NULL) a held mutex means wait
 * (spin), as two CPUs may both be "boot".
 */
static int take_locked(struct uk_mutex *m, struct uk_thread *me)
{
	if (m->lock_count == 0) {
		m->owner = me;
		set_count(m, 1);
		return 1;
	}
	if (!me || m->owner != me)
		return 0;
	if (m->flags & UK_MUTEX_CONFIG_RECURSE) {
		set_count(m, m->lock_count + 1);
		return 1;
	}
	return -1;
}

/*
 * As take_locked; *counted says whether me is in m->waiters: it counts
 * itself when it must wait, and leaves when it takes m.
 */
static int try_take(struct uk_mutex *m, struct uk_thread *me, int *counted)
{
	unsigned long f;
	int taken;

	uk_spin_lock_irqsave(&m->sl, f);
	taken = take_locked(m, me);
	if (taken > 0 && *counted) {
		m->waiters--;
		*counted = 0;
	} else if (taken == 0 && !*counted && me) {
		m->waiters++;	/* boot spins: nobody wakes it */
		*counted = 1;
	}
	uk_spin_unlock_irqrestore(&m->sl, f);
	if (taken < 0)
		UK_CRASH("mutex %p: thread %s locks it again (not recursive)\n",
			 m, name_of(me));
	return taken;
}

static struct uk_thread *me_or_boot(void)
{
	return uk_sched_started() ? uk_thread_current() : NULL;
}

void uk_mutex_lock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();
	int counted = 0;

	while (!try_take(m, me, &counted)) {
		if (!me) {	/* no scheduler yet: spin */
			ukarch_spinwait();
			continue;
		}
		/* Relaxed read in the condition: try_take re-checks locked. */
		uk_waitq_wait_event(&m->wait,
				    __atomic_load_n(&m->lock_count,
						    __ATOMIC_RELAXED) == 0);
	}
}

int uk_mutex_trylock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();
	unsigned long f;
	int taken;

	uk_spin_lock_irqsave(&m->sl, f);
	taken = take_locked(m, me) > 0;
	uk_spin_unlock_irqrestore(&m->sl, f);
	return taken;
}

int uk_mutex_is_locked(struct uk_mutex *m)
{
	/* Relaxed: a hint by definition. */
	return __atomic_load_n(&m->lock_count, __ATOMIC_RELAXED) > 0;
}

void uk_mutex_unlock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();
	unsigned long f;
	int released, wake;

	uk_spin_lock_irqsave(&m->sl, f);
	if (m->owner != me || m->lock_count <= 0) {
		struct uk_thread *o = m->owner;
		int held = m->lock_count > 0;

		uk_spin_unlock_irqrestore(&m->sl, f);
		UK_CRASH("mutex %p: unlocked by %s, owned by %s\n", m,
			 name_of(me), held ? name_of(o) : "nobody");
	}
	released = m->lock_count == 1;
	set_count(m, m->lock_count - 1);
	if (released)
		m->owner = NULL;
	wake = released && m->waiters;
	uk_spin_unlock_irqrestore(&m->sl, f);
	if (wake)
		uk_waitq_wake_up_one(&m->wait);
}
