/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite of ukdebug: message line format, levels, non-failing asserts. */
#include <string.h>
#include <uk/assert.h>
#include <uk/print.h>
#include <uk/test.h>

uk_testsuite_register(ukdebug, NULL);

#define NS(sec, usec) ((__nsec)(sec) * 1000000000ULL + (__nsec)(usec) * 1000ULL)

UK_TESTCASE(ukdebug, prefix_format)
{
	char buf[128];
	size_t len;

	len = uk_printk_format(buf, sizeof(buf), KLVL_WARN, "libfoo",
			       NS(1, 234567), "hello %d\n", 42);
	UK_TEST_EXPECT_ZERO(strcmp(buf,
				   "[    1.234567] Warn: [libfoo] hello 42\n"));
	UK_TEST_EXPECT_UNUM_EQ(len, strlen(buf));

	uk_printk_format(buf, sizeof(buf), KLVL_CRIT, "x", 0, "a");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] Crit: [x] a\n"));
	uk_printk_format(buf, sizeof(buf), KLVL_ERR, "x", NS(12345, 999999),
			 "b");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[12345.999999] Err: [x] b\n"));
	uk_printk_format(buf, sizeof(buf), KLVL_INFO, "x", NS(123456, 1), "c");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[123456.000001] Info: [x] c\n"));
	uk_printk_format(buf, sizeof(buf), KLVL_DEBUG, "x", 999, "d");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] Debug: [x] d\n"));
	uk_printk_format(buf, sizeof(buf), 9, "x", 0, "e");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] ???: [x] e\n"));
}

/* One final newline is added when missing, never doubled. */
UK_TESTCASE(ukdebug, newline_handling)
{
	char buf[64];

	uk_printk_format(buf, sizeof(buf), KLVL_WARN, "l", 0, "%s", "");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] Warn: [l] \n"));
	uk_printk_format(buf, sizeof(buf), KLVL_WARN, "l", 0, "two\n\n");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] Warn: [l] two\n\n"));
	uk_printk_format(buf, sizeof(buf), KLVL_WARN, "l", 0, "a\nb");
	UK_TEST_EXPECT_ZERO(strcmp(buf, "[    0.000000] Warn: [l] a\nb\n"));
}

UK_TESTCASE(ukdebug, truncation)
{
	char buf[40];
	size_t len;

	len = uk_printk_format(buf, sizeof(buf), KLVL_WARN, "l", 0,
			       "%s", "0123456789abcdefghijklmnopqrstuvwxyz");
	UK_TEST_EXPECT_UNUM_EQ(len, sizeof(buf) - 1);
	UK_TEST_EXPECT_UNUM_EQ(strlen(buf), len);
	UK_TEST_EXPECT_ZERO(strcmp(buf,
				   "[    0.000000] Warn: [l] 0123456789...\n"));

	len = uk_printk_format(buf, 5, KLVL_WARN, "l", 0, "x");
	UK_TEST_EXPECT_UNUM_EQ(len, 4);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "...\n"));
	UK_TEST_EXPECT_UNUM_EQ(uk_printk_format(buf, 0, KLVL_WARN, "l", 0,
						"x"), 0);
}

/* The macros pass this library's name (the build defines __LIBNAME__). */
UK_TESTCASE(ukdebug, libname_macro)
{
	UK_TEST_EXPECT_ZERO(strcmp(STRINGIFY(__LIBNAME__), "libukdebug"));
}

/* Levels above the configured one are compiled out, arguments included. */
UK_TESTCASE(ukdebug, levels_compiled_out)
{
	int evaluated = 0;

	uk_pr_crit("ukdebug test: a critical message, this is expected\n");
	uk_pr_debug("debug %d\n", evaluated++);
	uk_pr_info("info %d\n", evaluated++);
	UK_TEST_EXPECT_SNUM_EQ(evaluated,
			       (UK_PRINT_KLVL_MAX >= KLVL_DEBUG) +
			       (UK_PRINT_KLVL_MAX >= KLVL_INFO));
	UK_TEST_EXPECT(UK_PRINT_KLVL_MAX >= KLVL_CRIT);
}

UK_TESTCASE(ukdebug, assert_true_does_not_crash)
{
	int calls = 0;

	UK_ASSERT(1 + 1 == 2);
	UK_ASSERT(++calls == 1);
	UK_BUGON(0);
	UK_BUGON(calls == 5);
#if CONFIG_LIBUKDEBUG_ENABLE_ASSERT
	UK_TEST_EXPECT_SNUM_EQ(calls, 1);
#else
	UK_TEST_EXPECT_SNUM_EQ(calls, 0);
#endif
}
