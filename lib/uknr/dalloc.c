/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr deterministic allocation (uk/nr_dalloc.h). The n-th allocation of
 * the operation at log position p has one record, at index
 * (p mod log_entries) * per_op + n, holding one result per replica.
 *
 * A record's tag is id << 1 | ready, id = p * per_op + n + 1 (0: never
 * used). The first replica to arrive claims the record by a CAS from an
 * older tag to id << 1, allocates a block for every replica (or none: if one
 * fails it frees the others and stores NULL for all), then release-stores
 * id << 1 | 1. Later arrivals acquire-load the ready tag and take their
 * result; one that sees the claim waits for the claimer's allocations.
 *
 * Invariant: a record is reused only by position p + log_entries, which is
 * appended after head passed p, i.e. after every replica applied p and so
 * took its result (replica r's pick-up -> release of its ltail -> GC's
 * acquire -> release of head -> the appender's acquire -> the fill of
 * p + log_entries -> the claimer's acquire of its alive bit). So a claimer
 * finds every result of the previous lap taken (asserted).
 *
 * Each replica's cursor (position and allocation count) is set by nr_exec
 * before every dispatch_mut and only read by that dispatch: both run under
 * the replica's combiner lock of this log.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/arch/lcpu.h>
#include <uk/assert.h>
#include <uk/nr_dalloc.h>
#include "nr_impl.h"

#define DALLOC_ALIGN 16

struct dalloc_cursor {
	__u64 pos;		/* log position being applied */
	unsigned int seq;	/* allocations made by that operation */
} __align(NR_LINE);

struct dalloc_rec {
	__u64 tag;		/* atomic: id << 1 | ready */
	__u64 taken;		/* atomic: replicas that took their result */
};

struct uk_nr_dalloc {
	unsigned int replicas;
	unsigned int per_op;
	__u64 size;			/* log entries */
	struct dalloc_rec *rec;		/* size * per_op */
	void **res;			/* size * per_op * replicas */
	struct dalloc_cursor *cur;	/* one per replica */
	uk_nr_alloc_fn alloc;
	uk_nr_free_fn free;
	void *arg;
};

static void *dalloc_default_alloc(size_t align, size_t size,
				  int replica __unused, void *arg __unused)
{
	return nr_aligned_alloc(align, size);
}

static void dalloc_default_free(void *p, void *arg __unused)
{
	free(p);
}

void uk_nr_dalloc_destroy(struct uk_nr_dalloc *d)
{
	__u64 i, taken;
	unsigned int r;

	if (!d)
		return;
	for (i = 0; d->rec && d->res && i < d->size * d->per_op; i++) {
		/* relaxed: the instance is gone, nothing runs. */
		if (!(__atomic_load_n(&d->rec[i].tag, __ATOMIC_RELAXED) & 1))
			continue;
		taken = __atomic_load_n(&d->rec[i].taken, __ATOMIC_RELAXED);
		for (r = 0; r < d->replicas; r++)
			if (!(taken & (1ULL << r)) &&
			    d->res[i * d->replicas + r])
				d->free(d->res[i * d->replicas + r], d->arg);
	}
	free(d->cur);
	free(d->res);
	free(d->rec);
	free(d);
}

int uk_nr_dalloc_create(struct uk_nr_dalloc **out, unsigned int replicas,
			unsigned int log_entries, unsigned int per_op,
			uk_nr_alloc_fn alloc, uk_nr_free_fn free_fn, void *arg)
{
	struct uk_nr_dalloc *d;
	size_t n;

	if (!out || !replicas || replicas > UK_NR_MAX_REPLICAS || !per_op ||
	    !log_entries || (log_entries & (log_entries - 1)) ||
	    !alloc != !free_fn)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->replicas = replicas;
	d->per_op = per_op;
	d->size = log_entries;
	d->alloc = alloc ? alloc : dalloc_default_alloc;
	d->free = free_fn ? free_fn : dalloc_default_free;
	d->arg = arg;
	n = (size_t)log_entries * per_op;
	/* One replica needs no table: every call is forwarded. */
	if (replicas > 1) {
		d->rec = calloc(n, sizeof(*d->rec));
		d->res = calloc(n * replicas, sizeof(*d->res));
		d->cur = nr_aligned_alloc(NR_LINE, replicas * sizeof(*d->cur));
		if (!d->rec || !d->res || !d->cur) {
			uk_nr_dalloc_destroy(d);
			return -ENOMEM;
		}
		memset(d->cur, 0, replicas * sizeof(*d->cur));
	}
	*out = d;
	return 0;
}

/* Checks d against the instance it is given to (uk_nr_create()). */
int nr_dalloc_check(const struct uk_nr_dalloc *d, unsigned int replicas,
		    __u64 log_entries)
{
	if (d->replicas != replicas)
		return -EINVAL;
	if (replicas > 1 && d->size != log_entries)
		return -EINVAL;
	return 0;
}

void nr_dalloc_at(struct uk_nr_dalloc *d, unsigned int replica, __u64 pos)
{
	if (d->replicas == 1)
		return;		/* no cursor: every call is forwarded */
	d->cur[replica].pos = pos;
	d->cur[replica].seq = 0;
}

static __u64 dalloc_all_replicas(const struct uk_nr_dalloc *d)
{
	return d->replicas == 64 ? ~0ULL : (1ULL << d->replicas) - 1;
}

/* Allocates a block for every replica into res[], or none (all NULL). */
static void dalloc_all(struct uk_nr_dalloc *d, void **res, size_t size)
{
	unsigned int r, k;

	for (r = 0; r < d->replicas; r++) {
		res[r] = d->alloc(DALLOC_ALIGN, size, (int)r, d->arg);
		if (res[r])
			continue;
		for (k = 0; k < r; k++)
			d->free(res[k], d->arg);
		/* All NULL, those not reached too (they hold the previous
		 * lap's results, which belong to their replicas now). */
		for (k = 0; k < d->replicas; k++)
			res[k] = NULL;
		return;
	}
}

void *uk_nr_dalloc_alloc(struct uk_nr_dalloc *d, unsigned int replica,
			 size_t size)
{
	struct dalloc_cursor *c;
	struct dalloc_rec *rec;
	__u64 i, id, t;
	void **res;

	if (!size)
		size = 1;
	if (d->replicas == 1)
		return d->alloc(DALLOC_ALIGN, size, 0, d->arg);
	UK_ASSERT(replica < d->replicas);
	c = &d->cur[replica];
	if (c->seq >= d->per_op)
		return NULL;	/* the same on every replica */
	i = (c->pos & (d->size - 1)) * d->per_op + c->seq;
	id = c->pos * d->per_op + c->seq + 1;
	c->seq++;
	rec = &d->rec[i];
	res = &d->res[i * d->replicas];
	for (;;) {
		/* acquire: pairs with the claimer's release of the ready
		 * tag; then res[] is complete. */
		t = __atomic_load_n(&rec->tag, __ATOMIC_ACQUIRE);
		if (t == (id << 1 | 1)) {
			/* relaxed: only read by uk_nr_dalloc_destroy(),
			 * after everything (its caller's happens-before). */
			__atomic_fetch_or(&rec->taken, 1ULL << replica,
					  __ATOMIC_RELAXED);
			return res[replica];
		}
		if (t == id << 1) {
			/* Another replica is allocating our blocks: a few
			 * allocator calls. */
			ukarch_spinwait();
			continue;
		}
		UK_ASSERT((t >> 1) < id);
		/* relaxed: the claim publishes nothing; the ready tag
		 * does. The previous lap's results were all taken (file
		 * comment): the acquire chain through the log covers them. */
		if (!__atomic_compare_exchange_n(&rec->tag, &t, id << 1, 0,
						 __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			continue;
		UK_ASSERT(!t || __atomic_load_n(&rec->taken, __ATOMIC_RELAXED)
			  == dalloc_all_replicas(d));
		dalloc_all(d, res, size);
		__atomic_store_n(&rec->taken, 1ULL << replica,
				 __ATOMIC_RELAXED);
		/* release: the other replicas see res[] complete. */
		__atomic_store_n(&rec->tag, id << 1 | 1, __ATOMIC_RELEASE);
		return res[replica];
	}
}

void uk_nr_dalloc_free(struct uk_nr_dalloc *d, void *p)
{
	if (p)
		d->free(p, d->arg);
}
