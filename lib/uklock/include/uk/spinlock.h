/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock spinlocks, with Unikraft's names: a FIFO queue of waiters while
 * everybody runs, and no collapse when a waiting vCPU is preempted.
 *
 * How it works (details and measurements in doc/uklock.md):
 *
 * - Bit 0 of `word` (its low byte) is the lock itself: whoever sets it with
 *   an atomic read-modify-write holds the lock; the holder clears it with a
 *   byte store to release it. Mutual exclusion rests on this bit only.
 * - The top 16 bits of `word` (`tail`) and `head` queue the waiters in FIFO
 *   order. A CPU first tries one compare-and-swap on `word` that takes the
 *   lock only if it is free and nobody is queued (as cheap as a test-and-set
 *   lock). If that fails, it takes a ticket from `tail` with a fetch-and-add
 *   right away (it always succeeds, and the failed compare-and-swap has just
 *   brought the cache line over, so another CPU can hardly slip in between)
 *   and waits. Only the waiter whose ticket equals `head` may take a free
 *   lock; whoever takes the lock that way moves `head` past its own ticket,
 *   so the next waiter's turn comes.
 * - Bounded batching: a CPU that finds the lock free while waiters are
 *   queued (in practice the CPU that just released it, which still has the
 *   cache line) may take it ahead of the queue, but only _UK_SPIN_BATCH
 *   times in a row: bits 8-13 of `word` count these acquisitions since the
 *   waiter at the head got its turn, and that waiter resets the count when
 *   it takes the lock. So the lock changes hands at most about once every
 *   _UK_SPIN_BATCH + 1 acquisitions instead of at every one (each handoff
 *   moves the cache line between CPUs; the waiter at the head also takes
 *   a free lock it sees, which ends a batch early), and that waiter waits
 *   for at most _UK_SPIN_BATCH acquisitions besides its own turn: FIFO
 *   between batches. trylock never takes the lock ahead of the queue.
 * - A waiter whose turn it is may have been preempted (a vCPU is a host
 *   thread). When a queued waiter sees the lock free while `head` does not
 *   move for long enough (longer the further back it is), it takes the lock
 *   out of turn and moves `head` past its own ticket. So a preempted waiter
 *   costs one bounded delay instead of stalling everybody behind it, as it
 *   does with a plain ticket lock.
 * - No waiter is passed over without bound: the skipped waiters are counted
 *   in `skipped`; one that runs again goes first (it sets the wanted bit),
 *   and once _UK_SPIN_SKIP_LIMIT acquisitions have happened since the
 *   oldest missing one was skipped, the lock is closed to everybody else
 *   until they have all had it. A waiter waits through at most
 *   _UK_SPIN_PASSES_MAX(n) acquisitions by others.
 *
 * x86_64 only (little-endian byte store into a word that other CPUs change
 * with 32-bit atomics; fine on x86, as in Linux's qspinlock).
 *
 * Ordering: taking the lock is an acquire operation, releasing it a release
 * operation: everything a CPU did while holding the lock is visible to the
 * next CPU that takes it, and nothing moves out of the critical section.
 * `head` and `tail` only decide who goes next (fairness), never who may enter.
 *
 * Spinlocks never sleep. A CPU must not take a lock it already holds, and
 * must not hold one when the lock may be taken again on the same CPU from an
 * interrupt handler unless it uses the _irq/_irqsave variants (interrupts
 * disabled while held). With CONFIG_LIBUKLOCK_DEBUG such misuse crashes with
 * a message naming the lock, its owner and the offending CPU.
 */
#ifndef __UK_SPINLOCK_H__
#define __UK_SPINLOCK_H__

#include <uk/essentials.h>
#include <uk/arch/lcpu.h>
#include <uk/arch/spinlock.h>
#include <uk/plat/lcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Upstream Unikraft has no __always_inline; this header spells it out. */
#define _UK_SPIN_INLINE inline __attribute__((__always_inline__))

struct uk_spinlock {
	/*
	 * bit 0: held (the lock itself); bits 8-13: batch (acquisitions
	 * ahead of the waiter at the head); bit 14: wanted (a skipped waiter
	 * runs again: others let it go first); bit 15: closed (only skipped
	 * waiters may take it); bits 16-31: tail (next ticket)
	 */
	__u32 word;
	__u16 head;		/* ticket whose turn it is */
	/*
	 * Skipped waiters (spinlock.c): bits 0-7: how many have not had the
	 * lock since; bits 8-15: how many of those run again and wait for it.
	 */
	__u16 skipped;
	__u32 since;		/* acquisitions since the oldest was skipped */
#if CONFIG_LIBUKLOCK_DEBUG
	__u32 owner;		/* holder's CPU index + 1, 0 when free */
	unsigned long owner_ra;	/* where the holder took it */
	__u32 clock;		/* acquisitions so far (holder writes) */
	__u32 max_passes;	/* most passes one waiter saw (holder writes) */
#endif
};

/* Unikraft's bare type name (upstream: a macro naming the arch lock). */
typedef struct uk_spinlock uk_spinlock;

/*
 * Static initializer of an unlocked spinlock (a zeroed struct uk_spinlock
 * is unlocked too). Empty, so that it also initializes a __spinlock, as
 * upstream code does (see the end of this file), whatever its members
 * (upstream's single-CPU __spinlock has none).
 */
#define UK_SPINLOCK_INITIALIZER() {}

#define _UK_SPIN_HELD		0x1u		/* bit of word */
#define _UK_SPIN_BATCH_SHIFT	8		/* batch's place in word */
#define _UK_SPIN_BATCH_ONE	(1u << _UK_SPIN_BATCH_SHIFT)
#define _UK_SPIN_BATCH_MASK	(0x3fu << _UK_SPIN_BATCH_SHIFT)
#define _UK_SPIN_WANTED		0x4000u		/* bit of word */
#define _UK_SPIN_CLOSED		0x8000u		/* bit of word */
#define _UK_SPIN_TICKET_SHIFT	16		/* tail's place in word */
#define _UK_SPIN_TICKET		(1u << _UK_SPIN_TICKET_SHIFT)
#define _UK_SPIN_SKIPPED_ONE	0x1u		/* one skipped waiter */
#define _UK_SPIN_SKIPPED_PRESENT 0x100u	/* one of them running again */

/*
 * While waiters are queued, a CPU that finds the lock free (in practice the
 * one that just released it) may take it ahead of them this many times in a
 * row; then it queues like everybody else, and the waiter at the head gets
 * its turn. 0 makes the lock strictly FIFO; at most 63 (the batch bits of
 * `word`). Chosen by measurement (doc/uklock-measurements.md); only spinlock.c
 * and the inline fast path use it.
 */
#define _UK_SPIN_BATCH		16

/*
 * The bound on skipping: once this many acquisitions have happened since a
 * waiter that is still missing was skipped, the lock is closed to everybody
 * but the skipped waiters until each of them has had it (spinlock.c). The
 * others then wait for a preempted waiter, as with a ticket lock: the
 * limit is what they may take first. Chosen by measurement
 * (doc/uklock-measurements.md, "The bound").
 */
#define _UK_SPIN_SKIP_LIMIT	(1u << 20)

/*
 * The most acquisitions by others (passes) that a CPU waits through
 * between taking its ticket and getting the lock, when n CPUs use the
 * lock: _UK_SPIN_SKIP_LIMIT after being skipped, and n (_UK_SPIN_BATCH + 3)
 * for the turns, batches and returning skipped waiters ahead of it
 * (spinlock.c, "The bound").
 */
#define _UK_SPIN_PASSES_MAX(n)						\
	(_UK_SPIN_SKIP_LIMIT + (unsigned long)(n) * (_UK_SPIN_BATCH + 3))

/*
 * The encoding's names without the underscore, for tests; the upstream
 * profile hides them (ours only, doc/reuse.md), so code that must also
 * work with upstream's uklock cannot come to depend on them.
 */
#ifndef UK_UPSTREAM_PROFILE
#define UK_SPIN_HELD		_UK_SPIN_HELD
#define UK_SPIN_BATCH_SHIFT	_UK_SPIN_BATCH_SHIFT
#define UK_SPIN_BATCH_ONE	_UK_SPIN_BATCH_ONE
#define UK_SPIN_BATCH_MASK	_UK_SPIN_BATCH_MASK
#define UK_SPIN_TICKET_SHIFT	_UK_SPIN_TICKET_SHIFT
#define UK_SPIN_TICKET		_UK_SPIN_TICKET
#define UK_SPIN_BATCH		_UK_SPIN_BATCH
#define UK_SPIN_CLOSED		_UK_SPIN_CLOSED
#define UK_SPIN_WANTED		_UK_SPIN_WANTED
#define UK_SPIN_SKIPPED_ONE	_UK_SPIN_SKIPPED_ONE
#define UK_SPIN_SKIPPED_PRESENT	_UK_SPIN_SKIPPED_PRESENT
#define UK_SPIN_SKIP_LIMIT	_UK_SPIN_SKIP_LIMIT
#define UK_SPIN_PASSES_MAX(n)	_UK_SPIN_PASSES_MAX(n)
#endif

/* Out-of-line parts (spinlock.c); use the functions below instead. */
void _uk_spin_lock_contended(struct uk_spinlock *lock);
void _uk_spin_count_pass(struct uk_spinlock *lock);
#if CONFIG_LIBUKLOCK_DEBUG
void _uk_spin_lock_debug(struct uk_spinlock *lock);
int _uk_spin_trylock_debug(struct uk_spinlock *lock);
void _uk_spin_unlock_debug(struct uk_spinlock *lock);
void _uk_spin_assert_held_debug(struct uk_spinlock *lock);
#endif

/*
 * Makes lock unlocked with nobody queued. Only for a lock nobody else uses
 * yet (or any more). Any CPU, any context.
 */
static inline void uk_spin_init(struct uk_spinlock *lock)
{
	struct uk_spinlock init = UK_SPINLOCK_INITIALIZER();

	*lock = init;
}

/*
 * One attempt at the lock without a ticket, as trylock does it: succeeds
 * when nobody holds it and nobody is queued for it, so it never overtakes a
 * waiter. Returns 1 when it took the lock.
 */
static _UK_SPIN_INLINE int _uk_spin_try(struct uk_spinlock *lock)
{
	/*
	 * Relaxed: `head` only says which word to expect ("free, no batch,
	 * tail == head"); a stale value makes the compare-and-swap fail,
	 * never succeed wrongly, because `head` never passes `tail`.
	 */
	__u32 empty = (__u32)__atomic_load_n(&lock->head, __ATOMIC_RELAXED)
		      << _UK_SPIN_TICKET_SHIFT;
	__u32 expect = empty;

	/*
	 * Acquire on success: pairs with the release store of the previous
	 * holder, so its writes are visible to us. Relaxed on failure:
	 * nothing is read under it.
	 */
	if (__atomic_compare_exchange_n(&lock->word, &expect,
					empty | _UK_SPIN_HELD, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;
	/*
	 * Free and nobody queued, but a batch count was left behind (a CPU
	 * took the lock ahead of a queue that emptied just then, or its
	 * `head` was stale): take it and clear the count, or trylock alone
	 * would never succeed again. Not when closed or wanted (those bits
	 * are outside the batch mask): then skipped waiters go first. Orders
	 * as above.
	 */
	return (expect & ~_UK_SPIN_BATCH_MASK) == empty
	       && __atomic_compare_exchange_n(&lock->word, &expect,
					      empty | _UK_SPIN_HELD, 0,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED);
}

/*
 * The fast path of uk_spin_lock(): one attempt at the lock without a
 * ticket. Succeeds when nobody holds it and either nobody is queued for it
 * or fewer than `batch` acquisitions have gone ahead of the waiter at the
 * head since its turn came; then it counts one more. Returns 1 when it took
 * the lock.
 *
 * First the compare-and-swap of _uk_spin_try(), which expects a free lock
 * nobody queues for: uncontended, one locked instruction and no load of
 * `word` (a load right after uk_spin_unlock()'s byte store stalls on store
 * forwarding). If waiters are queued, it fails, having brought the cache
 * line here and returned `word`; a second compare-and-swap, at once, takes
 * the lock ahead of them. Neither is retried: if `word` changed meanwhile,
 * the caller queues. (Alternatives measured: bench/variants.h.)
 */
static _UK_SPIN_INLINE int _uk_spin_take(struct uk_spinlock *lock,
					 unsigned int batch)
{
	/* Relaxed: as in _uk_spin_try(). */
	__u16 head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	__u32 empty = (__u32)head << _UK_SPIN_TICKET_SHIFT;
	__u32 word = empty, next;

	/*
	 * Acquire on success: pairs with the release store of the previous
	 * holder, so its writes are visible to us. Relaxed on failure: we
	 * only look at the word it returns. Setting the held bit with an
	 * atomic operation is what grants the lock, as everywhere else.
	 */
	if (__atomic_compare_exchange_n(&lock->word, &word,
					empty | _UK_SPIN_HELD, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;
	/* Held, or kept for skipped waiters: queue. */
	if (word & (_UK_SPIN_HELD | _UK_SPIN_WANTED | _UK_SPIN_CLOSED))
		return 0;
	if ((word & ~_UK_SPIN_BATCH_MASK) == empty)
		/* Nobody queued, a count left behind: clear it. */
		next = empty | _UK_SPIN_HELD;
	else if ((word & _UK_SPIN_BATCH_MASK) < (batch << _UK_SPIN_BATCH_SHIFT))
		/* Ahead of the queue: one more in this batch. */
		next = (word + _UK_SPIN_BATCH_ONE) | _UK_SPIN_HELD;
	else
		return 0;
	/* Orders as above. */
	return __atomic_compare_exchange_n(&lock->word, &word, next, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Takes lock, waiting (spinning) as long as it takes. Waiters get the lock
 * in the order they arrived, except that a CPU finding the lock free may
 * take it ahead of them (at most _UK_SPIN_BATCH times before the first waiter
 * gets its turn), and that a waiter that does not take its turn
 * quickly (a preempted vCPU) is skipped and gets the lock first when it
 * runs again. Between taking its ticket and getting the lock, a caller
 * waits through at most _UK_SPIN_PASSES_MAX(n) acquisitions by the other
 * n - 1 CPUs, preempted or not. Any CPU, any
 * context, interrupts enabled or not; must not already hold lock (in
 * interrupt context, use the _irq/_irqsave variants everywhere else).
 */
static _UK_SPIN_INLINE void uk_spin_lock(struct uk_spinlock *lock)
{
#if CONFIG_LIBUKLOCK_DEBUG
	_uk_spin_lock_debug(lock);
#else
	if (!_uk_spin_take(lock, _UK_SPIN_BATCH))
		_uk_spin_lock_contended(lock);
#endif
}

/*
 * Takes lock if that needs no waiting: when nobody holds it and nobody is
 * queued for it (it never takes the lock ahead of a waiter, as
 * uk_spin_lock() may). Any CPU, any context. Returns 1 when the caller now holds
 * lock, 0 otherwise (nothing changed). It may also fail when another CPU
 * took and released lock just then. Calling it on a lock the caller holds is
 * allowed and returns 0.
 */
static _UK_SPIN_INLINE int uk_spin_trylock(struct uk_spinlock *lock)
{
#if CONFIG_LIBUKLOCK_DEBUG
	return _uk_spin_trylock_debug(lock);
#else
	return _uk_spin_try(lock);
#endif
}

/*
 * Releases lock, which the calling CPU must hold. Any context.
 */
static _UK_SPIN_INLINE void uk_spin_unlock(struct uk_spinlock *lock)
{
#if CONFIG_LIBUKLOCK_DEBUG
	_uk_spin_unlock_debug(lock);
#else
	/*
	 * Relaxed: `skipped` becomes non-zero only in a critical section (a
	 * skip), which the lock orders before ours; a waiter that runs again
	 * only adds to a non-zero value. While it is non-zero, every
	 * acquisition is counted (spinlock.c).
	 */
	if (__builtin_expect(__atomic_load_n(&lock->skipped, __ATOMIC_RELAXED)
			     != 0, 0))
		_uk_spin_count_pass(lock);
	/*
	 * Release: everything written in the critical section is visible to
	 * whoever takes the lock next (it sets the bit with an acquire
	 * operation). A byte store: only the holder writes that byte; other
	 * CPUs change the rest of `word` with atomic operations around it.
	 */
	__atomic_store_n((__u8 *)&lock->word, 0, __ATOMIC_RELEASE);
#endif
}

/*
 * Returns non-zero when some CPU holds lock at the time of the call (a hint:
 * it may change right after). Any CPU, any context.
 */
static inline int uk_spin_is_locked(struct uk_spinlock *lock)
{
	/* Relaxed: a snapshot, nothing is read under its protection. */
	return (__atomic_load_n(&lock->word, __ATOMIC_RELAXED) & _UK_SPIN_HELD)
	       != 0;
}

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * With CONFIG_LIBUKLOCK_DEBUG: crashes unless the calling CPU holds lock.
 * Without: does nothing. Any CPU, any context.
 */
static _UK_SPIN_INLINE void uk_spin_assert_held(struct uk_spinlock *lock)
{
#if CONFIG_LIBUKLOCK_DEBUG
	_uk_spin_assert_held_debug(lock);
#else
	(void)lock;
#endif
}

/*
 * Number of spinlocks the calling CPU holds. Counted only with
 * CONFIG_LIBUKLOCK_DEBUG (the scheduler checks it is 0 before it sleeps);
 * always 0 without. Any CPU, any context.
 */
unsigned int uk_spin_held_count(void);
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * Disables interrupts on the calling CPU, then takes lock (waiting with
 * interrupts disabled). Any CPU, any context; pair with uk_spin_unlock_irq().
 */
static _UK_SPIN_INLINE void uk_spin_lock_irq(struct uk_spinlock *lock)
{
	ukplat_lcpu_disable_irq();
	uk_spin_lock(lock);
}

/*
 * Releases lock, then enables interrupts on the calling CPU (whatever their
 * state before uk_spin_lock_irq(); use the _irqsave variants when that
 * matters).
 */
static _UK_SPIN_INLINE void uk_spin_unlock_irq(struct uk_spinlock *lock)
{
	uk_spin_unlock(lock);
	ukplat_lcpu_enable_irq();
}

/*
 * Tries to take lock with interrupts disabled: on success returns 1 with
 * interrupts disabled, on failure returns 0 with interrupts enabled. Any CPU,
 * any context. (A GNU statement expression, as in Unikraft.)
 */
#define uk_spin_trylock_irq(lock)					\
	({								\
		int __uk_spin_ret;					\
									\
		ukplat_lcpu_disable_irq();				\
		__uk_spin_ret = uk_spin_trylock(lock);			\
		if (!__uk_spin_ret)					\
			ukplat_lcpu_enable_irq();			\
		__uk_spin_ret;						\
	})

/*
 * Saves the interrupt state of the calling CPU into flags (an unsigned long
 * lvalue), disables interrupts, then takes lock. Any CPU, any context.
 */
#define uk_spin_lock_irqsave(lock, flags)				\
	do {								\
		(flags) = ukplat_lcpu_save_irqf();			\
		uk_spin_lock(lock);					\
	} while (0)

/*
 * Releases lock, then restores the interrupt state saved in flags by
 * uk_spin_lock_irqsave() or uk_spin_trylock_irqsave().
 */
#define uk_spin_unlock_irqrestore(lock, flags)				\
	do {								\
		uk_spin_unlock(lock);					\
		ukplat_lcpu_restore_irqf(flags);			\
	} while (0)

/*
 * Saves the interrupt state into flags and disables interrupts, then tries
 * to take lock. Returns 1 with lock held and interrupts disabled, or 0 with
 * the saved interrupt state restored. Any CPU, any context.
 */
#define uk_spin_trylock_irqsave(lock, flags)				\
	({								\
		int __uk_spin_ret;					\
									\
		(flags) = ukplat_lcpu_save_irqf();			\
		__uk_spin_ret = uk_spin_trylock(lock);			\
		if (!__uk_spin_ret)					\
			ukplat_lcpu_restore_irqf(flags);		\
		__uk_spin_ret;						\
	})

/*
 * The __spinlock identity (doc/reuse.md). In upstream Unikraft uk_spinlock
 * is the architecture's __spinlock, so upstream code declares __spinlock
 * objects (ukstore, uknetdev's stats) and hands them to uk_spin_lock().
 * Here __spinlock stays the arch layer's one-word lock (uk/arch/spinlock.h;
 * the platform uses it without uklock), and these names dispatch on the
 * pointer's type: a __spinlock * goes to ukarch_spin_*(), so the object
 * keeps its own size and gets mutual exclusion (not FIFO order); anything
 * else goes to the FIFO lock above, where a wrong type is a compile error.
 * C only (_Generic); C++ callers pass struct uk_spinlock.
 */
#ifndef __cplusplus
/* Functions, since upstream's single-CPU ukarch_spin_*() are macros. */
static inline void _uk_arch_spin_init(__spinlock *lock)
{
	ukarch_spin_init(lock);
}

static inline void _uk_arch_spin_lock(__spinlock *lock)
{
	ukarch_spin_lock(lock);
}

static inline int _uk_arch_spin_trylock(__spinlock *lock)
{
	return ukarch_spin_trylock(lock);
}

static inline void _uk_arch_spin_unlock(__spinlock *lock)
{
	ukarch_spin_unlock(lock);
}

static inline int _uk_arch_spin_is_locked(__spinlock *lock)
{
	return ukarch_spin_is_locked(lock);
}

static inline void _uk_arch_spin_lock_irq(__spinlock *lock)
{
	ukplat_lcpu_disable_irq();
	ukarch_spin_lock(lock);
}

static inline void _uk_arch_spin_unlock_irq(__spinlock *lock)
{
	ukarch_spin_unlock(lock);
	ukplat_lcpu_enable_irq();
}

#define _UK_SPIN_PICK(lock, arch, fifo)					\
	_Generic((lock), __spinlock *: (arch), default: (fifo))
#define uk_spin_init(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_init, uk_spin_init)(lock)
#define uk_spin_lock(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_lock, uk_spin_lock)(lock)
#define uk_spin_trylock(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_trylock, uk_spin_trylock)(lock)
#define uk_spin_unlock(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_unlock, uk_spin_unlock)(lock)
#define uk_spin_is_locked(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_is_locked,			\
		      uk_spin_is_locked)(lock)
#define uk_spin_lock_irq(lock)						\
	_UK_SPIN_PICK(lock, _uk_arch_spin_lock_irq, uk_spin_lock_irq)(lock)
#define uk_spin_unlock_irq(lock)					\
	_UK_SPIN_PICK(lock, _uk_arch_spin_unlock_irq,			\
		      uk_spin_unlock_irq)(lock)
#endif /* !__cplusplus */

#ifdef __cplusplus
}
#endif

#endif /* __UK_SPINLOCK_H__ */
