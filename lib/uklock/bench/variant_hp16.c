/*
 * uklock benchmark: spinlock.c with the waiter at the head polling a held
 * lock every 16 pauses, the others every min(place, 16), under other names,
 * counting skips and requeues (variants.h).
 */
#include "variants.h"
#define UK_SPIN_HEAD_PAUSES 16
#define UK_SPIN_BACKOFF_SCALE 1
#define UK_SPIN_BACKOFF_MAX 16
#define _uk_spin_lock_contended _uk_spin_lock_contended_hp16
#define uk_spin_held_count uk_spin_held_count_hp16
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
