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

struct uk_mutex {
	struct uk_spinlock sl;	/* protects owner, lock_count, waiters */
	struct uk_thread *owner;
	int lock_count;
	int waiters;		/* threads that wait or will wait on wait */
	unsigned int flags;
	struct uk_waitq wait;
};

#define UK_MUTEX_INITIALIZER(name)					\
	{ .sl = UK_SPINLOCK_INITIALIZER(), .owner = NULL,		\
	  .lock_count = 0, .waiters = 0, .flags = 0,			\
	  .wait = UK_WAITQ_INITIALIZER((name).wait) }
#define UK_MUTEX_INITIALIZER_RECURSIVE(name)				\
	{ .sl = UK_SPINLOCK_INITIALIZER(), .owner = NULL,		\
	  .lock_count = 0, .waiters = 0,				\
	  .flags = UK_MUTEX_CONFIG_RECURSE,				\
	  .wait = UK_WAITQ_INITIALIZER((name).wait) }

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

#endif /* __UK_MUTEX_H__ */
