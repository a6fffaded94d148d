/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host shim: the platform API (the uk/plat headers) implemented on Linux, so
 * library code links into an ordinary Linux program. support/build/host.mk
 * compiles it with the same sanitizers as the code under test and links it
 * into every host-test binary; support/build/hostlib.mk puts it into every
 * library that `make host-lib` builds for Linux programs.
 *
 *   console    ukplat_coutk() writes to stdout (no "\r\n" translation)
 *   bootstrap  ukplat_exit() -> exit(); ukplat_crash() prints a backtrace and
 *              abort()s; ukplat_backtrace() uses glibc's backtrace();
 *              ukplat_symbol() knows no symbols (NULL)
 *   time       ukplat_monotonic_clock() is CLOCK_MONOTONIC in ns;
 *              ukplat_tsc_frequency() is measured once against it
 *   memory     the memory map is empty
 *   lcpu       see support/host/include/uk/plat/lcpu.h
 *
 * Every function is weak: a test that needs something else (say, a memory
 * map) defines its own version and that one is linked instead.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <uk/config.h>
#include <uk/essentials.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/memory.h>
#include <uk/plat/time.h>

/* --- console -------------------------------------------------------------- */

__weak int ukplat_coutk(const char *buf, unsigned int len)
{
	/* Through stdio, so it stays in order with the test's own output. */
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
	return (int)len;
}

/* --- bootstrap ------------------------------------------------------------ */

__weak void ukplat_exit(int status)
{
	fflush(stdout);
	exit(status);
}

__weak void ukplat_backtrace(void)
{
	void *frames[64];
	int n = backtrace(frames, (int)ARRAY_SIZE(frames));

	backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

__weak void ukplat_crash(void)
{
	fflush(stdout);
	fprintf(stderr, "ukplat_crash() called (host test shim); backtrace:\n");
	ukplat_backtrace();
	abort();
}

__weak const char *ukplat_symbol(unsigned long addr __unused,
				 unsigned long *off __unused)
{
	return NULL;
}

/* --- time ----------------------------------------------------------------- */

__weak __nsec ukplat_monotonic_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__nsec)ts.tv_sec * UKARCH_NSEC_PER_SEC + (__nsec)ts.tv_nsec;
}

static __u64 tsc_hz;
static pthread_once_t tsc_once = PTHREAD_ONCE_INIT;

static void tsc_calibrate(void)
{
	const __nsec span = ukarch_time_msec_to_nsec(20);
	__nsec t0, t1;
	__u64 c0, c1;

	t0 = ukplat_monotonic_clock();
	c0 = rdtsc();
	do {
		t1 = ukplat_monotonic_clock();
	} while (t1 - t0 < span);
	c1 = rdtsc();
	tsc_hz = (c1 - c0) * UKARCH_NSEC_PER_SEC / (t1 - t0);
}

__weak __u64 ukplat_tsc_frequency(void)
{
	pthread_once(&tsc_once, tsc_calibrate);
	return tsc_hz;
}

/* --- memory --------------------------------------------------------------- */

__weak int ukplat_memregion_count(void)
{
	return 0;
}

__weak int ukplat_memregion_get(int i __unused,
				struct ukplat_memregion_desc **mrd __unused)
{
	return -1;
}

/* --- logical CPUs ---------------------------------------------------------- */

__thread int ukplat_host_irqs_off;

static unsigned int lcpu_count_set;	/* 0: the host's count */
static unsigned int lcpu_next_idx;	/* next index to hand out */
static unsigned int lcpu_generation = 1;	/* bumped by reset */
static __thread unsigned int lcpu_my_idx;
static __thread unsigned int lcpu_my_generation;	/* 0: none yet */

static unsigned int host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > CONFIG_UKPLAT_LCPU_MAXCOUNT)
		n = CONFIG_UKPLAT_LCPU_MAXCOUNT;
	return (unsigned int)n;
}

__weak unsigned int ukplat_lcpu_count(void)
{
	unsigned int n = __atomic_load_n(&lcpu_count_set, __ATOMIC_RELAXED);

	return n ? n : host_cpus();
}

__weak void ukplat_host_lcpu_set_count(unsigned int count)
{
	if (count > CONFIG_UKPLAT_LCPU_MAXCOUNT) {
		fprintf(stderr, "ukplat_host_lcpu_set_count(%u): more than "
			"CONFIG_UKPLAT_LCPU_MAXCOUNT (%d)\n", count,
			CONFIG_UKPLAT_LCPU_MAXCOUNT);
		abort();
	}
	__atomic_store_n(&lcpu_count_set, count, __ATOMIC_RELAXED);
}

__weak enum ukplat_virt ukplat_virt(void)
{
	return UKPLAT_VIRT_NONE;
}

__weak unsigned int ukplat_lcpu_idx(void)
{
	unsigned int gen = __atomic_load_n(&lcpu_generation, __ATOMIC_ACQUIRE);
	unsigned int idx;

	if (lcpu_my_generation == gen)
		return lcpu_my_idx;
	idx = __atomic_fetch_add(&lcpu_next_idx, 1, __ATOMIC_RELAXED);
	if (idx >= CONFIG_UKPLAT_LCPU_MAXCOUNT) {
		fprintf(stderr, "ukplat_lcpu_idx(): more than "
			"CONFIG_UKPLAT_LCPU_MAXCOUNT (%d) threads asked for an "
			"index; call ukplat_host_lcpu_reset() between tests\n",
			CONFIG_UKPLAT_LCPU_MAXCOUNT);
		abort();
	}
	lcpu_my_idx = idx;
	lcpu_my_generation = gen;
	return idx;
}

__weak void ukplat_host_lcpu_reset(void)
{
	__atomic_store_n(&lcpu_next_idx, 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&lcpu_generation, 1, __ATOMIC_RELEASE);
}

__weak void ukplat_host_lcpu_set_idx(unsigned int idx)
{
	if (idx >= CONFIG_UKPLAT_LCPU_MAXCOUNT) {
		fprintf(stderr, "ukplat_host_lcpu_set_idx(%u): not below "
			"CONFIG_UKPLAT_LCPU_MAXCOUNT (%d)\n", idx,
			CONFIG_UKPLAT_LCPU_MAXCOUNT);
		abort();
	}
	lcpu_my_idx = idx;
	lcpu_my_generation = __atomic_load_n(&lcpu_generation,
					     __ATOMIC_ACQUIRE);
}
