/*
 * uklock benchmark: spinlock.c with UK_SPIN_BATCH = 0, under other names,
 * counting skips and requeues (variants.h). UK_SPIN_BATCH comes before
 * variants.h, which includes uk/spinlock.h; bench.c passes it to the fast
 * path.
 */
#define UK_SPIN_BATCH 0	/* strictly FIFO: the design before batching */
#include "variants.h"
#define _uk_spin_lock_contended _uk_spin_lock_contended_batch0
#define uk_spin_held_count uk_spin_held_count_batch0
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
