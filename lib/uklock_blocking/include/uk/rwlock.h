/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Readers-writer lock (Unikraft's uk/rwlock.h names) with writer
 * preference: readers on different CPUs hold it together, a waiting writer
 * stops new readers from entering, so writers never starve.
 */
#ifndef __UK_RWLOCK_H__
#define __UK_RWLOCK_H__

#include <uk/spinlock.h>
#include <uk/wait.h>

struct uk_rwlock {
	struct uk_spinlock sl;		/* protects the four counters */
	int readers;			/* holding it for reading */
	int writer;			/* 1 while a writer holds it */
	int waiting_writers;		/* wanting it: new readers wait */
	int waiting_readers;		/* waiting on readq, or about to */
	struct uk_waitq readq, writeq;
};

void uk_rwlock_init(struct uk_rwlock *l);
#define uk_rwlock_init_config(l, flags) uk_rwlock_init(l)

/*
 * Static initializer (Unikraft's). flags must be 0: a writer cannot take
 * the lock again while holding it (Unikraft's UK_RWLOCK_CONFIG_WRITE_RECURSE
 * does not exist here); anything else fails to compile.
 */
#define UK_RWLOCK_INITIALIZER(name, flags)				\
	{ .sl = UK_SPINLOCK_INITIALIZER(),				\
	  .readers = (int)(0 * sizeof(char[(flags) == 0 ? 1 : -1])),	\
	  .writer = 0, .waiting_writers = 0, .waiting_readers = 0,	\
	  .readq = UK_WAIT_QUEUE_INITIALIZER((name).readq),		\
	  .writeq = UK_WAIT_QUEUE_INITIALIZER((name).writeq) }

/* Whether a writer may take l again: never, here (see above). */
static inline int uk_rwlock_is_write_recursive(const struct uk_rwlock *l)
{
	(void)l;
	return 0;
}

/* Thread context; before the scheduler runs they spin. */
void uk_rwlock_rlock(struct uk_rwlock *l);
void uk_rwlock_runlock(struct uk_rwlock *l);
void uk_rwlock_wlock(struct uk_rwlock *l);
void uk_rwlock_wunlock(struct uk_rwlock *l);

#endif /* __UK_RWLOCK_H__ */
