/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's mailboxes (sys_mbox_*): a bounded ring of message pointers that
 * any number of threads on any CPUs post to and fetch from, blocking while
 * it is full or empty, with deadlines. sys_arch.c builds lwIP's calls on
 * it; the host tests run it on pthreads (support/host).
 *
 * Thread context only (the lock is not taken with interrupts off): an
 * interrupt handler wakes a thread instead of posting.
 */
#ifndef __UK_LWIP_MBOX_H__
#define __UK_LWIP_MBOX_H__

#include <uk/essentials.h>
#include <uk/spinlock.h>
#include <uk/wait.h>

struct uk_lwip_mbox {
	struct uk_spinlock lock;	/* protects head, count and slot[] */
	unsigned int head;		/* oldest message */
	unsigned int count;		/* messages in slot[] */
	unsigned int size;		/* slots; count <= size always */
	struct uk_waitq readers;	/* fetchers waiting for count > 0 */
	struct uk_waitq writers;	/* posters waiting for count < size */
	void **slot;
};

/* Empty mailbox of size slots (size > 0) in slot[], which the caller owns. */
void uk_lwip_mbox_init(struct uk_lwip_mbox *mb, void **slot,
		       unsigned int size);

/*
 * Posts msg, waiting while the mailbox is full until deadline
 * (ukplat_monotonic_clock nanoseconds; 0: forever). 0, or -ETIMEDOUT
 * (msg not posted). A deadline in the past makes it a try.
 */
int uk_lwip_mbox_post(struct uk_lwip_mbox *mb, void *msg, __nsec deadline);

/*
 * Takes the oldest message into *msg, waiting while the mailbox is empty
 * until deadline (as above). 0, or -ETIMEDOUT (*msg unchanged).
 */
int uk_lwip_mbox_fetch(struct uk_lwip_mbox *mb, void **msg, __nsec deadline);

/* Messages waiting (a snapshot). */
unsigned int uk_lwip_mbox_count(struct uk_lwip_mbox *mb);

#endif /* __UK_LWIP_MBOX_H__ */
