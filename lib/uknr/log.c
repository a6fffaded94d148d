/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr's shared operation log: reserving entries at the tail, filling and
 * publishing them, and making room when the log is full (garbage collection
 * by advancing `head` to the slowest replica, and helping that replica along
 * when nobody else does).
 *
 * Invariant: head <= every ltail <= tail <= head + size. An append reserves
 * only while tail + n <= head + size, so it never overwrites an entry some
 * replica still has to apply. Happens-before for the reuse of an entry:
 * replica r reads the entry, then release-stores its ltail; the collector
 * acquire-loads every ltail and raises `head` with a release CAS; the
 * appender acquire-loads `head` before it reserves and writes.
 * UK_ASSERTed: nr_log_ordered() (nr_impl.h) whenever a replica applies the
 * log (combine.c), head <= the reservation here, head <= the minimum ltail
 * it is raised to, which is <= tail.
 */
#include <string.h>
#include <uk/assert.h>
#include "nr_impl.h"

/* Raises head to at least v (head never moves back). */
static void nr_head_raise(struct uk_nr *nr, __u64 v)
{
	/* relaxed: the CAS below re-checks the value. */
	__u64 h = __atomic_load_n(&nr->head, __ATOMIC_RELAXED);

	/* release: appenders that acquire-load this head see the consumers'
	 * reads of the freed entries as done (they reached us through the
	 * acquire loads of the ltails). */
	while (h < v && !__atomic_compare_exchange_n(&nr->head, &h, v, 1,
						     __ATOMIC_RELEASE,
						     __ATOMIC_RELAXED))
		;
}

/* The replica with the smallest ltail and that ltail. */
static unsigned int nr_min_ltail(struct uk_nr *nr, __u64 *min)
{
	unsigned int i, who = 0;
	__u64 m = ~0ULL, v;

	for (i = 0; i < nr->nreplicas; i++) {
		/* acquire: pairs with the release-store of the ltail, after
		 * the replica's reads of the entries below it. */
		v = __atomic_load_n(&nr->ltails[i].v, __ATOMIC_ACQUIRE);
		if (v < m) {
			m = v;
			who = i;
		}
	}
	*min = m;
	return who;
}

/*
 * Applies replica `lag`'s log on its behalf, if nobody holds its combiner
 * lock (if someone does, that one is applying it). The helper holds its own
 * replica's combiner lock and write lock; there is no deadlock because the
 * other replica's lock is only tried.
 */
static void nr_help(struct uk_nr *nr, struct nr_replica *lag)
{
	if (!nr_combiner_trylock(lag))
		return;
	nr_write_lock(&lag->rw, &lag->nthreads, nr);
	nr_exec(nr, lag, 0);
	nr_write_unlock(&lag->rw);
	/* relaxed: a counter, written only under lag's combiner lock. */
	__atomic_store_n(&lag->helped,
			 __atomic_load_n(&lag->helped, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	nr_combiner_unlock(lag);
}

/*
 * The log has no room: catch up our own replica (it might be the slowest),
 * then move head to the slowest ltail; if the slowest replica sits at head,
 * apply the log for it.
 */
static void nr_make_room(struct uk_nr *nr, struct nr_replica *r,
			 unsigned int *spins)
{
	unsigned int who;
	__u64 min, h;

	nr_exec(nr, r, 1);
	who = nr_min_ltail(nr, &min);
	/* relaxed: compared only; tail only grows past every ltail. */
	UK_ASSERT(min <= __atomic_load_n(&nr->tail, __ATOMIC_RELAXED));
	/* relaxed: compared only; nr_head_raise() orders the update. */
	h = __atomic_load_n(&nr->head, __ATOMIC_RELAXED);
	if (min > h) {
		nr_head_raise(nr, min);
		return;
	}
	if (who != r->idx)
		nr_help(nr, nr->rep[who]);
	nr_wait(nr, spins);
}

static void nr_fill(struct uk_nr *nr, struct nr_replica *r, __u64 first,
		    unsigned int n)
{
	struct nr_entry *e;
	struct nr_slot *s;
	unsigned int k;

	for (k = 0; k < n; k++) {
		e = nr_entry_at(nr, first + k);
		s = &r->slots[r->batch[k]];
		e->replica = (__u16)r->idx;
		e->slot = r->batch[k];
		memcpy((char *)e + NR_ENTRY_HDR, s->op, nr->ops.op_size);
		/* release: consumers that acquire-load alive see the fill. */
		__atomic_store_n(&e->alive, nr_alive_value(nr, first + k),
				 __ATOMIC_RELEASE);
	}
}

/*
 * Appends r's batch (r->batch[0..n-1], n <= tpr <= size / 2). Caller holds
 * r's combiner lock and write lock: r's replica may be advanced here while we
 * wait for room, and nothing of it may be seen by readers before the
 * combiner has also updated ctail (see nr_combine()).
 */
void nr_log_append(struct uk_nr *nr, struct nr_replica *r, unsigned int n)
{
	unsigned int spins = 0, full = 0;
	__u64 t, h;

	for (;;) {
		/* relaxed: the CAS below validates it. */
		t = __atomic_load_n(&nr->tail, __ATOMIC_RELAXED);
		/* acquire: see the file comment (entry reuse). */
		h = __atomic_load_n(&nr->head, __ATOMIC_ACQUIRE);
		if (t + n <= h + nr->size) {
			/* relaxed: the reservation publishes nothing; the
			 * entries are published by their alive bits. */
			if (__atomic_compare_exchange_n(&nr->tail, &t, t + n,
							0, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED)) {
				/* head <= tail when the CAS took t, and
				 * head was h or more then. */
				UK_ASSERT(h <= t && n <= nr->size / 2);
				break;
			}
			continue;
		}
		if (!full) {
			full = 1;
			/* relaxed: a counter. */
			__atomic_fetch_add(&nr->log_full, 1, __ATOMIC_RELAXED);
		}
		nr_make_room(nr, r, &spins);
	}
	/* Nothing between the reservation and the fill may wait: consumers
	 * of every replica wait for these entries. */
	nr_fill(nr, r, t, n);
}
