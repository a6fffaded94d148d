/* SPDX-License-Identifier: BSD-3-Clause */
/* Wait queues: waiters are listed under the queue's lock; wakers take them off and wake them. */
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/wait.h>
#include "uksched.h"

__nsec uk_waitq_now(void)
{
	return ukplat_monotonic_clock();
}

void uk_waitq_init(struct uk_waitq *wq)
{
	uk_spin_init(&wq->lock);
	wq->head = NULL;
}

static void entry_remove(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	struct uk_waitq_entry **p = &wq->head;

	while (*p && *p != e)
		p = &(*p)->next;
	if (*p)
		*p = e->next;
	e->queued = 0;
}

/* Lists the caller (once) and marks it blocked before it tests its condition. */
void uk_waitq_prepare(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	uk_waitq_prepare_deadline(wq, e, 0);
}

void uk_waitq_prepare_deadline(struct uk_waitq *wq, struct uk_waitq_entry *e,
			       __nsec deadline)
{
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	if (!e->queued) {
		struct uk_waitq_entry **p = &wq->head;

		e->thread = uk_thread_current();
		e->thread->wait_wq = wq;
		e->thread->wait_e = e;
		e->next = NULL;
		while (*p)
			p = &(*p)->next;
		*p = e;
		e->queued = 1;
	}
	uk_sched_set_blocked_until(deadline);
	uk_spin_unlock_irqrestore(&wq->lock, f);
}

void uk_waitq_finish(struct uk_waitq *wq, struct uk_waitq_entry *e)
{
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	if (e->queued)
		entry_remove(wq, e);
	if (e->thread) {
		e->thread->wait_wq = NULL;
		e->thread->wait_e = NULL;
	}
	uk_sched_set_running();
	uk_spin_unlock_irqrestore(&wq->lock, f);
}

static void wake(struct uk_waitq *wq, int all)
{
	unsigned long f;

	uk_spin_lock_irqsave(&wq->lock, f);
	while (wq->head) {
		struct uk_waitq_entry *e = wq->head;

		entry_remove(wq, e);
		uk_thread_wake(e->thread);
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
