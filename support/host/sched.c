/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host stand-in for what uklock's mutex, semaphore and rwlock need from
 * uksched, so that they run unchanged on Linux (host tests under ASan and
 * TSan, the host benchmark, `make host-lib LIB=uklock`): threads play CPUs,
 * each pthread gets its own struct uk_thread on first use, and a blocked
 * thread sleeps on a futex instead of switching away.
 *
 * The wait queue keeps uksched's rules (lib/uksched/wait.c, doc/sched.md):
 * - prepare lists the caller once (FIFO) and marks it blocked, both under
 *   the queue's lock, before uk_waitq_wait_event() tests its condition; a
 *   waker takes entries off under the same lock and marks them running. So
 *   a waker that makes the condition true after the test finds the entry
 *   and its wake-up is seen by the futex wait (no lost wake-up); one before
 *   the test is seen by the test.
 * - wake_up_one takes the oldest entry, wake_up all of them.
 * - a deadline makes uk_sched_switch_out() return at that time even if
 *   nobody woke the thread (the guest's sleep queue does the same); the
 *   entry stays listed until uk_waitq_finish().
 * The headers are uksched's own (lib/uksched/include), so the macros under
 * test are the real ones; only the functions behind them are replaced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/wait.h>
#include <uk/host/sched.h>

#define HOST_RUNNING 0
#define HOST_BLOCKED 1

struct host_thread {
	struct uk_thread t;
	int state;		/* HOST_*: the futex word */
	__nsec deadline;	/* of the current wait, 0 = none; own thread */
	char name[24];
};

/* Per-thread (per-"CPU") data: the calling thread's uk_thread. */
static __thread struct host_thread self;
static __thread int self_ready;

static int started = 1;
static unsigned long nr_threads, nr_blocks, nr_wakes, nr_timeouts;

static struct host_thread *me(void)
{
	if (!self_ready) {
		/* Relaxed: only makes the names unique. */
		unsigned long n = __atomic_fetch_add(&nr_threads, 1,
						     __ATOMIC_RELAXED);

		snprintf(self.name, sizeof(self.name), "host-%lu", n);
		self.t.name = self.name;
		self_ready = 1;
	}
	return &self;
}

static struct host_thread *host_of(struct uk_thread *t)
{
	return __containerof(t, struct host_thread, t);
}

static long futex(int *word, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts,
		       NULL, FUTEX_BITSET_MATCH_ANY);
}

void host_sched_set_started(int s)
{
	/* Relaxed: tests switch it while no lock is in use. */
	__atomic_store_n(&started, s, __ATOMIC_RELAXED);
}

void host_sched_set_name(const char *name)
{
	snprintf(me()->name, sizeof(self.name), "%s", name);
}

unsigned long host_sched_blocks(void)
{
	/* Relaxed: statistics, read after the threads were joined. */
	return __atomic_load_n(&nr_blocks, __ATOMIC_RELAXED);
}

unsigned long host_sched_wakes(void)
{
	return __atomic_load_n(&nr_wakes, __ATOMIC_RELAXED);
}

unsigned long host_sched_timeouts(void)
{
	return __atomic_load_n(&nr_timeouts, __ATOMIC_RELAXED);
}

int uk_sched_started(void)
{
	return __atomic_load_n(&started, __ATOMIC_RELAXED);
}

struct uk_thread *uk_thread_current(void)
{
	return &me()->t;
}

__nsec uk_waitq_now(void)
{
	return ukplat_monotonic_clock();
}

void uk_waitq_init(struct uk_waitq *wq)
{
	uk_spin_init(&wq->lock);
	wq->head = NULL;
}

unsigned int host_waitq_len(struct uk_waitq *wq)
{
	struct uk_waitq_entry *e;
	unsigned int n = 0;

	uk_spin_lock(&wq->lock);
	for (e = wq->head; e; e = e->next)
		n++;
	uk_spin_unlock(&wq->lock);
	return n;
}

