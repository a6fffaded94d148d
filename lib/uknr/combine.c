/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr flat combining: applying the log to a replica (exec), the combining
 * round that collects the pending operations of a replica's threads, appends
 * them to the log as one batch, applies the log up to and including them and
 * hands out the responses, and the mutating entry point
 * uk_nr_execute_mut() (the combiner lock itself is inline in nr_impl.h).
 */
#include <errno.h>
#include <uk/assert.h>
#include "nr_impl.h"

/* Raises ctail to at least v; waits while a CNR scan has it frozen. */
static void nr_ctail_raise(struct uk_nr *nr, __u64 v)
{
	/* relaxed: the CAS below re-checks it. */
	__u64 c = __atomic_load_n(&nr->ctail, __ATOMIC_RELAXED);
	unsigned int spins = 0;

	while ((c & ~NR_CTAIL_FROZEN) < v) {
		if (c & NR_CTAIL_FROZEN) {
			/* A snapshot is being taken: it must see ctail still
			 * (its freeze is a few instructions long). relaxed:
			 * the CAS re-checks. */
			nr_wait(nr, &spins);
			c = __atomic_load_n(&nr->ctail, __ATOMIC_RELAXED);
			continue;
		}
		/* release: a reader that acquire-loads ctail >= v and then
		 * finds its own replica's ltail >= v sees a state that
		 * contains everything below v; the release orders our
		 * replica's state before it too. The CAS fails if the
		 * freeze bit was set meanwhile. */
		if (__atomic_compare_exchange_n(&nr->ctail, &c, v, 1,
						__ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return;
	}
}

/*
 * Applies entries ltail..min(tail, limit) to replica r. Caller holds r's
 * combiner lock and write lock. With `combining`, r's own entries are the
 * caller's batch: their responses go to the issuing threads' buffers;
 * without it (helping, sync, a CNR scan) r has no unapplied entries of its
 * own.
 */
void nr_exec_to(struct uk_nr *nr, struct nr_replica *r, int combining,
		__u64 limit)
{
	/* relaxed: only the combiner-lock holder writes it, and we hold it. */
	__u64 i, lt = __atomic_load_n(&nr->ltails[r->idx].v, __ATOMIC_RELAXED);
	/* relaxed: reserved entries are published by their alive bits. */
	__u64 gt = __atomic_load_n(&nr->tail, __ATOMIC_RELAXED);
	unsigned int spins;
	struct nr_entry *e;
	void *resp;

	UK_ASSERT(nr_log_ordered(nr, lt));
	if (gt > limit)
		gt = limit;
	if (lt >= gt)
		return;
	UK_ASSERT(gt - lt <= nr->size);
	for (i = lt; i < gt; i++) {
		e = nr_entry_at(nr, i);
		spins = 0;
		/* acquire: pairs with the filler's release; then the entry's
		 * contents are complete. */
		while (__atomic_load_n(&e->alive, __ATOMIC_ACQUIRE) !=
		       nr_alive_value(nr, i))
			nr_wait(nr, &spins);
		resp = r->scratch_resp;
		if (e->replica == r->idx) {
			UK_ASSERT(combining);
			resp = r->slots[e->slot].resp;
		}
		if (nr->dalloc)
			nr_dalloc_at(nr->dalloc, r->idx, i);
		nr->ops.dispatch_mut(r->ds, (const char *)e + NR_ENTRY_HDR,
				     resp);
	}
	nr_ctail_raise(nr, gt);
	/* release: the GC's acquire-load of it orders our reads of the
	 * entries before their reuse; readers of r acquire it too. */
	__atomic_store_n(&nr->ltails[r->idx].v, gt, __ATOMIC_RELEASE);
}

/* Collects the pending operations of r's threads into r->batch. */
static __always_inline unsigned int nr_collect(struct nr_replica *r)
{
	/* acquire: a slot counted here was zeroed at creation; its owner's
	 * release of req below covers op and resp. */
	unsigned int s, n = 0, nt = __atomic_load_n(&r->nthreads,
						   __ATOMIC_ACQUIRE);
	__u64 req;

	for (s = 0; s < nt; s++) {
		/* acquire: pairs with the owner's release after it wrote op
		 * and resp. */
		req = __atomic_load_n(&r->slots[s].req, __ATOMIC_ACQUIRE);
		/* relaxed: done is written only under the combiner lock. */
		if (req == __atomic_load_n(&r->slots[s].done, __ATOMIC_RELAXED))
			continue;
		r->batch[n] = (__u16)s;
		r->batch_req[n] = req;
		n++;
	}
	return n;
}

static inline void nr_count(__u64 *c, __u64 add)
{
	/* relaxed: a counter written only under the combiner lock. */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + add,
			 __ATOMIC_RELAXED);
}

/*
 * Combining with a single replica: nobody else would replay a log, so the
 * batch is applied straight from the slots (flat combining with the
 * reader-writer lock, whose writer flag is then the combiner lock). The
 * log pointers stay 0; the statistics count combined_ops instead
 * (uk_nr_get_stats()). `op` (may be NULL) is the combiner's own operation,
 * applied first from the caller's buffers (nr_round_own()).
 */
static __always_inline void nr_combine_direct(struct uk_nr *nr,
					      struct nr_replica *r,
					      unsigned int n, const void *op,
					      void *resp)
{
	unsigned int k;
	struct nr_slot *s;

	/* Our combiner lock is the writer flag (dist_rwlock.c); its release
	 * by the caller ends the write side. */
	nr_wait_readers(&r->rw, &r->nthreads, nr);
	if (op)
		nr->ops.dispatch_mut(r->ds, op, resp);
	for (k = 0; k < n; k++) {
		s = &r->slots[r->batch[k]];
		nr->ops.dispatch_mut(r->ds, s->op, s->resp);
	}
}

/* Publishes the responses of the batch r->batch[0..n-1]. */
static inline void nr_answer(struct nr_replica *r, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		/* release: the response and ctail >= our entries are
		 * visible to the owner once it acquire-loads done. */
		__atomic_store_n(&r->slots[r->batch[k]].done, r->batch_req[k],
				 __ATOMIC_RELEASE);
}

/*
 * Single replica (the callers check), caller holds r's combiner lock: a
 * combining round that applies the caller's own op first (writing resp; it
 * is not in a slot), then the other threads' pending operations. Inline in
 * uk_nr_execute_mut(): it is the whole path of a thread running alone.
 */
static __always_inline void nr_round_own(struct uk_nr *nr,
					 struct nr_replica *r,
					 const void *op, void *resp)
{
	unsigned int n = nr_collect(r);

	nr_combine_direct(nr, r, n, op, resp);
	nr_answer(r, n);
	nr_count(&r->combines, 1);
	nr_count(&r->combined_ops, n + 1);
}

void nr_combine_own(struct uk_nr *nr, struct nr_replica *r, const void *op,
		    void *resp)
{
	nr_round_own(nr, r, op, resp);
}

/*
 * One combining round for replica r; caller holds r's combiner lock. The
 * write lock is held across the append (which may apply the log while it
 * waits for room) and the exec, so readers of r never see a state that
 * includes operations beyond ctail: both only publish after exec raised
 * ctail.
 */
void nr_combine(struct uk_nr *nr, struct nr_replica *r)
{
	unsigned int n = nr_collect(r);

	if (nr->nreplicas == 1) {
		if (!n)
			return;
		nr_combine_direct(nr, r, n, NULL, NULL);
		goto answer;
	}

	/* relaxed: a hint; exec re-reads the tail. Our own ltail is ours. */
	if (!n && __atomic_load_n(&nr->ltails[r->idx].v, __ATOMIC_RELAXED) ==
		  __atomic_load_n(&nr->tail, __ATOMIC_RELAXED))
		return;
	nr_write_lock(&r->rw, &r->nthreads, nr);
	if (n)
		nr_log_append(nr, r, n);
	nr_exec(nr, r, 1);
	nr_write_unlock(&r->rw);
answer:
	nr_answer(r, n);
	if (n) {
		nr_count(&r->combines, 1);
		nr_count(&r->combined_ops, n);
	}
}

int uk_nr_execute_mut(struct uk_nr *nr, struct uk_nr_token tok,
		      const void *op, void *resp)
{
	struct nr_replica *r = nr_tok(nr, tok);
	unsigned int spins = 0;
	struct nr_slot *s;
	__u64 req;

	if (!r || !op)
		return -EINVAL;
	/*
	 * With a single replica and the combiner lock free, apply our
	 * operation ourselves without publishing it in our slot: that saves
	 * the slot's req/done round trip and the batch bookkeeping (it is the
	 * whole path of a thread running alone). We still serve the pending
	 * operations of the others, as any combining round does.
	 */
	if (nr->nreplicas == 1 && nr_combiner_trylock(r)) {
		nr_round_own(nr, r, op, resp);
		nr_combiner_unlock(r);
		return 0;
	}
	s = &r->slots[tok.slot];
	s->op = op;
	s->resp = resp;
	/* relaxed: only this thread writes req. */
	req = __atomic_load_n(&s->req, __ATOMIC_RELAXED) + 1;
	/* release: a combiner that acquire-loads req sees op and resp. */
	__atomic_store_n(&s->req, req, __ATOMIC_RELEASE);
	for (;;) {
		/* acquire: pairs with the combiner's release after it wrote
		 * our response and raised ctail past our entry. */
		if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE) == req)
			return 0;
		/* Whenever the lock is free we try it: a combiner that
		 * started before our req store may have missed us. */
		if (nr_combiner_trylock(r)) {
			nr_combine(nr, r);
			nr_combiner_unlock(r);
			continue;
		}
		nr_wait(nr, &spins);
	}
}
