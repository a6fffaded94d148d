/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite of nolibc's stdlib.h: strto*, atoi, abs, qsort, bsearch. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/test.h>

uk_testsuite_register(nolibc_stdlib, NULL);

struct strtol_case {
	const char *s;
	int base;
	long value;
	int end;		/* characters consumed */
	int err;		/* errno afterwards (0: unchanged from 0) */
};

static const struct strtol_case strtol_cases[] = {
	{ "0", 10, 0, 1, 0 },
	{ "42", 10, 42, 2, 0 },
	{ "  \t\n-42xyz", 10, -42, 7, 0 },
	{ "+17", 0, 17, 3, 0 },
	{ "0x1F", 0, 31, 4, 0 },
	{ "0X1f", 16, 31, 4, 0 },
	{ "1f", 16, 31, 2, 0 },
	{ "0x", 16, 0, 1, 0 },
	{ "0xg", 0, 0, 1, 0 },
	{ "077", 0, 63, 3, 0 },
	{ "089", 0, 0, 1, 0 },
	{ "1010102", 2, 42, 6, 0 },
	{ "zZ", 36, 36 * 35 + 35, 2, 0 },
	{ "", 10, 0, 0, 0 },
	{ "   ", 10, 0, 0, 0 },
	{ "-", 10, 0, 0, 0 },
	{ "+-1", 10, 0, 0, 0 },
	{ "abc", 10, 0, 0, 0 },
	{ "9223372036854775807", 10, LONG_MAX, 19, 0 },
	{ "9223372036854775808", 10, LONG_MAX, 19, ERANGE },
	{ "-9223372036854775808", 10, LONG_MIN, 20, 0 },
	{ "-9223372036854775809", 10, LONG_MIN, 20, ERANGE },
	{ "99999999999999999999999999!", 10, LONG_MAX, 26, ERANGE },
	{ "-0x8000000000000000", 16, LONG_MIN, 19, 0 },
	{ "0x8000000000000000", 16, LONG_MAX, 18, ERANGE },
	{ "123", 1, 0, 0, EINVAL },
	{ "123", 37, 0, 0, EINVAL },
};

UK_TESTCASE(nolibc_stdlib, strtol_edge_cases)
{
	const struct strtol_case *c;
	char *end;
	long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strtol_cases); i++) {
		c = &strtol_cases[i];
		errno = 0;
		end = NULL;
		v = strtol(c->s, &end, c->base);
		UK_TEST_EXPECTF(v == c->value && end == c->s + c->end &&
				errno == c->err,
				"strtol(\"%s\", %d): %ld end +%ld errno %d, "
				"want %ld +%d errno %d", c->s, c->base, v,
				(long)(end - c->s), errno, c->value, c->end,
				c->err);
	}
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(strtol("12", NULL, 10), 12);
}

UK_TESTCASE(nolibc_stdlib, strtoul_edge_cases)
{
	char *end;

	errno = 0;
	UK_TEST_EXPECT_UNUM_EQ(strtoul("18446744073709551615", &end, 10),
			       ULONG_MAX);
	UK_TEST_EXPECT_SNUM_EQ(errno, 0);
	UK_TEST_EXPECT_SNUM_EQ(*end, '\0');
	UK_TEST_EXPECT_UNUM_EQ(strtoul("18446744073709551616", &end, 10),
			       ULONG_MAX);
	UK_TEST_EXPECT_SNUM_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EXPECT_UNUM_EQ(strtoul("-1", &end, 10), ULONG_MAX);
	UK_TEST_EXPECT_SNUM_EQ(errno, 0);
	UK_TEST_EXPECT_UNUM_EQ(strtoul("-18446744073709551615", NULL, 10), 1);
	UK_TEST_EXPECT_UNUM_EQ(strtoull("0xFFFFFFFFFFFFFFFF", &end, 0),
			       ULLONG_MAX);
	UK_TEST_EXPECT_SNUM_EQ(errno, 0);
	UK_TEST_EXPECT_UNUM_EQ(strtoull("0x10000000000000000", &end, 0),
			       ULLONG_MAX);
	UK_TEST_EXPECT_SNUM_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(strtoll("-9223372036854775809", &end, 0),
			       LLONG_MIN);
	UK_TEST_EXPECT_SNUM_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EXPECT_UNUM_EQ(strtoull("777", &end, 8), 511);
	UK_TEST_EXPECT_SNUM_EQ(errno, 0);
}

