/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest's own suite: the checks count, and failures are recorded. */
#include <stdio.h>
#include <uk/test.h>

uk_testsuite_register(uktest, NULL);

/* Runs a case body against a scratch case and inspects the bookkeeping. */
static void failing_body(struct uk_testcase *esac)
{
	UK_TEST_EXPECT_SNUM_EQ(1, 2);
	UK_TEST_EXPECT_NULL((void *)1);
	UK_TEST_EXPECT(1);
}

UK_TESTCASE(uktest, failures_are_counted)
{
	struct uk_testcase scratch = { .suite = "s", .name = "n", .lib = "l",
				       .fn = failing_body };

	printf("    (two expected failure messages follow)\n");
	scratch.fn(&scratch);
	UK_TEST_EXPECT_UNUM_EQ(scratch.checks, 3);
	UK_TEST_EXPECT_UNUM_EQ(scratch.failed, 2);
}

UK_TESTCASE(uktest, numeric_macros)
{
	UK_TEST_EXPECT_SNUM_LT(-1, 0);
	UK_TEST_EXPECT_SNUM_GE(5, 5);
	UK_TEST_EXPECT_UNUM_GE(~0UL, 1);
	UK_TEST_EXPECT_BYTES_EQ("abc", "abc", 3);
	UK_TEST_EXPECT_PTR_EQ(esac, esac);
	UK_TEST_EXPECT_NOT_NULL(esac);
}

#if CONFIG_LIBUKTEST_TEST_FAIL
/* Fails on purpose (LIBUKTEST_TEST_FAIL): the run must exit non-zero. */
UK_TESTCASE(uktest, deliberate_failure)
{
	int answer = 41;

	UK_TEST_EXPECT_SNUM_EQ(answer, 42);
}
#endif
