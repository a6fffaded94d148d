/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Readers-writer lock (Unikraft's uk/rwlock.h names) with writer
 * preference: readers on different CPUs hold it together, a waiting writer
 * stops new readers from entering, so writers never starve. Optionally
 * recursive for the writer; a reader may upgrade, the writer downgrade.
 */
#ifndef __UK_RWLOCK_H__
#define __UK_RWLOCK_H__

#include <uk/spinlock.h>
#include <uk/wait.h>

/* A writer holding the lock may take it again (counted, as a mutex). */
#define UK_RWLOCK_CONFIG_WRITE_RECURSE	0x01

struct uk_thread;

struct uk_rwlock {
	struct uk_spinlock sl;		/* protects everything below */
	int readers;			/* holding it for reading */
	int writer;			/* 1 while a writer holds it */
	int waiting_writers;		/* wanting it: new readers wait */
	int waiting_readers;		/* waiting on readq, or about to */
	unsigned int config_flags;	/* UK_RWLOCK_CONFIG_* */
	int write_depth;		/* the writer's nested wlocks */
	struct uk_thread *owner;	/* the writer (NULL before uksched) */
	struct uk_waitq readq, writeq;
};

/* Initializes l; flags: 0 or UK_RWLOCK_CONFIG_WRITE_RECURSE. */
void uk_rwlock_init_config(struct uk_rwlock *l, unsigned int flags);
#define uk_rwlock_init(l) uk_rwlock_init_config((l), 0)

/* Static initializer (Unikraft's); flags as uk_rwlock_init_config(). */
#define UK_RWLOCK_INITIALIZER(name, flags)				\
	{ .sl = UK_SPINLOCK_INITIALIZER(),				\
	  .readers = 0, .writer = 0, .waiting_writers = 0,		\
	  .waiting_readers = 0, .config_flags = (flags),		\
	  .write_depth = 0, .owner = NULL,				\
	  .readq = UK_WAIT_QUEUE_INITIALIZER((name).readq),		\
	  .writeq = UK_WAIT_QUEUE_INITIALIZER((name).writeq) }

/* Whether the writer may take l again (UK_RWLOCK_CONFIG_WRITE_RECURSE). */
static inline int uk_rwlock_is_write_recursive(const struct uk_rwlock *l)
{
	return (l->config_flags & UK_RWLOCK_CONFIG_WRITE_RECURSE) != 0;
}

/* Thread context; before the scheduler runs they spin. */
void uk_rwlock_rlock(struct uk_rwlock *l);
void uk_rwlock_runlock(struct uk_rwlock *l);
void uk_rwlock_wlock(struct uk_rwlock *l);
void uk_rwlock_wunlock(struct uk_rwlock *l);

/*
 * The caller, holding l for reading, holds it for writing when this
 * returns. At once when it is the only reader; otherwise it gives up its
 * read hold and waits as any writer: another writer may run in between,
 * so what was read must be read again. Thread context.
 */
void uk_rwlock_upgrade(struct uk_rwlock *l);

/*
 * The caller, holding l for writing (not nested), holds it for reading
 * when this returns, with no writer in between; waiting readers may enter
 * unless a writer waits. Thread context.
 */
void uk_rwlock_downgrade(struct uk_rwlock *l);

#endif /* __UK_RWLOCK_H__ */
