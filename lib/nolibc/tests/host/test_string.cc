/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of nolibc's string.h, strings.h and ctype.h against glibc.
#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <strings.h>
#include <vector>

#include "rename.h"

namespace {

int sign(int v)
{
	return (v > 0) - (v < 0);
}

std::vector<unsigned char> random_bytes(std::mt19937 &rng, size_t n)
{
	std::vector<unsigned char> v(n);

	for (auto &b : v)
		b = (unsigned char)rng();
	return v;
}

TEST(NolibcString, MemcpyAllSizesAndAlignments)
{
	std::mt19937 rng(1);

	for (size_t n = 0; n <= 300; n++) {
		for (size_t so = 0; so < 8; so++) {
			for (size_t dof = 0; dof < 8; dof++) {
				auto src = random_bytes(rng, n + 16);
				std::vector<unsigned char> a(n + 32, 0xAA);
				std::vector<unsigned char> b(n + 32, 0xAA);

				EXPECT_EQ(&a[dof],
					  nolibc_memcpy(&a[dof], &src[so], n));
				memcpy(&b[dof], &src[so], n);
				ASSERT_EQ(a, b) << "n=" << n;
			}
		}
	}
}

TEST(NolibcString, MemsetAllSizes)
{
	for (size_t n = 0; n <= 300; n++) {
		for (size_t off = 0; off < 8; off++) {
			std::vector<unsigned char> a(n + 16, 7), b(n + 16, 7);

			EXPECT_EQ(&a[off], nolibc_memset(&a[off], 0x1c5, n));
			memset(&b[off], 0x1c5, n);
			ASSERT_EQ(a, b) << "n=" << n;
		}
	}
}

// Overlapping moves in both directions, every distance and length.
TEST(NolibcString, MemmoveOverlap)
{
	std::mt19937 rng(2);

	for (size_t n = 0; n <= 70; n++) {
		for (size_t src = 0; src <= 20; src++) {
			for (size_t dst = 0; dst <= 20; dst++) {
				auto a = random_bytes(rng, 100);
				auto b = a;

				EXPECT_EQ(&a[dst],
					  nolibc_memmove(&a[dst], &a[src], n));
				memmove(&b[dst], &b[src], n);
				ASSERT_EQ(a, b) << "n=" << n << " src=" << src
						<< " dst=" << dst;
			}
		}
	}
}

TEST(NolibcString, MemmoveLargeOverlap)
{
	std::mt19937 rng(3);
	auto a = random_bytes(rng, 10000);
	auto b = a;

	nolibc_memmove(&a[3], &a[0], 9000);
	memmove(&b[3], &b[0], 9000);
	EXPECT_EQ(a, b);
	nolibc_memmove(&a[0], &a[17], 9000);
	memmove(&b[0], &b[17], 9000);
	EXPECT_EQ(a, b);
}

TEST(NolibcString, MemcmpAndMemchr)
{
	std::mt19937 rng(4);

	for (size_t n = 0; n <= 40; n++) {
		for (int i = 0; i < 50; i++) {
			auto a = random_bytes(rng, n + 1);
			auto b = a;

			if (n && (i & 1))
				b[rng() % n] = (unsigned char)rng();
			EXPECT_EQ(sign(memcmp(a.data(), b.data(), n)),
				  sign(nolibc_memcmp(a.data(), b.data(), n)));
			int c = (int)(rng() % 256) + ((i & 2) ? 256 : 0);
			EXPECT_EQ(memchr(a.data(), c, n),
				  nolibc_memchr(a.data(), c, n));
		}
	}
	EXPECT_LT(nolibc_memcmp("\x01", "\xff", 1), 0);
	EXPECT_GT(nolibc_memcmp("abcdefgh\xff", "abcdefgh\x01", 9), 0);
}

const std::vector<std::string> strings = {
	"", "a", "b", "ab", "abc", "abd", "ABC", "Hello", "hello",
	"hello world", "hello\xe9", "hello\x7f", "\xff", "zzzz", "aaaaab",
	"abababac", "the quick brown fox jumps over the lazy dog",
};

TEST(NolibcString, LengthAndCompare)
{
	for (const auto &s : strings) {
		EXPECT_EQ(strlen(s.c_str()), nolibc_strlen(s.c_str()));
		for (size_t m = 0; m < 8; m++)
			EXPECT_EQ(strnlen(s.c_str(), m),
				  nolibc_strnlen(s.c_str(), m));
		for (const auto &t : strings) {
			EXPECT_EQ(sign(strcmp(s.c_str(), t.c_str())),
				  sign(nolibc_strcmp(s.c_str(), t.c_str())))
				<< s << " vs " << t;
			for (size_t n = 0; n < 8; n++)
				EXPECT_EQ(sign(strncmp(s.c_str(), t.c_str(),
						       n)),
					  sign(nolibc_strncmp(s.c_str(),
							      t.c_str(), n)));
			EXPECT_EQ(sign(strcasecmp(s.c_str(), t.c_str())),
				  sign(nolibc_strcasecmp(s.c_str(), t.c_str())))
				<< s << " vs " << t;
			for (size_t n = 0; n < 8; n++)
				EXPECT_EQ(sign(strncasecmp(s.c_str(), t.c_str(),
							   n)),
					  sign(nolibc_strncasecmp(s.c_str(),
								  t.c_str(),
								  n)));
		}
	}
}

TEST(NolibcString, CopyAndConcatenate)
{
	for (const auto &s : strings) {
		char a[128], b[128];

		memset(a, 'X', sizeof(a));
		memset(b, 'X', sizeof(b));
		EXPECT_EQ(a, nolibc_strcpy(a, s.c_str()));
		strcpy(b, s.c_str());
		EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
		for (size_t n = 0; n < 20; n++) {
			memset(a, 'X', sizeof(a));
			memset(b, 'X', sizeof(b));
			EXPECT_EQ(a, nolibc_strncpy(a, s.c_str(), n));
			strncpy(b, s.c_str(), n);
			EXPECT_EQ(0, memcmp(a, b, sizeof(a))) << s << " " << n;

			strcpy(a, "pre-");
			strcpy(b, "pre-");
			EXPECT_EQ(a, nolibc_strncat(a, s.c_str(), n));
			strncat(b, s.c_str(), n);
			EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
		}
		strcpy(a, "pre-");
		strcpy(b, "pre-");
		EXPECT_EQ(a, nolibc_strcat(a, s.c_str()));
		strcat(b, s.c_str());
		EXPECT_STREQ(b, a);
	}
}

TEST(NolibcString, Searches)
{
	const std::vector<std::string> needles = {
		"", "a", "ab", "abc", "bab", "abac", "o", "fox", "dog", "xyz",
		"hello", "l", "\xe9",
	};

	for (const auto &s : strings) {
		const char *p = s.c_str();

		for (int c : std::vector<int>{ 0, 'a', 'b', 'o', 'l', 'z',
					       0xe9, 0xff, -1, 'a' + 256 }) {
			EXPECT_EQ(strchr(p, c), nolibc_strchr(p, c)) << s << c;
			EXPECT_EQ(strrchr(p, c), nolibc_strrchr(p, c))
				<< s << c;
		}
		for (const auto &n : needles) {
			const char *q = n.c_str();

			EXPECT_EQ(strstr(p, q), nolibc_strstr(p, q)) << s << q;
			EXPECT_EQ(strspn(p, q), nolibc_strspn(p, q));
			EXPECT_EQ(strcspn(p, q), nolibc_strcspn(p, q));
			EXPECT_EQ(strpbrk(p, q), nolibc_strpbrk(p, q));
		}
	}
}

std::vector<std::string> tokens(char *(*tok)(char *, const char *, char **),
				std::string s, const char *delim)
{
	std::vector<std::string> out;
	char *save = nullptr, *t;
	char *str = &s[0];

	for (t = tok(str, delim, &save); t; t = tok(nullptr, delim, &save))
		out.push_back(t);
	return out;
}

TEST(NolibcString, StrtokR)
{
	const char *inputs[] = {
		"", ",,,", "a", "a,b,c", ",,a,,b,,", "one two\tthree\n",
		"key=value;k2=v2", "  lead", "trail  ",
	};

	for (const char *in : inputs) {
		for (const char *delim : { ",", " \t\n", "=;", "" }) {
			EXPECT_EQ(tokens(strtok_r, in, delim),
				  tokens(nolibc_strtok_r, in, delim))
				<< in << "|" << delim;
		}
	}
}

TEST(NolibcString, StrerrorMatchesGlibc)
{
	for (int e = 0; e <= 133; e++) {
		std::string want = strerror(e);

		if (want.rfind("Unknown error", 0) == 0)
			want = "Unknown error";
		EXPECT_EQ(want, nolibc_strerror(e)) << "errno " << e;
	}
	EXPECT_STREQ("Unknown error", nolibc_strerror(-1));
	EXPECT_STREQ("Unknown error", nolibc_strerror(4096));
}

TEST(NolibcString, Strdup)
{
	char *p = nolibc_strdup("duplicate me");

	ASSERT_NE(nullptr, p);
	EXPECT_STREQ("duplicate me", p);
	free(p);
	p = nolibc_strndup("duplicate me", 9);
	ASSERT_NE(nullptr, p);
	EXPECT_STREQ("duplicate", p);
	free(p);
	p = nolibc_strndup("ab", 9);
	ASSERT_NE(nullptr, p);
	EXPECT_STREQ("ab", p);
	free(p);
}

TEST(NolibcCtype, MatchesGlibcCLocale)
{
	for (int c = -1; c <= 255; c++) {
		EXPECT_EQ(!!isalnum(c), !!nolibc_isalnum(c)) << c;
		EXPECT_EQ(!!isalpha(c), !!nolibc_isalpha(c)) << c;
		EXPECT_EQ(!!isblank(c), !!nolibc_isblank(c)) << c;
		EXPECT_EQ(!!iscntrl(c), !!nolibc_iscntrl(c)) << c;
		EXPECT_EQ(!!isdigit(c), !!nolibc_isdigit(c)) << c;
		EXPECT_EQ(!!isgraph(c), !!nolibc_isgraph(c)) << c;
		EXPECT_EQ(!!islower(c), !!nolibc_islower(c)) << c;
		EXPECT_EQ(!!isprint(c), !!nolibc_isprint(c)) << c;
		EXPECT_EQ(!!ispunct(c), !!nolibc_ispunct(c)) << c;
		EXPECT_EQ(!!isspace(c), !!nolibc_isspace(c)) << c;
		EXPECT_EQ(!!isupper(c), !!nolibc_isupper(c)) << c;
		EXPECT_EQ(!!isxdigit(c), !!nolibc_isxdigit(c)) << c;
		EXPECT_EQ(tolower(c), nolibc_tolower(c)) << c;
		EXPECT_EQ(toupper(c), nolibc_toupper(c)) << c;
	}
}

} // namespace
