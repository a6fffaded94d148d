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
 * Waits until t has exited, then frees it (its stack goes to a cache for
 * reuse). Each thread must be joined exactly once. Thread context.
 */
void uk_thread_join(struct uk_thread *t);

/*
 * Moves the calling thread to CPU cpu: it continues there (this call
 * returns on the new CPU). Returns 0, or -EINVAL when cpu is not online.
 */
int uk_sched_thread_migrate_self(unsigned int cpu);

/* Number of context switches this CPU made (statistics). */
unsigned long uk_sched_switches(unsigned int cpu);

/* True once the schedulers run (main is a thread). */
int uk_sched_started(void);

#endif /* __UK_SCHED_H__ */
