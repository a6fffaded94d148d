/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wait queues: a thread blocks until a condition holds; any CPU wakes it.
 * No lost wake-up: the waiter is on the queue and marked blocked before it
 * tests the condition, so a waker that makes the condition true afterwards
 * (on any CPU, at the same moment) finds it there.
 */
#ifndef __UK_WAIT_H__
#define __UK_WAIT_H__

#include <uk/essentials.h>
#include <uk/spinlock.h>

struct uk_thread;

struct uk_waitq_entry {
	struct uk_thread *thread;
	struct uk_waitq_entry *next;
	int queued;
};

struct uk_waitq {
	struct uk_spinlock lock;	/* protects the list of entries */
	struct uk_waitq_entry *head;
};

/* A static initializer: upstream's spelling, which both trees have. */
#define __WAIT_QUEUE_INITIALIZER(name)					\
	{ .lock = UK_SPINLOCK_INITIALIZER(), .head = NULL }
#define DEFINE_WAIT_QUEUE(name)						\
	struct uk_waitq name = __WAIT_QUEUE_INITIALIZER(name)
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_WAITQ_INITIALIZER(name)	__WAIT_QUEUE_INITIALIZER(name)
#endif

void uk_waitq_init(struct uk_waitq *wq);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* Building blocks of uk_waitq_wait_event(); thread context only. */
void uk_waitq_prepare(struct uk_waitq *wq, struct uk_waitq_entry *e);
void uk_waitq_prepare_deadline(struct uk_waitq *wq, struct uk_waitq_entry *e,
			       __nsec deadline);
__nsec uk_waitq_now(void);
void uk_waitq_finish(struct uk_waitq *wq, struct uk_waitq_entry *e);

/*
 * Gives up the CPU: a thread that uk_waitq_prepare*() marked blocked sleeps
 * until woken (or its deadline), any other thread only yields. Thread
 * context only.
 */
void uk_sched_switch_out(void);
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * The same functions under private names (the same symbols), for the
 * macros below, which the upstream profile keeps.
 */
void _uk_waitq_prepare_deadline(struct uk_waitq *wq,
				struct uk_waitq_entry *e, __nsec deadline)
	__asm__("uk_waitq_prepare_deadline");
void _uk_waitq_prepare(struct uk_waitq *wq, struct uk_waitq_entry *e)
	__asm__("uk_waitq_prepare");
__nsec _uk_waitq_now(void) __asm__("uk_waitq_now");
void _uk_waitq_finish(struct uk_waitq *wq, struct uk_waitq_entry *e)
	__asm__("uk_waitq_finish");
void _uk_sched_switch_out(void) __asm__("uk_sched_switch_out");

/*
 * Blocks the calling thread until cond is true. Thread context only, not
 * with a spinlock held. cond is evaluated with the thread on the queue.
 */
#define uk_waitq_wait_event(wq, cond)					\
	do {								\
		struct uk_waitq_entry __wq_e = { 0 };			\
		for (;;) {						\
			_uk_waitq_prepare((wq), &__wq_e);		\
			if (cond)					\
				break;					\
			_uk_sched_switch_out();				\
		}							\
		_uk_waitq_finish((wq), &__wq_e);			\
	} while (0)

/*
 * The loop behind the deadline and locked forms. With a lock, the thread
 * leaves the queue before lock_fn runs (lock_fn may itself wait, on a
 * mutex: a thread waits on one queue at a time) and queues again after.
 */
static inline void __uk_waitq_nolock(void *lock __unused) {}
#define __uk_waitq_wait(wq, cond, deadline, lock_fn, unlock_fn, lock)	\
	({								\
		struct uk_waitq_entry __wq_e = { 0 };			\
		__typeof__(lock) __wq_l = (lock);			\
		__nsec __wq_d = (deadline);				\
		int __wq_to = 0;					\
		for (;;) {						\
			_uk_waitq_prepare_deadline((wq), &__wq_e, __wq_d); \
			if (cond)					\
				break;					\
			if (__wq_d && _uk_waitq_now() >= __wq_d) {	\
				__wq_to = 1;				\
				break;					\
			}						\
			if (__wq_l)					\
				unlock_fn(__wq_l);			\
			_uk_sched_switch_out();				\
			if (__wq_l) {					\
				_uk_waitq_finish((wq), &__wq_e);	\
				lock_fn(__wq_l);			\
			}						\
		}							\
		_uk_waitq_finish((wq), &__wq_e);			\
		__wq_to;						\
	})

/*
 * As uk_waitq_wait_event(), but gives up at deadline (ukplat_monotonic_clock
 * nanoseconds; 0 = never). Evaluates to 1 when it timed out with cond still
 * false, 0 when cond became true.
 */
#define uk_waitq_wait_event_deadline(wq, cond, deadline)		\
	__uk_waitq_wait((wq), cond, (deadline), __uk_waitq_nolock,	\
			__uk_waitq_nolock, (void *)0)

/* Wakes every waiter / the oldest waiter. Any CPU, any context. */
void uk_waitq_wake_up(struct uk_waitq *wq);
void uk_waitq_wake_up_one(struct uk_waitq *wq);

/* Unikraft's other spelling of __WAIT_QUEUE_INITIALIZER. */
#define UK_WAIT_QUEUE_INITIALIZER(name)	__WAIT_QUEUE_INITIALIZER(name)

/* Whether nobody waits on wq (a snapshot). Any CPU, any context. */
static inline int uk_waitq_empty(struct uk_waitq *wq)
{
	/* Relaxed: a snapshot; nothing is read under its protection. */
	return __atomic_load_n(&wq->head, __ATOMIC_RELAXED) == NULL;
}

/*
 * As uk_waitq_wait_event_deadline(), for a condition protected by a lock
 * the caller holds: cond is evaluated with lock held and the thread on the
 * queue; before blocking, unlock_fn(lock) releases it, and after waking,
 * lock_fn(lock) takes it again (lock NULL: neither is called). The waker
 * makes cond true under the same lock, then wakes the queue, so no wake-up
 * is lost between the test and the block. Returns with lock held;
 * evaluates to 1 on timeout with cond false, else 0. Thread context, not
 * with a spinlock held other than lock.
 */
#define uk_waitq_wait_event_deadline_locked(wq, cond, deadline,	\
					    lock_fn, unlock_fn, lock)	\
	__uk_waitq_wait((wq), cond, (deadline), lock_fn, unlock_fn, (lock))

/* The same without a deadline. */
#define uk_waitq_wait_event_locked(wq, cond, lock_fn, unlock_fn, lock)	\
	((void)uk_waitq_wait_event_deadline_locked((wq), cond, 0,	\
						   lock_fn, unlock_fn,	\
						   (lock)))

#endif /* __UK_WAIT_H__ */
