/* SPDX-License-Identifier: BSD-3-Clause */
/* Host-test probe of uknr CNR's scan: a deliberately broken scan that
 * reads the logs one after another without a snapshot (cnr_probe.c). */
#ifndef __UKNR_CNR_PROBE_H__
#define __UKNR_CNR_PROBE_H__

#include <uk/cnr.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Like uk_cnr_scan() over all logs, but each log is brought up to its own
 * ctail, read at a different time, with pause() called between logs: the
 * state read is not one that existed at any instant. Only for showing that
 * the linearizability checker rejects it.
 */
void cnr_probe_broken_scan(struct uk_cnr *cnr, struct uk_cnr_token tok,
			   const void *op, void *resp, void (*pause)(void));

/* The snapshot's freeze of every log's ctail (values into v[]), and its
 * end. */
void cnr_probe_freeze(struct uk_cnr *cnr, __u64 *v);
void cnr_probe_thaw(struct uk_cnr *cnr);

#ifdef __cplusplus
}
#endif

#endif
