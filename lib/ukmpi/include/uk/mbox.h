/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mailboxes (Unikraft's uk/mbox.h names and meaning): a bounded FIFO of
 * pointers that any number of threads on any CPUs post to and receive
 * from, blocking or not, with timeouts. lwIP's sys_mbox glue is the
 * classic user. A mailbox made with size n holds up to n messages.
 *
 * Blocking calls are for threads; uk_mbox_post_try() and
 * uk_mbox_recv_try() may also be called from interrupt handlers.
 * Timeouts are in nanoseconds; 0 means "wait for ever" (as in Unikraft,
 * where lwIP's "no timeout" 0 is passed through).
 */
#ifndef __UK_MBOX_H__
#define __UK_MBOX_H__

#include <uk/essentials.h>

struct uk_alloc;
struct uk_mbox;

/*
 * A mailbox for size messages from allocator a, or NULL (no memory, or
 * size is 0). Any CPU, thread context.
 */
struct uk_mbox *uk_mbox_create(struct uk_alloc *a, size_t size);

/*
 * Gives m back to a (the allocator it came from). m must be empty and
 * nobody may wait on it: a message still queued is a bug (UK_ASSERT).
 */
void uk_mbox_free(struct uk_alloc *a, struct uk_mbox *m);

/* Posts msg, blocking while m is full. */
void uk_mbox_post(struct uk_mbox *m, void *msg);

/* Posts msg if there is room: 0, or -ENOBUFS when m is full. */
int uk_mbox_post_try(struct uk_mbox *m, void *msg);

/*
 * Posts msg, waiting at most timeout ns for room (0: for ever). Returns
 * the nanoseconds it waited, or __NSEC_MAX when it timed out (nothing
 * posted).
 */
__nsec uk_mbox_post_to(struct uk_mbox *m, void *msg, __nsec timeout);

/* Takes the oldest message into *msg (NULL: drop it), blocking while m is empty. */
void uk_mbox_recv(struct uk_mbox *m, void **msg);

/* Takes the oldest message if there is one: 0, or -ENOMSG when m is empty. */
int uk_mbox_recv_try(struct uk_mbox *m, void **msg);

/*
 * Takes the oldest message, waiting at most timeout ns (0: for ever).
 * Returns the nanoseconds it waited, or __NSEC_MAX when it timed out
 * (then *msg is set to NULL).
 */
__nsec uk_mbox_recv_to(struct uk_mbox *m, void **msg, __nsec timeout);

#endif /* __UK_MBOX_H__ */
