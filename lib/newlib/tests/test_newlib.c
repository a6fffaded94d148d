/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of newlib's behaviour in one thread: formatting compared
 * with glibc's output for the same calls (fmt_expected.h, from gen_fmt.c),
 * strtod round trips, qsort, strftime/gmtime on a fixed time, the clocks
 * and sleeping, random bytes, and the clean errors of the calls that have
 * nothing behind them (fopen, open, fork, kill, writes to other fds).
 */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <uk/config.h>
#include <uk/essentials.h>
#include <uk/test.h>
#include "fmt_cases.h"
#include "fmt_expected.h"

uk_testsuite_register(newlib_libc, NULL);

#define EXPECT_STR_EQ(got, want)					\
	UK_TEST_EXPECTF(!strcmp((got), (want)), "\"%s\", expected \"%s\"", \
			(got), (want))

/*
 * C leaves the leading hex digit of %a for subnormals unspecified: glibc
 * writes 0x0.0000000000001p-1022, newlib normalises to 0x1p-1074. There
 * newlib's text must denote the value exactly (strtod gives it back).
 */
static int same_subnormal(const char *fmt, double v, const char *got)
{
	size_t n = strlen(fmt);

	if (fpclassify(v) != FP_SUBNORMAL || (fmt[n - 1] != 'a' &&
					      fmt[n - 1] != 'A'))
		return 0;
	return strtod(got, NULL) == v;
}

UK_TESTCASE(newlib_libc, snprintf_doubles_match_glibc)
{
	char buf[512];
	size_t f, v, bad = 0, subnormal = 0;
	const char *want;

	UK_TEST_EXPECT_SNUM_EQ(ARRAY_SIZE(fmt_expected),
			       FMT_NFORMATS * FMT_NVALUES);
	for (f = 0; f < FMT_NFORMATS; f++) {
		for (v = 0; v < FMT_NVALUES; v++) {
			want = fmt_expected[f * FMT_NVALUES + v];
			snprintf(buf, sizeof(buf), fmt_formats[f],
				 fmt_values[v]);
			if (!strcmp(buf, want))
				continue;
			if (same_subnormal(fmt_formats[f], fmt_values[v], buf)) {
				subnormal++;
				continue;
			}
			if (bad++ < 8)
				uk_test_printf("%s of value %zu: \"%s\", glibc "
					       "\"%s\"\n", fmt_formats[f], v,
					       buf, want);
		}
	}
	uk_test_printf("%zu calls, %zu as glibc, %zu subnormal %%a exact "
		       "but normalised\n", FMT_NFORMATS * FMT_NVALUES,
		       FMT_NFORMATS * FMT_NVALUES - bad - subnormal,
		       subnormal);
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);
	UK_TEST_EXPECT_SNUM_LE(subnormal, 3);
}

UK_TESTCASE(newlib_libc, snprintf_integers_and_truncation)
{
	char buf[16];
	int n;

	n = snprintf(buf, sizeof(buf), "%lld|%llx|%zu", -9000000000LL,
		     0xdeadbeefcafeULL, (size_t)42);
	UK_TEST_EXPECT_SNUM_EQ(n, 27);
	EXPECT_STR_EQ(buf, "-9000000000|dea");
	n = snprintf(buf, sizeof(buf), "%5s|%-3c|%%", "ab", 'x');
	UK_TEST_EXPECT_SNUM_EQ(n, 11);
	EXPECT_STR_EQ(buf, "   ab|x  |%");
}

/* A reproducible stream of doubles of every exponent (xorshift64). */
static uint64_t next_bits(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

UK_TESTCASE(newlib_libc, strtod_round_trips)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL, bits, back;
	char buf[64], *end;
	unsigned int i, bad = 0, tried = 0;
	double d, r;

	for (i = 0; i < 2000; i++) {
		bits = next_bits(&state);
		memcpy(&d, &bits, sizeof(d));
		if (isnan(d) || isinf(d))
			continue;
		tried++;
		snprintf(buf, sizeof(buf), "%.17g", d);
		r = strtod(buf, &end);
		memcpy(&back, &r, sizeof(back));
		if (back != bits || *end)
			bad++;
		snprintf(buf, sizeof(buf), "%a", d);
		r = strtod(buf, &end);
		memcpy(&back, &r, sizeof(back));
		if (back != bits || *end)
			bad++;
	}
	UK_TEST_EXPECT(tried > 1900);
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);
}

