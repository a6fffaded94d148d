/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hooks other libraries hang on the scheduler: idle hooks (run by each
 * CPU's idle thread before it halts) and exit hooks (run by each exiting
 * thread). Registration is rare and locked; running is lock-free.
 */
#include <errno.h>
#include <uk/plat/lcpu.h>
#include <uk/spinlock.h>
#include "uksched.h"

#define HOOKS_MAX 8

struct hook {
	union {
		void (*idle)(void *arg);
		void (*exit)(struct uk_thread *t);
	} fn;
	void *arg;
};

/* An entry is written before the length that publishes it. */
struct hook_list {
	struct hook h[HOOKS_MAX];
	unsigned int len;
	struct uk_spinlock lock;	/* serializes writers of h and len */
};

static struct hook_list idle_hooks = { .lock = UK_SPINLOCK_INITIALIZER() };
static struct hook_list exit_hooks = { .lock = UK_SPINLOCK_INITIALIZER() };

static int hook_add(struct hook_list *l, const struct hook *h)
{
	unsigned int n;

	uk_spin_lock(&l->lock);
	n = l->len;
	if (n == HOOKS_MAX) {
		uk_spin_unlock(&l->lock);
		return -ENOSPC;
	}
	l->h[n] = *h;
	/* Release: runners that see the new length see the entry. */
	__atomic_store_n(&l->len, n + 1, __ATOMIC_RELEASE);
	uk_spin_unlock(&l->lock);
	return 0;
}

static unsigned int hook_count(struct hook_list *l)
{
	/* Acquire: pairs with the release in hook_add(). */
	return __atomic_load_n(&l->len, __ATOMIC_ACQUIRE);
}

int uk_sched_idle_hook_register(void (*fn)(void *arg), void *arg)
{
	struct hook h = { .fn.idle = fn, .arg = arg };
	unsigned int cpu;
	int r = hook_add(&idle_hooks, &h);

	if (r)
		return r;
	/* Halted CPUs run the new hook once now, not at their next event. */
	for (cpu = 0; cpu < ukplat_lcpu_count(); cpu++)
		if (cpu != ukplat_lcpu_idx())
			ukplat_lcpu_wakeup(cpu);
	return 0;
}

void uk_sched_run_idle_hooks(void)
{
	unsigned int n = hook_count(&idle_hooks), i;

	for (i = 0; i < n; i++)
		idle_hooks.h[i].fn.idle(idle_hooks.h[i].arg);
}

int uk_thread_exit_hook_register(void (*fn)(struct uk_thread *t))
{
	struct hook h = { .fn.exit = fn };

	return hook_add(&exit_hooks, &h);
}

void uk_sched_run_exit_hooks(struct uk_thread *t)
{
	unsigned int n = hook_count(&exit_hooks), i;

	for (i = 0; i < n; i++)
		exit_hooks.h[i].fn.exit(t);
}
