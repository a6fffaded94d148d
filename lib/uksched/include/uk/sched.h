/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler API: one scheduler instance per online CPU (the policy is a
 * separate library, ukschedcoop: threads run until they yield, block, sleep
 * or exit; interrupts still happen). Threads are pinned, placed by the
 * scheduler within their affinity, or migrated.
 */
#ifndef __UK_SCHED_H__
#define __UK_SCHED_H__

#include <errno.h>
#include <uk/cpuset.h>
#include <uk/essentials.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#include <uk/plat/time.h>
#include <uk/thread.h>

#define _UK_SCHED_CPU_ANY (-1)
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_SCHED_CPU_ANY _UK_SCHED_CPU_ANY
#endif

struct uk_sched;

/*
 * What a scheduling policy implements: uk/sched_impl.h (policies only).
 * Ours only (doc/reuse.md): in the upstream profile struct uk_sched keeps
 * its layout through a private tag.
 */
#ifndef UK_UPSTREAM_PROFILE
#define _UK_SCHED_OPS	struct uk_sched_ops
#else
#define _UK_SCHED_OPS	struct __uk_sched_ops
#endif
_UK_SCHED_OPS;

/* One per online CPU; uk_sched_get(cpu) finds it. */
struct uk_sched {
	const _UK_SCHED_OPS *ops;
	unsigned int cpu;
};

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Creates a thread running fn(arg) and makes it runnable. cpu >= 0 pins it
 * to that CPU; UK_SCHED_CPU_ANY places it on the online CPU with the
 * fewest runnable threads (ties: lowest index). Any CPU, thread context.
 * Returns the thread, or NULL (errno ENOMEM: no memory for its stack;
 * EINVAL: cpu is not online).
 */
struct uk_thread *uk_sched_thread_create_on(int cpu, void (*fn)(void *),
					    void *arg, const char *name);
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * Unikraft-style creation on scheduler s (its CPU; NULL: placed as with
 * UK_SCHED_CPU_ANY, within all CPUs), with no, one or two arguments.
 * stack_len 0 means CONFIG_LIBUKSCHED_STACK_SIZE; otherwise at least 8 KiB,
 * rounded up to 4 KiB. The thread may run on every CPU (affinity: all)
 * when s is NULL, else only on s's CPU. Any CPU, thread context. NULL with
 * errno ENOMEM or EINVAL (stack_len below 8 KiB).
 */
struct uk_thread *uk_sched_thread_create_fn0(struct uk_sched *s,
					     void (*fn0)(void),
					     size_t stack_len,
					     const char *name);
struct uk_thread *uk_sched_thread_create_fn1(struct uk_sched *s,
					     void (*fn1)(void *), void *arg,
					     size_t stack_len,
					     const char *name);
struct uk_thread *uk_sched_thread_create_fn2(struct uk_sched *s,
					     void (*fn2)(void *, void *),
					     void *arg0, void *arg1,
					     size_t stack_len,
					     const char *name);

/* Unikraft's types of thread functions and of a thread destructor. */
typedef void (*uk_thread_fn0_t)(void);
typedef void (*uk_thread_fn1_t)(void *);
typedef void (*uk_thread_fn2_t)(void *, void *);
typedef void (*uk_thread_dtor_t)(struct uk_thread *);

/*
 * Unikraft's longer forms of the three functions above, told apart by
 * their number of arguments:
 *   uk_sched_thread_create_fn1(s, fn1, argp, stack_len, auxstack_len,
 *                              no_uktls, no_ectx, name, priv, dtor)
 * (fn0 without argp, fn2 with argp0, argp1). Every thread here has TLS,
 * a saved FPU context and no auxiliary stack, so auxstack_len, no_uktls
 * and no_ectx change nothing. There is no per-thread priv pointer or
 * destructor: priv and dtor must be NULL, otherwise NULL is returned with
 * errno ENOTSUP and no thread is made.
 */
