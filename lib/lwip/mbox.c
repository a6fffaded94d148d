/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's mailboxes: a ring under one spinlock, two wait queues.
 *
 * Invariant (asserted under the lock): 0 <= count <= size and head < size.
 *
 * No lost wake-up: a waiter tests its condition with the lock held while
 * already on its wait queue (uk_waitq_wait_event_deadline_locked), and
 * only then lets the lock go and blocks; the other side changes count
 * under the same lock and wakes the queue afterwards, so it finds the
 * waiter listed. Each post or fetch wakes one waiter of the other side;
 * the woken thread is taken off the queue, so the next wake reaches
 * another one, and a woken thread tests the condition again before it
 * looks at its deadline: a message made available to it is taken even if
 * its deadline has passed in between.
 */
#include <errno.h>
#include <uk/assert.h>
#include <uk/lwip_mbox.h>

static void mbox_lock(struct uk_spinlock *l)
{
	uk_spin_lock(l);
}

static void mbox_unlock(struct uk_spinlock *l)
{
	uk_spin_unlock(l);
}

static void check(const struct uk_lwip_mbox *mb)
{
	UK_ASSERT(mb->count <= mb->size && mb->head < mb->size);
}

void uk_lwip_mbox_init(struct uk_lwip_mbox *mb, void **slot,
		       unsigned int size)
{
	UK_ASSERT(size > 0 && slot);
	uk_spin_init(&mb->lock);
	mb->head = mb->count = 0;
	mb->size = size;
	mb->slot = slot;
	uk_waitq_init(&mb->readers);
	uk_waitq_init(&mb->writers);
}

/*
 * Takes the lock and waits until the ring has a free slot (space) or a
 * message (!space), or deadline passes (0: forever; the wait macro reads
 * 0 the same way). 0 with the lock held, or -ETIMEDOUT without it.
 */
static int mbox_wait(struct uk_lwip_mbox *mb, int space, __nsec deadline)
{
	int to;

	mbox_lock(&mb->lock);
	if (space)
		to = uk_waitq_wait_event_deadline_locked(
			&mb->writers, mb->count < mb->size, deadline,
			mbox_lock, mbox_unlock, &mb->lock);
	else
		to = uk_waitq_wait_event_deadline_locked(
			&mb->readers, mb->count > 0, deadline,
			mbox_lock, mbox_unlock, &mb->lock);
	if (to) {
		mbox_unlock(&mb->lock);
		return -ETIMEDOUT;
	}
	check(mb);
	return 0;
}

int uk_lwip_mbox_post(struct uk_lwip_mbox *mb, void *msg, __nsec deadline)
{
	if (mbox_wait(mb, 1, deadline))
		return -ETIMEDOUT;
	mb->slot[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	mbox_unlock(&mb->lock);
	uk_waitq_wake_up_one(&mb->readers);
	return 0;
}

int uk_lwip_mbox_fetch(struct uk_lwip_mbox *mb, void **msg, __nsec deadline)
{
	if (mbox_wait(mb, 0, deadline))
		return -ETIMEDOUT;
	*msg = mb->slot[mb->head];
	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	mbox_unlock(&mb->lock);
	uk_waitq_wake_up_one(&mb->writers);
	return 0;
}

unsigned int uk_lwip_mbox_count(struct uk_lwip_mbox *mb)
{
	/* Relaxed: a snapshot for statistics; nothing is read through it. */
	return __atomic_load_n(&mb->count, __ATOMIC_RELAXED);
}
