/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr instances: creation with all memory up front, thread registration,
 * the read-only entry point (local replica after a freshness check against
 * ctail), sync and statistics. The mutating entry point is in combine.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include "nr_impl.h"

#if CONFIG_HOST_TEST
#include <sched.h>
#endif

static void nr_default_relax(void)
{
#if CONFIG_HOST_TEST
	sched_yield();
#elif CONFIG_LIBUKSCHED
	/* Cooperative scheduling: a thread we wait for may share our CPU. */
	if (nr_sched_running())
		uk_sched_yield();
#endif
}

void nr_wait(const struct uk_nr *nr, unsigned int *spins)
{
	ukarch_spinwait();
	if (++*spins % 64 == 0)
		nr->relax();
}

static void *nr_default_alloc(size_t align, size_t size, int replica __unused,
			      void *arg __unused)
{
	return nr_aligned_alloc(align, size);
}

static void nr_default_free(void *ptr, void *arg __unused)
{
	free(ptr);
}

static void *nr_zalloc(struct uk_nr *nr, size_t size, int replica)
{
	void *p = nr->alloc(NR_LINE, size, replica, nr->alloc_arg);

	if (p)
		memset(p, 0, size);
	return p;
}

static void nr_free(struct uk_nr *nr, void *p)
{
	if (p)
		nr->free(p, nr->alloc_arg);
}

