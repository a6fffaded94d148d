/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What mimalloc 2.0.9 includes as <time.h> in the guest: a monotonic clock
 * for its statistics and its weak random seed (stats.c, random.c), read
 * from the platform's clock.
 */
#ifndef __UK_MIMALLOC_COMPAT_TIME_H__
#define __UK_MIMALLOC_COMPAT_TIME_H__

#if defined(__GLIBC__) || CONFIG_LIBNEWLIB
/*
 * The host benchmark's build of the port (bench/), or a guest with newlib
 * (which has clock_gettime(), lib/newlib/time.c): the C library's.
 */
#include_next <time.h>
#else

#include <uk/plat/time.h>

#define CLOCK_MONOTONIC 1

struct timespec {
	long tv_sec;
	long tv_nsec;
};

/* Any clock id reads the monotonic clock. Never fails. */
static inline int clock_gettime(int clk, struct timespec *ts)
{
	__nsec now = ukplat_monotonic_clock();

	(void)clk;
	ts->tv_sec = (long)(now / 1000000000UL);
	ts->tv_nsec = (long)(now % 1000000000UL);
	return 0;
}

#endif /* __GLIBC__ || CONFIG_LIBNEWLIB */
#endif /* __UK_MIMALLOC_COMPAT_TIME_H__ */
