/* SPDX-License-Identifier: BSD-3-Clause */
/* The uksched suites' shared wait: yield until a counter reaches a value. */
#ifndef __UKSCHED_TESTS_WAIT_COUNT_H__
#define __UKSCHED_TESTS_WAIT_COUNT_H__

#include <uk/plat/time.h>
#include <uk/sched.h>

#define WAIT_COUNT_NS (10ULL * 1000000000ULL)

/*
 * Waits (yielding) until *v >= want or WAIT_COUNT_NS pass; returns the
 * last value read, so a test compares it with want and fails on a hang.
 */
static inline unsigned long wait_count(unsigned long *v, unsigned long want)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_COUNT_NS;
	unsigned long now;

	/* Acquire: the counted threads' writes are visible. */
	while ((now = __atomic_load_n(v, __ATOMIC_ACQUIRE)) < want
	       && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	return now;
}

#endif /* __UKSCHED_TESTS_WAIT_COUNT_H__ */
