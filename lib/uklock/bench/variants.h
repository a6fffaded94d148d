/*
 * uklock benchmark: the design alternatives, i.e. spinlock.c compiled again
 * with another skip threshold (variant_*.c) under other names, counting how
 * often waiters skip and requeue. They share struct uk_spinlock and the
 * inline fast path; only the waiting part differs.
 */
#ifndef UKLOCK_BENCH_VARIANTS_H
#define UKLOCK_BENCH_VARIANTS_H

#include <uk/spinlock.h>

/* Events counted by the variants (one variant runs at a time). */
struct bench_stat {
	unsigned long skip;	/* lock taken out of turn */
	unsigned long requeue;	/* a skipped waiter queued again */
};
extern struct bench_stat bench_stat;

void _uk_spin_lock_contended_skip64(struct uk_spinlock *lock);
void _uk_spin_lock_contended_skip512(struct uk_spinlock *lock);
void _uk_spin_lock_contended_skip4k(struct uk_spinlock *lock);
void _uk_spin_lock_contended_noskip(struct uk_spinlock *lock);

/* uk_spin_lock() with the waiting part of variant v. */
#define VARIANT_LOCK(v, lock)						\
	do {								\
		if (!_uk_spin_try(lock))				\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)

#endif
