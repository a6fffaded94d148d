/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Example structure for uknr: a sequential priority queue of u64 (binary
 * min-heap with a fixed capacity chosen at creation), usable on its own and,
 * through uk_nr_pqueue_ops, replicated with node replication. None of these
 * functions is thread-safe by itself.
 */
#ifndef __UK_NR_PQUEUE_H__
#define __UK_NR_PQUEUE_H__

#include <uk/essentials.h>

/* Host builds (support/host) compile the examples unconditionally. */
#if !defined(CONFIG_LIBUKNR_EXAMPLES) && !defined(CONFIG_HOST_TEST)
#error "uk/nr_pqueue.h needs CONFIG_LIBUKNR_EXAMPLES"
#endif
#include <uk/nr.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_nr_pqueue;

/* Creates a queue for up to `capacity` values; NULL when out of memory or
 * capacity is 0 or above 2^30. */
struct uk_nr_pqueue *uk_nr_pqueue_create(__u64 capacity);
void uk_nr_pqueue_destroy(struct uk_nr_pqueue *q);

/* Adds v. Returns 0, or -ENOSPC when full (unchanged). */
int uk_nr_pqueue_push(struct uk_nr_pqueue *q, __u64 v);
/* Removes the smallest value into *v. Returns 1, or 0 when empty. */
int uk_nr_pqueue_pop(struct uk_nr_pqueue *q, __u64 *v);
/* The smallest value without removing it. Returns 1, or 0 when empty. */
int uk_nr_pqueue_peek(const struct uk_nr_pqueue *q, __u64 *v);
__u64 uk_nr_pqueue_size(const struct uk_nr_pqueue *q);
/* A digest of the contents (as a multiset). */
__u64 uk_nr_pqueue_digest(const struct uk_nr_pqueue *q);

/* Operations for uk_nr_create(&nr, &uk_nr_pqueue_ops, &capacity, cfg),
 * where capacity is a __u64. */
enum uk_nr_pqueue_opcode {
	UK_NR_PQ_PUSH = 1,	/* mutating: val */
	UK_NR_PQ_POP,		/* mutating */
	UK_NR_PQ_PEEK,		/* read-only */
	UK_NR_PQ_SIZE,		/* read-only */
	UK_NR_PQ_DIGEST,	/* read-only */
};

struct uk_nr_pqueue_op {
	__u32 code;
	__u32 pad;
	__u64 val;
};

struct uk_nr_pqueue_resp {
	__s64 status;	/* the return value of the sequential call */
	__u64 val;	/* popped/peeked value, size or digest */
};

extern const struct uk_nr_ops uk_nr_pqueue_ops;

#ifdef __cplusplus
}
#endif

#endif /* __UK_NR_PQUEUE_H__ */
