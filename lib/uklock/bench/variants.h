/*
 * uklock benchmark: the design alternatives, i.e. spinlock.c compiled again
 * with another batch limit or skip threshold (variant_*.c) under other
 * names, counting how often waiters skip and requeue. They share struct
 * uk_spinlock and the inline fast path (given their batch limit); only the
 * out-of-line part differs.
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

void _uk_spin_lock_contended_batch0(struct uk_spinlock *lock);
void _uk_spin_lock_contended_batch4(struct uk_spinlock *lock);
void _uk_spin_lock_contended_batch8(struct uk_spinlock *lock);
void _uk_spin_lock_contended_batch16(struct uk_spinlock *lock);
void _uk_spin_lock_contended_batch32(struct uk_spinlock *lock);
void _uk_spin_lock_contended_defer0(struct uk_spinlock *lock);
void _uk_spin_lock_contended_defer8(struct uk_spinlock *lock);
void _uk_spin_lock_contended_skip64(struct uk_spinlock *lock);
void _uk_spin_lock_contended_skip4k(struct uk_spinlock *lock);
void _uk_spin_lock_contended_noskip(struct uk_spinlock *lock);
void _uk_spin_lock_contended_hp16(struct uk_spinlock *lock);
void _uk_spin_lock_contended_hp32(struct uk_spinlock *lock);
void _uk_spin_lock_contended_q16(struct uk_spinlock *lock);
void _uk_spin_lock_contended_poll1(struct uk_spinlock *lock);

/*
 * A fast path with one compare-and-swap in every case: the batch byte and
 * `tail` are read with loads that do not overlap the held byte (which
 * uk_spin_unlock() has just stored, so a load of the whole word would stall
 * on store forwarding), and the expected word is built from them.
 */
static __always_inline int bench_take_narrow(struct uk_spinlock *lock,
					     unsigned int batch)
{
	const __u8 *bytes = (const __u8 *)&lock->word;
	/* Relaxed: the compare-and-swap checks whatever these predict. */
	__u16 head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	__u16 tail = __atomic_load_n((const __u16 *)(bytes + 2),
				     __ATOMIC_RELAXED);
	__u8 count = __atomic_load_n(bytes + 1, __ATOMIC_RELAXED);
	__u32 word = ((__u32)tail << UK_SPIN_TICKET_SHIFT)
		     | ((__u32)count << UK_SPIN_BATCH_SHIFT);
	__u32 next;

	if (tail == head)
		next = ((__u32)tail << UK_SPIN_TICKET_SHIFT) | UK_SPIN_HELD;
	else if (count < batch)
		next = (word + UK_SPIN_BATCH_ONE) | UK_SPIN_HELD;
	else
		return 0;
	/* Acquire: pairs with the previous holder's release store. */
	return __atomic_compare_exchange_n(&lock->word, &word, next, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * The fast path that was measured against _uk_spin_take(): a load of `word`
 * first, then one compare-and-swap. It needs one locked instruction instead
 * of two to take the lock ahead of waiters, but the load right after
 * uk_spin_unlock()'s byte store stalls on store forwarding, which costs the
 * uncontended case.
 */
static __always_inline int bench_take_load_first(struct uk_spinlock *lock,
						 unsigned int batch)
{
	__u32 word = __atomic_load_n(&lock->word, __ATOMIC_ACQUIRE);
	__u16 head;
	__u32 next;

	if (word & UK_SPIN_HELD)
		return 0;
	head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	if ((__u16)(word >> UK_SPIN_TICKET_SHIFT) == head)
		next = (word & ~UK_SPIN_BATCH_MASK) | UK_SPIN_HELD;
	else if ((word & UK_SPIN_BATCH_MASK) < (batch << UK_SPIN_BATCH_SHIFT))
		next = (word + UK_SPIN_BATCH_ONE) | UK_SPIN_HELD;
	else
		return 0;
	return __atomic_compare_exchange_n(&lock->word, &word, next, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * The other fast path that was measured: set the held bit first with an
 * exchange of the held byte (one locked instruction, like a test-and-set
 * lock), then look at the queue and the count under the lock, and give the
 * lock back at once when the batch is used up. Slower uncontended (the load
 * of `word` after the exchange) and no faster contended.
 */
static __always_inline int bench_take_xchg_first(struct uk_spinlock *lock,
						 unsigned int batch)
{
	__u8 *held = (__u8 *)&lock->word;
	__u32 word;
	__u16 head;

	if (__atomic_exchange_n(held, UK_SPIN_HELD, __ATOMIC_ACQUIRE))
		return 0;
	word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);
	head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	if ((__u16)(word >> UK_SPIN_TICKET_SHIFT) == head) {
		if (word & UK_SPIN_BATCH_MASK)
			__atomic_store_n(held + 1, 0, __ATOMIC_RELAXED);
		return 1;
	}
	if ((word & UK_SPIN_BATCH_MASK) < (batch << UK_SPIN_BATCH_SHIFT)) {
		__atomic_store_n(held + 1,
				 (__u8)((word >> UK_SPIN_BATCH_SHIFT) + 1),
				 __ATOMIC_RELAXED);
		return 1;
	}
	__atomic_store_n(held, 0, __ATOMIC_RELEASE);
	return 0;
}

/* uk_spin_lock() with batch limit k and the waiting part of variant v. */
#define VARIANT_LOCK(v, k, lock)					\
	do {								\
		if (!_uk_spin_take(lock, k))				\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)

/* The same with the other fast paths. */
#define VARIANT_LOCK_LOAD_FIRST(v, k, lock)				\
	do {								\
		if (!bench_take_load_first(lock, k))			\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)
#define VARIANT_LOCK_NARROW(v, k, lock)					\
	do {								\
		if (!bench_take_narrow(lock, k))			\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)
#define VARIANT_LOCK_XCHG_FIRST(v, k, lock)				\
	do {								\
		if (!bench_take_xchg_first(lock, k))			\
			_uk_spin_lock_contended_##v(lock);		\
	} while (0)

#endif