/* Under wq->lock. */
static void entry_remove(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	struct uk_waitq_entry **p = &wq->head;

	while (*p && *p != e)
		p = &(*p)->next;
	if (*p)
		*p = e->next;
	e->queued = 0;
}

void uk_waitq_prepare_deadline(struct uk_waitq *wq, struct uk_waitq_entry *e,
			       __nsec deadline)
{
	struct host_thread *h = me();
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	if (!e->queued) {
		struct uk_waitq_entry **p = &wq->head;

		e->thread = &h->t;
		e->next = NULL;
		while (*p)
			p = &(*p)->next;
		*p = e;
		e->queued = 1;
	}
	h->deadline = deadline;
	/* Relaxed: the queue's lock orders it against every waker. */
	__atomic_store_n(&h->state, HOST_BLOCKED, __ATOMIC_RELAXED);
	uk_spin_unlock_irqrestore(&wq->lock, f);
}

void uk_waitq_prepare(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	uk_waitq_prepare_deadline(wq, e, 0);
}

void uk_waitq_finish(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	struct host_thread *h = me();
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	if (e->queued)
		entry_remove(wq, e);
	h->deadline = 0;
	/* Relaxed: under the queue's lock, as in prepare. */
	__atomic_store_n(&h->state, HOST_RUNNING, __ATOMIC_RELAXED);
	uk_spin_unlock_irqrestore(&wq->lock, f);
}

void uk_thread_wake(struct uk_thread *t)
{
	struct host_thread *h = host_of(t);
	int blocked = HOST_BLOCKED;

	/*
	 * Release: what the waker did before (the lock state it changed)
	 * is visible to the thread once it sees RUNNING without the
	 * queue's lock (in uk_sched_switch_out()).
	 */
	if (__atomic_compare_exchange_n(&h->state, &blocked, HOST_RUNNING, 0,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		futex(&h->state, FUTEX_WAKE, 1, NULL);
}

void uk_sched_switch_out(void)
{
	struct host_thread *h = me();
	struct timespec ts, *tsp = NULL;
	int blocked = HOST_BLOCKED;

	if (h->deadline) {
		ts.tv_sec = (time_t)(h->deadline / UKARCH_NSEC_PER_SEC);
		ts.tv_nsec = (long)(h->deadline % UKARCH_NSEC_PER_SEC);
		tsp = &ts;
	}
	/* Acquire: pairs with the release in uk_thread_wake(). */
	while (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == HOST_BLOCKED) {
		long r;

		/* Relaxed: statistics. */
		__atomic_fetch_add(&nr_blocks, 1, __ATOMIC_RELAXED);
		/* Absolute CLOCK_MONOTONIC time, like ukplat's clock. */
		r = futex(&h->state, FUTEX_WAIT_BITSET, HOST_BLOCKED, tsp);
		if (r == 0 || errno == EAGAIN || errno == EINTR)
			continue;
		if (errno != ETIMEDOUT) {
			perror("host_sched: futex");
			abort();
		}
		/* The deadline passed: runnable again, still listed. */
		if (__atomic_compare_exchange_n(&h->state, &blocked,
						HOST_RUNNING, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			__atomic_fetch_add(&nr_timeouts, 1, __ATOMIC_RELAXED);
		return;
	}
}

static void wake(struct uk_waitq *wq, int all)
{
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	while (wq->head) {
		struct uk_waitq_entry *e = wq->head;

		entry_remove(wq, e);
		uk_thread_wake(e->thread);
		/* Relaxed: statistics. */
		__atomic_fetch_add(&nr_wakes, 1, __ATOMIC_RELAXED);
		if (!all)
			break;
	}
	uk_spin_unlock_irqrestore(&wq->lock, f);
}

void uk_waitq_wake_up(struct uk_waitq *wq)
{
	wake(wq, 1);
}

void uk_waitq_wake_up_one(struct uk_waitq *wq)
{
	wake(wq, 0);
}
