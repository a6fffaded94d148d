/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The formatting table of lib/newlib's test: every format applied to every
 * value. Included by the guest test (test_newlib.c) and by gen_fmt.c, which
 * prints glibc's output for the same calls into fmt_expected.h.
 */
#ifndef __NEWLIB_TEST_FMT_CASES_H__
#define __NEWLIB_TEST_FMT_CASES_H__

static const char *const fmt_formats[] = {
	"%f", "%e", "%g", "%a",
	"%12.4f", "%-14.3e|", "%+.10g", "%#.0f", "%015.6f", "%.0e",
	"%.17g", "%G", "%.3a", "%A", "%.20f", "% .2e", "%#g",
};

static const double fmt_values[] = {
	0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 2.5, 3.5, -2.675, 0.5,
	123456789.125, 1e-5, 9.9999999e-5, 1e15, 1e16, 1e21, 1e300, 1e-300,
	2.2250738585072014e-308, 1.7976931348623157e308, 4.9406564584124654e-324,
	6.02214076e23, 299792458.0, -0.000123456789,
	__builtin_inf(), -__builtin_inf(), __builtin_nan(""),
};

#define FMT_NFORMATS (sizeof(fmt_formats) / sizeof(fmt_formats[0]))
#define FMT_NVALUES (sizeof(fmt_values) / sizeof(fmt_values[0]))

#endif /* __NEWLIB_TEST_FMT_CASES_H__ */
