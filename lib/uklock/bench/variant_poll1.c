/*
 * uklock benchmark: spinlock.c with the polling of the first version: the
 * waiter at the head polls a held lock at every pause, the others every
 * min(place, 16) pauses, under other names, counting skips and requeues
 * (variants.h).
 */
#include "variants.h"
#define UK_SPIN_HEAD_PAUSES 1
#define UK_SPIN_BACKOFF_SCALE 1
#define UK_SPIN_BACKOFF_MAX 16
#define _uk_spin_lock_contended _uk_spin_lock_contended_poll1
#define uk_spin_held_count uk_spin_held_count_poll1
#define UK_SPIN_STAT(event) \
	__atomic_fetch_add(&bench_stat.event, 1, __ATOMIC_RELAXED)
#include "../spinlock.c"
