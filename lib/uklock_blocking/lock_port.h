/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock_blocking's portability layer: what the blocking locks use beyond
 * upstream Unikraft 0.17's API, with the fallback upstream serves, so that
 * the unmodified library builds there with L= (doc/reuse.md). Chosen by
 * the feature macro of the header that declares the extension. Not a
 * public header.
 */
#ifndef __UKLOCK_BLOCKING_PORT_H__
#define __UKLOCK_BLOCKING_PORT_H__

#include <uk/sched.h>
#include <uk/thread.h>

/*
 * True once threads may block (the schedulers run); before that the locks
 * spin. Upstream has no uk_sched_started(); there a current thread exists
 * exactly when the scheduler runs (ukboot starts it before main()).
 */
static inline int lock_sched_running(void)
{
#if UK_SCHED_HAVE_STARTED
	return uk_sched_started();
#else
	return uk_thread_current() != NULL;
#endif
}

#endif /* __UKLOCK_BLOCKING_PORT_H__ */
