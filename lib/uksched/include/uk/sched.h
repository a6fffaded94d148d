/*
 * The scheduler API: one cooperative scheduler per online CPU. Threads run
 * until they yield, block, sleep or exit; interrupts still happen.
 */
#ifndef __UK_SCHED_H__
#define __UK_SCHED_H__

#include <uk/essentials.h>
#include <uk/thread.h>

#define UK_SCHED_CPU_ANY (-1)

/*
 * Creates a thread running fn(arg) and makes it runnable. cpu >= 0 pins it
 * to that CPU; UK_SCHED_CPU_ANY places it on the online CPU with the
 * fewest runnable threads (ties: lowest index). Any CPU, thread context.
 * Returns the thread, or NULL (errno ENOMEM: no memory for its stack;
 * EINVAL: cpu is not online).
 */
struct uk_thread *uk_sched_thread_create_on(int cpu, void (*fn)(void *),
					    void *arg, const char *name);

/* Gives the CPU to the next runnable thread of this CPU, if any. */
void uk_sched_yield(void);

/* Sleeps at least ns nanoseconds. Thread context. */
void uk_sched_thread_sleep(__nsec ns);

/* Ends the calling thread; joiners wake up. Does not return. */
void uk_sched_thread_exit(void) __noreturn;

/*
 * Ends thread t: at once if t is the caller; otherwise t is woken if it
 * blocks or sleeps, and ends the next time it is switched to (a thread
 * running on another CPU ends at its next yield or block). It leaves any
 * wait queue it is on; locks it holds stay held. Join it as usual.
 * Any CPU, thread context.
 */
void uk_sched_thread_terminate(struct uk_thread *t);

/*
 * Waits until t has exited, then frees it (its stack goes to a cache for
 * reuse). Each thread must be joined exactly once. Thread context.
 */
void uk_thread_join(struct uk_thread *t);

/*
 * Moves the calling thread to CPU cpu: it continues there (this call
 * returns on the new CPU). Returns 0, or -EINVAL when cpu is not online.
 */
int uk_sched_thread_migrate_self(unsigned int cpu);

/*
 * Moves thread t to CPU cpu and pins it there. A runnable or blocked
 * thread moves at once, a thread running on its CPU at its next switch.
 * Any CPU, thread context. Returns 0, -EINVAL (cpu not online, t exited or
 * an idle thread), or -EAGAIN when t sleeps with a timeout (its timer is on
 * its CPU): retry after it wakes.
 */
int uk_sched_thread_migrate(struct uk_thread *t, unsigned int cpu);

/* Whether t is pinned (created on a given CPU, or migrated). */
static inline int uk_thread_is_pinned(const struct uk_thread *t)
{
	return t->pinned;
}

/*
 * Unikraft-style handles: one struct uk_sched per online CPU.
 * uk_sched_thread_create(s, fn, arg, name) creates on s's CPU, or lets the
 * scheduler place the thread when s is NULL.
 */
struct uk_sched {
	unsigned int cpu;
};

/* The calling CPU's scheduler. Any context once schedulers run. */
struct uk_sched *uk_sched_current(void);

/* CPU cpu's scheduler, or NULL when cpu is not online. */
struct uk_sched *uk_sched_get(unsigned int cpu);

static inline struct uk_thread *
uk_sched_thread_create(struct uk_sched *s, void (*fn)(void *), void *arg,
		       const char *name)
{
	return uk_sched_thread_create_on(s ? (int)s->cpu : UK_SCHED_CPU_ANY,
					 fn, arg, name);
}

/* Number of context switches this CPU made (statistics). */
unsigned long uk_sched_switches(unsigned int cpu);

/*
 * Registers fn(arg) to run in every CPU's idle thread each time it is
 * about to halt, with interrupts enabled and no lock held; registering
 * wakes halted CPUs so that each runs it soon. fn must not block or sleep. Hooks stay registered.
 * Any CPU, thread context. Returns 0, or -ENOSPC when 8 hooks exist.
 */
int uk_sched_idle_hook_register(void (*fn)(void *arg), void *arg);

/* True once the schedulers run (main is a thread). */
int uk_sched_started(void);

#endif /* __UK_SCHED_H__ */
