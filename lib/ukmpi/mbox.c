/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mailboxes (uk/mbox.h): a ring of pointers, two counting semaphores and a
 * spinlock. Entry points: uk_mbox_post_to() and uk_mbox_recv_to().
 *
 * Invariant, under m->lock: 0 <= count <= size, and
 *	readsem's count + (receivers holding a unit, not yet done) == count,
 *	writesem's count + (posters holding a unit, not yet done) == size - count.
 * A poster takes a unit of writesem (room for one message) before it
 * touches the ring and gives readsem one after; a receiver does the
 * opposite. So the ring is never full when a poster enters it nor empty
 * when a receiver does, and the lock only orders the positions between
 * several posters (or receivers) that hold units at the same time. The
 * semaphores give blocking, timeouts and the lost-wake-up argument
 * (lib/uklock_blocking/semaphore.c); the lock's release/acquire makes the
 * message pointer visible to the receiver that takes its slot.
 */
#include <errno.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/mbox.h>
#include <uk/plat/time.h>
#include <uk/semaphore.h>
#include <uk/spinlock.h>

struct uk_mbox {
	struct uk_spinlock lock;	/* protects rpos and count */
	size_t size;
	size_t rpos;			/* oldest message */
	size_t count;			/* messages in msgs[] */
	struct uk_semaphore readsem;	/* messages not yet claimed */
	struct uk_semaphore writesem;	/* free slots not yet claimed */
	void *msgs[];
};

struct uk_mbox *uk_mbox_create(struct uk_alloc *a, size_t size)
{
	struct uk_mbox *m;

	if (!size || size > (size_t)__SNSEC_MAX / sizeof(void *))
		return NULL;
	m = uk_malloc(a, sizeof(*m) + size * sizeof(void *));
	if (!m)
		return NULL;
	uk_spin_init(&m->lock);
	m->size = size;
	m->rpos = 0;
	m->count = 0;
	uk_semaphore_init(&m->readsem, 0);
	uk_semaphore_init(&m->writesem, (long)size);
	return m;
}

void uk_mbox_free(struct uk_alloc *a, struct uk_mbox *m)
{
	if (!m)
		return;
	UK_ASSERT(m->count == 0);
	uk_free(a, m);
}

/* The caller holds a unit of writesem: there is room. */
static void put(struct uk_mbox *m, void *msg)
{
	unsigned long f;

	uk_spin_lock_irqsave(&m->lock, f);
	UK_ASSERT(m->count < m->size);
	m->msgs[(m->rpos + m->count) % m->size] = msg;
	m->count++;
	uk_spin_unlock_irqrestore(&m->lock, f);
	uk_semaphore_up(&m->readsem);
}

/* The caller holds a unit of readsem: there is a message. */
static void *get(struct uk_mbox *m)
{
	unsigned long f;
	void *msg;

	uk_spin_lock_irqsave(&m->lock, f);
	UK_ASSERT(m->count > 0 && m->count <= m->size);
	msg = m->msgs[m->rpos];
	m->rpos = (m->rpos + 1) % m->size;
	m->count--;
	uk_spin_unlock_irqrestore(&m->lock, f);
	uk_semaphore_up(&m->writesem);
	return msg;
}

void uk_mbox_post(struct uk_mbox *m, void *msg)
{
	uk_semaphore_down(&m->writesem);
	put(m, msg);
}

int uk_mbox_post_try(struct uk_mbox *m, void *msg)
{
	if (!uk_semaphore_down_try(&m->writesem))
		return -ENOBUFS;
	put(m, msg);
	return 0;
}

/*
 * Takes a unit of s, waiting at most timeout (0: for ever). The time
 * waited, or __NSEC_MAX.
 */
static __nsec down_to(struct uk_semaphore *s, __nsec timeout)
{
	__nsec start;

	if (timeout)
		return uk_semaphore_down_to(s, timeout);
	start = ukplat_monotonic_clock();
	uk_semaphore_down(s);
	return ukplat_monotonic_clock() - start;
}

__nsec uk_mbox_post_to(struct uk_mbox *m, void *msg, __nsec timeout)
{
	__nsec waited = down_to(&m->writesem, timeout);

	if (waited != __NSEC_MAX)
		put(m, msg);
	return waited;
}

void uk_mbox_recv(struct uk_mbox *m, void **msg)
{
	void *x;

	uk_semaphore_down(&m->readsem);
	x = get(m);
	if (msg)
		*msg = x;
}

int uk_mbox_recv_try(struct uk_mbox *m, void **msg)
{
	void *x;

	if (!uk_semaphore_down_try(&m->readsem))
		return -ENOMSG;
	x = get(m);
	if (msg)
		*msg = x;
	return 0;
}

__nsec uk_mbox_recv_to(struct uk_mbox *m, void **msg, __nsec timeout)
{
	__nsec waited = down_to(&m->readsem, timeout);
	void *x = NULL;

	if (waited != __NSEC_MAX)
		x = get(m);
	if (msg)
		*msg = x;
	return waited;
}
