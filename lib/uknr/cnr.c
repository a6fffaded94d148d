/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr CNR (uk/cnr.h): several logs over one set of replicas. Each log is
 * an NR instance (log, per-replica combiner lock, flat-combining slots,
 * reader-writer lock) whose replicas are the partitions of that log; the
 * instances share thread registrations (a thread has the same slot in every
 * log) and the scan, which is the only code here that looks at more than
 * one log.
 *
 * A scan on replica r over the logs in mask M:
 *   1. takes r's combiner lock of every log in M, in log order: from now on
 *      nothing is applied to those partitions of r but by us;
 *   2. takes an atomic snapshot S of the completed tails (ctail) of the logs
 *      in M (below): the values all held at one instant t;
 *   3. applies each log k of M to r from its ltail up to exactly S[k] (the
 *      ltail is <= ctail, and cannot move while we hold the lock);
 *   4. runs the scan, then releases the locks.
 * The state the scan reads is then "every entry below S[k] of each log k":
 * exactly the operations that had completed, or were completing, at t. An
 * operation that returned before the scan started had raised its log's
 * ctail past its entry, so it is included; one that is included was
 * appended before t, so it started before the scan returned. t is the
 * linearization point. Reading the logs' ctails one after another instead
 * would give a state that no instant had (the host test's broken scan).
 *
 * Atomic snapshot: a double collect (load every ctail in M twice; ctails
 * only grow, so if both collects are equal each ctail held its value from
 * the first load of it to the second, and all of them at the instant
 * between the collects), retried CNR_COLLECTS times; if the ctails keep
 * moving, a freeze: under the instance's freeze lock set NR_CTAIL_FROZEN in
 * each ctail with an atomic fetch-or (a frozen ctail cannot be raised:
 * nr_ctail_raise() waits, its CAS fails), read the values, unfreeze. At the
 * last fetch-or every ctail of M is frozen at the value read, so that is
 * the instant. The freeze costs the combiners of M a wait of a few
 * instructions.
 *
 * With one replica the logs have no ctail (batches are applied directly
 * under the combiner lock): holding every lock of M is then the snapshot.
 *
 * Invariant (asserted in cnr_apply_to()): every ltail <= its log's
 * ctail, so the snapshot never lies below a locked replica's state.
 *
 * Deadlock freedom: combiners hold one combiner lock and only try others;
 * scans take locks of one replica in increasing log order, and a combiner
 * waiting for log room applies its own replica and helps others with
 * trylocks. A wait chain scan -> combiner of log k -> room in log k ->
 * replica whose lock of log k is held by another scan waiting for a higher
 * log goes to ever higher logs, so it ends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/cnr.h>
#include "nr_impl.h"

#define CNR_COLLECTS 4

static void *cnr_part_create(unsigned int replica, void *arg)
{
	struct cnr_logarg *la = arg;

	return la->cnr->ops.create(replica, la->log, la->cnr->ds_arg);
}

static void cnr_part_destroy(void *part, unsigned int replica, void *arg)
{
	struct cnr_logarg *la = arg;

	if (la->cnr->ops.destroy)
		la->cnr->ops.destroy(part, replica, la->log,
				     la->cnr->ds_arg);
}

static int cnr_check(const struct uk_cnr_ops *ops,
		     const struct uk_cnr_config *cfg)
{
	if (!ops || !ops->create || !ops->dispatch_mut || !ops->dispatch)
		return -EINVAL;
	if (ops->log_by_key ? ops->key_offset + sizeof(__u64) > ops->op_size
			    : !ops->log_of)
		return -EINVAL;
	if (cfg->logs > UK_CNR_MAX_LOGS || cfg->nr.dalloc)
		return -EINVAL;
	return 0;
}

void uk_cnr_destroy(struct uk_cnr *cnr)
{
	unsigned int k;

	if (!cnr)
		return;
	for (k = 0; k < cnr->nlogs; k++)
		uk_nr_destroy(cnr->log[k]);
	if (cnr->free)
		cnr->free(cnr, cnr->alloc_arg);
	else
		free(cnr);
}

int uk_cnr_create(struct uk_cnr **out, const struct uk_cnr_ops *ops,
		  void *ds_arg, const struct uk_cnr_config *cfg)
{
	static const struct uk_cnr_config defaults;
	struct uk_nr_config ncfg;
	struct uk_cnr *cnr;
	unsigned int k;
	int rc;

	if (!out)
		return -EINVAL;
	if (!cfg)
		cfg = &defaults;
	rc = cnr_check(ops, cfg);
	if (rc)
		return rc;
	if (!cfg->nr.alloc != !cfg->nr.free)
		return -EINVAL;
	if (cfg->nr.alloc)
		cnr = cfg->nr.alloc(NR_LINE, sizeof(*cnr), -1,
				    cfg->nr.alloc_arg);
	else
		cnr = nr_aligned_alloc(NR_LINE, sizeof(*cnr));
	if (!cnr)
		return -ENOMEM;
	memset(cnr, 0, sizeof(*cnr));
	cnr->ops = *ops;
	cnr->ds_arg = ds_arg;
	cnr->free = cfg->nr.free;
	cnr->alloc_arg = cfg->nr.alloc_arg;
	cnr->nrops = (struct uk_nr_ops){
		.op_size = ops->op_size,
		.resp_size = ops->resp_size,
		.create = cnr_part_create,
		.destroy = cnr_part_destroy,
		.dispatch_mut = ops->dispatch_mut,
		.dispatch = ops->dispatch,
	};
	ncfg = cfg->nr;
	for (k = 0; k < (cfg->logs ? cfg->logs : 1); k++) {
		cnr->arg[k] = (struct cnr_logarg){ cnr, k };
		ncfg.dalloc = cfg->dalloc[k];
		rc = uk_nr_create(&cnr->log[k], &cnr->nrops, &cnr->arg[k],
				  &ncfg);
		if (rc) {
			uk_cnr_destroy(cnr);
			return rc;
		}
		cnr->nlogs = k + 1;
	}
	cnr->nreplicas = cnr->log[0]->nreplicas;
	*out = cnr;
	return 0;
}

int uk_cnr_register(struct uk_cnr *cnr, unsigned int replica,
		    struct uk_cnr_token *tok)
{
	struct uk_nr_token t;
	unsigned int k, spins = 0;
	__u32 free = 0;
	int rc = 0;

	if (!cnr || !tok || replica >= cnr->nreplicas)
		return -EINVAL;
	/* acquire: pairs with the release below; the registration lock
	 * makes the slot the same in every log. */
	while (!__atomic_compare_exchange_n(&cnr->reg_lock, &free, 1, 0,
					    __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		nr_wait(cnr->log[0], &spins);
	}
	for (k = 0; k < cnr->nlogs; k++) {
		rc = uk_nr_register(cnr->log[k], replica, &t);
		/* Every log has the same limit and only we register. */
		UK_ASSERT(!rc || k == 0);
		UK_ASSERT(k == 0 || t.slot == tok->slot);
		if (rc)
			break;
		tok->replica = replica;
		tok->slot = t.slot;
	}
	/* release: the next registrant sees our slot counts. */
	__atomic_store_n(&cnr->reg_lock, 0, __ATOMIC_RELEASE);
	return rc;
}

static inline struct uk_nr_token cnr_nrtok(struct uk_cnr_token tok)
{
	return (struct uk_nr_token){ tok.replica, tok.slot };
}

/* The NR instance of op's log by its key (log_by_key): no call. */
static inline struct uk_nr *cnr_key_route(struct uk_cnr *cnr,
					  const void *op)
{
	__u64 key;

	/* memcpy: the key need not be aligned; it is one load. */
	memcpy(&key, (const char *)op + cnr->ops.key_offset, sizeof(key));
	return cnr->log[uk_cnr_key_log(key, cnr->nlogs)];
}

/* The NR instance of op's log by ops.log_of, NULL for a log out of range. */
static struct uk_nr *cnr_fn_route(struct uk_cnr *cnr, const void *op)
{
	unsigned int k = cnr->ops.log_of(op, cnr->nlogs);

	return k < cnr->nlogs ? cnr->log[k] : NULL;
}

/* The NR instance of op's log, NULL for a bad instance or log. */
static inline struct uk_nr *cnr_route(struct uk_cnr *cnr, const void *op)
{
	if (!cnr || !op)
		return NULL;
	return cnr->ops.log_by_key ? cnr_key_route(cnr, op)
				   : cnr_fn_route(cnr, op);
}

int uk_cnr_execute_mut(struct uk_cnr *cnr, struct uk_cnr_token tok,
		       const void *op, void *resp)
{
	struct uk_nr *nr = cnr_route(cnr, op);

	return nr ? uk_nr_execute_mut(nr, cnr_nrtok(tok), op, resp) : -EINVAL;
}

/* Read-only op on nr, its log's instance (NULL: bad log): NR's read,
 * inline, so the routing adds no call level. */
static inline int cnr_read(struct uk_nr *nr, struct uk_cnr_token tok,
			   const void *op, void *resp)
{
	struct nr_replica *r = nr_tok(nr, cnr_nrtok(tok));

	if (!r)
		return -EINVAL;
	nr_read(nr, r, tok.slot, op, resp);
	return 0;
}

/* uk_cnr_execute() through ops.log_of: out of line, so that the registers
 * this call of log_of needs saved are not saved on the log_by_key path. */
static __noinline int cnr_execute_fn(struct uk_cnr *cnr,
				     struct uk_cnr_token tok, const void *op,
				     void *resp)
{
	return cnr_read(cnr_fn_route(cnr, op), tok, op, resp);
}

int uk_cnr_execute(struct uk_cnr *cnr, struct uk_cnr_token tok,
		   const void *op, void *resp)
{
	if (!cnr || !op)
		return -EINVAL;
	if (!cnr->ops.log_by_key)
		return cnr_execute_fn(cnr, tok, op, resp);
	return cnr_read(cnr_key_route(cnr, op), tok, op, resp);
}

/* Takes replica r's combiner lock of every log in mask, in log order. */
void cnr_lock_logs(struct uk_cnr *cnr, unsigned int r, __u64 mask)
{
	unsigned int k, spins;

	for (k = 0; k < cnr->nlogs; k++) {
		if (!(mask & (1ULL << k)))
			continue;
		spins = 0;
		/* The holder is a combiner (bounded) or a scan that holds only
		 * lower logs of r or is finishing (file comment). */
		while (!nr_combiner_trylock(cnr->log[k]->rep[r]))
			nr_wait(cnr->log[k], &spins);
	}
}

void cnr_unlock_logs(struct uk_cnr *cnr, unsigned int r, __u64 mask)
{
	unsigned int k;

	for (k = 0; k < cnr->nlogs; k++)
		if (mask & (1ULL << k))
			nr_combiner_unlock(cnr->log[k]->rep[r]);
}

/* Applies log k to replica r up to entry `to`, a ctail value read while
 * the caller held r's combiner lock of log k (it still does). */
void cnr_apply_to(struct uk_cnr *cnr, unsigned int r, unsigned int k,
		  __u64 to)
{
	struct uk_nr *nr = cnr->log[k];
	struct nr_replica *rep = nr->rep[r];
	/* relaxed: only the combiner-lock holder (us) writes it. */
	__u64 lt = __atomic_load_n(&nr->ltails[r].v, __ATOMIC_RELAXED);

	/* The scan's invariant: ltail <= ctail (ctail is raised before the
	 * ltail store), and our ltail has not moved since we locked. */
	UK_ASSERT(lt <= to);
	if (lt == to)
		return;
	/* Readers of this partition may be inside: exclude them while the
	 * partition changes. */
	nr_write_lock(&rep->rw, &rep->nthreads, nr);
	nr_exec_to(nr, rep, 0, to);
	nr_write_unlock(&rep->rw);
}

static void cnr_collect(struct uk_cnr *cnr, __u64 mask, __u64 *v)
{
	unsigned int k;

	for (k = 0; k < cnr->nlogs; k++)
		if (mask & (1ULL << k))
			v[k] = nr_ctail_load(cnr->log[k]);
}

/* Takes the freeze lock, freezes the ctails of mask and reads their
 * values into v (the snapshot: file comment). */
void cnr_freeze(struct uk_cnr *cnr, __u64 mask, __u64 *v)
{
	unsigned int k, spins = 0;
	__u32 free = 0;

	/* acquire: pairs with the release in cnr_thaw(); one freezer at a
	 * time, so that nobody clears a bit another freezer relies on. */
	while (!__atomic_compare_exchange_n(&cnr->freeze_lock, &free, 1, 0,
					    __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		nr_wait(cnr->log[0], &spins);
	}
	for (k = 0; k < cnr->nlogs; k++)
		if (mask & (1ULL << k))
			/* acquire: pairs with the release CAS that raised
			 * this value (as nr_ctail_load()). */
			v[k] = __atomic_fetch_or(&cnr->log[k]->ctail,
						 NR_CTAIL_FROZEN,
						 __ATOMIC_ACQUIRE) &
			       ~NR_CTAIL_FROZEN;
	/* relaxed: a counter, written under the freeze lock. */
	__atomic_store_n(&cnr->freezes,
			 __atomic_load_n(&cnr->freezes, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

/* Unfreezes the ctails of mask and releases the freeze lock. */
void cnr_thaw(struct uk_cnr *cnr, __u64 mask)
{
	unsigned int k;

	for (k = 0; k < cnr->nlogs; k++)
		if (mask & (1ULL << k))
			/* relaxed: publishes nothing; a waiting raiser
			 * re-reads ctail and CASes it. */
			__atomic_fetch_and(&cnr->log[k]->ctail,
					   ~NR_CTAIL_FROZEN,
					   __ATOMIC_RELAXED);
	/* release: the next freezer finds our bits cleared. */
	__atomic_store_n(&cnr->freeze_lock, 0, __ATOMIC_RELEASE);
}

/* An atomic snapshot of the ctails of the logs in mask (file comment). */
static void cnr_snapshot(struct uk_cnr *cnr, __u64 mask, __u64 *snap)
{
	__u64 again[UK_CNR_MAX_LOGS];
	unsigned int i, k;

	cnr_collect(cnr, mask, snap);
	for (i = 0; i < CNR_COLLECTS; i++) {
		cnr_collect(cnr, mask, again);
		for (k = 0; k < cnr->nlogs; k++)
			if ((mask & (1ULL << k)) && again[k] != snap[k])
				break;
		if (k == cnr->nlogs)
			return;
		memcpy(snap, again, sizeof(again));
	}
	cnr_freeze(cnr, mask, snap);
	cnr_thaw(cnr, mask);
}

int uk_cnr_scan(struct uk_cnr *cnr, struct uk_cnr_token tok, const void *op,
		void *resp)
{
	const void *parts[UK_CNR_MAX_LOGS] = { NULL };
	__u64 snap[UK_CNR_MAX_LOGS], all, mask;
	unsigned int k, r = tok.replica;

	if (!cnr || !op || !cnr->ops.scan ||
	    !nr_tok(cnr->log[0], cnr_nrtok(tok)))
		return -EINVAL;
	all = (1ULL << cnr->nlogs) - 1;
	mask = cnr->ops.scan_logs ? cnr->ops.scan_logs(op, cnr->nlogs) : 0;
	if (!mask)
		mask = all;
	if (mask & ~all)
		return -EINVAL;
	cnr_lock_logs(cnr, r, mask);
	if (cnr->nreplicas > 1) {
		cnr_snapshot(cnr, mask, snap);
		for (k = 0; k < cnr->nlogs; k++)
			if (mask & (1ULL << k))
				cnr_apply_to(cnr, r, k, snap[k]);
	}
	for (k = 0; k < cnr->nlogs; k++)
		if (mask & (1ULL << k))
			parts[k] = cnr->log[k]->rep[r]->ds;
	/* Readers of these partitions may run with us (both only read);
	 * writers are excluded by the combiner locks we hold. */
	cnr->ops.scan(parts, mask, op, resp);
	cnr_unlock_logs(cnr, r, mask);
	return 0;
}

int uk_cnr_sync(struct uk_cnr *cnr, unsigned int replica)
{
	unsigned int k;
	int rc = 0;

	if (!cnr || replica >= cnr->nreplicas)
		return -EINVAL;
	for (k = 0; k < cnr->nlogs; k++)
		if (uk_nr_sync(cnr->log[k], replica))
			rc = -EBUSY;
	return rc;
}

unsigned int uk_cnr_logs(const struct uk_cnr *cnr)
{
	return cnr->nlogs;
}

unsigned int uk_cnr_replicas(const struct uk_cnr *cnr)
{
	return cnr->nreplicas;
}

void *uk_cnr_partition(struct uk_cnr *cnr, unsigned int r, unsigned int log)
{
	if (!cnr || log >= cnr->nlogs)
		return NULL;
	return uk_nr_replica_data(cnr->log[log], r);
}

struct uk_nr *uk_cnr_log(struct uk_cnr *cnr, unsigned int log)
{
	if (!cnr || log >= cnr->nlogs)
		return NULL;
	return cnr->log[log];
}

__u64 uk_cnr_scan_freezes(const struct uk_cnr *cnr)
{
	/* relaxed: statistics. */
	return __atomic_load_n(&cnr->freezes, __ATOMIC_RELAXED);
}
