/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For scheduling policies only (ukschedcoop): the queue discipline a
 * policy implements for each CPU, its per-thread area, and how it
 * registers its per-CPU instances. uksched owns the thread life cycle
 * (states, block and wake-up, sleep, terminate, migration, the switch:
 * lib/uksched/core.c); a policy never changes a thread's state and never
 * takes a lock of its own for its queue.
 */
#ifndef __UK_SCHED_IMPL_H__
#define __UK_SCHED_IMPL_H__

#include <uk/sched.h>

/*
 * A policy's queue of the runnable threads of one CPU (instance s). uksched
 * calls enqueue, dequeue and pick_next on s's CPU or any other, always
 * with that CPU's run-queue lock held and interrupts off, so the policy
 * needs no lock of its own; they must not block, allocate or call back
 * into uksched. uksched tracks membership itself: it enqueues only a
 * thread that is not queued, dequeues only a queued one.
 */
_UK_SCHED_OPS {
	/* t (RUNNABLE, owned by s's CPU) joins the queue. */
	void (*enqueue)(struct uk_sched *s, struct uk_thread *t);
	/* Queued t leaves the queue (it blocks, moves or runs on). */
	void (*dequeue)(struct uk_sched *s, struct uk_thread *t);
	/* Takes the thread to run next off the queue; NULL when empty. */
	struct uk_thread *(*pick_next)(struct uk_sched *s);
	/* How loaded s is, for placement (e.g. queued threads); called
	 * without the lock from any CPU, so a stale value is fine. */
	unsigned int (*load)(struct uk_sched *s);
};

/*
 * Each thread's area for the policy (queue links, a priority...): zeroed
 * when the thread is made, never read by uksched. A policy checks that its
 * per-thread struct fits with UK_SCHED_POLICY_DATA_FITS(type).
 */
static inline void *uk_sched_policy_data(struct uk_thread *t)
{
	return t->policy_data;
}

#define UK_SCHED_POLICY_DATA_FITS(type)					\
	UK_CTASSERT(sizeof(type) <= _UK_SCHED_POLICY_DATA_SIZE &&	\
		    _Alignof(type) <= _Alignof(unsigned long))

/*
 * Makes s (s->ops and s->cpu set) the scheduler instance of CPU s->cpu.
 * The policy calls it for every online CPU from a late init call of
 * priority UK_SCHED_POLICY_PRIO; uksched starts the schedulers right after
 * (priority UK_SCHED_START_PRIO) and crashes if a CPU has no instance.
 */
void uk_sched_register(struct uk_sched *s);

#define UK_SCHED_POLICY_PRIO	4
#define UK_SCHED_START_PRIO	5

#endif /* __UK_SCHED_IMPL_H__ */