static inline int _uk_sched_thread_extras_ok(void *priv,
					     uk_thread_dtor_t dtor)
{
	if (!priv && !dtor)
		return 1;
	errno = ENOTSUP;
	return 0;
}
/* Pass-throughs add no parentheses: they also see the definitions. */
#define __uk_sched_thread_create_fn0_4(s, fn0, stack_len, name)	\
	uk_sched_thread_create_fn0(s, fn0, stack_len, name)
#define __uk_sched_thread_create_fn0_9(s, fn0, stack_len, auxstack_len, \
				       no_uktls, no_ectx, name, priv, dtor) \
	(_uk_sched_thread_extras_ok((priv), (dtor))			\
	 ? uk_sched_thread_create_fn0((s), (fn0), (stack_len), (name))	\
	 : NULL)
#define __uk_sched_thread_create_fn1_5(s, fn1, argp, stack_len, name)	\
	uk_sched_thread_create_fn1(s, fn1, argp, stack_len, name)
#define __uk_sched_thread_create_fn1_10(s, fn1, argp, stack_len,	\
					auxstack_len, no_uktls, no_ectx, \
					name, priv, dtor)		\
	(_uk_sched_thread_extras_ok((priv), (dtor))			\
	 ? uk_sched_thread_create_fn1((s), (fn1), (argp), (stack_len),	\
				      (name))				\
	 : NULL)
#define __uk_sched_thread_create_fn2_6(s, fn2, argp0, argp1, stack_len, \
				       name)				\
	uk_sched_thread_create_fn2(s, fn2, argp0, argp1, stack_len, name)
#define __uk_sched_thread_create_fn2_11(s, fn2, argp0, argp1, stack_len, \
					auxstack_len, no_uktls, no_ectx, \
					name, priv, dtor)		\
	(_uk_sched_thread_extras_ok((priv), (dtor))			\
	 ? uk_sched_thread_create_fn2((s), (fn2), (argp0), (argp1),	\
				      (stack_len), (name))		\
	 : NULL)
