/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr private definitions: the log, a replica with its flat-combining slots
 * and reader-writer lock, a CNR instance, and the calls between nr.c, log.c,
 * combine.c, dist_rwlock.c, cnr.c and dalloc.c. Not a public header.
 */
#ifndef __UKNR_IMPL_H__
#define __UKNR_IMPL_H__

#include <uk/nr.h>
#include <uk/cnr.h>
#include <uk/essentials.h>
#include "nr_port.h"

#define NR_LINE 64

/*
 * Log entry header; the operation's bytes follow it in the same entry.
 * `alive` is atomic: the filler writes the rest, then stores the generation
 * bit of the entry's lap with release; a consumer loads it with acquire and
 * only then reads the rest.
 */
struct nr_entry {
	__u32 alive;
	__u16 replica;	/* who appended it */
	__u16 slot;	/* which thread of that replica */
};
#define NR_ENTRY_HDR 8

/* One thread's flat-combining slot (one cache line, shared by the owner
 * and its replica's combiner). */
struct nr_slot {
	__u64 req;		/* atomic; owner: operations issued */
	__u64 done;		/* atomic; combiners: operations answered */
	const void *op;		/* owner's operation, while req > done */
	void *resp;		/* owner's response buffer, idem */
} __align(NR_LINE);

/* A reader's flag in the distributed reader-writer lock (own line). */
struct nr_rflag {
	__u32 busy;		/* atomic */
} __align(NR_LINE);

/* Writer-preference distributed reader-writer lock of one replica. */
struct nr_rwlock {
	__u32 wlock;			/* atomic; 1: the writer is in or
					 * waiting for readers to leave */
	struct nr_rflag *readers;	/* one per slot of the replica */
};

/* A replica's progress in the log, on its own line (scanned by GC). */
struct nr_ltail {
	__u64 v;		/* atomic */
} __align(NR_LINE);

struct nr_replica {
	/*
	 * One cache line for what every combining round writes: the combiner
	 * lock, the writer flag of the reader-writer lock and the counters.
	 * A combining round takes this line once for all of them.
	 *
	 * The combiner lock (0 free, 1 held; only ever tried, a CNR scan
	 * tries it until it gets it) protects the
	 * replica's progress (ltail and applying the log), the combiner
	 * scratch below, every slot's `done`, and the counters.
	 */
	__u32 combiner __align(NR_LINE);
	struct nr_rwlock rw;	/* protects ds: readers vs the combiner */
	/* Counters, written under the combiner lock (relaxed atomics). */
	__u64 helped;
	__u64 combines;
	__u64 combined_ops;
	/* Read-mostly. */
	__u32 nthreads __align(NR_LINE);	/* atomic; registered slots */
	unsigned int idx;
	void *ds;
	struct nr_slot *slots;
	/* Combiner scratch (combiner lock): the batch being appended. */
	__u16 *batch;		/* slot numbers */
	__u64 *batch_req;	/* the req value served for each */
	void *scratch_resp;	/* responses of other replicas' operations */
};

struct uk_nr {
	/* Read-mostly: set at creation. */
	struct nr_ltail *ltails;	/* one per replica */
	char *entries;
	__u64 size;		/* entries, a power of two */
	unsigned int shift;	/* log2(size) */
	size_t stride;		/* bytes per entry, multiple of NR_LINE */
	unsigned int nreplicas;
	unsigned int tpr;	/* threads per replica */
	struct nr_replica **rep;
	struct uk_nr_ops ops;
	void *ds_arg;
	uk_nr_alloc_fn alloc;
	uk_nr_free_fn free;
	void *alloc_arg;
	void (*relax)(void);
	struct uk_nr_dalloc *dalloc;	/* NULL: none */
	/* Shared pointers, each on its own line. */
	__u64 tail __align(NR_LINE);	/* atomic; next free entry */
	__u64 head __align(NR_LINE);	/* atomic; oldest needed entry */
	__u64 ctail __align(NR_LINE);	/* atomic; max of the ltails, and
					 * NR_CTAIL_FROZEN */
	__u64 log_full __align(NR_LINE);	/* atomic counter */
};

