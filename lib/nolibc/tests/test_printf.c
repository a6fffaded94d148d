/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite of nolibc's printf family: exact snprintf output per format. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <uk/test.h>

uk_testsuite_register(nolibc_printf, NULL);

/*
 * Formats with vsnprintf and compares with want (and the return value with
 * its length). The expected strings are glibc's output for the same call.
 */
static void __printf(4, 5) expect_fmt(struct uk_testcase *esac, int line,
				      const char *want, const char *fmt, ...)
{
	char got[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	uk_test_check(esac, n == (int)strlen(want) && !strcmp(got, want),
		      __FILE__, line,
		      "format \"%s\": got \"%s\" (%d), want \"%s\" (%d)",
		      fmt, got, n, want, (int)strlen(want));
}

#define EXPECT_FMT(want, fmt, ...)					\
	expect_fmt(esac, __LINE__, want, fmt, ##__VA_ARGS__)

UK_TESTCASE(nolibc_printf, integers)
{
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("-1", "%d", -1);
	EXPECT_FMT("2147483647", "%d", INT_MAX);
	EXPECT_FMT("-2147483648", "%d", INT_MIN);
	EXPECT_FMT("42", "%i", 42);
	EXPECT_FMT("4294967295", "%u", -1);
	EXPECT_FMT("beef", "%x", 0xbeef);
	EXPECT_FMT("BEEF", "%X", 0xbeef);
	EXPECT_FMT("10", "%o", 8);
	EXPECT_FMT("010", "%#o", 8);
	EXPECT_FMT("0", "%#o", 0);
	EXPECT_FMT("0", "%#x", 0);
	EXPECT_FMT("0xff", "%#x", 255);
	EXPECT_FMT("0XFF", "%#X", 255);
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("+42", "%+d", 42);
	EXPECT_FMT(" 42", "% d", 42);
	EXPECT_FMT("007", "%.3d", 7);
	EXPECT_FMT("    -007", "%8.3d", -7);
	EXPECT_FMT("007     |", "%-8.3d|", 7);
	EXPECT_FMT("", "%.0d", 0);
	EXPECT_FMT("+", "%+.0d", 0);
	EXPECT_FMT("     |", "%5.0d|", 0);
	EXPECT_FMT("0", "%#.0o", 0);
	EXPECT_FMT("010", "%#.3o", 8);
	EXPECT_FMT("0x00001234", "%#010x", 0x1234);
	EXPECT_FMT("0x1234    |", "%-#10x|", 0x1234);
	EXPECT_FMT("0000dead", "%08x", 0xdead);
	EXPECT_FMT("-56", "%hhd", 200);
	EXPECT_FMT("255", "%hhu", -1);
	EXPECT_FMT("-25536", "%hd", 40000);
	EXPECT_FMT("2345", "%hx", 0x12345);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT_FMT("123456789abcdef", "%lx", 0x123456789abcdefUL);
	EXPECT_FMT("-1234567890123", "%lld", -1234567890123LL);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("01777777777777777777777", "%#llo", ULLONG_MAX);
	EXPECT_FMT("123456", "%zu", (size_t)123456);
	EXPECT_FMT("-5", "%zd", (ssize_t)-5);
	EXPECT_FMT("-9223372036854775808", "%jd", INTMAX_MIN);
	EXPECT_FMT("18446744073709551615", "%ju", UINTMAX_MAX);
	EXPECT_FMT("-77", "%td", (ptrdiff_t)-77);
	EXPECT_FMT("      9223372036854775807|", "%25ld|", LONG_MAX);
	EXPECT_FMT("-9223372036854775808     |", "%-25ld|", LONG_MIN);
	EXPECT_FMT("-0000000000000000000001", "%.22ld", -1L);
	EXPECT_FMT("    42|", "%*d|", 6, 42);
	EXPECT_FMT("42    |", "%-*d|", 6, 42);
	EXPECT_FMT("42    |", "%*d|", -6, 42);
	EXPECT_FMT("0007", "%.*d", 4, 7);
	EXPECT_FMT("7", "%.*d", -4, 7);
	EXPECT_FMT("  -00003|", "%*.*d|", 8, 5, -3);
}

UK_TESTCASE(nolibc_printf, strings_chars_pointers)
{
	EXPECT_FMT("hello", "%s", "hello");
	EXPECT_FMT("     hello|", "%10s|", "hello");
	EXPECT_FMT("hello     |", "%-10s|", "hello");
	EXPECT_FMT("he", "%.2s", "hello");
	EXPECT_FMT("       hel|", "%10.3s|", "hello");
	EXPECT_FMT("|", "%.0s|", "hello");
	EXPECT_FMT("|", "%s|", "");
	EXPECT_FMT("hello|", "%3s|", "hello");
	EXPECT_FMT("ab     |", "%*s|", -7, "ab");
	EXPECT_FMT("abc|", "%.*s|", 3, "abcdef");
	EXPECT_FMT("x", "%c", 'x');
	EXPECT_FMT("  x|", "%3c|", 'x');
	EXPECT_FMT("x  |", "%-3c|", 'x');
	EXPECT_FMT("abc", "%c%c%c", 'a', 'b', 'c');
	EXPECT_FMT("100% sure", "100%% %s", "sure");
	EXPECT_FMT("0x1234", "%p", (void *)0x1234);
	EXPECT_FMT("(nil)", "%p", NULL);
	EXPECT_FMT("     (nil)|", "%10p|", NULL);
	EXPECT_FMT("0xffff800000001000|", "%-18p|", (void *)0xffff800000001000UL);
	EXPECT_FMT("          0xdeadbeef|", "%20p|", (void *)0xdeadbeef);
	EXPECT_FMT("%", "%%");
	EXPECT_FMT("no conversion", "no conversion");
}

/* Exact decimal conversion, ties to even, inf and nan. */
UK_TESTCASE(nolibc_printf, floating_point)
{
	EXPECT_FMT("0.000000", "%f", 0.0);
	EXPECT_FMT("0", "%.0f", 0.0);
	EXPECT_FMT("0.00", "%.2f", 0.0);
	EXPECT_FMT("0.000000000", "%.9f", 0.0);
	EXPECT_FMT("0.000000e+00", "%e", 0.0);
	EXPECT_FMT("0e+00", "%.0e", 0.0);
	EXPECT_FMT("0.000E+00", "%.3E", 0.0);
	EXPECT_FMT("0", "%g", 0.0);
	EXPECT_FMT("0", "%.3g", 0.0);
	EXPECT_FMT("0", "%G", 0.0);
	EXPECT_FMT("0.", "%#.0f", 0.0);
	EXPECT_FMT("    +0.000|", "%+10.3f|", 0.0);
	EXPECT_FMT("0.00e+00    |", "%-12.2e|", 0.0);
	EXPECT_FMT("0000000.0000", "%012.4f", 0.0);
	EXPECT_FMT(" 0.0", "% .1f", 0.0);
	EXPECT_FMT("0.00000", "%#g", 0.0);
	EXPECT_FMT("-0.000000", "%f", -0.0);
	EXPECT_FMT("-0", "%.0f", -0.0);
	EXPECT_FMT("-0.00", "%.2f", -0.0);
	EXPECT_FMT("-0.000000000", "%.9f", -0.0);
	EXPECT_FMT("-0.000000e+00", "%e", -0.0);
	EXPECT_FMT("-0e+00", "%.0e", -0.0);
	EXPECT_FMT("-0.000E+00", "%.3E", -0.0);
	EXPECT_FMT("-0", "%g", -0.0);
	EXPECT_FMT("-0", "%.3g", -0.0);
	EXPECT_FMT("-0", "%G", -0.0);
	EXPECT_FMT("-0.", "%#.0f", -0.0);
	EXPECT_FMT("    -0.000|", "%+10.3f|", -0.0);
	EXPECT_FMT("-0.00e+00   |", "%-12.2e|", -0.0);
	EXPECT_FMT("-000000.0000", "%012.4f", -0.0);
	EXPECT_FMT("-0.0", "% .1f", -0.0);
	EXPECT_FMT("-0.00000", "%#g", -0.0);
	EXPECT_FMT("1.000000", "%f", 1.0);
	EXPECT_FMT("1", "%.0f", 1.0);
	EXPECT_FMT("1.00", "%.2f", 1.0);
	EXPECT_FMT("1.000000000", "%.9f", 1.0);
	EXPECT_FMT("1.000000e+00", "%e", 1.0);
	EXPECT_FMT("1e+00", "%.0e", 1.0);
	EXPECT_FMT("1.000E+00", "%.3E", 1.0);
	EXPECT_FMT("1", "%g", 1.0);
	EXPECT_FMT("1", "%.3g", 1.0);
	EXPECT_FMT("1", "%G", 1.0);
	EXPECT_FMT("1.", "%#.0f", 1.0);
	EXPECT_FMT("    +1.000|", "%+10.3f|", 1.0);
	EXPECT_FMT("1.00e+00    |", "%-12.2e|", 1.0);
	EXPECT_FMT("0000001.0000", "%012.4f", 1.0);
	EXPECT_FMT(" 1.0", "% .1f", 1.0);
	EXPECT_FMT("1.00000", "%#g", 1.0);
	EXPECT_FMT("0.500000", "%f", 0.5);
	EXPECT_FMT("0", "%.0f", 0.5);
	EXPECT_FMT("0.50", "%.2f", 0.5);
	EXPECT_FMT("0.500000000", "%.9f", 0.5);
	EXPECT_FMT("5.000000e-01", "%e", 0.5);
	EXPECT_FMT("5e-01", "%.0e", 0.5);
	EXPECT_FMT("5.000E-01", "%.3E", 0.5);
	EXPECT_FMT("0.5", "%g", 0.5);
	EXPECT_FMT("0.5", "%.3g", 0.5);
	EXPECT_FMT("0.5", "%G", 0.5);
	EXPECT_FMT("0.", "%#.0f", 0.5);
	EXPECT_FMT("    +0.500|", "%+10.3f|", 0.5);
	EXPECT_FMT("5.00e-01    |", "%-12.2e|", 0.5);
	EXPECT_FMT("0000000.5000", "%012.4f", 0.5);
	EXPECT_FMT(" 0.5", "% .1f", 0.5);
	EXPECT_FMT("0.500000", "%#g", 0.5);
	EXPECT_FMT("1.500000", "%f", 1.5);
	EXPECT_FMT("2", "%.0f", 1.5);
	EXPECT_FMT("1.50", "%.2f", 1.5);
	EXPECT_FMT("1.500000000", "%.9f", 1.5);
	EXPECT_FMT("1.500000e+00", "%e", 1.5);
	EXPECT_FMT("2e+00", "%.0e", 1.5);
	EXPECT_FMT("1.500E+00", "%.3E", 1.5);
	EXPECT_FMT("1.5", "%g", 1.5);
	EXPECT_FMT("1.5", "%.3g", 1.5);
	EXPECT_FMT("1.5", "%G", 1.5);
	EXPECT_FMT("2.", "%#.0f", 1.5);
	EXPECT_FMT("    +1.500|", "%+10.3f|", 1.5);
	EXPECT_FMT("1.50e+00    |", "%-12.2e|", 1.5);
	EXPECT_FMT("0000001.5000", "%012.4f", 1.5);
	EXPECT_FMT(" 1.5", "% .1f", 1.5);
	EXPECT_FMT("1.50000", "%#g", 1.5);
	EXPECT_FMT("2.500000", "%f", 2.5);
	EXPECT_FMT("2", "%.0f", 2.5);
	EXPECT_FMT("2.50", "%.2f", 2.5);
	EXPECT_FMT("2.500000000", "%.9f", 2.5);
	EXPECT_FMT("2.500000e+00", "%e", 2.5);
	EXPECT_FMT("2e+00", "%.0e", 2.5);
	EXPECT_FMT("2.500E+00", "%.3E", 2.5);
	EXPECT_FMT("2.5", "%g", 2.5);
	EXPECT_FMT("2.5", "%.3g", 2.5);
	EXPECT_FMT("2.5", "%G", 2.5);
	EXPECT_FMT("2.", "%#.0f", 2.5);
	EXPECT_FMT("    +2.500|", "%+10.3f|", 2.5);
	EXPECT_FMT("2.50e+00    |", "%-12.2e|", 2.5);
	EXPECT_FMT("0000002.5000", "%012.4f", 2.5);
	EXPECT_FMT(" 2.5", "% .1f", 2.5);
	EXPECT_FMT("2.50000", "%#g", 2.5);
	EXPECT_FMT("-2.500000", "%f", -2.5);
	EXPECT_FMT("-2", "%.0f", -2.5);
	EXPECT_FMT("-2.50", "%.2f", -2.5);
	EXPECT_FMT("-2.500000000", "%.9f", -2.5);
	EXPECT_FMT("-2.500000e+00", "%e", -2.5);
	EXPECT_FMT("-2e+00", "%.0e", -2.5);
	EXPECT_FMT("-2.500E+00", "%.3E", -2.5);
	EXPECT_FMT("-2.5", "%g", -2.5);
	EXPECT_FMT("-2.5", "%.3g", -2.5);
	EXPECT_FMT("-2.5", "%G", -2.5);
	EXPECT_FMT("-2.", "%#.0f", -2.5);
	EXPECT_FMT("    -2.500|", "%+10.3f|", -2.5);
	EXPECT_FMT("-2.50e+00   |", "%-12.2e|", -2.5);
	EXPECT_FMT("-000002.5000", "%012.4f", -2.5);
	EXPECT_FMT("-2.5", "% .1f", -2.5);
	EXPECT_FMT("-2.50000", "%#g", -2.5);
	EXPECT_FMT("2.675000", "%f", 2.675);
	EXPECT_FMT("3", "%.0f", 2.675);
	EXPECT_FMT("2.67", "%.2f", 2.675);
	EXPECT_FMT("2.675000000", "%.9f", 2.675);
	EXPECT_FMT("2.675000e+00", "%e", 2.675);
	EXPECT_FMT("3e+00", "%.0e", 2.675);
	EXPECT_FMT("2.675E+00", "%.3E", 2.675);
	EXPECT_FMT("2.675", "%g", 2.675);
	EXPECT_FMT("2.67", "%.3g", 2.675);
	EXPECT_FMT("2.675", "%G", 2.675);
	EXPECT_FMT("3.", "%#.0f", 2.675);
	EXPECT_FMT("    +2.675|", "%+10.3f|", 2.675);
	EXPECT_FMT("2.67e+00    |", "%-12.2e|", 2.675);
	EXPECT_FMT("0000002.6750", "%012.4f", 2.675);
	EXPECT_FMT(" 2.7", "% .1f", 2.675);
	EXPECT_FMT("2.67500", "%#g", 2.675);
	EXPECT_FMT("0.125000", "%f", 0.125);
	EXPECT_FMT("0", "%.0f", 0.125);
	EXPECT_FMT("0.12", "%.2f", 0.125);
	EXPECT_FMT("0.125000000", "%.9f", 0.125);
	EXPECT_FMT("1.250000e-01", "%e", 0.125);
	EXPECT_FMT("1e-01", "%.0e", 0.125);
	EXPECT_FMT("1.250E-01", "%.3E", 0.125);
	EXPECT_FMT("0.125", "%g", 0.125);
	EXPECT_FMT("0.125", "%.3g", 0.125);
	EXPECT_FMT("0.125", "%G", 0.125);
	EXPECT_FMT("0.", "%#.0f", 0.125);
	EXPECT_FMT("    +0.125|", "%+10.3f|", 0.125);
	EXPECT_FMT("1.25e-01    |", "%-12.2e|", 0.125);
	EXPECT_FMT("0000000.1250", "%012.4f", 0.125);
	EXPECT_FMT(" 0.1", "% .1f", 0.125);
	EXPECT_FMT("0.125000", "%#g", 0.125);
	EXPECT_FMT("0.100000", "%f", 0.1);
	EXPECT_FMT("0", "%.0f", 0.1);
	EXPECT_FMT("0.10", "%.2f", 0.1);
	EXPECT_FMT("0.100000000", "%.9f", 0.1);
	EXPECT_FMT("1.000000e-01", "%e", 0.1);
	EXPECT_FMT("1e-01", "%.0e", 0.1);
	EXPECT_FMT("1.000E-01", "%.3E", 0.1);
	EXPECT_FMT("0.1", "%g", 0.1);
	EXPECT_FMT("0.1", "%.3g", 0.1);
	EXPECT_FMT("0.1", "%G", 0.1);
	EXPECT_FMT("0.", "%#.0f", 0.1);
	EXPECT_FMT("    +0.100|", "%+10.3f|", 0.1);
	EXPECT_FMT("1.00e-01    |", "%-12.2e|", 0.1);
	EXPECT_FMT("0000000.1000", "%012.4f", 0.1);
	EXPECT_FMT(" 0.1", "% .1f", 0.1);
	EXPECT_FMT("0.100000", "%#g", 0.1);
	EXPECT_FMT("0.000010", "%f", 1e-5);
	EXPECT_FMT("0", "%.0f", 1e-5);
	EXPECT_FMT("0.00", "%.2f", 1e-5);
	EXPECT_FMT("0.000010000", "%.9f", 1e-5);
	EXPECT_FMT("1.000000e-05", "%e", 1e-5);
	EXPECT_FMT("1e-05", "%.0e", 1e-5);
	EXPECT_FMT("1.000E-05", "%.3E", 1e-5);
	EXPECT_FMT("1e-05", "%g", 1e-5);
	EXPECT_FMT("1e-05", "%.3g", 1e-5);
	EXPECT_FMT("1E-05", "%G", 1e-5);
	EXPECT_FMT("0.", "%#.0f", 1e-5);
	EXPECT_FMT("    +0.000|", "%+10.3f|", 1e-5);
	EXPECT_FMT("1.00e-05    |", "%-12.2e|", 1e-5);
	EXPECT_FMT("0000000.0000", "%012.4f", 1e-5);
	EXPECT_FMT(" 0.0", "% .1f", 1e-5);
	EXPECT_FMT("1.00000e-05", "%#g", 1e-5);
	EXPECT_FMT("123456.789000", "%f", 123456.789);
	EXPECT_FMT("123457", "%.0f", 123456.789);
	EXPECT_FMT("123456.79", "%.2f", 123456.789);
	EXPECT_FMT("123456.789000000", "%.9f", 123456.789);
	EXPECT_FMT("1.234568e+05", "%e", 123456.789);
	EXPECT_FMT("1e+05", "%.0e", 123456.789);
	EXPECT_FMT("1.235E+05", "%.3E", 123456.789);
	EXPECT_FMT("123457", "%g", 123456.789);
	EXPECT_FMT("1.23e+05", "%.3g", 123456.789);
	EXPECT_FMT("123457", "%G", 123456.789);
	EXPECT_FMT("123457.", "%#.0f", 123456.789);
	EXPECT_FMT("+123456.789|", "%+10.3f|", 123456.789);
	EXPECT_FMT("1.23e+05    |", "%-12.2e|", 123456.789);
	EXPECT_FMT("0123456.7890", "%012.4f", 123456.789);
	EXPECT_FMT(" 123456.8", "% .1f", 123456.789);
	EXPECT_FMT("123457.", "%#g", 123456.789);
	EXPECT_FMT("1000000000000000.000000", "%f", 1e15);
	EXPECT_FMT("1000000000000000", "%.0f", 1e15);
	EXPECT_FMT("1000000000000000.00", "%.2f", 1e15);
	EXPECT_FMT("1000000000000000.000000000", "%.9f", 1e15);
	EXPECT_FMT("1.000000e+15", "%e", 1e15);
	EXPECT_FMT("1e+15", "%.0e", 1e15);
	EXPECT_FMT("1.000E+15", "%.3E", 1e15);
	EXPECT_FMT("1e+15", "%g", 1e15);
	EXPECT_FMT("1e+15", "%.3g", 1e15);
	EXPECT_FMT("1E+15", "%G", 1e15);
	EXPECT_FMT("1000000000000000.", "%#.0f", 1e15);
	EXPECT_FMT("+1000000000000000.000|", "%+10.3f|", 1e15);
	EXPECT_FMT("1.00e+15    |", "%-12.2e|", 1e15);
	EXPECT_FMT("1000000000000000.0000", "%012.4f", 1e15);
	EXPECT_FMT(" 1000000000000000.0", "% .1f", 1e15);
	EXPECT_FMT("1.00000e+15", "%#g", 1e15);
	EXPECT_FMT("10.000000", "%f", 9.9999999);
	EXPECT_FMT("10", "%.0f", 9.9999999);
	EXPECT_FMT("10.00", "%.2f", 9.9999999);
	EXPECT_FMT("9.999999900", "%.9f", 9.9999999);
	EXPECT_FMT("1.000000e+01", "%e", 9.9999999);
	EXPECT_FMT("1e+01", "%.0e", 9.9999999);
	EXPECT_FMT("1.000E+01", "%.3E", 9.9999999);
	EXPECT_FMT("10", "%g", 9.9999999);
	EXPECT_FMT("10", "%.3g", 9.9999999);
	EXPECT_FMT("10", "%G", 9.9999999);
	EXPECT_FMT("10.", "%#.0f", 9.9999999);
	EXPECT_FMT("   +10.000|", "%+10.3f|", 9.9999999);
	EXPECT_FMT("1.00e+01    |", "%-12.2e|", 9.9999999);
	EXPECT_FMT("0000010.0000", "%012.4f", 9.9999999);
	EXPECT_FMT(" 10.0", "% .1f", 9.9999999);
	EXPECT_FMT("0.000123", "%f", 0.000123456);
	EXPECT_FMT("0", "%.0f", 0.000123456);
	EXPECT_FMT("0.00", "%.2f", 0.000123456);
	EXPECT_FMT("0.000123456", "%.9f", 0.000123456);
	EXPECT_FMT("1.234560e-04", "%e", 0.000123456);
	EXPECT_FMT("1e-04", "%.0e", 0.000123456);
	EXPECT_FMT("1.235E-04", "%.3E", 0.000123456);
	EXPECT_FMT("0.000123456", "%g", 0.000123456);
	EXPECT_FMT("0.000123", "%.3g", 0.000123456);
	EXPECT_FMT("0.000123456", "%G", 0.000123456);
	EXPECT_FMT("0.", "%#.0f", 0.000123456);
	EXPECT_FMT("    +0.000|", "%+10.3f|", 0.000123456);
	EXPECT_FMT("1.23e-04    |", "%-12.2e|", 0.000123456);
	EXPECT_FMT("0000000.0001", "%012.4f", 0.000123456);
	EXPECT_FMT(" 0.0", "% .1f", 0.000123456);
	EXPECT_FMT("0.000123456", "%#g", 0.000123456);
	EXPECT_FMT("99.500000", "%f", 99.5);
	EXPECT_FMT("100", "%.0f", 99.5);
	EXPECT_FMT("99.50", "%.2f", 99.5);
	EXPECT_FMT("99.500000000", "%.9f", 99.5);
	EXPECT_FMT("9.950000e+01", "%e", 99.5);
	EXPECT_FMT("1e+02", "%.0e", 99.5);
	EXPECT_FMT("9.950E+01", "%.3E", 99.5);
	EXPECT_FMT("99.5", "%g", 99.5);
	EXPECT_FMT("99.5", "%.3g", 99.5);
	EXPECT_FMT("99.5", "%G", 99.5);
	EXPECT_FMT("100.", "%#.0f", 99.5);
	EXPECT_FMT("   +99.500|", "%+10.3f|", 99.5);
	EXPECT_FMT("9.95e+01    |", "%-12.2e|", 99.5);
	EXPECT_FMT("0000099.5000", "%012.4f", 99.5);
	EXPECT_FMT(" 99.5", "% .1f", 99.5);
	EXPECT_FMT("99.5000", "%#g", 99.5);
	EXPECT_FMT("1.000000e+300", "%e", 1e300);
	EXPECT_FMT("1e+300", "%.0e", 1e300);
	EXPECT_FMT("1.000E+300", "%.3E", 1e300);
	EXPECT_FMT("1e+300", "%g", 1e300);
	EXPECT_FMT("1e+300", "%.3g", 1e300);
	EXPECT_FMT("1E+300", "%G", 1e300);
	EXPECT_FMT("1.00e+300   |", "%-12.2e|", 1e300);
	EXPECT_FMT("1.00000e+300", "%#g", 1e300);
	EXPECT_FMT("0.000000", "%f", 5e-324);
	EXPECT_FMT("0", "%.0f", 5e-324);
	EXPECT_FMT("0.00", "%.2f", 5e-324);
	EXPECT_FMT("0.000000000", "%.9f", 5e-324);
	EXPECT_FMT("4.940656e-324", "%e", 5e-324);
	EXPECT_FMT("5e-324", "%.0e", 5e-324);
	EXPECT_FMT("4.941E-324", "%.3E", 5e-324);
	EXPECT_FMT("4.94066e-324", "%g", 5e-324);
	EXPECT_FMT("4.94e-324", "%.3g", 5e-324);
	EXPECT_FMT("4.94066E-324", "%G", 5e-324);
	EXPECT_FMT("0.", "%#.0f", 5e-324);
	EXPECT_FMT("    +0.000|", "%+10.3f|", 5e-324);
	EXPECT_FMT("4.94e-324   |", "%-12.2e|", 5e-324);
	EXPECT_FMT("0000000.0000", "%012.4f", 5e-324);
	EXPECT_FMT(" 0.0", "% .1f", 5e-324);
	EXPECT_FMT("4.94066e-324", "%#g", 5e-324);
	EXPECT_FMT("3.141593", "%f", 3.14159265358979);
	EXPECT_FMT("3", "%.0f", 3.14159265358979);
	EXPECT_FMT("3.14", "%.2f", 3.14159265358979);
	EXPECT_FMT("3.141592654", "%.9f", 3.14159265358979);
	EXPECT_FMT("3.141593e+00", "%e", 3.14159265358979);
	EXPECT_FMT("3e+00", "%.0e", 3.14159265358979);
	EXPECT_FMT("3.142E+00", "%.3E", 3.14159265358979);
	EXPECT_FMT("3.14159", "%g", 3.14159265358979);
	EXPECT_FMT("3.14", "%.3g", 3.14159265358979);
	EXPECT_FMT("3.14159", "%G", 3.14159265358979);
	EXPECT_FMT("3.", "%#.0f", 3.14159265358979);
	EXPECT_FMT("    +3.142|", "%+10.3f|", 3.14159265358979);
	EXPECT_FMT("3.14e+00    |", "%-12.2e|", 3.14159265358979);
	EXPECT_FMT("0000003.1416", "%012.4f", 3.14159265358979);
	EXPECT_FMT(" 3.1", "% .1f", 3.14159265358979);
	EXPECT_FMT("3.14159", "%#g", 3.14159265358979);
}

/*
 * Flag combinations that C defines but gcc's format check flags as useless:
 * '+' wins over ' ', '0' is ignored with a precision or with %s.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
UK_TESTCASE(nolibc_printf, ignored_flags)
{
	EXPECT_FMT("+42", "%+ d", 42);
	EXPECT_FMT("     007", "%08.3d", 7);
	EXPECT_FMT("   ab|", "%05s|", "ab");
	EXPECT_FMT("  x|", "%03c|", 'x');
	EXPECT_FMT("", "");
}
#pragma GCC diagnostic pop

UK_TESTCASE(nolibc_printf, float_special_values)
{
	EXPECT_FMT("inf", "%f", __builtin_inf());
	EXPECT_FMT("-INF", "%F", -__builtin_inf());
	EXPECT_FMT("nan", "%g", __builtin_nan(""));
	EXPECT_FMT("-nan", "%e", -__builtin_nan(""));
	EXPECT_FMT("  +inf|", "%+6f|", __builtin_inf());
	EXPECT_FMT("   inf|", "%06f|", __builtin_inf());
	EXPECT_FMT("inf   |", "%-6e|", __builtin_inf());
	/* C requires the zeros with '#' (glibc 2.36 prints "1.e+06"). */
	EXPECT_FMT("1.00000e+06", "%#g", 999999.5);
	EXPECT_FMT("2.225073858507201e-308", "%.15e", 2.2250738585072014e-308);
	EXPECT_FMT("179769313486231570814527423731704356798070567525844996598917"
		   "476803157260780028538760589558632766878171540458953514382464"
		   "234321326889464182768467546703537516986049910576551282076245"
		   "490090389328944075868508455133942304583236903222948165808559"
		   "332123348274797826204144723168738177180919299881250404026184"
		   "124858368", "%.0f", 1.7976931348623157e308);
}

UK_TESTCASE(nolibc_printf, snprintf_truncation)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, 6, "hello %s", "world"), 11);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "hello"));
	UK_TEST_EXPECT_SNUM_EQ(buf[6], 'X');

	memset(buf, 'X', sizeof(buf));
	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, 1, "%d", 12345), 5);
	UK_TEST_EXPECT_SNUM_EQ(buf[0], '\0');
	UK_TEST_EXPECT_SNUM_EQ(buf[1], 'X');

	memset(buf, 'X', sizeof(buf));
	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, 0, "%d", 12345), 5);
	UK_TEST_EXPECT_SNUM_EQ(buf[0], 'X');
	UK_TEST_EXPECT_SNUM_EQ(snprintf(NULL, 0, "%.3f", 3.14159), 5);

	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, sizeof(buf), "%s",
					"15 characters.."), 15);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "15 characters.."));
	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, sizeof(buf), "%s",
					"16 characters..."), 16);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "16 characters.."));

	/* A cut inside a long float still counts every character. */
	UK_TEST_EXPECT_SNUM_EQ(snprintf(buf, 4, "%.20f", 1.0 / 3), 22);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "0.3"));
}

