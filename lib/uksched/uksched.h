/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched internals shared by its files (policies see uk/sched_impl.h). */
#ifndef __UKSCHED_H__
#define __UKSCHED_H__

#include <uk/assert.h>
#include <uk/sched_impl.h>

/* Loads t's TLS pointer (FS base). */
void uk_sched_tls_switch(struct uk_thread *t);

/* The current thread blocks until woken or deadline (0: none) / runs on. */
void uk_sched_set_blocked_until(__nsec deadline);
void uk_sched_set_running(void);

/*
 * The life cycle (core.c) as the other files use it: a new thread (state
 * BLOCKED, not queued) becomes runnable on cpu; t (the caller or not, not
 * an idle thread) moves to online cpu (0, -EINVAL: exited); the first
 * code of a new thread finishes the switch to it; the exiting current
 * thread switches away for good.
 */
void uk_sched_thread_add(struct uk_thread *t, unsigned int cpu);
int uk_sched_move(struct uk_thread *t, unsigned int cpu);
void uk_sched_thread_started(void);
void uk_sched_switch_away_exited(void) __noreturn;

/*
 * Wraps the calling context (main, or an AP's boot context) into a thread
 * with no stack of its own, already RUNNING on this CPU and current.
 * Crashes when there is no memory (boot cannot go on).
 */
struct uk_thread *uk_sched_thread_adopt(const char *name);

/* A new thread with its own stack, state BLOCKED, not queued; NULL: ENOMEM. */
struct uk_thread *uk_sched_thread_alloc(const char *name, void (*fn)(void *),
					void *arg);

/* Written at the far end of every thread stack (thread.c). */
#define UK_SCHED_STACK_CANARY	0x5ca1ab1edeadc0deULL

/* Crashes, naming t, when t has overrun its stack (inline: every switch). */
static inline void uk_sched_check_stack(struct uk_thread *t)
{
	if (t->stack && *(__u64 *)t->stack != UK_SCHED_STACK_CANARY)
		UK_CRASH("stack overflow in thread %s (%p)\n", t->name, t);
}

/* Ends the current thread if uk_sched_thread_terminate() asked for it. */
void uk_sched_check_terminate(void);

/* Runs the idle hooks (uk_sched_idle_hook_register). Idle thread only. */
void uk_sched_run_idle_hooks(void);

/* Sets the current thread of this CPU. */
void uk_sched_set_current(struct uk_thread *t);

/* The online CPU of set with the fewest runnable threads (ties: lowest). */
unsigned int uk_sched_place(const struct uk_cpuset *set);

/* Runs the exit hooks (uk_thread_exit_hook_register) for exiting t. */
void uk_sched_run_exit_hooks(struct uk_thread *t);

/*
 * A CPU adopted its first thread (uk_sched_thread_adopt): it schedules and
 * has TLS. Counted for the UK_INIT_CLASS_SCHED_ALL boot stage (sched.c).
 */
void uk_sched_cpu_adopted(void);

#endif /* __UKSCHED_H__ */
