/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative policy: one FIFO queue of runnable threads per online
 * CPU. That is all a policy is here (uk/sched_impl.h): uksched owns the
 * thread life cycle and calls enqueue, dequeue and pick_next under the
 * CPU's run-queue lock, so the queue needs no lock of its own. Threads run
 * until they yield, block, sleep or exit.
 *
 * Invariant (checked on every change): len is the number of threads
 * linked from head, tail is the last of them (NULL iff head is NULL).
 */
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/sched_impl.h>

/* This policy's per-thread area: the queue link. */
struct coop_thread {
	struct uk_thread *next;
};
UK_SCHED_POLICY_DATA_FITS(struct coop_thread);

struct schedcoop {
	struct uk_sched sched;		/* the public handle; sched.cpu */
	struct uk_thread *head, *tail;	/* the run queue, FIFO */
	unsigned int len;		/* written under the lock, read by load */
};

/* Per-CPU scheduler instances. */
static UKPLAT_PER_LCPU_DEFINE(struct schedcoop, coop_cpus);

static struct schedcoop *to_coop(struct uk_sched *s)
{
	return __containerof(s, struct schedcoop, sched);
}

static struct coop_thread *ct(struct uk_thread *t)
{
	return uk_sched_policy_data(t);
}

static void len_add(struct schedcoop *c, int d)
{
	/* Relaxed: coop_load() reads it as a hint; the lock orders the rest. */
	__atomic_store_n(&c->len, c->len + d, __ATOMIC_RELAXED);
	UK_ASSERT(!c->head == !c->len && !c->head == !c->tail);
}

static void coop_enqueue(struct uk_sched *s, struct uk_thread *t)
{
	struct schedcoop *c = to_coop(s);

	ct(t)->next = NULL;
	if (c->tail)
		ct(c->tail)->next = t;
	else
		c->head = t;
	c->tail = t;
	len_add(c, 1);
}

static struct uk_thread *coop_pick_next(struct uk_sched *s)
{
	struct schedcoop *c = to_coop(s);
	struct uk_thread *t = c->head;

	if (!t)
		return NULL;
	c->head = ct(t)->next;
	if (!c->head)
		c->tail = NULL;
	len_add(c, -1);
	return t;
}

/* Takes t out of the middle of the queue (uksched knows it is queued). */
static void coop_dequeue(struct uk_sched *s, struct uk_thread *t)
{
	struct schedcoop *c = to_coop(s);
	struct uk_thread **p = &c->head, *prev = NULL;

	while (*p && *p != t) {
		prev = *p;
		p = &ct(*p)->next;
	}
	UK_ASSERT(*p == t);
	*p = ct(t)->next;
	if (c->tail == t)
		c->tail = prev;
	len_add(c, -1);
}

static unsigned int coop_load(struct uk_sched *s)
{
	/* Relaxed: a placement hint, stale values are fine. */
	return __atomic_load_n(&to_coop(s)->len, __ATOMIC_RELAXED);
}

static const struct uk_sched_ops coop_ops = {
	.enqueue = coop_enqueue,
	.dequeue = coop_dequeue,
	.pick_next = coop_pick_next,
	.load = coop_load,
};

/* Boot: an instance per online CPU, before uksched starts them. */
static int schedcoop_init(void)
{
	unsigned int i, n = ukplat_lcpu_count();

	for (i = 0; i < n; i++) {
		struct schedcoop *c = &ukplat_per_lcpu(coop_cpus, i);

		c->sched.ops = &coop_ops;
		c->sched.cpu = i;
		uk_sched_register(&c->sched);
	}
	return 0;
}

uk_late_initcall_prio(schedcoop_init, UK_SCHED_POLICY_PRIO);
