/*
 * uklock benchmark: spinlock.c with every waiter polling 16 times less
 * often than by default (head: every 16 pauses; behind it: place x 16, at
 * most 512), under other names, counting skips and requeues (variants.h).
 */
#include "variants.h"
#define UK_SPIN_HEAD_PAUSES 16
#define UK_SPIN_BACKOFF_SCALE 16
#define UK_SPIN_BACKOFF_MAX 512
#define _uk_spin_lock_contended _uk_spin_lock_contended_q16
#define uk_spin_held_count uk_spin_held_count_q16
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
