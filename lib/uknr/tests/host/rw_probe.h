/* SPDX-License-Identifier: BSD-3-Clause */
/* Host-test probes of uknr's private reader-writer lock and combiner
 * (see rw_probe.c). */
#ifndef __UKNR_RW_PROBE_H__
#define __UKNR_RW_PROBE_H__

#ifdef __cplusplus
extern "C" {
#endif

struct rw_probe;

struct rw_probe *rw_probe_new(unsigned int readers);
void rw_probe_free(struct rw_probe *p);
void rw_probe_write_lock(struct rw_probe *p);
void rw_probe_write_unlock(struct rw_probe *p);
void rw_probe_read_lock(struct rw_probe *p, unsigned int slot);
void rw_probe_read_unlock(struct rw_probe *p, unsigned int slot);
int rw_probe_writer_waiting(struct rw_probe *p);

/* Replica r's combiner lock and a combining round, from outside. */
struct uk_nr;
int nr_probe_combiner_trylock(struct uk_nr *nr, unsigned int r);
void nr_probe_combine(struct uk_nr *nr, unsigned int r);
/* The single-replica round of a thread that holds the lock with its own
 * operation in hand (uk_nr_execute_mut()'s fast path). */
void nr_probe_combine_own(struct uk_nr *nr, unsigned int r, const void *op,
			  void *resp);
void nr_probe_combiner_unlock(struct uk_nr *nr, unsigned int r);
/* Threads of replica r whose operation is not answered yet. */
unsigned int nr_probe_pending(struct uk_nr *nr, unsigned int r);

#ifdef __cplusplus
}
#endif

#endif
