/*
 * Host stand-in for the part of uksched that uklock's blocking locks use
 * (uk/wait.h, uk_thread_current(), uk_sched_started()), for the host tests
 * and the host benchmark: every pthread is a uk_thread, blocking is a futex
 * wait. host_sched.c says how it keeps uksched's semantics. These calls are
 * what the tests add on top, to look inside.
 */
#ifndef UKLOCK_HOST_SCHED_H
#define UKLOCK_HOST_SCHED_H

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
 * really went to sleep in uk_sched_block_current(), threads woken by
 * uk_waitq_wake_up*() (each one counted), and deadline expiries.
 */
unsigned long host_sched_blocks(void);
unsigned long host_sched_wakes(void);
unsigned long host_sched_timeouts(void);

#ifdef __cplusplus
}
#endif

#endif
