/*
 * Readers-writer lock (Unikraft's uk/rwlock.h names) with writer
 * preference: readers on different CPUs hold it together, a waiting writer
 * stops new readers from entering, so writers never starve.
 */
#ifndef __UK_RWLOCK_H__
#define __UK_RWLOCK_H__

#include <uk/spinlock.h>

/* Host builds (support/host) run it on a pthread stand-in for uksched. */
#if !defined(CONFIG_LIBUKLOCK_BLOCKING) && !defined(CONFIG_HOST_TEST)
#error "uk/rwlock.h needs CONFIG_LIBUKSCHED (and LIBUKLOCK_BLOCKING)"
#endif
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

/* Thread context; before the scheduler runs they spin. */
void uk_rwlock_rlock(struct uk_rwlock *l);
void uk_rwlock_runlock(struct uk_rwlock *l);
void uk_rwlock_wlock(struct uk_rwlock *l);
void uk_rwlock_wunlock(struct uk_rwlock *l);

#endif /* __UK_RWLOCK_H__ */
