/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For scheduling policies only (ukschedcoop): how a policy registers its
 * per-CPU instances and what uksched does for it (thread memory, TLS and
 * context switch, idle hooks, termination).
 */
#ifndef __UK_SCHED_IMPL_H__
#define __UK_SCHED_IMPL_H__

#include <uk/sched.h>

/*
 * Makes s the scheduler of CPU s->cpu. Before any thread of that CPU runs;
 * boot code of the policy.
 */
void uk_sched_register(struct uk_sched *s);

/* Marks the schedulers as running (uk_sched_started() turns true). */
void uk_sched_set_started(void);

/*
 * Wraps the calling context (main, or an AP's boot context) into a thread
 * with no stack of its own, already RUNNING on this CPU and current.
 * Crashes when there is no memory (boot cannot go on).
 */
struct uk_thread *uk_sched_thread_adopt(const char *name);

/* A new thread with its own stack, state BLOCKED, not queued; NULL: ENOMEM. */
struct uk_thread *uk_sched_thread_alloc(const char *name, void (*fn)(void *),
					void *arg);

/*
 * Makes next the current thread of this CPU and switches to it; returns
 * when prev runs again. Interrupts off; the policy's locks released.
 */
void uk_sched_thread_switch(struct uk_thread *prev, struct uk_thread *next);

/* Crashes, naming t, when t has overrun its stack. */
void uk_sched_check_stack(struct uk_thread *t);

/* Ends the current thread if uk_sched_thread_terminate() asked for it. */
void uk_sched_check_terminate(void);

/* Runs the idle hooks (uk_sched_idle_hook_register). Idle thread only. */
void uk_sched_run_idle_hooks(void);

/* Sets the current thread of this CPU (policy's boot code). */
void uk_sched_set_current(struct uk_thread *t);

#endif /* __UK_SCHED_IMPL_H__ */
