/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Atomic operations with Unikraft's names (its ukatomic library's
 * uk/atomic.h). Every operation is sequentially consistent, as there:
 * code written against these names may rely on the strongest order, so
 * none is weakened here. New code in this tree states its orders with the
 * __atomic builtins instead (STYLE.md).
 */
#ifndef __UK_ATOMIC_H__
#define __UK_ATOMIC_H__

#include <uk/arch/lcpu.h>

/* *src, read atomically. */
#define uk_load_n(src)		__atomic_load_n((src), __ATOMIC_SEQ_CST)
/* *src = value, atomically. */
#define uk_store_n(src, value)						\
	__atomic_store_n((src), (value), __ATOMIC_SEQ_CST)
/* Adds / subtracts value; evaluates to the value before. */
#define uk_fetch_add(src, value)					\
	__atomic_fetch_add((src), (value), __ATOMIC_SEQ_CST)
#define uk_fetch_sub(src, value)					\
	__atomic_fetch_sub((src), (value), __ATOMIC_SEQ_CST)
/* Adds / subtracts value; evaluates to the value after. */
#define uk_add_fetch(src, value)					\
	__atomic_add_fetch((src), (value), __ATOMIC_SEQ_CST)
#define uk_sub_fetch(src, value)					\
	__atomic_sub_fetch((src), (value), __ATOMIC_SEQ_CST)
/* Increments / decrements by one; evaluates to the value before. */
#define uk_inc(src)		uk_fetch_add((src), 1)
#define uk_dec(src)		uk_fetch_sub((src), 1)
/* Bitwise or / and with val; evaluates to the value before. */
#define uk_or(src, val)							\
	__atomic_fetch_or((src), (val), __ATOMIC_SEQ_CST)
#define uk_and(src, val)						\
	__atomic_fetch_and((src), (val), __ATOMIC_SEQ_CST)
/* *dst = v; evaluates to the old *dst. */
#define uk_exchange_n(dst, v)						\
	__atomic_exchange_n((dst), (v), __ATOMIC_SEQ_CST)
/*
 * If *dst == *exp, stores des and evaluates to true; otherwise stores the
 * current *dst into *exp and evaluates to false.
 */
#define uk_compare_exchange_n(dst, exp, des)				\
	__atomic_compare_exchange_n((dst), (exp), (des), 0,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
/*
 * If *ptr == old, stores new and evaluates to new; otherwise evaluates to
 * old (as in Unikraft; which of the two happened cannot be told apart when
 * old == new).
 */
#define uk_compare_exchange_sync(ptr, old, new)				\
	({								\
		__typeof__(*(ptr)) __uk_cxs_exp = (old);		\
		__atomic_compare_exchange_n((ptr), &__uk_cxs_exp, (new), \
					    0, __ATOMIC_SEQ_CST,	\
					    __ATOMIC_SEQ_CST)		\
			? (new) : (old);				\
	})

/*
 * One access to x that the compiler neither removes, merges nor splits
 * (for naturally aligned x of at most 8 bytes); no CPU ordering.
 */
#define UK_ACCESS_ONCE(x)	(*(volatile __typeof__(x) *)&(x))
#define UK_WRITE_ONCE(x, v)						\
	do {								\
		barrier();						\
		UK_ACCESS_ONCE(x) = (v);				\
		barrier();						\
	} while (0)
#define UK_READ_ONCE(x)							\
	({								\
		__typeof__(x) __uk_ro_v;				\
									\
		barrier();						\
		__uk_ro_v = UK_ACCESS_ONCE(x);				\
		barrier();						\
		__uk_ro_v;						\
	})

#endif /* __UK_ATOMIC_H__ */
