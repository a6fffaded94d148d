/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite of nolibc's string.h, strings.h, ctype.h and strerror(). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <uk/test.h>

uk_testsuite_register(nolibc_string, NULL);

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

/* Reference move through a temporary buffer. */
static void ref_move(unsigned char *buf, size_t dst, size_t src, size_t n)
{
	unsigned char tmp[128];
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = buf[src + i];
	for (i = 0; i < n; i++)
		buf[dst + i] = tmp[i];
}

UK_TESTCASE(nolibc_string, memmove_overlap)
{
	unsigned char a[128], b[128];
	size_t n, src, dst, i;
	unsigned int bad = 0;

	for (n = 0; n <= 48; n++) {
		for (src = 0; src <= 24; src += 3) {
			for (dst = 0; dst <= 24; dst++) {
				fill_pattern(a, sizeof(a), (unsigned int)n);
				fill_pattern(b, sizeof(b), (unsigned int)n);
				if (memmove(a + dst, a + src, n) != a + dst)
					bad++;
				ref_move(b, dst, src, n);
				for (i = 0; i < sizeof(a); i++)
					bad += a[i] != b[i];
			}
		}
	}
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);

	/* Both directions by hand. */
	char s[] = "abcdefghij";
	memmove(s + 2, s, 5);
	UK_TEST_EXPECT_ZERO(strcmp(s, "ababcdehij"));
	char t[] = "abcdefghij";
	memmove(t, t + 3, 6);
	UK_TEST_EXPECT_ZERO(strcmp(t, "defghighij"));
}

UK_TESTCASE(nolibc_string, memcpy_memset_sizes)
{
	unsigned char src[300], dst[320];
	unsigned int bad = 0;
	size_t n, off, i;

	fill_pattern(src, sizeof(src), 3);
	for (n = 0; n <= 260; n += 13) {
		for (off = 0; off < 8; off++) {
			memset(dst, 0xee, sizeof(dst));
			if (memcpy(dst + off, src + (off ^ 5), n) != dst + off)
				bad++;
			for (i = 0; i < sizeof(dst); i++) {
				unsigned char want = (i >= off && i < off + n) ?
					src[(off ^ 5) + i - off] : 0xee;
				bad += dst[i] != want;
			}
			if (memset(dst + off, 0x1ab, n) != dst + off)
				bad++;
			for (i = off; i < off + n; i++)
				bad += dst[i] != 0xab;
		}
	}
	UK_TEST_EXPECT_SNUM_EQ(bad, 0);
}

UK_TESTCASE(nolibc_string, memcmp_memchr)
{
	const char *s = "abcdefghijklmnopqrstuvwxyz";
	const char *z = "a\0b";

	UK_TEST_EXPECT_ZERO(memcmp("abcdefghXYZ", "abcdefghXYZ", 11));
	UK_TEST_EXPECT_SNUM_LT(memcmp("abcdefghXYA", "abcdefghXYZ", 11), 0);
	UK_TEST_EXPECT_SNUM_GT(memcmp("\xff", "\x01", 1), 0);
	UK_TEST_EXPECT_SNUM_GT(memcmp("abcdefgh\x80", "abcdefgh\x7f", 9), 0);
	UK_TEST_EXPECT_ZERO(memcmp("a", "b", 0));
	UK_TEST_EXPECT_PTR_EQ(memchr(s, 'q', 26), s + 16);
	UK_TEST_EXPECT_NULL(memchr(s, 'q', 16));
	UK_TEST_EXPECT_PTR_EQ(memchr(s, 'a' + 256, 26), s);
	UK_TEST_EXPECT_PTR_EQ(memchr(z, 'b', 3), z + 2);
	UK_TEST_EXPECT_PTR_EQ(memchr(z, 0, 3), z + 1);
}