UK_TESTCASE(newlib_libc, strtod_edges)
{
	char *end;

	UK_TEST_EXPECT(strtod("0x1.8p1", &end) == 3.0 && !*end);
	UK_TEST_EXPECT(strtod("  -2.5e-3xyz", &end) == -2.5e-3);
	EXPECT_STR_EQ(end, "xyz");
	UK_TEST_EXPECT(strtod("4.9406564584124654e-324", NULL) ==
		       4.9406564584124654e-324);
	UK_TEST_EXPECT(isinf(strtod("inf", NULL)));
	UK_TEST_EXPECT(isnan(strtod("nan", NULL)));
	errno = 0;
	UK_TEST_EXPECT(strtod("1e400", NULL) == HUGE_VAL);
	UK_TEST_EXPECT_SNUM_EQ(errno, ERANGE);
	UK_TEST_EXPECT(strtod("abc", &end) == 0.0);
	EXPECT_STR_EQ(end, "abc");
	UK_TEST_EXPECT(strtof("0.1", NULL) == 0.1f);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

UK_TESTCASE(newlib_libc, qsort_sorts_and_keeps_the_multiset)
{
	static int v[1000];
	uint64_t state = 12345, sum = 0, sum_after = 0, xor = 0, xor_after = 0;
	unsigned int i, unsorted = 0;
	int key, *hit;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		v[i] = (int)(next_bits(&state) % 2001) - 1000;
		sum += (uint64_t)(int64_t)v[i];
		xor ^= (uint64_t)(uint32_t)v[i] * 0x9e3779b97f4a7c15ULL;
	}
	qsort(v, ARRAY_SIZE(v), sizeof(v[0]), cmp_int);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (i && v[i - 1] > v[i])
			unsorted++;
		sum_after += (uint64_t)(int64_t)v[i];
		xor_after ^= (uint64_t)(uint32_t)v[i] * 0x9e3779b97f4a7c15ULL;
	}
	UK_TEST_EXPECT_SNUM_EQ(unsorted, 0);
	UK_TEST_EXPECT(sum == sum_after && xor == xor_after);
	key = v[500];
	hit = bsearch(&key, v, ARRAY_SIZE(v), sizeof(v[0]), cmp_int);
	UK_TEST_EXPECT(hit && *hit == key);
}

UK_TESTCASE(newlib_libc, strftime_on_a_fixed_time)
{
	/* 2026-12-03 11:41:14 UTC, a Thursday, day 337 of the year. */
	const time_t t = 1796298074;
	struct tm tm;
	char buf[128];
	size_t n;

	UK_TEST_EXPECT(gmtime_r(&t, &tm) == &tm);
	UK_TEST_EXPECT_SNUM_EQ(tm.tm_year, 126);
	UK_TEST_EXPECT_SNUM_EQ(tm.tm_wday, 4);
	n = strftime(buf, sizeof(buf),
		     "%Y-%m-%d %H:%M:%S %a %A %b %B %j %u %y %e %p %I %%", &tm);
	EXPECT_STR_EQ(buf, "2026-12-03 11:41:14 Thu Thursday Dec "
			      "December 337 4 26  3 AM 11 %");
	UK_TEST_EXPECT_SNUM_EQ(n, strlen(buf));
	UK_TEST_EXPECT_SNUM_EQ(strftime(buf, 4, "%Y-%m", &tm), 0);
	tm.tm_isdst = 0;
	UK_TEST_EXPECT(mktime(&tm) == t);	/* no TZ: UTC */
}

UK_TESTCASE(newlib_libc, clocks_and_sleep)
{
	struct timespec a, b, rt;
	struct timeval tv;
	const struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	long long ns;

	UK_TEST_EXPECT_SNUM_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	UK_TEST_EXPECT_SNUM_EQ(nanosleep(&ten_ms, NULL), 0);
	UK_TEST_EXPECT_SNUM_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	UK_TEST_EXPECT(ns >= 10 * 1000 * 1000);
	usleep(2000);
	UK_TEST_EXPECT_SNUM_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	ns = (a.tv_sec - b.tv_sec) * 1000000000LL + (a.tv_nsec - b.tv_nsec);
	UK_TEST_EXPECT(ns >= 2000 * 1000);
	/* The RTC says some time after 2020-01-01 and before 2100. */
	UK_TEST_EXPECT_SNUM_EQ(clock_gettime(CLOCK_REALTIME, &rt), 0);
	UK_TEST_EXPECT(rt.tv_sec > 1577836800 && rt.tv_sec < 4102444800);
	UK_TEST_EXPECT_SNUM_EQ(gettimeofday(&tv, NULL), 0);
	UK_TEST_EXPECT(tv.tv_sec >= rt.tv_sec && tv.tv_sec <= rt.tv_sec + 5);
	UK_TEST_EXPECT(time(NULL) >= rt.tv_sec);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(clock_gettime((clockid_t)99, &a), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, EINVAL);
}

UK_TESTCASE(newlib_libc, random_bytes)
{
	unsigned char a[32], b[32], big[257];

#if CONFIG_LIBUKRANDOM
	UK_TEST_EXPECT_SNUM_EQ(getentropy(a, sizeof(a)), 0);
	UK_TEST_EXPECT_SNUM_EQ(getrandom(b, sizeof(b), 0), sizeof(b));
	UK_TEST_EXPECT(memcmp(a, b, sizeof(a)) != 0);
#else
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(getentropy(a, sizeof(a)), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOSYS);
	(void)b;
#endif
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(getentropy(big, sizeof(big)), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, EIO);
}

UK_TESTCASE(newlib_libc, clean_errors)
{
	char c;
	FILE *f;

	errno = 0;
	f = fopen("/x", "r");
	UK_TEST_EXPECT_NULL(f);
	UK_TEST_EXPECT(errno == ENOSYS || errno == ENOENT);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(open("/x", O_RDONLY), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOSYS);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(fork(), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOSYS);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(write(7, "x", 1), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, EBADF);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(read(1, &c, 1), -1);
	UK_TEST_EXPECT_SNUM_EQ(errno, EBADF);
	UK_TEST_EXPECT_SNUM_EQ(getpid(), 1);
	UK_TEST_EXPECT_SNUM_EQ(isatty(1), 1);
	UK_TEST_EXPECT_SNUM_EQ(write(1, "", 0), 0);
}