#define uk_sched_thread_create_fn0(...)					\
	UK_CONCAT(__uk_sched_thread_create_fn0_,			\
		  UK_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define uk_sched_thread_create_fn1(...)					\
	UK_CONCAT(__uk_sched_thread_create_fn1_,			\
		  UK_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define uk_sched_thread_create_fn2(...)					\
	UK_CONCAT(__uk_sched_thread_create_fn2_,			\
		  UK_NARGS(__VA_ARGS__))(__VA_ARGS__)

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Creates a thread that may run on the CPUs of set (placed on the least
 * loaded of them). NULL with errno EINVAL (no online CPU in set) or ENOMEM.
 */
struct uk_thread *uk_sched_thread_create_affine(const struct uk_cpuset *set,
						void (*fn)(void *), void *arg,
						const char *name);
#endif /* !UK_UPSTREAM_PROFILE */

/* Gives the CPU to the next runnable thread of this CPU, if any. */
void uk_sched_yield(void);

/* Sleeps at least ns nanoseconds. Thread context. */
void uk_sched_thread_sleep(__nsec ns);

/* Ends the calling thread; joiners wake up. Does not return. */
void uk_sched_thread_exit(void) __noreturn;

/*
 * Ends thread t: at once if t is the caller; otherwise t is woken if it
 * blocks or sleeps, and ends the next time it is switched to (a thread
 * running on another CPU ends at its next yield or block). It leaves any
 * wait queue it is on; locks it holds stay held. Join it as usual.
 * Any CPU, thread context.
 */
void uk_sched_thread_terminate(struct uk_thread *t);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Waits until t has exited, then frees it (its stack goes to a cache for
 * reuse). Each thread must be joined exactly once. Thread context.
 */
void uk_thread_join(struct uk_thread *t);

/*
 * Moves the calling thread to CPU cpu and pins it there: it continues
 * there (this call returns on the new CPU). Returns 0, or -EINVAL when cpu
 * is not online.
 */
int uk_sched_thread_migrate_self(unsigned int cpu);

/*
 * Moves thread t to CPU cpu and pins it there. A runnable, blocked or
 * sleeping thread moves at once (a sleeper keeps its wake-up time), one
 * running on its CPU at its next switch. Any CPU, thread context. Returns
 * 0, or -EINVAL (cpu not online, t exited or an idle thread).
 */
int uk_sched_thread_migrate(struct uk_thread *t, unsigned int cpu);

/*
 * Restricts t to the CPUs of set; if t's CPU is not in it, t moves to the
 * least loaded CPU of set (as uk_sched_thread_migrate does, t being the
 * caller or not). Not concurrently with another affinity change or
 * migration of the same thread. Any CPU, thread context. Returns 0, or
 * -EINVAL (no online CPU in set, t exited or an idle thread).
 */
int uk_thread_set_affinity(struct uk_thread *t, const struct uk_cpuset *set);

/* Stores t's affinity in *set. */
void uk_thread_get_affinity(const struct uk_thread *t, struct uk_cpuset *set);

/* Whether t may run on exactly one CPU. */
int uk_thread_is_pinned(const struct uk_thread *t);
#endif /* !UK_UPSTREAM_PROFILE */

/* The calling CPU's scheduler. Any context once schedulers run. */
struct uk_sched *uk_sched_current(void);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* CPU cpu's scheduler, or NULL when cpu is not online. */
struct uk_sched *uk_sched_get(unsigned int cpu);
#endif

/* uk_sched_thread_create_on() under a private name, for the profile. */
struct uk_thread *_uk_sched_thread_create_on(int cpu, void (*fn)(void *),
					     void *arg, const char *name)
	__asm__("uk_sched_thread_create_on");

/* s == NULL: placed by the scheduler; else pinned to s's CPU. */
static inline struct uk_thread *
uk_sched_thread_create(struct uk_sched *s, void (*fn)(void *), void *arg,
		       const char *name)
{
	return _uk_sched_thread_create_on(s ? (int)s->cpu : _UK_SCHED_CPU_ANY,
					  fn, arg, name);
}

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Registers fn(arg) to run in every CPU's idle thread each time it is
 * about to halt, with interrupts enabled and no lock held; registering
 * wakes halted CPUs so that each runs it soon. fn must not block or
 * sleep. Hooks stay registered. Any CPU, thread context. Returns 0, or
 * -ENOSPC when 8 hooks exist.
 */
int uk_sched_idle_hook_register(void (*fn)(void *arg), void *arg);
#define UK_SCHED_HAVE_IDLE_HOOKS 1	/* portable code tests these */

/*
 * Registers fn(t) to run in every thread t that exits (returns from its
 * function, calls uk_sched_thread_exit() or is terminated), in t's own
 * context (its TLS, interrupts enabled), before its joiners wake: e.g. an
 * allocator giving back t's per-thread heap. fn may allocate and free, not
 * block forever. Any CPU, thread context. Returns 0, or -ENOSPC when 8
 * hooks exist.
 */
int uk_thread_exit_hook_register(void (*fn)(struct uk_thread *t));
#define UK_THREAD_HAVE_EXIT_HOOKS 1

/* True once the schedulers run (main is a thread). */
int uk_sched_started(void);
#define UK_SCHED_HAVE_STARTED 1
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * Unikraft's manual blocking: marks the calling thread t blocked until
 * uk_thread_wake(t) or, for _until, ukplat_monotonic_clock() reaching
 * until (0 or less: no deadline), for _timeout, nsec from now. t keeps
 * running until it calls uk_sched_yield(), which returns once t was woken
 * (at once if that already happened). t must be the calling thread; any
 * other crashes (a scheduler blocks only its current thread). Thread
 * context, once the schedulers run. A thread already terminated stays
 * running and ends at that yield.
 */
void uk_thread_block_until(struct uk_thread *t, __snsec until);

static inline void uk_thread_block_timeout(struct uk_thread *t, __nsec nsec)
{
	uk_thread_block_until(t, (__snsec)(ukplat_monotonic_clock() + nsec));
}

static inline void uk_thread_block(struct uk_thread *t)
{
	uk_thread_block_until(t, 0);
}

#endif /* __UK_SCHED_H__ */
