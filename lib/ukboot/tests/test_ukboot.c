/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for ukboot: init table order and constructors really ran. */
#include <uk/init.h>
#include <uk/test.h>

static int trace[4];
static int ntrace;
static int ctor_ran;

static int init_lib_late(void) { trace[ntrace++] = 2; return 0; }
static int init_lib_early(void) { trace[ntrace++] = 1; return 0; }
static int init_early_class(void) { trace[ntrace++] = 0; return 0; }

/* Registered out of order on purpose: the table must sort them. */
uk_lib_initcall_prio(init_lib_late, 7);
uk_lib_initcall_prio(init_lib_early, 2);
uk_early_initcall_prio(init_early_class, 9);

static void __attribute__((constructor)) boot_test_ctor(void)
{
	/* Constructors run after the whole init table. */
	ctor_ran = ntrace;
}

uk_testsuite_register(ukboot, NULL);

UK_TESTCASE(ukboot, inittab_runs_in_class_and_prio_order)
{
	UK_TEST_EXPECT_SNUM_EQ(ntrace, 3);
	UK_TEST_EXPECT_SNUM_EQ(trace[0], 0);
	UK_TEST_EXPECT_SNUM_EQ(trace[1], 1);
	UK_TEST_EXPECT_SNUM_EQ(trace[2], 2);
}

UK_TESTCASE(ukboot, constructors_run_after_inittab)
{
	UK_TEST_EXPECT_SNUM_EQ(ctor_ran, 3);
}