static inline struct nr_entry *nr_entry_at(const struct uk_nr *nr, __u64 i)
{
	return (struct nr_entry *)(nr->entries +
				   (i & (nr->size - 1)) * nr->stride);
}

/*
 * The log's invariant (log.c): head <= every ltail <= tail <= head + size,
 * for lt the ltail of a replica whose combiner lock the caller holds (so
 * it does not move). head and tail only grow, so reading head, then tail,
 * then head again checks it without a lock: h1 <= lt <= t <= h2 + size.
 * For UK_ASSERT only: with asserts off nothing is loaded.
 */
static inline int nr_log_ordered(const struct uk_nr *nr, __u64 lt)
{
	/* relaxed, all three: compared only; each value is one the pointer
	 * had, which is all the bounds above need. */
	__u64 h1 = __atomic_load_n(&nr->head, __ATOMIC_RELAXED);
	__u64 t = __atomic_load_n(&nr->tail, __ATOMIC_RELAXED);
	__u64 h2 = __atomic_load_n(&nr->head, __ATOMIC_RELAXED);

	return h1 <= lt && lt <= t && t <= h2 + nr->size;
}

/* The alive value that marks entry i as filled: 1 on even laps, 0 on odd
 * ones (entries start at 0, i.e. "not filled in lap 0"). */
static inline __u32 nr_alive_value(const struct uk_nr *nr, __u64 i)
{
	return (__u32)(((i >> nr->shift) & 1) ^ 1);
}

/* The replica of a valid token, NULL for a bad one. */
static inline struct nr_replica *nr_tok(struct uk_nr *nr,
					struct uk_nr_token tok)
{
	struct nr_replica *r;

	if (!nr || tok.replica >= nr->nreplicas)
		return NULL;
	r = nr->rep[tok.replica];
	/* relaxed: the slot was registered by this thread (or handed to it
	 * with a happens-before edge). */
	if (tok.slot >= __atomic_load_n(&r->nthreads, __ATOMIC_RELAXED))
		return NULL;
	return r;
}

/* Busy-wait step: pause, and every 64 calls the relax hook. */
void nr_wait(const struct uk_nr *nr, unsigned int *spins);

/* dist_rwlock.c */
void nr_write_lock(struct nr_rwlock *l, const __u32 *nthreads,
		   const struct uk_nr *nr);
/* Waits until reader i's flag is clear (out of line: the rare case). */
void nr_wait_reader(struct nr_rwlock *l, unsigned int i,
		    const struct uk_nr *nr);

/*
 * The writer's half of the Dekker pattern after its seq_cst flag store:
 * waits until no registered reader is inside. Inline because every
 * mutating operation of a single-replica instance runs it; the wait itself
 * is out of line.
 */
static inline void nr_wait_readers(struct nr_rwlock *l,
				   const __u32 *nthreads,
				   const struct uk_nr *nr)
{
	unsigned int i, n;

	/* seq_cst: a slot registered before a reader of it can set its flag
	 * (registration is seq_cst too), so a reader we do not count cannot
	 * have passed its writer-flag check before our flag store. */
	n = __atomic_load_n(nthreads, __ATOMIC_SEQ_CST);
	for (i = 0; i < n; i++)
		/* seq_cst (Dekker); reading the reader's release-store of 0
		 * also orders its reads of the structure before our writes. */
		if (__atomic_load_n(&l->readers[i].busy, __ATOMIC_SEQ_CST))
			nr_wait_reader(l, i, nr);
}

void nr_write_unlock(struct nr_rwlock *l);

/* One attempt of the read side on reader flag busy: 1 if the reader is
 * in, 0 if it met the writer flag wflag and backed off. */
static inline int nr_read_try(__u32 *busy, const __u32 *wflag)
{
	/* seq_cst: ordered before the writer-flag load (Dekker). */
	__atomic_store_n(busy, 1, __ATOMIC_SEQ_CST);
	/* seq_cst (Dekker); reading the writer's release-store of 0 makes
	 * its writes to the structure visible to us. */
	if (!__atomic_load_n(wflag, __ATOMIC_SEQ_CST))
		return 1;
	/* relaxed: we read nothing yet; back off for the writer. */
	__atomic_store_n(busy, 0, __ATOMIC_RELAXED);
	return 0;
}

