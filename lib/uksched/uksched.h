/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched internals shared by its files (not for policies: uk/sched_impl.h). */
#ifndef __UKSCHED_H__
#define __UKSCHED_H__

#include <uk/sched_impl.h>

/* Loads t's TLS pointer (FS base). */
void uk_sched_tls_switch(struct uk_thread *t);

/* Address of the first code a new thread runs (ctx_switch.S). */
void *uk_sched_thread_trampoline_addr(void);

/* Saves the caller's context in *prev_sp and resumes the one at next_sp. */
void uk_sched_ctx_switch(unsigned long *prev_sp, unsigned long next_sp);

/* The current thread blocks until woken or deadline (0: none) / runs on. */
void uk_sched_set_blocked_until(__nsec deadline);
void uk_sched_set_running(void);

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
