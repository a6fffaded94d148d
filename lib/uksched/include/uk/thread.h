/* SPDX-License-Identifier: BSD-3-Clause */
/* Threads: the unit the per-CPU schedulers run. */
#ifndef __UK_THREAD_H__
#define __UK_THREAD_H__

#include <uk/cpuset.h>
#include <uk/essentials.h>
#include <uk/wait.h>

/*
 * Thread states and the size of the policy's area are ours only
 * (doc/reuse.md): the upstream profile keeps only the private spellings,
 * which the macros and struct uk_thread below use.
 */
#define _UK_THREAD_RUNNING	0
#define _UK_THREAD_RUNNABLE	1
#define _UK_THREAD_BLOCKED	2
#define _UK_THREAD_EXITED	3

/* Bytes of each thread's area for the scheduling policy (uk/sched_impl.h). */
#define _UK_SCHED_POLICY_DATA_SIZE	32

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_THREAD_RUNNING		_UK_THREAD_RUNNING
#define UK_THREAD_RUNNABLE		_UK_THREAD_RUNNABLE
#define UK_THREAD_BLOCKED		_UK_THREAD_BLOCKED
#define UK_THREAD_EXITED		_UK_THREAD_EXITED
#define UK_SCHED_POLICY_DATA_SIZE	_UK_SCHED_POLICY_DATA_SIZE
#endif

struct uk_thread {
	unsigned long sp;		/* saved stack pointer while off CPU */
	const char *name;
	int entry_args;			/* 0, 1 or 2: which of fn0/fn/fn2 */
	void (*fn0)(void);
	void (*fn)(void *);
	void (*fn2)(void *, void *);
	void *arg, *arg2;
	void *stack;			/* NULL for main and the boot-stack idles */
	size_t stack_size;
	void *guard;			/* unmapped page below the stack, or NULL */
	volatile int state;		/* UK_THREAD_*; owning CPU's lock */
	int on_rq;			/* in the policy's queue; same lock */
	volatile int on_cpu;		/* context not saved yet */
	volatile unsigned int cpu;	/* the CPU whose scheduler owns it */
	_UK_CPUSET affinity;		/* CPUs it may run on */
	int is_idle;			/* a CPU's idle thread: never moves */
	int migrate_to;			/* -1, or CPU to move to after switch */
	int errno_val;			/* errno of this thread */
	__nsec wakeup;			/* sleeping until, 0 = not sleeping */
	struct uk_thread *sleep_next;	/* its CPU's sleep queue link */
	struct uk_waitq exit_wq;	/* joiners wait here */
	volatile int terminate;		/* asked to end at its next switch */
	int exiting;			/* exit hooks ran (or run now) */
	struct uk_waitq *wait_wq;	/* wait queue it is listed on, if any */
	struct uk_waitq_entry *wait_e;
	/* The policy's; uksched only zeroes it (uk_sched_policy_data()). */
	unsigned long policy_data[_UK_SCHED_POLICY_DATA_SIZE
				  / sizeof(unsigned long)];
};

/* The calling CPU's running thread, in O(1). Any context after boot. */
struct uk_thread *uk_thread_current(void);

/*
 * Makes a blocked or sleeping thread runnable on the CPU that owns it; an
 * idle owner CPU gets an IPI. Any CPU, any context. Waking a thread that is
 * not blocked does nothing; a woken sleeper goes back to sleep until its
 * time has come.
 */
void uk_thread_wake(struct uk_thread *t);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* The CPU whose scheduler owns t (where it runs or will run). */
static inline unsigned int uk_thread_cpu(const struct uk_thread *t)
{
	return t->cpu;
}
#endif

/*
 * Unikraft's state tests (snapshots when t is not the caller): runnable
 * includes running, as there; blocked includes sleeping.
 */
#define uk_thread_is_exited(t)	((t)->state == _UK_THREAD_EXITED)
#define uk_thread_is_blocked(t)	((t)->state == _UK_THREAD_BLOCKED)
#define uk_thread_is_runnable(t)					\
	((t)->state == _UK_THREAD_RUNNING				\
	 || (t)->state == _UK_THREAD_RUNNABLE)

/* The scheduler's; declared in uk/sched.h. */
void uk_sched_thread_terminate(struct uk_thread *t);
void uk_sched_thread_exit(void) __noreturn;

/* Unikraft's spellings of uk_sched_thread_terminate() and _exit(). */
#define uk_thread_terminate(t)	uk_sched_thread_terminate(t)
#define uk_thread_exit()	uk_sched_thread_exit()

/* uk_thread_block() and friends need the scheduler's operations. */
#include <uk/sched.h>

#endif /* __UK_THREAD_H__ */
