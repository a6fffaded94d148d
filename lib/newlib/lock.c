/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlib's retargetable locks (sys/lock.h, built with
 * --enable-newlib-retargetable-locking) on one lock type of ours: stdio's
 * per-FILE locks, the sfp/sinit/atexit/env/tz/... static locks.
 *
 * A lock is an owner word and a depth. The owner is a token of the caller:
 * the running thread (uk_thread_current()), or, before a CPU runs a
 * scheduler, that CPU (an odd number, never a thread's address). Taking
 * the lock is a compare-and-swap of the owner from 0 to the caller's token;
 * the owner alone touches the depth, so every lock is recursive (newlib
 * needs recursion for stdio and atexit; its plain locks are simply never
 * taken twice). A waiter yields its CPU while it is a thread (the holder
 * may be a thread on the same CPU: the scheduler is cooperative) and
 * pauses otherwise. The lock is not taken in interrupt context: newlib is
 * not called from interrupt handlers.
 *
 * Invariant: owner == 0 <=> depth == 0, checked on every release.
 */
#include <stdlib.h>
#include <sys/lock.h>
#include <uk/assert.h>
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>
#include <uk/config.h>
#if CONFIG_LIBUKSCHED
#include <uk/sched.h>
#include <uk/thread.h>
#endif

struct __lock {
	unsigned long owner;	/* 0: free; a thread or CPU token */
	unsigned long depth;	/* times the owner took it; owner's only */
};

/* The static locks newlib refers to by name (sys/lock.h). */
struct __lock __lock___sinit_recursive_mutex;
struct __lock __lock___sfp_recursive_mutex;
struct __lock __lock___atexit_recursive_mutex;
struct __lock __lock___at_quick_exit_mutex;
struct __lock __lock___malloc_recursive_mutex;
struct __lock __lock___env_recursive_mutex;
struct __lock __lock___tz_mutex;
struct __lock __lock___dd_hash_mutex;
struct __lock __lock___arc4random_mutex;

/*
 * Locks whose allocation failed share this one: still mutual exclusion
 * (coarser), and never a deadlock, since one lock has no order to violate.
 */
static struct __lock shared_fallback;

static unsigned long self_token(void)
{
#if CONFIG_LIBUKSCHED
	struct uk_thread *t = uk_thread_current();

	if (t)
		return (unsigned long)t;
#endif
	return ((unsigned long)ukplat_lcpu_idx() << 1) | 1;
}

static void wait_a_little(unsigned long self)
{
#if CONFIG_LIBUKSCHED
	if (!(self & 1)) {
		uk_sched_yield();
		return;
	}
#endif
	(void)self;
	__builtin_ia32_pause();
}

static int try_take(struct __lock *l, unsigned long self)
{
	unsigned long free = 0;

	/* Only we can have stored our own token: relaxed is enough. */
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == self) {
		l->depth++;
		return 1;
	}
	/* Acquire: pairs with the release store in give(). */
	if (!__atomic_compare_exchange_n(&l->owner, &free, self, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	UK_ASSERT(l->depth == 0);
	l->depth = 1;
	return 1;
}

static void take(struct __lock *l)
{
	unsigned long self = self_token();

	while (!try_take(l, self))
		wait_a_little(self);
}

static void give(struct __lock *l)
{
	UK_ASSERT(__atomic_load_n(&l->owner, __ATOMIC_RELAXED) ==
		  self_token());
	UK_ASSERT(l->depth > 0);
	if (--l->depth)
		return;
	/* Release: pairs with the acquire CAS of the next holder. */
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELEASE);
}

static struct __lock *make(void)
{
	/* ukalloc's calloc(): free() finds the allocator of any block. */
	struct __lock *l = calloc(1, sizeof(*l));

	return l ? l : &shared_fallback;
}

static void unmake(struct __lock *l)
{
	if (!l || l == &shared_fallback)
		return;
	UK_ASSERT(l->owner == 0);
	free(l);
}

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = make();
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	*lock = make();
}

void __retarget_lock_close(_LOCK_T lock)
{
	unmake(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	unmake(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	take(lock);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	take(lock);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return try_take(lock, self_token());
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return try_take(lock, self_token());
}

void __retarget_lock_release(_LOCK_T lock)
{
	give(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	give(lock);
}
