/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr's portability layer: everything uknr uses beyond what upstream
 * Unikraft (0.17) offers, each with a fallback that upstream's API serves,
 * so that the unmodified library builds there with L= (doc/reuse.md).
 * Which variant is used is decided by feature macros of the headers that
 * declare an extension (uk/sched.h: UK_SCHED_HAVE_STARTED,
 * UK_SCHED_HAVE_IDLE_HOOKS), never by the name of the tree. Our tree in the
 * upstream profile (UK_UPSTREAM_PROFILE, doc/reuse.md) hides those macros
 * and names, so the fallbacks are built and checked by make test.
 * Not a public header.
 */
#ifndef __UKNR_PORT_H__
#define __UKNR_PORT_H__

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <uk/essentials.h>

#if CONFIG_LIBUKSCHED && !CONFIG_HOST_TEST
#include <uk/sched.h>
#include <uk/thread.h>
#endif

/* Upstream's uk/compiler.h has no __always_inline. */
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/*
 * size bytes aligned to align (a power of two), freed with free(); NULL
 * when out of memory. posix_memalign(), not aligned_alloc(): upstream's
 * nolibc has only the former.
 */
static inline void *nr_aligned_alloc(size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size))
		return NULL;
	return p;
}

#if CONFIG_LIBUKSCHED && !CONFIG_HOST_TEST
/*
 * True when uk_sched_yield() may be called: the schedulers run. Upstream
 * has no uk_sched_started(); there a current thread exists exactly when
 * the scheduler runs (ukboot starts it before main(), which is a thread).
 */
static inline int nr_sched_running(void)
{
#if UK_SCHED_HAVE_STARTED
	return uk_sched_started();
#else
	return uk_thread_current() != NULL;
#endif
}

/*
 * Registers fn(arg) with every CPU's idle loop. Upstream has no idle
 * hooks and nothing that could stand in for them without a thread that
 * polls (and so never lets a CPU halt): -ENOTSUP, which
 * uk_nr_idle_sync_enable() returns. Lagging replicas are then still
 * advanced by the combiner that finds the log full.
 */
static inline int nr_idle_hook_register(void (*fn)(void *arg), void *arg)
{
#if UK_SCHED_HAVE_IDLE_HOOKS
	return uk_sched_idle_hook_register(fn, arg);
#else
	(void)fn;
	(void)arg;
	return -ENOTSUP;
#endif
}
#endif /* CONFIG_LIBUKSCHED && !CONFIG_HOST_TEST */

#endif /* __UKNR_PORT_H__ */
