/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * smpbench: prints how long the CPUs took to come online (guest time from
 * the boot CPU's first instruction) and what remote calls cost: a waited
 * call to one CPU (round trip), a waited call to all others, and async
 * call throughput. Usage: smpbench [iterations]
 * Starts the CPUs itself when the platform left them parked
 * (CONFIG_UKPLAT_LCPU_START_AT_BOOT=n).
 */
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>

static unsigned long hits;

static void nop_call(void *arg __unused)
{
	/* Relaxed: a counter read after a waited call (which orders it). */
	__atomic_fetch_add(&hits, 1, __ATOMIC_RELAXED);
}

static void row(const char *what, unsigned long n, __nsec t)
{
	printf("%-34s %8lu %12lu %10.2f\n", what, n, (unsigned long)t,
	       n ? (double)t / n / 1000.0 : 0.0);
}

int main(int argc, char *argv[])
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000, i;
	/* No-op when the platform started them before main() (default). */
	unsigned int n = (unsigned int)ukplat_lcpu_start_all();
	__nsec t0, t;

	printf("cpus: %u\n", n);
	printf("all CPUs online after: %lu us (guest TSC time since the "
	       "first instruction)\n",
	       (unsigned long)(n > 1 ? ukplat_lcpu_online_time() / 1000 : 0));
	if (n < 2)
		return 0;
	printf("%-34s %8s %12s %10s\n", "operation", "count", "total ns",
	       "us/op");
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < iters; i++)
		ukplat_lcpu_call(1, nop_call, NULL, 1);
	t = ukplat_monotonic_clock() - t0;
	row("waited call CPU 0 -> CPU 1", iters, t);
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < iters; i++)
		ukplat_lcpu_call(n - 1, nop_call, NULL, 1);
	t = ukplat_monotonic_clock() - t0;
	row("waited call CPU 0 -> last CPU", iters, t);
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < iters / 4; i++)
		ukplat_lcpu_call_others(nop_call, NULL, 1);
	t = ukplat_monotonic_clock() - t0;
	row("waited call to all others", iters / 4, t);
	hits = 0;
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < iters; i++)
		ukplat_lcpu_call(1, nop_call, NULL, 0);
	ukplat_lcpu_call(1, nop_call, NULL, 1);	/* FIFO: all done after */
	t = ukplat_monotonic_clock() - t0;
	row("async calls CPU 0 -> CPU 1", iters, t);
	if (hits != iters + 1) {
		printf("smpbench: %lu calls ran, expected %lu\n", hits,
		       iters + 1);
		return 1;
	}
	return 0;
}
