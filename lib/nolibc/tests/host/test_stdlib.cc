/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of nolibc's stdlib.h: strto* against glibc, qsort, exit, abort.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "rename.h"

namespace {

const std::vector<std::string> numbers = {
	"", " ", "0", "-0", "+0", "1", "-1", "+1", "  42", "\t\n\v\f\r 42",
	"-42abc", "0x", "0X", "0x1g", "0X1F", "-0x10", "+0xff", "0xg", "077",
	"08", "0b101", "00", "0x0", "-", "+", "+-1", "-+1", "- 1", "0x-1",
	"1e5", "12 34", "zz", "ZZ", "zZ9", "ZZZZZZZZZZZZZZ",
	"123456789012345678901234567890",
	"9223372036854775807", "9223372036854775808", "9223372036854775809",
	"-9223372036854775807", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "-18446744073709551615",
	"-18446744073709551616", "0xffffffffffffffff", "0x10000000000000000",
	"-0x8000000000000000", "0x7fffffffffffffff", "0777777777777777777777",
	"01777777777777777777777", "02000000000000000000000",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
	"3w5e11264sgsf", "3w5e11264sgsg", "-3w5e11264sgsg", "1y2p0ij32e8e7",
	"1y2p0ij32e8e8", "2147483648", "-2147483649", "4294967296",
};

const int bases[] = { 0, 2, 8, 10, 16, 36, 3, 7, 35 };

// Calls glibc's and nolibc's version; value, errno and endptr must agree.
template <typename T>
void same(T (*libc)(const char *, char **, int),
	  T (*ours)(const char *, char **, int), const std::string &s,
	  int base)
{
	char *end_libc = nullptr, *end_ours = nullptr;

	errno = 0;
	T want = libc(s.c_str(), &end_libc, base);
	int errno_libc = errno;
	nolibc_errno = 0;
	T got = ours(s.c_str(), &end_ours, base);

	EXPECT_EQ(want, got) << "\"" << s << "\" base " << base;
	EXPECT_EQ(errno_libc, nolibc_errno) << "\"" << s << "\" base " << base;
	EXPECT_EQ(end_libc - s.c_str(), end_ours - s.c_str())
		<< "\"" << s << "\" base " << base;
	// A NULL endptr is allowed.
	EXPECT_EQ(want, ours(s.c_str(), nullptr, base));
}

void same_all(const std::string &s, int base)
{
	same<long>(strtol, nolibc_strtol, s, base);
	same<long long>(strtoll, nolibc_strtoll, s, base);
	same<unsigned long>(strtoul, nolibc_strtoul, s, base);
	same<unsigned long long>(strtoull, nolibc_strtoull, s, base);
}

TEST(NolibcStdlib, StrtoTable)
{
	for (const auto &s : numbers)
		for (int base : bases)
			same_all(s, base);
}

TEST(NolibcStdlib, StrtoRandom)
{
	static const char alphabet[] = " \t+-0123456789abcdefxXzZ";
	std::mt19937 rng(99);

	for (int i = 0; i < 50000; i++) {
		std::string s;
		size_t len = rng() % 24;

		for (size_t k = 0; k < len; k++)
			s += alphabet[rng() % (sizeof(alphabet) - 1)];
		same_all(s, bases[rng() % (sizeof(bases) / sizeof(bases[0]))]);
	}
}

TEST(NolibcStdlib, StrtoBadBase)
{
	const char *s = "123";
	char *end = nullptr;

	for (int base : { -1, 1, 37, 100 }) {
		nolibc_errno = 0;
		EXPECT_EQ(0, nolibc_strtol(s, &end, base));
		EXPECT_EQ(EINVAL, nolibc_errno);
		EXPECT_EQ(s, end);
		nolibc_errno = 0;
		EXPECT_EQ(0u, nolibc_strtoull(s, &end, base));
		EXPECT_EQ(EINVAL, nolibc_errno);
	}
}

TEST(NolibcStdlib, AtoiAndAbs)
{
	for (const auto &s : numbers) {
		if (strtol(s.c_str(), nullptr, 10) > INT_MAX ||
		    strtol(s.c_str(), nullptr, 10) < INT_MIN)
			continue;
		EXPECT_EQ(atoi(s.c_str()), nolibc_atoi(s.c_str())) << s;
		EXPECT_EQ(atol(s.c_str()), nolibc_atol(s.c_str())) << s;
		EXPECT_EQ(atoll(s.c_str()), nolibc_atoll(s.c_str())) << s;
	}
	EXPECT_EQ(5, nolibc_abs(-5));
	EXPECT_EQ(INT_MAX, nolibc_abs(-INT_MAX));
	EXPECT_EQ(7L, nolibc_labs(7L));
	EXPECT_EQ(LLONG_MAX, nolibc_llabs(-LLONG_MAX));
}

int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

TEST(NolibcStdlib, QsortIntsMatchesStdSort)
{
	std::mt19937 rng(5);

	for (size_t n = 0; n <= 300; n++) {
		std::vector<int> v(n);

		for (auto &x : v)
			x = (int)(rng() % (n / 2 + 1)) - (int)(n / 4);
		auto want = v;
		std::sort(want.begin(), want.end());
		nolibc_qsort(v.data(), v.size(), sizeof(int), cmp_int);
		ASSERT_EQ(want, v) << "n=" << n;
	}
}

struct rec {
	unsigned char key[3];
	char tag[9];
};

int cmp_rec(const void *a, const void *b)
{
	return memcmp(((const rec *)a)->key, ((const rec *)b)->key, 3);
}

// Odd-sized elements: the records travel whole, sorted by key.
TEST(NolibcStdlib, QsortOddSizedRecords)
{
	std::mt19937 rng(6);
	std::vector<rec> v(1000);

	for (size_t i = 0; i < v.size(); i++) {
		for (auto &k : v[i].key)
			k = (unsigned char)(rng() % 4);
		snprintf(v[i].tag, sizeof(v[i].tag), "%c%c%c#%u",
			 '0' + v[i].key[0], '0' + v[i].key[1],
			 '0' + v[i].key[2], (unsigned int)(i % 1000));
	}
	auto orig = v;
	nolibc_qsort(v.data(), v.size(), sizeof(rec), cmp_rec);
	for (size_t i = 1; i < v.size(); i++)
		ASSERT_LE(cmp_rec(&v[i - 1], &v[i]), 0) << i;
	std::vector<std::string> a, b;
	for (size_t i = 0; i < v.size(); i++) {
		ASSERT_EQ('0' + v[i].key[0], v[i].tag[0]);
		a.push_back(v[i].tag);
		b.push_back(orig[i].tag);
	}
	std::sort(a.begin(), a.end());
	std::sort(b.begin(), b.end());
	EXPECT_EQ(a, b);
}

TEST(NolibcStdlib, Bsearch)
{
	std::vector<int> v;

	for (int i = 0; i < 500; i++)
		v.push_back(3 * i);
	for (int k = -3; k <= 1500; k++) {
		int *hit = (int *)nolibc_bsearch(&k, v.data(), v.size(),
						 sizeof(int), cmp_int);
		if (k >= 0 && k < 1500 && k % 3 == 0) {
			ASSERT_NE(nullptr, hit) << k;
			EXPECT_EQ(k, *hit);
		} else {
			EXPECT_EQ(nullptr, hit) << k;
		}
	}
	int k = 1;
	EXPECT_EQ(nullptr, nolibc_bsearch(&k, v.data(), 0, sizeof(int),
					  cmp_int));
}

TEST(NolibcStdlibDeathTest, ExitPassesStatus)
{
	EXPECT_EXIT(nolibc_exit(7), testing::ExitedWithCode(7), "");
	EXPECT_EXIT(nolibc__Exit(0), testing::ExitedWithCode(0), "");
}

TEST(NolibcStdlibDeathTest, AbortCrashes)
{
	EXPECT_DEATH(nolibc_abort(), "");
}

TEST(NolibcStdlibDeathTest, AssertFailureCrashes)
{
	EXPECT_DEATH(__nolibc_assert_fail("1 == 2", "file.c", 12, "fn"), "");
}

} // namespace
