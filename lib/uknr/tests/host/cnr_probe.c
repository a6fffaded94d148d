/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test probe of uknr CNR (cnr.c): a broken scan built from the real
 * scan's pieces minus the atomic snapshot, in C because the pieces live in
 * a private C header.
 */
#include "nr_impl.h"
#include "cnr_probe.h"

void cnr_probe_broken_scan(struct uk_cnr *cnr, struct uk_cnr_token tok,
			   const void *op, void *resp, void (*pause)(void))
{
	const void *parts[UK_CNR_MAX_LOGS] = { NULL };
	__u64 all = (1ULL << cnr->nlogs) - 1;
	unsigned int k, r = tok.replica;

	for (k = 0; k < cnr->nlogs; k++) {
		cnr_lock_logs(cnr, r, 1ULL << k);
		/* The flaw: log k's own ctail, now, not a snapshot. */
		if (cnr->nreplicas > 1)
			cnr_apply_to(cnr, r, k, nr_ctail_load(cnr->log[k]));
		parts[k] = cnr->log[k]->rep[r]->ds;
		pause();
	}
	cnr->ops.scan(parts, all, op, resp);
	cnr_unlock_logs(cnr, r, all);
}

void cnr_probe_freeze(struct uk_cnr *cnr, __u64 *v)
{
	cnr_freeze(cnr, (1ULL << cnr->nlogs) - 1, v);
}

void cnr_probe_thaw(struct uk_cnr *cnr)
{
	cnr_thaw(cnr, (1ULL << cnr->nlogs) - 1);
}