/* Read side (inline: every read-only operation runs it). wflag is the writer
 * flag: l->wlock, or with a single replica the combiner lock. */
static inline void nr_read_lock(struct nr_rwlock *l, const __u32 *wflag,
				unsigned int slot, const struct uk_nr *nr)
{
	unsigned int spins = 0;

	do {
		/* relaxed: only a hint; nr_read_try()'s seq_cst load
		 * decides. */
		while (__atomic_load_n(wflag, __ATOMIC_RELAXED))
			nr_wait(nr, &spins);
	} while (!nr_read_try(&l->readers[slot].busy, wflag));
}

/* Leaves the read side through the reader's own flag. */
static inline void nr_read_leave(__u32 *busy)
{
	/* release: our reads of the structure happen before the next
	 * writer's writes (it reads this store). */
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
}

static inline void nr_read_unlock(struct nr_rwlock *l, unsigned int slot)
{
	nr_read_leave(&l->readers[slot].busy);
}

/* combine.c: combiner lock, applying the log, flat combining. */

/* Tries the replica's combiner lock (it is never waited for); 1: taken. */
static inline int nr_combiner_trylock(struct nr_replica *r)
{
	__u32 free = 0;

	/* relaxed peek: do not pull the line over in exclusive state when it
	 * is held (threads poll this while they wait). */
	if (__atomic_load_n(&r->combiner, __ATOMIC_RELAXED))
		return 0;
	/* acquire: everything the previous holder did (replica state,
	 * ltail, slots' done) is visible to us. seq_cst: with a single
	 * replica this is also the writer's Dekker store (dist_rwlock.c). */
	return __atomic_compare_exchange_n(&r->combiner, &free, 1, 0,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static inline void nr_combiner_unlock(struct nr_replica *r)
{
	/* release: pairs with the acquire of the next holder. */
	__atomic_store_n(&r->combiner, 0, __ATOMIC_RELEASE);
}

/*
 * Bit 63 of ctail, set only by a CNR scan while it takes an atomic snapshot
 * of several logs' ctails (cnr.c): the value is the other bits; while the
 * bit is set, ctail does not move (nr_ctail_raise() waits). NR alone never
 * sets it. ctail values stay far below 2^63.
 */
#define NR_CTAIL_FROZEN (1ULL << 63)

static inline __u64 nr_ctail_load(const struct uk_nr *nr)
{
	/* acquire: pairs with the release of nr_ctail_raise(): a state that
	 * contains entries below the value is visible with it. */
	return __atomic_load_n(&nr->ctail, __ATOMIC_ACQUIRE) &
	       ~NR_CTAIL_FROZEN;
}

/* The writer flag of replica r's read side: with a single replica the
 * combiner lock (dist_rwlock.c), else the reader-writer lock's own. */
static inline const __u32 *nr_read_wflag(const struct uk_nr *nr,
					 const struct nr_replica *r)
{
	return nr->nreplicas == 1 ? &r->combiner : &r->rw.wlock;
}

/* nr.c: nr_read() when it has to wait, for replica r to reach ctail
 * value snap (0: nothing to wait for) or for a writer to leave. */
void nr_read_wait(struct uk_nr *nr, struct nr_replica *r, unsigned int slot,
		  const void *op, void *resp, __u64 snap);

/*
 * Read-only operation op on replica r for the thread of slot `slot` (a
 * token nr_tok() accepted): uk_nr_execute() and, after its routing,
 * uk_cnr_execute(). Inline so that CNR's read is one call like NR's. It
 * tries once; a read that has to wait is handed whole to nr_read_wait(),
 * so the path that does not wait keeps nothing live across a call but its
 * reader flag.
 *
 * Freshness: every mutating operation that returned before we started
 * raised ctail past its entry before it returned, so once r's ltail has
 * reached the ctail we load, r contains it. A single replica applies
 * operations before they return: it is always fresh.
 */
static inline void nr_read(struct uk_nr *nr, struct nr_replica *r,
			   unsigned int slot, const void *op, void *resp)
{
	const __u32 *wflag = nr_read_wflag(nr, r);
	__u32 *busy = &r->rw.readers[slot].busy;
	__u64 snap = 0;

	if (nr->nreplicas != 1) {
		snap = nr_ctail_load(nr);
		/* acquire: pairs with the release-store of r's ltail; the
		 * state below it is visible to us. */
		if (__atomic_load_n(&nr->ltails[r->idx].v, __ATOMIC_ACQUIRE) <
		    snap)
			goto wait;
	}
	/* relaxed: only a hint; nr_read_try()'s seq_cst load decides. */
	if (__atomic_load_n(wflag, __ATOMIC_RELAXED) ||
	    !nr_read_try(busy, wflag))
		goto wait;
	nr->ops.dispatch(r->ds, op, resp);
	nr_read_leave(busy);
	return;
wait:
	nr_read_wait(nr, r, slot, op, resp, snap);
}

/* nr_exec() up to entry `limit` (exclusive) or the tail, whichever is
 * lower; same rules (CNR scans apply a replica up to their snapshot). */
void nr_exec_to(struct uk_nr *nr, struct nr_replica *r, int combining,
		__u64 limit);

static inline void nr_exec(struct uk_nr *nr, struct nr_replica *r,
			   int combining)
{
	nr_exec_to(nr, r, combining, ~0ULL);
}
void nr_combine(struct uk_nr *nr, struct nr_replica *r);
/* Single replica, caller holds r's combiner lock: the round of
 * uk_nr_execute_mut()'s fast path (own op first, then the pending ones),
 * out of line for the host tests' probe. */
void nr_combine_own(struct uk_nr *nr, struct nr_replica *r, const void *op,
		    void *resp);

/* log.c: reserving and filling entries, garbage collection. */
void nr_log_append(struct uk_nr *nr, struct nr_replica *r, unsigned int n);

/* dalloc.c: the deterministic allocator's side of the log. */
int nr_dalloc_check(const struct uk_nr_dalloc *d, unsigned int replicas,
		    __u64 log_entries);
/* Replica r is about to apply the operation at log position pos. */
void nr_dalloc_at(struct uk_nr_dalloc *d, unsigned int r, __u64 pos);

/* cnr.c: several logs (uk/cnr.h). */

/* The create/destroy argument of log `log`'s NR instance. */
struct cnr_logarg {
	struct uk_cnr *cnr;
	unsigned int log;
};

struct uk_cnr {
	struct uk_nr *log[UK_CNR_MAX_LOGS];	/* one NR instance per log */
	struct cnr_logarg arg[UK_CNR_MAX_LOGS];
	unsigned int nlogs;
	unsigned int nreplicas;
	struct uk_cnr_ops ops;
	struct uk_nr_ops nrops;	/* the instances' table: partitions */
	void *ds_arg;
	uk_nr_free_fn free;	/* NULL: free() */
	void *alloc_arg;
	/* Makes a thread's slot the same in every log (0 free, 1 held). */
	__u32 reg_lock __align(NR_LINE);
	/* One freezer of ctails at a time (0 free, 1 held); protects
	 * freezes. */
	__u32 freeze_lock __align(NR_LINE);
	__u64 freezes;		/* relaxed atomic counter */
};

/* Scan building blocks, also used by the host tests' broken scan. */
void cnr_lock_logs(struct uk_cnr *cnr, unsigned int r, __u64 mask);
void cnr_unlock_logs(struct uk_cnr *cnr, unsigned int r, __u64 mask);
void cnr_apply_to(struct uk_cnr *cnr, unsigned int r, unsigned int k,
		  __u64 to);
void cnr_freeze(struct uk_cnr *cnr, __u64 mask, __u64 *v);
void cnr_thaw(struct uk_cnr *cnr, __u64 mask);

#endif /* __UKNR_IMPL_H__ */
