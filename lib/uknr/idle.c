/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr idle-loop synchronisation: a small registry of instances that each
 * CPU's idle loop keeps current (uk_nr_idle_hook() syncs the CPU's replica
 * of each), registered once with uksched's idle hooks in the guest.
 *
 * Removal must not free an instance under a running hook. Each registry
 * entry has a user count: the hook increments it, then loads the pointer;
 * removal clears the pointer, then waits for the count to drop to 0. Both
 * sides are sequentially consistent (store-buffering pattern): either the
 * hook sees the cleared pointer or the removal sees the hook's count.
 */
#include <errno.h>
#include "nr_impl.h"

static struct {
	struct uk_nr *nr;	/* atomic; NULL: free entry */
	unsigned long users;	/* atomic; hooks using nr right now */
} __align(NR_LINE) nr_idle[UK_NR_IDLE_MAX];

/* atomic; 1 once uk_nr_idle_hook() is (being) registered with uksched */
static int nr_idle_hooked;

void uk_nr_idle_hook(void *unused __unused)
{
	struct uk_nr *nr;
	unsigned int i;

	for (i = 0; i < UK_NR_IDLE_MAX; i++) {
		/* seq_cst: before the pointer load (see file comment). */
		__atomic_fetch_add(&nr_idle[i].users, 1, __ATOMIC_SEQ_CST);
		nr = __atomic_load_n(&nr_idle[i].nr, __ATOMIC_SEQ_CST);
		if (nr)
			uk_nr_sync_idle(nr);
		/* release: our use of nr happens before its removal ends. */
		__atomic_fetch_sub(&nr_idle[i].users, 1, __ATOMIC_RELEASE);
	}
}

static int nr_idle_register_hook(void)
{
#if CONFIG_LIBUKSCHED && !CONFIG_HOST_TEST
	int zero = 0, rc;

	/* relaxed: the flag only elects who registers. */
	if (!__atomic_compare_exchange_n(&nr_idle_hooked, &zero, 1, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return 0;
	rc = nr_idle_hook_register(uk_nr_idle_hook, NULL);
	if (rc)
		__atomic_store_n(&nr_idle_hooked, 0, __ATOMIC_RELAXED);
	return rc;
#else
	/* Host: tests call uk_nr_idle_hook() themselves. */
	__atomic_store_n(&nr_idle_hooked, 1, __ATOMIC_RELAXED);
	return 0;
#endif
}

int uk_nr_idle_sync_enable(struct uk_nr *nr)
{
	struct uk_nr *none;
	unsigned int i;
	int rc;

	if (!nr)
		return -EINVAL;
	for (i = 0; i < UK_NR_IDLE_MAX; i++) {
		none = NULL;
		/* seq_cst: publishes nr (initialised before) to hooks. */
		if (__atomic_compare_exchange_n(&nr_idle[i].nr, &none, nr, 0,
						__ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			break;
	}
	if (i == UK_NR_IDLE_MAX)
		return -ENOSPC;
	rc = nr_idle_register_hook();
	if (rc)
		uk_nr_idle_sync_disable(nr);
	return rc;
}

void uk_nr_idle_sync_disable(struct uk_nr *nr)
{
	unsigned int i, spins = 0;

	for (i = 0; i < UK_NR_IDLE_MAX; i++) {
		/* relaxed: only the owner of nr removes it. */
		if (__atomic_load_n(&nr_idle[i].nr, __ATOMIC_RELAXED) != nr)
			continue;
		/* seq_cst: before the user-count load (file comment). */
		__atomic_store_n(&nr_idle[i].nr, NULL, __ATOMIC_SEQ_CST);
		/* seq_cst; reading a hook's release decrement orders its
		 * use of nr before our return. */
		while (__atomic_load_n(&nr_idle[i].users, __ATOMIC_SEQ_CST))
			nr_wait(nr, &spins);
	}
}