UK_TESTCASE(nolibc_stdlib, atoi_abs)
{
	UK_TEST_EXPECT_SNUM_EQ(atoi("  -123abc"), -123);
	UK_TEST_EXPECT_SNUM_EQ(atoi("0x10"), 0);
	UK_TEST_EXPECT_SNUM_EQ(atol("2147483648"), 2147483648L);
	UK_TEST_EXPECT_SNUM_EQ(atoll("-9000000000"), -9000000000LL);
	UK_TEST_EXPECT_SNUM_EQ(abs(-5), 5);
	UK_TEST_EXPECT_SNUM_EQ(abs(INT_MIN + 1), INT_MAX);
	UK_TEST_EXPECT_SNUM_EQ(labs(-7L), 7);
	UK_TEST_EXPECT_SNUM_EQ(llabs(-LLONG_MAX), LLONG_MAX);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static uint32_t lcg_next(uint32_t *state)
{
	*state = *state * 1664525U + 1013904223U;
	return *state >> 8;
}

#define QSORT_N 500

/* Sorted, and a permutation: same multiset (checked via a histogram). */
UK_TESTCASE(nolibc_stdlib, qsort_random_ints)
{
	static int v[QSORT_N];
	static unsigned short hist[QSORT_N / 2];
	uint32_t seed = 12345;
	unsigned int unsorted = 0, missing = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hist); i++)
		hist[i] = 0;
	for (i = 0; i < QSORT_N; i++) {
		v[i] = (int)(lcg_next(&seed) % (QSORT_N / 2)) - QSORT_N / 4;
		hist[v[i] + QSORT_N / 4]++;
	}
	qsort(v, QSORT_N, sizeof(v[0]), cmp_int);
	for (i = 1; i < QSORT_N; i++)
		unsorted += v[i - 1] > v[i];
	for (i = 0; i < QSORT_N; i++)
		hist[v[i] + QSORT_N / 4]--;
	for (i = 0; i < ARRAY_SIZE(hist); i++)
		missing += hist[i] != 0;
	UK_TEST_EXPECT_SNUM_EQ(unsorted, 0);
	UK_TEST_EXPECT_SNUM_EQ(missing, 0);
}

struct wide {
	char key;
	char name[6];
};

static int cmp_wide(const void *a, const void *b)
{
	return ((const struct wide *)a)->key - ((const struct wide *)b)->key;
}

UK_TESTCASE(nolibc_stdlib, qsort_small_and_wide)
{
	int one = 5;
	struct wide w[5] = { { 'd', "four" }, { 'b', "two" }, { 'e', "five" },
		   { 'a', "one" }, { 'c', "three" } };
	size_t i;
	int ok = 1;

	qsort(&one, 1, sizeof(one), cmp_int);
	UK_TEST_EXPECT_SNUM_EQ(one, 5);
	qsort(NULL, 0, sizeof(int), cmp_int);
	qsort(w, ARRAY_SIZE(w), sizeof(w[0]), cmp_wide);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		ok &= w[i].key == (char)('a' + i);
	UK_TEST_EXPECT(ok);
	UK_TEST_EXPECT_ZERO(strcmp(w[0].name, "one"));
	UK_TEST_EXPECT_ZERO(strcmp(w[2].name, "three"));
	UK_TEST_EXPECT_ZERO(strcmp(w[4].name, "five"));
}

UK_TESTCASE(nolibc_stdlib, bsearch_finds)
{
	static int v[200];
	int key, misses = 0;
	int *hit;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = (int)i * 3;
	for (key = -2; key < 600; key++) {
		hit = bsearch(&key, v, ARRAY_SIZE(v), sizeof(v[0]), cmp_int);
		if (key >= 0 && key % 3 == 0)
			misses += !hit || *hit != key;
		else
			misses += hit != NULL;
	}
	UK_TEST_EXPECT_SNUM_EQ(misses, 0);
	UK_TEST_EXPECT_NULL(bsearch(&key, v, 0, sizeof(v[0]), cmp_int));
}
