/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr's distributed reader-writer lock, one per replica (not
 * uklock_blocking's uk_rwlock): a writer flag plus one flag per
 * reader slot, each on its own cache line, so readers never write a shared
 * line. Writer preference: a reader that sees the writer flag backs off.
 *
 * The reader's "set my flag, then look at the writer flag" and the writer's
 * "set the writer flag, then look at every reader flag" form the
 * store-buffering (Dekker) pattern; only sequentially consistent operations
 * on both sides guarantee that at least one of them sees the other. Acquire
 * and release alone would let both enter.
 *
 * Only the holder of the replica's combiner lock ever takes the write side,
 * so there is at most one writer and the writer flag needs no
 * compare-and-swap. With a single replica the combiner lock itself serves
 * as the writer flag (readers pass it as wflag; its seq_cst
 * compare-and-swap is the writer's Dekker store, then nr_wait_readers()):
 * there is no log append during which readers could go on, and a write
 * costs one atomic read-modify-write instead of two.
 *
 * The read side and the writer's scan of the reader flags
 * (nr_wait_readers()) are inline in nr_impl.h: every operation runs one of
 * them. Here are the out-of-line parts.
 */
#include "nr_impl.h"

void nr_write_lock(struct nr_rwlock *l, const __u32 *nthreads,
		   const struct uk_nr *nr)
{
	/* seq_cst: ordered before the reader-flag loads below (Dekker). */
	__atomic_store_n(&l->wlock, 1, __ATOMIC_SEQ_CST);
	nr_wait_readers(l, nthreads, nr);
}

void nr_wait_reader(struct nr_rwlock *l, unsigned int i,
		    const struct uk_nr *nr)
{
	unsigned int spins = 0;

	do
		nr_wait(nr, &spins);
	/* seq_cst: as in nr_wait_readers() (Dekker; the reader's release
	 * store of 0 orders its reads before our writes). */
	while (__atomic_load_n(&l->readers[i].busy, __ATOMIC_SEQ_CST));
}

void nr_write_unlock(struct nr_rwlock *l)
{
	/* release: our writes to the structure reach the next reader. */
	__atomic_store_n(&l->wlock, 0, __ATOMIC_RELEASE);
}
