/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-CPU registry of scheduler instances, the boot stage UK_INIT_CLASS_SCHED_ALL, placement within a thread's
 * affinity, and the public calls for migration, affinity, sleep, exit and
 * terminate (the transitions themselves are core.c's).
 */
#include <errno.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/spinlock.h>
#include "uksched.h"

/* Per-CPU: each CPU's scheduler instance. */
static UKPLAT_PER_LCPU_DEFINE(struct uk_sched *, cpu_sched);

struct uk_sched *uk_sched_current(void)
{
	return ukplat_per_lcpu_current(cpu_sched);
}

struct uk_sched *uk_sched_get(unsigned int cpu)
{
	if (cpu >= ukplat_lcpu_count())
		return NULL;
	return ukplat_per_lcpu(cpu_sched, cpu);
}

void uk_sched_register(struct uk_sched *s)
{
	UK_ASSERT(s->cpu < ukplat_lcpu_count());
	ukplat_per_lcpu(cpu_sched, s->cpu) = s;
}

/* CPUs that adopted their first thread; only grows, at boot. */
static unsigned int cpus_adopted;

void uk_sched_cpu_adopted(void)
{
	/* Release: pairs with the acquire load in sched_all_running(). */
	__atomic_fetch_add(&cpus_adopted, 1, __ATOMIC_RELEASE);
}

/*
 * The boot stage UK_INIT_CLASS_SCHED_ALL (uk/init.h): the last call of the
 * late class, after the policy started the schedulers, waits until every
 * CPU adopted its first thread, so that the next class finds a current
 * thread with TLS on each. The other CPUs run on their own, so spinning
 * here only waits for them.
 */
static int sched_all_running(void)
{
	unsigned int n = ukplat_lcpu_count();

	if (!uk_sched_started())
		return 0;	/* no policy started: nothing to wait for */
	/* Acquire: pairs with the release in uk_sched_cpu_adopted(). */
	while (__atomic_load_n(&cpus_adopted, __ATOMIC_ACQUIRE) < n)
		ukarch_spinwait();
	return 0;
}

uk_late_initcall_prio(sched_all_running, 9);

void uk_sched_switch_out(void)
{
	uk_sched_yield();
}

/* A woken or migrated sleeper goes back to sleep until its time. */
void uk_sched_thread_sleep(__nsec ns)
{
	__nsec deadline = ukplat_monotonic_clock() + (ns ? ns : 1);

	do {
		uk_sched_set_blocked_until(deadline);
		uk_sched_yield();
	} while (ukplat_monotonic_clock() < deadline);
}

void uk_sched_thread_exit(void)
{
	struct uk_thread *t = uk_thread_current();

	if (!t->exiting) {	/* a hook that exits does not rerun them */
		t->exiting = 1;
		uk_sched_run_exit_hooks(t);
	}
	uk_sched_switch_away_exited();
}

void uk_sched_check_terminate(void)
{
	struct uk_thread *t = uk_thread_current();

	/* Acquire: pairs with the terminating thread's release. */
	if (t->is_idle || !__atomic_load_n(&t->terminate, __ATOMIC_ACQUIRE)
	    || t->state == UK_THREAD_EXITED)
		return;
	if (t->wait_e)	/* its entry lives on this stack: unlink it */
		uk_waitq_finish(t->wait_wq, t->wait_e);
	uk_sched_thread_exit();
}

void uk_sched_thread_terminate(struct uk_thread *t)
{
	if (t == uk_thread_current())
		uk_sched_thread_exit();
	/* Release: seen by t when it next runs (check_terminate). */
	__atomic_store_n(&t->terminate, 1, __ATOMIC_RELEASE);
	uk_thread_wake(t);
}

unsigned int uk_sched_place(const struct uk_cpuset *set)
{
	unsigned int n = ukplat_lcpu_count(), best = n, best_load = 0, i;

	for (i = 0; i < n; i++) {
		struct uk_sched *s = uk_sched_get(i);
		unsigned int load;

		if (!uk_cpuset_isset(set, i))
			continue;
		load = s->ops->load(s);
		if (best == n || load < best_load) {
			best = i;
			best_load = load;
		}
	}
	return best;
}

int uk_sched_thread_migrate(struct uk_thread *t, unsigned int cpu)
{
	struct uk_cpuset one;

	if (cpu >= ukplat_lcpu_count() || t->is_idle
	    || t->state == UK_THREAD_EXITED)
		return -EINVAL;
	uk_cpuset_zero(&one);
	uk_cpuset_set(&one, cpu);
	t->affinity = one;
	return uk_sched_move(t, cpu);
}

int uk_sched_thread_migrate_self(unsigned int cpu)
{
	return uk_sched_thread_migrate(uk_thread_current(), cpu);
}

int uk_thread_set_affinity(struct uk_thread *t, const struct uk_cpuset *set)
{
	if (!uk_cpuset_count_online(set) || t->is_idle
	    || t->state == UK_THREAD_EXITED)
		return -EINVAL;
	t->affinity = *set;
	if (uk_cpuset_isset(set, t->cpu))
		return 0;
	return uk_sched_move(t, uk_sched_place(set));
}

void uk_thread_get_affinity(const struct uk_thread *t, struct uk_cpuset *set)
{
	*set = t->affinity;
}

int uk_thread_is_pinned(const struct uk_thread *t)
{
	return uk_cpuset_count_online(&t->affinity) == 1;
}
