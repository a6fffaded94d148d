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

#define UK_WAITQ_INITIALIZER(name) { .lock = UK_SPINLOCK_INITIALIZER(), .head = NULL }
#define DEFINE_WAIT_QUEUE(name) struct uk_waitq name = UK_WAITQ_INITIALIZER(name)

void uk_waitq_init(struct uk_waitq *wq);

/* Building blocks of uk_waitq_wait_event(); thread context only. */
void uk_waitq_prepare(struct uk_waitq *wq, struct uk_waitq_entry *e);
void uk_waitq_prepare_deadline(struct uk_waitq *wq, struct uk_waitq_entry *e,
			       __nsec deadline);
__nsec uk_waitq_now(void);
void uk_waitq_finish(struct uk_waitq *wq, struct uk_waitq_entry *e);
void uk_sched_block_current(void);

/*
 * Blocks the calling thread until cond is true. Thread context only, not
 * with a spinlock held. cond is evaluated with the thread on the queue.
 */
#define uk_waitq_wait_event(wq, cond)					\
	do {								\
		struct uk_waitq_entry __wq_e = { 0 };			\
		for (;;) {						\
			uk_waitq_prepare((wq), &__wq_e);		\
			if (cond)					\
				break;					\
			uk_sched_block_current();			\
		}							\
		uk_waitq_finish((wq), &__wq_e);				\
	} while (0)

/*
 * As uk_waitq_wait_event(), but gives up at deadline (ukplat_monotonic_clock
 * nanoseconds; 0 = never). Evaluates to 1 when it timed out with cond still
 * false, 0 when cond became true.
 */
#define uk_waitq_wait_event_deadline(wq, cond, deadline)		\
	({								\
		struct uk_waitq_entry __wq_e = { 0 };			\
		__nsec __wq_d = (deadline);				\
		int __wq_to = 0;					\
		for (;;) {						\
			uk_waitq_prepare_deadline((wq), &__wq_e, __wq_d); \
			if (cond)					\
				break;					\
			if (__wq_d && uk_waitq_now() >= __wq_d) {	\
				__wq_to = 1;				\
				break;					\
			}						\
			uk_sched_block_current();			\
		}							\
		uk_waitq_finish((wq), &__wq_e);				\
		__wq_to;						\
	})

/* Wakes every waiter / the oldest waiter. Any CPU, any context. */
void uk_waitq_wake_up(struct uk_waitq *wq);
void uk_waitq_wake_up_one(struct uk_waitq *wq);

#endif /* __UK_WAIT_H__ */
