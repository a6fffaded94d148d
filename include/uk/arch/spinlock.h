/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The architecture's raw spinlock, with Unikraft's names (__spinlock,
 * ukarch_spin_*): a test-and-test-and-set lock in one 32-bit word, always
 * available (no library needed), for code that must not depend on uklock,
 * such as the platform or ports written against Unikraft's arch layer.
 *
 * Invariant: `lock` is 0 (free) or 1 (held); only ukarch_spin_lock() and
 * ukarch_spin_trylock() change 0 to 1, only ukarch_spin_unlock() 1 to 0.
 *
 * It is not fair and does not queue: whoever sees the word free and swaps
 * it first wins. Libraries use uklock's struct uk_spinlock (uk/spinlock.h,
 * FIFO, robust to preempted vCPUs), a different type: passing one to the
 * other's functions is a compile-time error, not a silent mix-up.
 *
 * Unlike Unikraft's single-CPU build, where these compile to nothing, the
 * lock is real in every configuration: this tree always runs SMP.
 */
#ifndef __UKARCH_SPINLOCK_H__
#define __UKARCH_SPINLOCK_H__

#include <uk/essentials.h>
#include <uk/arch/lcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

struct __spinlock {
	__u32 lock;		/* 0: free, 1: held */
};
typedef struct __spinlock __spinlock;

/* Static initializer of a free lock (a zeroed __spinlock is free too). */
#define UKARCH_SPINLOCK_INITIALIZER() { 0 }

/* Makes lock free. Only for a lock nobody else uses yet. Any context. */
static inline void ukarch_spin_init(__spinlock *lock)
{
	/* Relaxed: nobody else may look at the lock yet (see above). */
	__atomic_store_n(&lock->lock, 0, __ATOMIC_RELAXED);
}

/*
 * Takes lock with one atomic exchange; returns 1 when it did, 0 when the
 * lock was held (nothing changed). Any CPU, any context.
 */
static inline int ukarch_spin_trylock(__spinlock *lock)
{
	/*
	 * Relaxed pre-check: a held lock is not written at all, so pollers
	 * keep their shared copy of the cache line.
	 */
	if (__atomic_load_n(&lock->lock, __ATOMIC_RELAXED))
		return 0;
	/*
	 * Acquire: pairs with the release store in ukarch_spin_unlock() of
	 * the previous holder, so its critical section is visible to ours.
	 */
	return __atomic_exchange_n(&lock->lock, 1, __ATOMIC_ACQUIRE) == 0;
}

/*
 * Takes lock, spinning (with pause) while another CPU holds it. Any CPU,
 * any context; the caller must not hold it already, and must disable
 * interrupts (uk/plat/spinlock.h) if an interrupt handler may take it.
 */
static inline void ukarch_spin_lock(__spinlock *lock)
{
	while (!ukarch_spin_trylock(lock))
		/* Relaxed: only a hint that the exchange may now succeed. */
		while (__atomic_load_n(&lock->lock, __ATOMIC_RELAXED))
			ukarch_spinwait();
}

/* Releases lock, which the caller holds. Any context. */
static inline void ukarch_spin_unlock(__spinlock *lock)
{
	/*
	 * Release: everything written while holding the lock is visible to
	 * the next holder (its acquire exchange pairs with this store).
	 */
	__atomic_store_n(&lock->lock, 0, __ATOMIC_RELEASE);
}

/* Non-zero while some CPU holds lock (a snapshot). Any context. */
static inline int ukarch_spin_is_locked(__spinlock *lock)
{
	/* Relaxed: a snapshot; nothing is read under its protection. */
	return __atomic_load_n(&lock->lock, __ATOMIC_RELAXED) != 0;
}

#ifdef __cplusplus
}
#endif

#endif /* __UKARCH_SPINLOCK_H__ */
