/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlib's per-thread state: __getreent() (libc.a is built with
 * __DYNAMIC_REENT__, so _REENT, errno, strtok's and rand's state, the
 * dtoa buffers... all go through it).
 *
 * With uksched every thread has its own struct _reent in its ELF TLS block:
 * the block moves with the thread (its FS base is switched with it), so the
 * state follows a thread that migrates to another CPU, and nothing is
 * allocated to make it. The block starts zeroed (.tbss); the first call in a
 * thread fills it in (_REENT_INIT_PTR_ZEROED: stdin/stdout/stderr are the
 * global streams, rand's seed...). A thread exit hook frees what newlib
 * allocated for the thread (_reclaim_reent: dtoa's Bigints, ...).
 *
 * Before a CPU runs a scheduler (no current thread), and without uksched,
 * the caller gets newlib's global reent (_GLOBAL_REENT): boot code runs on
 * one CPU at a time until the schedulers start.
 */
#include <reent.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/config.h>
#include <uk/essentials.h>
#if CONFIG_LIBUKSCHED
#include <uk/sched.h>
#include <uk/thread.h>
#endif

struct _reent *__getreent(void);

#if CONFIG_LIBUKSCHED
static __thread struct _reent tls_reent;
static __thread int tls_reent_ready;

/* 0: not yet, 1: being registered, 2: registered (or failed: see below). */
static int hook_state;

static void reent_thread_exit(struct uk_thread *t __unused)
{
	if (!tls_reent_ready)
		return;
	_reclaim_reent(&tls_reent);
	tls_reent_ready = 0;
}

/*
 * The exit hook is registered by the first thread that uses newlib (hooks
 * are registered from thread context). Should registration fail (all hook
 * slots taken), threads' dtoa buffers leak at exit, nothing else.
 */
static void register_hook(void)
{
	int expect = 0;

	/* Relaxed: the hook table has its own synchronisation. */
	if (__atomic_load_n(&hook_state, __ATOMIC_RELAXED) == 2 ||
	    !__atomic_compare_exchange_n(&hook_state, &expect, 1, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	uk_thread_exit_hook_register(reent_thread_exit);
	__atomic_store_n(&hook_state, 2, __ATOMIC_RELAXED);
}

static struct _reent *thread_reent(void)
{
	if (likely(tls_reent_ready))
		return &tls_reent;
	/* .tbss is zeroed when the thread is made. */
	_REENT_INIT_PTR_ZEROED(&tls_reent);
	tls_reent_ready = 1;
	register_hook();
	return &tls_reent;
}
#endif

struct _reent *__getreent(void)
{
#if CONFIG_LIBUKSCHED
	if (likely(uk_thread_current() != NULL))
		return thread_reent();
#endif
	return _GLOBAL_REENT;
}
