/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Blocking mutex (Unikraft's uk/mutex.h names): owner-tracked, optionally
 * recursive; unlock wakes exactly one waiter, on whatever CPU it sleeps.
 * Before the scheduler runs (boot), lock degrades to spinning.
 */
#ifndef __UK_MUTEX_H__
#define __UK_MUTEX_H__

#include <uk/spinlock.h>
#include <uk/wait.h>

#define UK_MUTEX_CONFIG_RECURSE 0x1

struct uk_thread;

/* Values of uk_mutex.state. */
#define _UK_MUTEX_FREE		0
#define _UK_MUTEX_HELD		1	/* nobody waits */
#define _UK_MUTEX_CONTENDED	2	/* held; waiters may sleep on wait */
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_MUTEX_FREE		_UK_MUTEX_FREE
#define UK_MUTEX_HELD		_UK_MUTEX_HELD
#define UK_MUTEX_CONTENDED	_UK_MUTEX_CONTENDED
#endif

struct uk_mutex {
	unsigned int state;		/* UK_MUTEX_*: the lock (atomics) */
	int lock_count;			/* written by the owner only */
	struct uk_thread *owner;	/* NULL: nobody, or boot */
	unsigned int flags;
	struct uk_waitq wait;		/* its own lock protects it */
};

#define UK_MUTEX_INITIALIZER(name)					\
	{ .state = _UK_MUTEX_FREE, .lock_count = 0, .owner = NULL,	\
	  .flags = 0, .wait = UK_WAIT_QUEUE_INITIALIZER((name).wait) }
#define UK_MUTEX_INITIALIZER_RECURSIVE(name)				\
	{ .state = _UK_MUTEX_FREE, .lock_count = 0, .owner = NULL,	\
	  .flags = UK_MUTEX_CONFIG_RECURSE,				\
	  .wait = UK_WAIT_QUEUE_INITIALIZER((name).wait) }

/* Initializes m; flags: 0 or UK_MUTEX_CONFIG_RECURSE. */
void uk_mutex_init_config(struct uk_mutex *m, unsigned int flags);
#define uk_mutex_init(m) uk_mutex_init_config((m), 0)

/*
 * Takes m, blocking while another thread owns it. Thread context only.
 * Taking a non-recursive mutex twice crashes (it would deadlock).
 */
void uk_mutex_lock(struct uk_mutex *m);

/* Takes m if free (or owned by us and recursive); 1 if taken, else 0. */
int uk_mutex_trylock(struct uk_mutex *m);

/* Whether some thread owns m (a hint). */
int uk_mutex_is_locked(struct uk_mutex *m);

/*
 * Releases m (once per lock for a recursive one) and wakes one waiter.
 * The owner only; anything else crashes with both threads named.
 */
void uk_mutex_unlock(struct uk_mutex *m);

/*
 * Unikraft's mutex statistics (CONFIG_LIBUKLOCK_MUTEX_METRICS), since
 * boot, over all mutexes. active_unlocked counts mutexes set up with
 * uk_mutex_init_config() that are free: statically initialized ones enter
 * it only once locked and unlocked (as in Unikraft).
 */
struct uk_mutex_metrics {
	size_t active_locked;		/* mutexes held now */
	size_t active_unlocked;		/* set up at run time, free now */
	size_t total_locks;		/* uk_mutex_lock() calls */
	size_t total_ok_trylocks;	/* uk_mutex_trylock() that took it */
	size_t total_failed_trylocks;	/* ... that did not */
	size_t total_unlocks;		/* uk_mutex_unlock() calls */
};

/*
 * Copies the statistics to *dst: a snapshot, exact when no CPU locks or
 * unlocks meanwhile. Any CPU, thread context. All zero unless
 * CONFIG_LIBUKLOCK_MUTEX_METRICS.
 */
void uk_mutex_get_metrics(struct uk_mutex_metrics *dst);

/* Whether m was set up recursive (UK_MUTEX_CONFIG_RECURSE). */
static inline int uk_mutex_is_recursive(const struct uk_mutex *m)
{
	return (m->flags & UK_MUTEX_CONFIG_RECURSE) != 0;
}

/*
 * Blocks until cond is true, cond being protected by mutex m, which the
 * caller holds: m is released while blocked and held again when this
 * returns (uk/wait.h, uk_waitq_wait_event_locked). m must not be held
 * recursively (more than once): it would stay held while blocked.
 */
#define uk_waitq_wait_event_mutex(wq, cond, m)				\
	uk_waitq_wait_event_locked((wq), cond, uk_mutex_lock,		\
				   uk_mutex_unlock, (m))
/* The same, giving up at deadline: 1 on timeout, else 0. */
#define uk_waitq_wait_event_deadline_mutex(wq, cond, deadline, m)	\
	uk_waitq_wait_event_deadline_locked((wq), cond, (deadline),	\
					    uk_mutex_lock,		\
					    uk_mutex_unlock, (m))

#endif /* __UK_MUTEX_H__ */