UK_TESTCASE(nolibc_printf, sprintf_and_count)
{
	char buf[64];
	int n1 = -1, n2 = -1;

	UK_TEST_EXPECT_SNUM_EQ(sprintf(buf, "%s-%04d", "abcd", 7), 9);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "abcd-0007"));
	snprintf(buf, sizeof(buf), "abc%nde%s%n|", &n1, "fgh", &n2);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "abcdefgh|"));
	UK_TEST_EXPECT_SNUM_EQ(n1, 3);
	UK_TEST_EXPECT_SNUM_EQ(n2, 8);
}

/* Console output: only checks the return values (the text goes to COM1). */
UK_TESTCASE(nolibc_printf, console_output)
{
	UK_TEST_EXPECT_SNUM_EQ(printf("nolibc test: printf %d%c\n", 42, '!'),
			       24);
	UK_TEST_EXPECT_SNUM_EQ(fprintf(stderr, "nolibc test: %s\n", "stderr"),
			       20);
	UK_TEST_EXPECT_SNUM_GE(puts("nolibc test: puts"), 0);
	UK_TEST_EXPECT_SNUM_GE(fputs("nolibc test: fputs\n", stdout), 0);
	UK_TEST_EXPECT_SNUM_EQ(putchar('\n'), '\n');
	UK_TEST_EXPECT_UNUM_EQ(fwrite("nolibc test: fwrite\n", 4, 5, stdout),
			       5);
	UK_TEST_EXPECT_SNUM_EQ(fflush(stdout), 0);
}
