/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr example: a plain sequential priority queue (binary min-heap of u64
 * with a fixed capacity) and its uknr operations table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/nr_pqueue.h>
#include "../nr_port.h"

struct uk_nr_pqueue {
	__u64 n;
	__u64 capacity;
	__u64 *v;
};

struct uk_nr_pqueue *uk_nr_pqueue_create(__u64 capacity)
{
	struct uk_nr_pqueue *q;
	size_t bytes;

	if (!capacity || capacity > (1ULL << 30))
		return NULL;
	q = malloc(sizeof(*q));
	if (!q)
		return NULL;
	bytes = capacity * sizeof(*q->v);
	q->v = nr_aligned_alloc(64, bytes);
	if (!q->v) {
		free(q);
		return NULL;
	}
	q->n = 0;
	q->capacity = capacity;
	return q;
}

void uk_nr_pqueue_destroy(struct uk_nr_pqueue *q)
{
	if (!q)
		return;
	free(q->v);
	free(q);
}

int uk_nr_pqueue_push(struct uk_nr_pqueue *q, __u64 v)
{
	__u64 i, p;

	if (q->n == q->capacity)
		return -ENOSPC;
	for (i = q->n++; i > 0; i = p) {
		p = (i - 1) / 2;
		if (q->v[p] <= v)
			break;
		q->v[i] = q->v[p];
	}
	q->v[i] = v;
	return 0;
}

int uk_nr_pqueue_pop(struct uk_nr_pqueue *q, __u64 *out)
{
	__u64 i = 0, c, last;

	if (!q->n)
		return 0;
	if (out)
		*out = q->v[0];
	last = q->v[--q->n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && q->v[c + 1] < q->v[c])
			c++;
		if (last <= q->v[c])
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n)
		q->v[i] = last;
	return 1;
}

int uk_nr_pqueue_peek(const struct uk_nr_pqueue *q, __u64 *v)
{
	if (!q->n)
		return 0;
	if (v)
		*v = q->v[0];
	return 1;
}

__u64 uk_nr_pqueue_size(const struct uk_nr_pqueue *q)
{
	return q->n;
}

static __u64 pq_mix(__u64 x)
{
	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return x;
}

__u64 uk_nr_pqueue_digest(const struct uk_nr_pqueue *q)
{
	__u64 i, d = 0;

	for (i = 0; i < q->n; i++)
		d += pq_mix(q->v[i]);
	return d;
}

/* --- uknr glue ------------------------------------------------------------ */

static void *pq_nr_create(unsigned int replica __unused, void *arg)
{
	return uk_nr_pqueue_create(*(const __u64 *)arg);
}

static void pq_nr_destroy(void *ds, unsigned int replica __unused,
			  void *arg __unused)
{
	uk_nr_pqueue_destroy(ds);
}

static void pq_nr_mut(void *ds, const void *opv, void *respv)
{
	const struct uk_nr_pqueue_op *op = opv;
	struct uk_nr_pqueue_resp r = { -EINVAL, 0 };

	if (op->code == UK_NR_PQ_PUSH)
		r.status = uk_nr_pqueue_push(ds, op->val);
	else if (op->code == UK_NR_PQ_POP)
		r.status = uk_nr_pqueue_pop(ds, &r.val);
	memcpy(respv, &r, sizeof(r));
}

static void pq_nr_read(const void *ds, const void *opv, void *respv)
{
	const struct uk_nr_pqueue_op *op = opv;
	struct uk_nr_pqueue_resp r = { 0, 0 };

	switch (op->code) {
	case UK_NR_PQ_PEEK:
		r.status = uk_nr_pqueue_peek(ds, &r.val);
		break;
	case UK_NR_PQ_SIZE:
		r.val = uk_nr_pqueue_size(ds);
		break;
	case UK_NR_PQ_DIGEST:
		r.val = uk_nr_pqueue_digest(ds);
		break;
	default:
		r.status = -EINVAL;
	}
	memcpy(respv, &r, sizeof(r));
}

const struct uk_nr_ops uk_nr_pqueue_ops = {
	.op_size = sizeof(struct uk_nr_pqueue_op),
	.resp_size = sizeof(struct uk_nr_pqueue_resp),
	.create = pq_nr_create,
	.destroy = pq_nr_destroy,
	.dispatch_mut = pq_nr_mut,
	.dispatch = pq_nr_read,
};
