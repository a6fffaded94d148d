/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for uk_argnparse(): quoting, escapes, limits. */
#include <string.h>
#include <uk/argparse.h>
#include <uk/test.h>

uk_testsuite_register(ukargparse, NULL);

UK_TESTCASE(ukargparse, splits_on_blanks)
{
	char buf[] = "  kernel\ta  bb\n ccc  ";
	char *argv[8];
	int argc = uk_argnparse(buf, sizeof(buf), argv, 8);

	UK_TEST_EXPECT_SNUM_EQ(argc, 4);
	UK_TEST_EXPECT_ZERO(strcmp(argv[0], "kernel"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[1], "a"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[2], "bb"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[3], "ccc"));
	UK_TEST_EXPECT_NULL(argv[4]);
}

UK_TESTCASE(ukargparse, quotes_and_escapes)
{
	char buf[] = "k 'a b' \"c \\\"d\\\"\" e\\ f g'h'\"i\" '\\n'";
	char *argv[8];
	int argc = uk_argnparse(buf, sizeof(buf), argv, 8);

	UK_TEST_EXPECT_SNUM_EQ(argc, 6);
	UK_TEST_EXPECT_ZERO(strcmp(argv[1], "a b"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[2], "c \"d\""));
	UK_TEST_EXPECT_ZERO(strcmp(argv[3], "e f"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[4], "ghi"));
	UK_TEST_EXPECT_ZERO(strcmp(argv[5], "\\n"));
}

UK_TESTCASE(ukargparse, empty_and_limits)
{
	char empty[] = "   ";
	char many[] = "a b c d e";
	char unterminated[4] = { 'a', 'b', 'c', 'd' };
	char *argv[3];

	UK_TEST_EXPECT_SNUM_EQ(uk_argnparse(empty, sizeof(empty), argv, 3), 0);
	UK_TEST_EXPECT_NULL(argv[0]);
	UK_TEST_EXPECT_SNUM_EQ(uk_argnparse(many, sizeof(many), argv, 3), 3);
	UK_TEST_EXPECT_ZERO(strcmp(argv[2], "c"));
	UK_TEST_EXPECT_SNUM_EQ(uk_argnparse(unterminated, 4, argv, 3), 1);
	UK_TEST_EXPECT_ZERO(strcmp(argv[0], "abc"));
}
