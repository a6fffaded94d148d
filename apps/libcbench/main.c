/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libcbench: snprintf() and strtod() rates of the C library the image is
 * built with (nolibc or newlib), and of the host's glibc when this file is
 * compiled for Linux (run.sh does all three and prints one table).
 * Prints "libcbench <libc> snprintf <ns/call> strtod <ns/call|n/a>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __Unikraft__
#include <uk/config.h>
#include <uk/plat/time.h>
#else
#include <time.h>
#endif

#define CALLS	100000

#ifdef __Unikraft__
#if CONFIG_LIBNEWLIB
#define LIBC_NAME "newlib"
#define HAVE_STRTOD 1
#else
#define LIBC_NAME "nolibc"
#define HAVE_STRTOD 0	/* nolibc has no strtod() */
#endif
static unsigned long long now_ns(void)
{
	return ukplat_monotonic_clock();
}
#else
#define LIBC_NAME "glibc"
#define HAVE_STRTOD 1
static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL +
	       (unsigned long long)ts.tv_nsec;
}
#endif

#if HAVE_STRTOD
static const char *const inputs[] = {
	"3.14159265358979", "-0.000123456789", "6.02214076e23", "1e-300",
	"299792458", "2.5", "0.1", "123456789.125",
};
#endif

/* The values of inputs[], without needing strtod(). */
static const double values[] = {
	3.14159265358979, -0.000123456789, 6.02214076e23, 1e-300,
	299792458.0, 2.5, 0.1, 123456789.125,
};

#define N_INPUTS (sizeof(values) / sizeof(values[0]))

int main(void)
{
	char buf[128];
	unsigned long long t0, t1;
	unsigned long sink = 0;
	unsigned int i;
	double sum = 0;

	t0 = now_ns();
	for (i = 0; i < CALLS; i++)
		sink += (unsigned long)snprintf(buf, sizeof(buf), "%.6f %g %d",
						values[i % N_INPUTS],
						values[(i + 3) % N_INPUTS],
						(int)i);
	t1 = now_ns();
	printf("libcbench %s snprintf %llu", LIBC_NAME, (t1 - t0) / CALLS);
#if HAVE_STRTOD
	t0 = now_ns();
	for (i = 0; i < CALLS; i++)
		sum += strtod(inputs[i % N_INPUTS], NULL);
	t1 = now_ns();
	printf(" strtod %llu", (t1 - t0) / CALLS);
#else
	printf(" strtod n/a");
#endif
	/* Keeps the loops' results alive. */
	printf(" (check %lu %d)\n", sink % 1000, sum > 0);
	return 0;
}
