/*
 * uklock benchmark: the design alternatives, i.e. spinlock.c compiled again
 * with other settings (variant_*.c) under other names. They share struct
 * uk_spinlock and the inline fast path; only the waiting part differs.
 */
#ifndef UKLOCK_BENCH_VARIANTS_H
#define UKLOCK_BENCH_VARIANTS_H

#include <uk/spinlock.h>

void _uk_spin_lock_contended_skip64(struct uk_spinlock *lock);
void _uk_spin_lock_contended_skip4k(struct uk_spinlock *lock);
void _uk_spin_lock_contended_noskip(struct uk_spinlock *lock);

/* uk_spin_lock() with the waiting part of variant v. */
#define VARIANT_LOCK(v, lock)						\
	do {								\
		if (!_uk_spin_trylock_fast(lock))			\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)

#endif
