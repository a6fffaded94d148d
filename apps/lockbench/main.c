/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lockbench: every online CPU takes one lock in a loop for a fixed time,
 * touching a shared counter inside. Prints, per lock, the total rate, the
 * max/min acquisitions per CPU, and checks the shared counter equals the
 * sum of per-CPU counts (mutual exclusion). Locks: uk_spinlock (uklock), a
 * plain test-and-set lock, a plain ticket lock; with uksched
 * (LIBUKLOCK_BLOCKING) also uk_mutex and uk_rwlock (writers, and readers
 * whose critical section only reads), taken by one thread pinned to each
 * CPU.
 * Usage: lockbench [milliseconds per lock]
 */
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/spinlock.h>
#if CONFIG_LIBUKLOCK_BLOCKING
#include <uk/mutex.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#endif

#define MAXCPU CONFIG_UKPLAT_LCPU_MAXCOUNT

struct tas_lock {
	int v;
};

struct ticket_lock {
	unsigned int next, owner;
};

static struct uk_spinlock uk_lock = UK_SPINLOCK_INITIALIZER();
static struct tas_lock tas;
static struct ticket_lock ticket;

static void tas_take(struct tas_lock *l)
{
	/* Acquire: the critical section follows the take. */
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			ukarch_spinwait();
}

static void tas_give(struct tas_lock *l)
{
	/* Release: the critical section precedes the give. */
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

static void ticket_take(struct ticket_lock *l)
{
	/* Relaxed: only the ticket number matters; acquire is below. */
	unsigned int me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	/* Acquire: the previous holder's critical section is visible. */
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		ukarch_spinwait();
}

static void ticket_give(struct ticket_lock *l)
{
	/* Release: our critical section precedes the hand-over. */
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

enum { LOCK_UK, LOCK_TAS, LOCK_TICKET };

static struct {
	int kind;
	__nsec end;
	unsigned long go, done;
	unsigned long shared;		/* protected by the lock under test */
	UKPLAT_PER_LCPU_DEFINE(unsigned long, count);
} run;

static void hammer(void *arg __unused)
{
	unsigned long n = 0;

	/* Acquire: the run's parameters are set before go. */
	while (!__atomic_load_n(&run.go, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	while (ukplat_monotonic_clock() < run.end) {
		for (int i = 0; i < 64; i++) {
			switch (run.kind) {
			case LOCK_UK:
				uk_spin_lock(&uk_lock);
				run.shared++;
				uk_spin_unlock(&uk_lock);
				break;
			case LOCK_TAS:
				tas_take(&tas);
				run.shared++;
				tas_give(&tas);
				break;
			default:
				ticket_take(&ticket);
				run.shared++;
				ticket_give(&ticket);
			}
		}
		n += 64;
	}
	ukplat_per_lcpu_current(run.count) = n;
	/* Release: our count is written before we say we are done. */
	__atomic_fetch_add(&run.done, 1, __ATOMIC_RELEASE);
}

static int bench(const char *name, int kind, unsigned long ms)
{
	unsigned int n = ukplat_lcpu_count(), i;
	unsigned long total = 0, max = 0, min = ~0UL;

	run.kind = kind;
	run.shared = 0;
	run.go = 0;
	run.done = 0;
	ukplat_lcpu_call_others(hammer, NULL, 0);
	run.end = ukplat_monotonic_clock() + ms * 1000000ULL;
	__atomic_store_n(&run.go, 1, __ATOMIC_RELEASE);
	hammer(NULL);
	/* Acquire: every CPU's count is visible once all are done. */
	while (__atomic_load_n(&run.done, __ATOMIC_ACQUIRE) < n)
		ukarch_spinwait();
	for (i = 0; i < n; i++) {
		unsigned long c = ukplat_per_lcpu(run.count, i);

		total += c;
		max = c > max ? c : max;
		min = c < min ? c : min;
	}
	printf("%-12s %5u %10.2f %10.2f %s\n", name, n,
	       (double)total / ms / 1000.0, min ? (double)max / min : 0.0,
	       total == run.shared ? "ok" : "LOST UPDATES");
	return total != run.shared;
}

#if CONFIG_LIBUKLOCK_BLOCKING
enum { BLOCK_MUTEX, BLOCK_WRITE, BLOCK_READ };

static struct uk_mutex mtx = UK_MUTEX_INITIALIZER(mtx);
static struct uk_rwlock rw;

static struct {
	int kind;
	__nsec end;
	unsigned long shared;		/* protected by the lock under test */
	unsigned long count[MAXCPU];	/* slot i: thread i's only */
} brun;

static void block_hammer(void *arg)
{
	unsigned long me = (unsigned long)arg, n = 0;
	volatile unsigned long sink;

	while (ukplat_monotonic_clock() < brun.end) {
		for (int i = 0; i < 64; i++) {
			switch (brun.kind) {
			case BLOCK_MUTEX:
				uk_mutex_lock(&mtx);
				brun.shared++;
				uk_mutex_unlock(&mtx);
				break;
			case BLOCK_WRITE:
				uk_rwlock_wlock(&rw);
				brun.shared++;
				uk_rwlock_wunlock(&rw);
				break;
			default:
				uk_rwlock_rlock(&rw);
				sink = brun.shared;
				uk_rwlock_runlock(&rw);
			}
		}
		n += 64;
	}
	(void)sink;
	brun.count[me] = n;	/* read after join */
}

/*
 * One thread pinned to each CPU; the main thread (CPU 0) sets the end
 * time first and then joins them, so CPU 0's thread runs while it waits.
 */
static int block_bench(const char *name, int kind, unsigned long ms)
{
	unsigned int n = ukplat_lcpu_count(), i;
	unsigned long total = 0, max = 0, min = ~0UL;
	struct uk_thread *t[MAXCPU];
	int ok;

	brun.kind = kind;
	brun.shared = 0;
	brun.end = ukplat_monotonic_clock() + ms * 1000000ULL;
	for (i = 0; i < n; i++) {
		brun.count[i] = 0;
		t[i] = uk_sched_thread_create_on((int)i, block_hammer,
						 (void *)(unsigned long)i,
						 "lockbench");
		if (!t[i]) {
			printf("%s: cannot create thread %u\n", name, i);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	for (i = 0; i < n; i++) {
		unsigned long c = brun.count[i];

		total += c;
		max = c > max ? c : max;
		min = c < min ? c : min;
	}
	ok = kind == BLOCK_READ || total == brun.shared;
	printf("%-12s %5u %10.2f %10.2f %s\n", name, n,
	       (double)total / ms / 1000.0, min ? (double)max / min : 0.0,
	       kind == BLOCK_READ ? "(readers)" : ok ? "ok" : "LOST UPDATES");
	return !ok;
}
#endif

int main(int argc, char *argv[])
{
	unsigned long ms = argc > 1 ? strtoul(argv[1], NULL, 0) : 500;
	int bad = 0;

	printf("%-12s %5s %10s %10s %s\n", "lock", "cpus", "Mops/s",
	       "max/min", "exclusion");
	bad |= bench("uk_spinlock", LOCK_UK, ms);
	bad |= bench("tas", LOCK_TAS, ms);
	bad |= bench("ticket", LOCK_TICKET, ms);
#if CONFIG_LIBUKLOCK_BLOCKING
	uk_rwlock_init(&rw);
	bad |= block_bench("uk_mutex", BLOCK_MUTEX, ms);
	bad |= block_bench("rwlock write", BLOCK_WRITE, ms);
	bad |= block_bench("rwlock read", BLOCK_READ, ms);
#endif
	return bad;
}
