/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite of the out-of-tree library ukoot. */
#include <uk/oot.h>
#include <uk/test.h>

uk_testsuite_register(ukoot, NULL);

UK_TESTCASE(ukoot, small_sums)
{
	UK_TEST_EXPECT_SNUM_EQ(uk_oot_squares(0), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_oot_squares(3), 14);
}

UK_TESTCASE(ukoot, closed_form)
{
	unsigned long n;

	for (n = 0; n < 100; n++)
		UK_TEST_EXPECT_SNUM_EQ(uk_oot_squares(n),
				       n * (n + 1) * (2 * n + 1) / 6);
}
