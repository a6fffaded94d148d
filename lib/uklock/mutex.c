/* Blocking mutex on a spinlock and a wait queue. */
#include <uk/assert.h>
#include <uk/mutex.h>
#include <uk/sched.h>

void uk_mutex_init_config(struct uk_mutex *m, unsigned int flags)
{
	uk_spin_init(&m->sl);
	m->owner = NULL;
	m->lock_count = 0;
	m->flags = flags;
	uk_waitq_init(&m->wait);
}

/* 1: taken; 0: owned by another thread. Crashes on self-deadlock. */
static int try_take(struct uk_mutex *m, struct uk_thread *me)
{
	unsigned long f;
	int taken = 1;

	uk_spin_lock_irqsave(&m->sl, f);
	if (!m->owner) {
		m->owner = me;
		m->lock_count = 1;
	} else if (m->owner == me && (m->flags & UK_MUTEX_CONFIG_RECURSE)) {
		m->lock_count++;
	} else if (m->owner == me) {
		uk_spin_unlock_irqrestore(&m->sl, f);
		UK_CRASH("mutex %p: thread %s locks it again (not recursive)\n",
			 m, me ? me->name : "boot");
	} else {
		taken = 0;
	}
	uk_spin_unlock_irqrestore(&m->sl, f);
	return taken;
}

static struct uk_thread *me_or_boot(void)
{
	return uk_sched_started() ? uk_thread_current() : NULL;
}

void uk_mutex_lock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();

	while (!try_take(m, me)) {
		if (!me) {	/* no scheduler yet: spin */
			ukarch_spinwait();
			continue;
		}
		/* Relaxed read in the condition: try_take re-checks locked. */
		uk_waitq_wait_event(&m->wait,
				    __atomic_load_n(&m->owner, __ATOMIC_RELAXED)
				    == NULL);
	}
}

int uk_mutex_trylock(struct uk_mutex *m)
{
	struct uk_thread *me = me_or_boot();
	unsigned long f;
	int taken = 0;

	uk_spin_lock_irqsave(&m->sl, f);
	if (!m->owner) {
		m->owner = me;
		m->lock_count = 1;
		taken = 1;
	} else if (m->owner == me && (m->flags & UK_MUTEX_CONFIG_RECURSE)) {
		m->lock_count++;
		taken = 1;
	}
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
	int released;

	uk_spin_lock_irqsave(&m->sl, f);
	if (m->owner != me || m->lock_count <= 0) {
		struct uk_thread *o = m->owner;

		uk_spin_unlock_irqrestore(&m->sl, f);
		UK_CRASH("mutex %p: unlocked by %s, owned by %s\n", m,
			 me ? me->name : "boot", o ? o->name : "nobody");
	}
	released = --m->lock_count == 0;
	if (released)
		m->owner = NULL;
	uk_spin_unlock_irqrestore(&m->sl, f);
	if (released)
		uk_waitq_wake_up_one(&m->wait);
}
