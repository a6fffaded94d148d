/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host only: the controls and counters of support/host/sched.c, the
 * stand-in for the part of uksched that uklock's blocking locks use
 * (uk/wait.h, uk_thread_current(), uk_sched_started()) on Linux: every
 * pthread is a uk_thread, blocking is a futex wait. It is linked into
 * uklock's host tests, its host benchmark and `make host-lib LIB=uklock`
 * (doc/host-libraries.md); sched.c says how it keeps uksched's semantics.
 * Programs do not need these calls; tests use them to look inside.
 */
#ifndef __UK_HOST_SCHED_H__
#define __UK_HOST_SCHED_H__

#include <uk/wait.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Whether uk_sched_started() says the schedulers run (1, the default).
 * With 0 the blocking locks take their before-the-scheduler path (spin,
 * owner "boot"); only one thread may use them then. Any thread.
 */
void host_sched_set_started(int started);

/* Gives the calling thread's uk_thread a name (crash messages show it). */
void host_sched_set_name(const char *name);

/* Entries on wq now (under its lock). Any thread. */
unsigned int host_waitq_len(struct uk_waitq *wq);

/*
 * Totals since the program started, over all threads: times a thread
 * really went to sleep in uk_sched_switch_out(), threads woken by
 * uk_waitq_wake_up*() (each one counted), and deadline expiries.
 */
unsigned long host_sched_blocks(void);
unsigned long host_sched_wakes(void);
unsigned long host_sched_timeouts(void);

#ifdef __cplusplus
}
#endif

#endif
