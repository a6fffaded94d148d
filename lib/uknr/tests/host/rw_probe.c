/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test probes of uknr's private reader-writer lock (dist_rwlock.c) and
 * combiner (combine.c): C wrappers, because their types live in a private
 * C header.
 */
#include <stdlib.h>
#include <string.h>
#include "nr_impl.h"
#include "rw_probe.h"

struct rw_probe {
	struct uk_nr nr;		/* only relax is used */
	struct nr_rwlock rw;
	__u32 nthreads;
};

static void probe_relax(void)
{
}

struct rw_probe *rw_probe_new(unsigned int readers)
{
	struct rw_probe *p = aligned_alloc(64, (sizeof(*p) + 63) & ~(size_t)63);

	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->nr.relax = probe_relax;
	p->rw.readers = aligned_alloc(64, readers * sizeof(*p->rw.readers));
	if (!p->rw.readers) {
		free(p);
		return NULL;
	}
	memset(p->rw.readers, 0, readers * sizeof(*p->rw.readers));
	p->nthreads = readers;
	return p;
}

void rw_probe_free(struct rw_probe *p)
{
	free(p->rw.readers);
	free(p);
}

void rw_probe_write_lock(struct rw_probe *p)
{
	nr_write_lock(&p->rw, &p->nthreads, &p->nr);
}

void rw_probe_write_unlock(struct rw_probe *p)
{
	nr_write_unlock(&p->rw);
}

void rw_probe_read_lock(struct rw_probe *p, unsigned int slot)
{
	nr_read_lock(&p->rw, &p->rw.wlock, slot, &p->nr);
}

void rw_probe_read_unlock(struct rw_probe *p, unsigned int slot)
{
	nr_read_unlock(&p->rw, slot);
}

int rw_probe_writer_waiting(struct rw_probe *p)
{
	return (int)__atomic_load_n(&p->rw.wlock, __ATOMIC_ACQUIRE);
}

/* --- combiner probes ------------------------------------------------------ */

int nr_probe_combiner_trylock(struct uk_nr *nr, unsigned int r)
{
	return nr_combiner_trylock(nr->rep[r]);
}

void nr_probe_combine(struct uk_nr *nr, unsigned int r)
{
	nr_combine(nr, nr->rep[r]);
}

void nr_probe_combine_own(struct uk_nr *nr, unsigned int r, const void *op,
			  void *resp)
{
	nr_combine_own(nr, nr->rep[r], op, resp);
}

void nr_probe_combiner_unlock(struct uk_nr *nr, unsigned int r)
{
	nr_combiner_unlock(nr->rep[r]);
}

unsigned int nr_probe_pending(struct uk_nr *nr, unsigned int r)
{
	struct nr_replica *rep = nr->rep[r];
	unsigned int s, n = 0;

	for (s = 0; s < __atomic_load_n(&rep->nthreads, __ATOMIC_ACQUIRE); s++)
		n += __atomic_load_n(&rep->slots[s].req, __ATOMIC_ACQUIRE) !=
		     __atomic_load_n(&rep->slots[s].done, __ATOMIC_ACQUIRE);
	return n;
}