UK_TESTCASE(nolibc_string, lengths_and_compares)
{
	UK_TEST_EXPECT_UNUM_EQ(strlen(""), 0);
	UK_TEST_EXPECT_UNUM_EQ(strlen("hello"), 5);
	UK_TEST_EXPECT_UNUM_EQ(strnlen("hello", 3), 3);
	UK_TEST_EXPECT_UNUM_EQ(strnlen("hello", 10), 5);
	UK_TEST_EXPECT_ZERO(strcmp("abc", "abc"));
	UK_TEST_EXPECT_SNUM_LT(strcmp("abc", "abd"), 0);
	UK_TEST_EXPECT_SNUM_GT(strcmp("abc", "ab"), 0);
	UK_TEST_EXPECT_SNUM_GT(strcmp("\xe9", "e"), 0);
	UK_TEST_EXPECT_ZERO(strncmp("abcX", "abcY", 3));
	UK_TEST_EXPECT_SNUM_LT(strncmp("abcX", "abcY", 4), 0);
	UK_TEST_EXPECT_ZERO(strncmp("ab", "ab\0x", 10));
	UK_TEST_EXPECT_ZERO(strcasecmp("Hello World", "hELLO wORLD"));
	UK_TEST_EXPECT_SNUM_LT(strcasecmp("apple", "Banana"), 0);
	/* Compared as lower case: '[' sorts before 'a', so before "A" too. */
	UK_TEST_EXPECT_SNUM_LT(strcasecmp("[", "A"), 0);
	UK_TEST_EXPECT_ZERO(strncasecmp("ABCdef", "abcXYZ", 3));
	UK_TEST_EXPECT_SNUM_GT(strncasecmp("ABCz", "abcA", 4), 0);
}

UK_TESTCASE(nolibc_string, copies)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	UK_TEST_EXPECT_PTR_EQ(strcpy(buf, "abc"), buf);
	UK_TEST_EXPECT_BYTES_EQ(buf, "abc\0XX", 6);

	memset(buf, 'X', sizeof(buf));
	strncpy(buf, "ab", 6);
	UK_TEST_EXPECT_BYTES_EQ(buf, "ab\0\0\0\0XX", 8);
	memset(buf, 'X', sizeof(buf));
	strncpy(buf, "abcdef", 3);
	UK_TEST_EXPECT_BYTES_EQ(buf, "abcXX", 5);

	strcpy(buf, "ab");
	UK_TEST_EXPECT_PTR_EQ(strcat(buf, "cd"), buf);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "abcd"));
	strncat(buf, "efgh", 2);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "abcdef"));
	strncat(buf, "g", 5);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "abcdefg"));
}

UK_TESTCASE(nolibc_string, searches)
{
	const char *s = "hello world";

	UK_TEST_EXPECT_PTR_EQ(strchr(s, 'o'), s + 4);
	UK_TEST_EXPECT_PTR_EQ(strrchr(s, 'o'), s + 7);
	UK_TEST_EXPECT_PTR_EQ(strchr(s, '\0'), s + 11);
	UK_TEST_EXPECT_PTR_EQ(strrchr(s, '\0'), s + 11);
	UK_TEST_EXPECT_NULL(strchr(s, 'z'));
	UK_TEST_EXPECT_NULL(strrchr(s, 'z'));
	UK_TEST_EXPECT_PTR_EQ(strstr(s, "wor"), s + 6);
	UK_TEST_EXPECT_PTR_EQ(strstr(s, ""), s);
	UK_TEST_EXPECT_NULL(strstr(s, "worlds"));
	UK_TEST_EXPECT_UNUM_EQ(strspn("aabbcx", "abc"), 5);
	UK_TEST_EXPECT_UNUM_EQ(strspn("xabc", "abc"), 0);
	UK_TEST_EXPECT_UNUM_EQ(strcspn("hello, world", " ,"), 5);
	UK_TEST_EXPECT_UNUM_EQ(strcspn("hello", ""), 5);
	UK_TEST_EXPECT_PTR_EQ(strpbrk(s, "wd"), s + 6);
	UK_TEST_EXPECT_NULL(strpbrk(s, "xyz"));
}

UK_TESTCASE(nolibc_string, strstr_overlapping_prefix)
{
	const char *h = "aaab";

	UK_TEST_EXPECT_PTR_EQ(strstr(h, "aab"), h + 1);
	UK_TEST_EXPECT_PTR_EQ(strstr(h, "b"), h + 3);
	UK_TEST_EXPECT_PTR_EQ(strstr(h, "aaab"), h);
	UK_TEST_EXPECT_NULL(strstr(h, "aaaab"));
}

