/*
 * uklock benchmark: spinlock.c with UK_SPIN_BATCH = 4, under other names,
 * counting skips and requeues (variants.h). UK_SPIN_BATCH comes before
 * variants.h, which includes uk/spinlock.h; bench.c passes it to the fast
 * path.
 */
#define UK_SPIN_BATCH 4
#include "variants.h"
#define _uk_spin_lock_contended _uk_spin_lock_contended_batch4
#define uk_spin_held_count uk_spin_held_count_batch4
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
