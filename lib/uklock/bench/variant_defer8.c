/*
 * uklock benchmark: spinlock.c with UK_SPIN_DEFER_POLLS = 8, under other
 * names, counting skips and requeues (variants.h).
 */
#include "variants.h"
#define UK_SPIN_DEFER_POLLS 8
#define _uk_spin_lock_contended _uk_spin_lock_contended_defer8
#define uk_spin_held_count uk_spin_held_count_defer8
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