UK_TESTCASE(nolibc_string, strtok_r_tokens)
{
	char str[] = ",,one,two;;three,";
	char *save = NULL, *tok;

	tok = strtok_r(str, ",;", &save);
	UK_TEST_REQUIRE(tok != NULL);
	UK_TEST_EXPECT_ZERO(strcmp(tok, "one"));
	tok = strtok_r(NULL, ",;", &save);
	UK_TEST_REQUIRE(tok != NULL);
	UK_TEST_EXPECT_ZERO(strcmp(tok, "two"));
	tok = strtok_r(NULL, ",;", &save);
	UK_TEST_REQUIRE(tok != NULL);
	UK_TEST_EXPECT_ZERO(strcmp(tok, "three"));
	UK_TEST_EXPECT_NULL(strtok_r(NULL, ",;", &save));
	UK_TEST_EXPECT_NULL(strtok_r(NULL, ",;", &save));

	char empty[] = ";;;";
	save = NULL;
	UK_TEST_EXPECT_NULL(strtok_r(empty, ";", &save));
}

UK_TESTCASE(nolibc_string, strerror_messages)
{
	UK_TEST_EXPECT_ZERO(strcmp(strerror(0), "Success"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(ENOMEM), "Cannot allocate memory"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(ERANGE),
				   "Numerical result out of range"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(EHWPOISON),
				   "Memory page has hardware error"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(41), "Unknown error"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(-3), "Unknown error"));
	UK_TEST_EXPECT_ZERO(strcmp(strerror(100000), "Unknown error"));
	UK_TEST_EXPECT_SNUM_EQ(EAGAIN, 11);
	UK_TEST_EXPECT_SNUM_EQ(EWOULDBLOCK, EAGAIN);
	UK_TEST_EXPECT_SNUM_EQ(ENOSYS, 38);
	UK_TEST_EXPECT_SNUM_EQ(ETIMEDOUT, 110);
}

UK_TESTCASE(nolibc_string, errno_is_an_lvalue)
{
	errno = 0;
	UK_TEST_EXPECT_SNUM_EQ(errno, 0);
	errno = EINVAL;
	UK_TEST_EXPECT_SNUM_EQ(*__uk_errno(), EINVAL);
	errno = 0;
}

/* The C-locale classes, counted over all of 0..255 and EOF. */
UK_TESTCASE(nolibc_string, ctype_classes)
{
	int c, n[12] = { 0 };

	for (c = -1; c <= 255; c++) {
		n[0] += !!isalnum(c);
		n[1] += !!isalpha(c);
		n[2] += !!isblank(c);
		n[3] += !!iscntrl(c);
		n[4] += !!isdigit(c);
		n[5] += !!isgraph(c);
		n[6] += !!islower(c);
		n[7] += !!isprint(c);
		n[8] += !!ispunct(c);
		n[9] += !!isspace(c);
		n[10] += !!isupper(c);
		n[11] += !!isxdigit(c);
	}
	UK_TEST_EXPECT_SNUM_EQ(n[0], 62);
	UK_TEST_EXPECT_SNUM_EQ(n[1], 52);
	UK_TEST_EXPECT_SNUM_EQ(n[2], 2);
	UK_TEST_EXPECT_SNUM_EQ(n[3], 33);
	UK_TEST_EXPECT_SNUM_EQ(n[4], 10);
	UK_TEST_EXPECT_SNUM_EQ(n[5], 94);
	UK_TEST_EXPECT_SNUM_EQ(n[6], 26);
	UK_TEST_EXPECT_SNUM_EQ(n[7], 95);
	UK_TEST_EXPECT_SNUM_EQ(n[8], 32);
	UK_TEST_EXPECT_SNUM_EQ(n[9], 6);
	UK_TEST_EXPECT_SNUM_EQ(n[10], 26);
	UK_TEST_EXPECT_SNUM_EQ(n[11], 22);
	UK_TEST_EXPECT_SNUM_EQ(tolower('Q'), 'q');
	UK_TEST_EXPECT_SNUM_EQ(toupper('q'), 'Q');
	UK_TEST_EXPECT_SNUM_EQ(toupper('1'), '1');
	UK_TEST_EXPECT_SNUM_EQ(tolower(-1), -1);
	UK_TEST_EXPECT_SNUM_EQ(toupper(0xe9), 0xe9);
}
