/* SPDX-License-Identifier: BSD-3-Clause */
/* Counting semaphore (Unikraft's uk/semaphore.h names), with timeouts. */
#ifndef __UK_SEMAPHORE_H__
#define __UK_SEMAPHORE_H__

#include <uk/essentials.h>
#include <uk/spinlock.h>
#include <uk/wait.h>

struct uk_semaphore {
	struct uk_spinlock sl;		/* protects count and waiters */
	long count;
	int waiters;			/* waiting on wait, or about to */
	struct uk_waitq wait;
};

void uk_semaphore_init(struct uk_semaphore *s, long count);

/* Decrements, blocking while the count is 0. Thread context. */
void uk_semaphore_down(struct uk_semaphore *s);

/* Decrements if the count is above 0: 1 if it did, else 0. Any context. */
int uk_semaphore_down_try(struct uk_semaphore *s);

/*
 * As uk_semaphore_down(), giving up after timeout nanoseconds. Returns the
 * nanoseconds it waited, or __NSEC_MAX on timeout (count unchanged).
 */
__nsec uk_semaphore_down_to(struct uk_semaphore *s, __nsec timeout);

/* Increments and wakes one waiter. Any CPU, any context. */
void uk_semaphore_up(struct uk_semaphore *s);

#endif /* __UK_SEMAPHORE_H__ */