static unsigned int nr_pow2_at_least(unsigned int v)
{
	unsigned int p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

static int nr_check(const struct uk_nr_ops *ops,
		    const struct uk_nr_config *cfg)
{
	if (!ops || !ops->create || !ops->dispatch_mut || !ops->dispatch)
		return -EINVAL;
	if (!ops->op_size || ops->op_size > UK_NR_MAX_OP_SIZE)
		return -EINVAL;
	if (cfg->replicas > UK_NR_MAX_REPLICAS ||
	    cfg->threads_per_replica > UK_NR_MAX_THREADS)
		return -EINVAL;
	if (!cfg->alloc != !cfg->free)
		return -EINVAL;
	if (cfg->log_entries & (cfg->log_entries - 1))
		return -EINVAL;
	if (cfg->log_entries > (1U << 30))
		return -EINVAL;
	return 0;
}

static void nr_replica_free(struct uk_nr *nr, struct nr_replica *r)
{
	if (!r)
		return;
	if (r->ds && nr->ops.destroy)
		nr->ops.destroy(r->ds, r->idx, nr->ds_arg);
	nr_free(nr, r->scratch_resp);
	nr_free(nr, r->batch_req);
	nr_free(nr, r->batch);
	nr_free(nr, r->rw.readers);
	nr_free(nr, r->slots);
	nr_free(nr, r);
}

static struct nr_replica *nr_replica_new(struct uk_nr *nr, unsigned int idx)
{
	struct nr_replica *r = nr_zalloc(nr, sizeof(*r), (int)idx);
	unsigned int t = nr->tpr;

	if (!r)
		return NULL;
	r->idx = idx;
	r->slots = nr_zalloc(nr, t * sizeof(*r->slots), (int)idx);
	r->rw.readers = nr_zalloc(nr, t * sizeof(*r->rw.readers), (int)idx);
	r->batch = nr_zalloc(nr, t * sizeof(*r->batch), (int)idx);
	r->batch_req = nr_zalloc(nr, t * sizeof(*r->batch_req), (int)idx);
	r->scratch_resp = nr_zalloc(nr, nr->ops.resp_size + 1, (int)idx);
	if (!r->slots || !r->rw.readers || !r->batch || !r->batch_req ||
	    !r->scratch_resp)
		goto fail;
	r->ds = nr->ops.create(idx, nr->ds_arg);
	if (!r->ds)
		goto fail;
	return r;
fail:
	nr_replica_free(nr, r);
	return NULL;
}

void uk_nr_destroy(struct uk_nr *nr)
{
	unsigned int i;

	if (!nr)
		return;
	uk_nr_idle_sync_disable(nr);
	if (nr->rep)
		for (i = 0; i < nr->nreplicas; i++)
			nr_replica_free(nr, nr->rep[i]);
	nr_free(nr, nr->rep);
	nr_free(nr, nr->entries);
	nr_free(nr, nr->ltails);
	nr->free(nr, nr->alloc_arg);
}

/* Fills the sizes of nr from ops and cfg (already checked). */
static void nr_setup(struct uk_nr *nr, const struct uk_nr_ops *ops,
		     void *ds_arg, const struct uk_nr_config *cfg)
{
	unsigned int min_log;

	nr->ops = *ops;
	nr->ds_arg = ds_arg;
	nr->alloc = cfg->alloc ? cfg->alloc : nr_default_alloc;
	nr->free = cfg->free ? cfg->free : nr_default_free;
	nr->alloc_arg = cfg->alloc_arg;
	nr->relax = cfg->relax ? cfg->relax : nr_default_relax;
	nr->dalloc = cfg->dalloc;
	nr->nreplicas = cfg->replicas ? cfg->replicas
				      : uk_nr_default_replicas();
	if (nr->nreplicas > UK_NR_MAX_REPLICAS)
		nr->nreplicas = UK_NR_MAX_REPLICAS;
	nr->tpr = cfg->threads_per_replica ? cfg->threads_per_replica
					   : UK_NR_DEFAULT_THREADS;
	/* A batch (up to tpr entries) must fit twice. */
	min_log = nr_pow2_at_least(2 * nr->tpr);
	nr->size = cfg->log_entries ? cfg->log_entries : UK_NR_DEFAULT_LOG;
	if (nr->size < min_log && !cfg->log_entries)
		nr->size = min_log;
	nr->shift = 0;
	while ((1ULL << nr->shift) < nr->size)
		nr->shift++;
	nr->stride = (NR_ENTRY_HDR + ops->op_size + NR_LINE - 1) &
		     ~(size_t)(NR_LINE - 1);
}

int uk_nr_create(struct uk_nr **out, const struct uk_nr_ops *ops,
		 void *ds_arg, const struct uk_nr_config *cfg)
{
	static const struct uk_nr_config defaults;
	uk_nr_alloc_fn alloc;
	struct uk_nr *nr;
	unsigned int i;
	int rc;

	if (!out)
		return -EINVAL;
	if (!cfg)
		cfg = &defaults;
	rc = nr_check(ops, cfg);
	if (rc)
		return rc;
	alloc = cfg->alloc ? cfg->alloc : nr_default_alloc;
	nr = alloc(NR_LINE, sizeof(*nr), -1, cfg->alloc_arg);
	if (!nr)
		return -ENOMEM;
	memset(nr, 0, sizeof(*nr));
	nr_setup(nr, ops, ds_arg, cfg);
	if (nr->size < nr_pow2_at_least(2 * nr->tpr) ||
	    (nr->dalloc && nr_dalloc_check(nr->dalloc, nr->nreplicas,
					   nr->size))) {
		nr->free(nr, nr->alloc_arg);
		return -EINVAL;
	}
	nr->ltails = nr_zalloc(nr, nr->nreplicas * sizeof(*nr->ltails), -1);
	/* A single replica needs no log (see nr_combine()). */
	if (nr->nreplicas > 1)
		nr->entries = nr_zalloc(nr, nr->size * nr->stride, -1);
	nr->rep = nr_zalloc(nr, nr->nreplicas * sizeof(*nr->rep), -1);
	if (!nr->ltails || (nr->nreplicas > 1 && !nr->entries) || !nr->rep)
		goto nomem;
	for (i = 0; i < nr->nreplicas; i++) {
		nr->rep[i] = nr_replica_new(nr, i);
		if (!nr->rep[i])
			goto nomem;
	}
	*out = nr;
	return 0;
nomem:
	uk_nr_destroy(nr);
	return -ENOMEM;
}

int uk_nr_register(struct uk_nr *nr, unsigned int replica,
		   struct uk_nr_token *tok)
{
	struct nr_replica *r;
	__u32 n;

	if (!nr || !tok || replica >= nr->nreplicas)
		return -EINVAL;
	r = nr->rep[replica];
	/* relaxed: the CAS below re-checks it. */
	n = __atomic_load_n(&r->nthreads, __ATOMIC_RELAXED);
	do {
		if (n >= nr->tpr)
			return -ENOSPC;
		/* seq_cst: the write lock's seq_cst load of nthreads must
		 * count a slot whose reader may already be inside (see
		 * dist_rwlock.c); combiners acquire it. */
	} while (!__atomic_compare_exchange_n(&r->nthreads, &n, n + 1, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	tok->replica = replica;
	tok->slot = n;
	return 0;
}

void nr_read_wait(struct uk_nr *nr, struct nr_replica *r, unsigned int slot,
		  const void *op, void *resp, __u64 snap)
{
	unsigned int spins = 0;

	/* acquire: pairs with the release-store of r's ltail (nr_read()).
	 * Until r has caught up with snap, combine whenever r's combiner
	 * lock is free. */
	while (__atomic_load_n(&nr->ltails[r->idx].v, __ATOMIC_ACQUIRE) <
	       snap) {
		if (nr_combiner_trylock(r)) {
			nr_combine(nr, r);
			nr_combiner_unlock(r);
			continue;
		}
		nr_wait(nr, &spins);
	}
	nr_read_lock(&r->rw, nr_read_wflag(nr, r), slot, nr);
	nr->ops.dispatch(r->ds, op, resp);
	nr_read_unlock(&r->rw, slot);
}

int uk_nr_execute(struct uk_nr *nr, struct uk_nr_token tok, const void *op,
		  void *resp)
{
	struct nr_replica *r = nr_tok(nr, tok);

	if (!r)
		return -EINVAL;
	nr_read(nr, r, tok.slot, op, resp);
	return 0;
}

int uk_nr_sync(struct uk_nr *nr, unsigned int replica)
{
	struct nr_replica *r;

	if (!nr || replica >= nr->nreplicas)
		return -EINVAL;
	r = nr->rep[replica];
	/* relaxed: a hint; nr_exec() re-reads both under the lock. */
	if (__atomic_load_n(&nr->ltails[replica].v, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&nr->tail, __ATOMIC_RELAXED))
		return 0;
	if (!nr_combiner_trylock(r))
		return -EBUSY;
	nr_write_lock(&r->rw, &r->nthreads, nr);
	nr_exec(nr, r, 0);
	nr_write_unlock(&r->rw);
	nr_combiner_unlock(r);
	return 0;
}

void uk_nr_sync_idle(void *arg)
{
	struct uk_nr *nr = arg;

	uk_nr_sync(nr, uk_nr_replica_of_cpu(ukplat_lcpu_idx(),
					     nr->nreplicas));
}

unsigned int uk_nr_replicas(const struct uk_nr *nr)
{
	return nr->nreplicas;
}

void *uk_nr_replica_data(struct uk_nr *nr, unsigned int r)
{
	if (!nr || r >= nr->nreplicas)
		return NULL;
	return nr->rep[r]->ds;
}

__u64 uk_nr_replica_ltail(const struct uk_nr *nr, unsigned int r)
{
	if (!nr || r >= nr->nreplicas)
		return 0;
	/* relaxed: statistics. A single replica has no log: it has applied
	 * every operation it combined. */
	if (nr->nreplicas == 1)
		return __atomic_load_n(&nr->rep[0]->combined_ops,
				       __ATOMIC_RELAXED);
	return __atomic_load_n(&nr->ltails[r].v, __ATOMIC_RELAXED);
}

void uk_nr_get_stats(const struct uk_nr *nr, struct uk_nr_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	/* relaxed everywhere: statistics. */
	st->tail = __atomic_load_n(&nr->tail, __ATOMIC_RELAXED);
	st->head = __atomic_load_n(&nr->head, __ATOMIC_RELAXED);
	st->ctail = __atomic_load_n(&nr->ctail, __ATOMIC_RELAXED) &
		    ~NR_CTAIL_FROZEN;
	st->log_entries = nr->size;
	st->log_full = __atomic_load_n(&nr->log_full, __ATOMIC_RELAXED);
	for (i = 0; i < nr->nreplicas; i++) {
		st->helped += __atomic_load_n(&nr->rep[i]->helped,
					      __ATOMIC_RELAXED);
		st->combines += __atomic_load_n(&nr->rep[i]->combines,
						__ATOMIC_RELAXED);
		st->combined_ops += __atomic_load_n(&nr->rep[i]->combined_ops,
						    __ATOMIC_RELAXED);
	}
	if (nr->nreplicas == 1)	/* no log: count what was applied */
		st->tail = st->head = st->ctail = st->combined_ops;
}
